"""What every reply must be, as Telegram would judge it: valid HTML within the length limit.

`html_problems` parses a message the way Telegram's HTML parse mode reads it (only its tags,
balanced, no raw `<`, `>` or `&` outside entities); an empty list means Telegram accepts it.
"""

from __future__ import annotations

import logging
from html.parser import HTMLParser
from typing import Any

import pytest

from handlers.render import utf16_len

# https://core.telegram.org/bots/api#html-style
ALLOWED_TAGS = frozenset(
    {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre"}
    | {"tg-spoiler", "span", "blockquote"}
)
ENTITIES = frozenset({"lt", "gt", "amp", "quot"})
MESSAGE_LIMIT = 4096
CALLBACK_ANSWER_LIMIT = 200


class _TelegramHTML(HTMLParser):
    """Collects everything Telegram's HTML parser would reject."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.problems: list[str] = []
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"tag <{tag}> is not one of Telegram's")
        if tag == "a" and not dict(attrs).get("href"):
            self.problems.append("<a> without href")
        if tag == "span" and dict(attrs).get("class") != "tg-spoiler":
            self.problems.append("<span> that is not a tg-spoiler")
        self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.problems.append(f"self-closing <{tag}/>")

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.open[-1:] or 'nothing'}")
        else:
            self.open.pop()

    def handle_data(self, data: str) -> None:
        for char in "<>&":
            if char in data:
                self.problems.append(f"raw {char!r} in {data[:40]!r}")

    def handle_entityref(self, name: str) -> None:
        if name not in ENTITIES:
            self.problems.append(f"entity &{name}; is not one Telegram knows")

    def handle_comment(self, data: str) -> None:
        self.problems.append("an HTML comment")

    def handle_decl(self, decl: str) -> None:
        self.problems.append("a declaration")

    def handle_pi(self, data: str) -> None:
        self.problems.append("a processing instruction")

    def unknown_decl(self, data: str) -> None:
        self.problems.append("an unknown declaration")


def html_problems(text: str) -> list[str]:
    """Why Telegram would refuse `text` in HTML parse mode (empty: it would accept it)."""
    parser = _TelegramHTML()
    parser.feed(text)
    parser.close()
    problems = parser.problems
    if parser.rawdata:
        problems.append(f"unparsed rest {parser.rawdata[:40]!r}")
    if parser.open:
        problems.append(f"unclosed {parser.open}")
    if not text.strip():
        problems.append("an empty message")
    if utf16_len(text) > MESSAGE_LIMIT:
        problems.append(f"{utf16_len(text)} UTF-16 units, over {MESSAGE_LIMIT}")
    return problems


def message_problems(params: dict[str, Any]) -> list[str]:
    """Problems of one sendMessage/editMessageText call (plain text only needs to fit)."""
    text = str(params.get("text", ""))
    if params.get("parse_mode") == "HTML":
        return html_problems(text)
    return [f"{utf16_len(text)} UTF-16 units"] if utf16_len(text) > MESSAGE_LIMIT else []


def no_crash_logged(caplog: pytest.LogCaptureFixture) -> None:
    """The error handler logged no unexpected error (it logs those with a traceback)."""
    crashes = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert not crashes, [r.getMessage()[:200] for r in crashes]
