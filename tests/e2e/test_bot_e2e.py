"""The bot over real HTTP: commands typed by a user, replies read back from the emulator."""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.support.emulator import TOKEN, Chat
from tests.support.processes import RunningBot


def _buttons(message: dict[str, object]) -> list[tuple[str, str]]:
    markup = message.get("reply_markup") or {}
    if isinstance(markup, str):
        markup = json.loads(markup)
    assert isinstance(markup, dict)
    return [
        (b["text"], b["callback_data"]) for row in markup.get("inline_keyboard", []) for b in row
    ]


def _wait_for_outbox(
    db: Path, done: Callable[[list[str]], object], timeout: float = 60
) -> list[str]:
    """The outbox statuses once `done(statuses)` holds (polling the database the bot writes)."""
    deadline = time.monotonic() + timeout
    while True:
        with contextlib.closing(sqlite3.connect(db)) as con:
            rows = [status for (status,) in con.execute("SELECT status FROM outbox ORDER BY id")]
        if done(rows) or time.monotonic() > deadline:
            return rows
        time.sleep(0.05)


def test_start_explains_the_bot(private_chat: Chat) -> None:
    [reply] = private_chat.send("/start")
    assert "newsbot" in reply["text"] and "/search" in reply["text"]


def test_misspelled_search_finds_the_right_seed_article(private_chat: Chat) -> None:
    [reply] = private_chat.send("/search Azerbajan Armenia peace")
    first = reply["text"].split("\n\n")[1]
    assert "after the Washington Summit" in first
    assert ("📄 1", "m|5") in _buttons(reply)


def test_latest_lists_the_newest_articles(private_chat: Chat) -> None:
    [reply] = private_chat.send("/latest 3")
    assert reply["text"].startswith("🗞 Latest articles")
    assert reply["text"].count("\n\n") == 3


def test_summary_by_id_and_from_a_button(private_chat: Chat) -> None:
    [reply] = private_chat.send("/summary 3 2")
    assert "Bayramov" in reply["text"] and "002_fbb85e2ce9e60dd8.txt" in reply["text"]
    [results] = private_chat.send("/search Khojaly")
    _label, data = _buttons(results)[0]
    [summary] = private_chat.press(data, results)
    assert "after the Washington Summit" in summary["text"] and "#5" in summary["text"]


def test_group_command_addressed_to_the_bot(group_chat: Chat) -> None:
    [reply] = group_chat.send("/search@newsbot_e2e_bot Bayramov ECO")
    assert "Bayramov" in reply["text"]


def test_bad_input_gets_one_clear_line(private_chat: Chat) -> None:
    [reply] = private_chat.send("/summary 999999")
    assert reply["text"] == "No article with id 999999."
    [reply] = private_chat.send('/search "*" <b>')  # "*" is no word; <b> is a word, escaped
    assert reply["text"] == (
        '🔎 Results for “"*" &lt;b&gt;”\n\nNo matching articles. Try fewer or different words.'
    )
    [reply] = private_chat.send('/search "*"')  # nothing left to search for
    assert reply["text"] == "Give me some words to search for."


def test_digest_arrives_after_an_ingest(
    private_chat: Chat, bot_process: RunningBot, tmp_path: Path
) -> None:
    [reply] = private_chat.send("/subscribe caspian")
    assert reply["text"].startswith("🔔 Subscribed")
    story = tmp_path / "caspian.txt"
    story.write_text(
        " date 2026-11-20 Caspian ferry line opens. A new ferry links Alat and Turkmenbashi.",
        encoding="utf-8",
    )
    before = len(private_chat.bot_messages())
    # Another process adds the article, as a team member running `python -m bot ingest` would.
    db = bot_process.db
    subprocess.run(
        [sys.executable, "-m", "bot", "ingest", str(story)],
        check=True,
        capture_output=True,
        env={**os.environ, "DATABASE_URL": f"sqlite+aiosqlite:///{db}"},
    )
    [digest] = private_chat.wait(before, timeout=60)
    assert "Caspian ferry line opens" in digest["text"]
    # The event that ends delivery is the outbox row committed as sent; wait for it, not a clock.
    statuses = _wait_for_outbox(db, lambda rows: rows and all(s == "sent" for s in rows))
    assert statuses == ["sent"]
    assert len(private_chat.bot_messages()) == before + 1, "delivered exactly once"


def test_the_token_never_reaches_the_log(bot_process: RunningBot) -> None:
    log = bot_process.log.read_text()
    assert "could not register the command list" in log  # the emulator lacks setMyCommands
    assert TOKEN not in log and TOKEN.split(":")[1] not in log


def test_next_button_pages_by_editing_the_message(private_chat: Chat) -> None:
    [results] = private_chat.send("/latest 2")
    next_data = dict(_buttons(results))["Next ›"]
    before = private_chat.bot_messages()

    def page_two(messages: list[dict[str, Any]]) -> bool:
        return any("\n\n3. " in m.get("text", "") and "\n\n1. " not in m["text"] for m in messages)

    private_chat.press(next_data, results, timeout=0)
    deadline = time.monotonic() + 30
    while not page_two(after := private_chat.bot_messages()) and time.monotonic() < deadline:
        time.sleep(0.05)  # the event: the list message now shows items 3 and 4
    assert page_two(after), "the list message now shows items 3 and 4"
    assert len(after) == len(before), "paging edits the message instead of sending a new one"


def test_a_german_user_is_answered_in_german_and_a_chat_can_choose(
    emulator: str, bot_process: RunningBot
) -> None:
    user = {"id": 502, "is_bot": False, "first_name": "Grete", "language_code": "de-AT"}
    chat = Chat(emulator, chat_id=502, user=user)
    [usage] = chat.send("/latest 99")
    assert usage["text"] == "Verwendung: /latest [N], N von 1 bis 10"
    [chosen] = chat.send("/language ru")
    assert chat.send("/latest 99")[0]["text"] == "Использование: /latest [N], N от 1 до 10"
    assert "Русский" in chosen["text"]
    chat.send("/language auto")
    assert chat.send("/latest 99")[0]["text"].startswith("Verwendung:")
    chat.http.close()
