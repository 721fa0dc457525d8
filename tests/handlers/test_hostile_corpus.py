"""Hostile text from articles and from users: every reply stays valid Telegram HTML.

Articles carrying markup, entities, quotes, RTL and zero-width text reach users escaped; every
command, inline query and button, fed hostile input, answers without a crash, within limits.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import i18n
from bot import offline
from bot.container import Services
from engine.models import ParsedArticle
from handlers import render
from handlers.commands import COMMANDS
from handlers.render import callbacks
from tests.support.app import Harness, start_app
from tests.support.checks import html_problems, message_problems, no_crash_logged
from tests.support.web import LocalWeb

HOSTILE = ParsedArticle(
    title='<b>Bold</b> & "quoted" <script>alert(1)</script> مرحبا',
    body=(
        'Zebrafish <i>study</i> & friends: "quotes", \u200bzero\u200bwidth, \u202eRTL\u202c, 🙂. '
        "Zebrafish researchers said the <a href='x'>link</a> was fine. " * 40
    ),
    url='https://example.com/a?x="><script>',
)


async def _seed_hostile(harness: Harness) -> int:
    result = await harness.services.articles.add([HOSTILE])
    return result.added[0]


def _tags(text: str) -> set[str]:
    import re

    return {m.lower() for m in re.findall(r"</?([a-zA-Z]+)", text)}


async def test_search_results_escape_article_text(harness: Harness) -> None:
    await _seed_hostile(harness)
    [reply] = await harness.text("/search zebrafish")
    assert _tags(reply) <= {"a", "b", "i"}  # the title links to the article
    assert 'href="https://example.com/a?x=&quot;&gt;&lt;script&gt;"' in reply
    assert "&lt;script&gt;" in reply and "<script>" not in reply
    # The article's own <i> is shown as text; only the matched word is bold.
    assert "<b>Zebrafish</b> &lt;i&gt;study&lt;/i&gt; &amp; friends" in reply


async def test_summary_escapes_text_and_the_source_link(harness: Harness) -> None:
    article_id = await _seed_hostile(harness)
    [reply] = await harness.text(f"/summary {article_id}")
    assert _tags(reply) <= {"b", "a"}
    assert 'href="https://example.com/a?x=&quot;&gt;&lt;script&gt;"' in reply
    assert render.utf16_len(reply) <= 4096


async def test_inline_results_escape_and_stay_within_limits(harness: Harness) -> None:
    await _seed_hostile(harness)
    await harness.send(offline.inline_update("zebrafish"))
    [answer] = harness.request.sent("answerInlineQuery")
    message = answer["results"][0]["input_message_content"]["message_text"]
    assert "<script>" not in message and render.utf16_len(message) <= 4096


async def test_digest_escapes_article_text(harness: Harness) -> None:
    from bot.delivery import telegram_deliverer

    await harness.text("/subscribe zebrafish")
    await _seed_hostile(harness)
    harness.request.clear()
    svc = harness.services
    await telegram_deliverer(harness.app.bot, svc.outbox, svc.subscriptions).round()
    [digest] = harness.request.sent("sendMessage")
    assert "<script>" not in digest["text"] and "&lt;b&gt;Bold" in digest["text"]


# ---- every command, inline query and button, driven with hostile input -------------------

HUGE = "x" * 4000
HOSTILE_INPUT = (
    "",
    " ",
    HUGE,
    "🙂" * 1000,
    "²",
    "٣",
    "#²",
    "<&>",
    "<b>bold</b>",
    "</a>",
    "&amp; &bogus; &#0;",
    "\"quoted\" 'single' “curly”",
    '"*" NEAR( OR -',
    "summit NEAR(peace) AND NOT -x*",
    "' OR 1=1 --",
    "0",
    "-1",
    "3 ²",
    "bayramov 99",
    "99999999999999999999999",
    str(2**63),
    "9" * 4000,
    "all",
    "daily 25:00",
    "peace daily 09:00",
    "Asia/Baku",
    "../../etc/passwd",
    "http://[::1",
    "zero\u200bwidth \u202eRTL\u202c مرحبا",
    "\x00\x1f",
)
FORGED_CALLBACKS = (
    "",
    "x" * 64,
    "m|",
    "m|²",
    "m|٣",
    "m|999999999999",
    "m|0",
    "l|999",
    "l|٥",
    "s|000000000000|5",
    "s|zzzz|1",
    "u|999999999999",
    "d|999999999999|0",
    "d|1|999999999999",
    "<b>|&",
    "🙂" * 16,
)
GROUP_MEMBER = {"chat_id": -100777, "chat_type": "supergroup", "user_id": 4242}


@pytest.fixture
async def unthrottled(services: Services) -> AsyncIterator[Harness]:
    """The real Application without the rate limiter: hundreds of replies in seconds, not the
    minutes 20 messages a minute per group would take."""
    request = offline.RecordingRequest()
    app = await start_app(services, request, rate_limit=False)
    yield Harness(app, request, services)
    await app.shutdown()


class Audit:
    """Sends updates through the harness and collects everything a user would see go wrong."""

    def __init__(self, harness: Harness, language: str | None = None) -> None:
        self.harness = harness
        self.language = language  # the user's Telegram language
        self.problems: list[str] = []
        self.buttons: set[str] = set()

    def _check(self, what: str, calls: list[offline.Call]) -> None:
        for call in calls:
            if call.method in ("sendMessage", "editMessageText"):
                self._note(what, message_problems(call.params))
                markup = call.params.get("reply_markup") or {}
                for row in markup.get("inline_keyboard", []):
                    self.buttons.update(b["callback_data"] for b in row)
            elif call.method in ("sendPhoto", "sendDocument"):  # /trend, /export
                caption = str(call.params.get("caption") or "")
                self._note(what, html_problems(caption) if caption else [])
                self._note(what, [] if call.files else ["a photo or document without a file"])
            elif call.method == "answerCallbackQuery":
                text = str(call.params.get("text") or "")
                self._note(what, [f"answer of {len(text)} chars"] if len(text) > 200 else [])
            elif call.method == "answerInlineQuery":
                for result in call.params["results"]:
                    content = result["input_message_content"]
                    message = {"text": content["message_text"], **content}
                    self._note(what, message_problems(message))

    def _note(self, what: str, problems: list[str]) -> None:
        self.problems += [f"{what[:60]!r}: {p}" for p in problems]

    async def command(self, text: str, **chat: Any) -> None:
        """A command (or private text): at least one message in reply, each valid."""
        update = offline.message_update(text, language=self.language, **chat)
        calls = await self.harness.send(update)
        self._check(text, calls)
        if not any(c.method in ("sendMessage", "sendPhoto", "sendDocument") for c in calls):
            self.problems.append(f"{text[:60]!r}: no reply")

    async def inline(self, query: str, offset: str = "") -> None:
        """An inline query: answered, every result's message valid."""
        update = offline.inline_update(query, offset=offset, language=self.language)
        calls = await self.harness.send(update)
        self._check(f"@{query} +{offset}", calls)
        if not any(c.method == "answerInlineQuery" for c in calls):
            self.problems.append(f"@{query[:60]!r} offset {offset[:20]!r}: not answered")

    async def press(self, data: str, **chat: Any) -> None:
        """A button press: always answered, whatever follows valid."""
        calls = await self.harness.send(
            offline.callback_update(data, language=self.language, **chat)
        )
        self._check(f"button {data}", calls)
        if not any(c.method == "answerCallbackQuery" for c in calls):
            self.problems.append(f"button {data[:60]!r}: not answered")


def _command_lines(args: str) -> list[str]:
    """Every registered command (from the command list, not a copy) with the same arguments."""
    return [f"/{c.name} {args}".rstrip() for c in COMMANDS]


@pytest.mark.parametrize("language", i18n.languages())
async def test_hostile_input_to_every_command_button_and_inline_query(
    unthrottled: Harness, site: LocalWeb, caplog: pytest.LogCaptureFixture, language: str
) -> None:
    audit = Audit(unthrottled, language)
    await _seed_hostile(unthrottled)
    for args in (*HOSTILE_INPUT, f"{site.base}/<&>", f"{site.base}/grain"):
        for line in _command_lines(args):
            await audit.command(line)
            if not line.startswith("/add "):  # a member's /add is refused before any fetch
                await audit.command(line, **GROUP_MEMBER)
        if args.strip():
            await audit.command(args)  # plain text in a private chat is a search
        await audit.inline(args)
        await audit.inline("zebrafish", offset=args)
    for data in (*FORGED_CALLBACKS, *sorted(audit.buttons)):
        await audit.press(data)
        await audit.press(data, **GROUP_MEMBER)
    assert audit.problems == []
    no_crash_logged(caplog)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    args=st.text(st.characters(codec="utf-8"), max_size=300),
    data=st.one_of(
        st.text(st.characters(codec="utf-8"), max_size=64).filter(lambda d: len(d.encode()) <= 64),
        # Well-formed data with any numbers: past the router, into each button's handler.
        *(
            st.from_regex(callbacks.callback_pattern(k), fullmatch=True)
            for k in callbacks.CALLBACK_KINDS
        ),
    ),
)
async def test_random_input_never_breaks_a_reply(
    unthrottled: Harness, caplog: pytest.LogCaptureFixture, args: str, data: str
) -> None:
    audit = Audit(unthrottled)
    for line in _command_lines(args):
        if line.startswith("/add "):
            await audit.command(line, **GROUP_MEMBER)  # refused or usage: never a fetch
        else:
            await audit.command(line)
    await audit.inline(args, offset=args[:64])
    await audit.press(data)
    assert audit.problems == []
    no_crash_logged(caplog)
