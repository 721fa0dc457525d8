"""Exactly once across a crash: SIGKILL the bot in the middle of a fan-out, restart it."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import time
from collections import Counter
from pathlib import Path

import pytest

from engine.models import ParsedArticle
from storage.db import sqlite_url
from tests.support.botapi import FakeBotApi
from tests.support.processes import start_bot
from tests.support.stores import outbox_rows, subscribed_team

pytestmark = pytest.mark.slow  # `make test-slow`; the default run leaves it out

CHATS = 30
KILL_AT = 12  # the 12th digest is in flight when the bot dies
STORY = ParsedArticle("Crash story", "A story that must arrive exactly once.")


def _start_bot(api: FakeBotApi, db: Path, workdir: Path, name: str) -> subprocess.Popen[bytes]:
    return start_bot(
        workdir,
        name,
        BOT_TOKEN="4243:crash-test",
        BOT_API_URL=api.url,
        DATABASE_URL=sqlite_url(db),
        OUTBOX_POLL_SECONDS="0.2",
        DELIVERY_LEASE_SECONDS="2",
    )


def test_sigkill_mid_fanout_then_restart_delivers_every_digest_once(
    fake_api: FakeBotApi, tmp_path: Path
) -> None:
    api = fake_api
    db = tmp_path / "crash.db"
    asyncio.run(subscribed_team(sqlite_url(db), CHATS, STORY))
    api.hold_at = KILL_AT
    first = _start_bot(api, db, tmp_path, "first")
    try:
        assert api.holding.wait(60), (tmp_path / "first.log").read_text()
        deadline = time.monotonic() + 10
        while outbox_rows(db, "sent") < KILL_AT - 1 and time.monotonic() < deadline:
            time.sleep(0.02)  # every answered digest is committed before the kill
        os.kill(first.pid, signal.SIGKILL)
        first.wait(10)
    finally:
        api.dropping = True
    assert first.returncode == -signal.SIGKILL
    delivered_before = len(api.delivered)
    assert delivered_before == KILL_AT - 1 < CHATS, "the kill came in the middle of the fan-out"
    time.sleep(0.5)
    api.hold_at, api.dropping = None, False

    second = _start_bot(api, db, tmp_path, "second")
    try:
        deadline = time.monotonic() + 60
        while outbox_rows(db, "pending", "sending") and time.monotonic() < deadline:
            time.sleep(0.05)  # once no row is owed or in flight, nothing more can be sent
    finally:
        second.terminate()
        second.wait(15)
    counts = Counter(chat for chat, _ in api.delivered)
    assert sorted(counts) == list(range(1, CHATS + 1)), "no chat lost its digest"
    assert set(counts.values()) == {1}, f"duplicates: {[c for c, n in counts.items() if n > 1]}"
    assert all("Crash story" in text for _, text in api.delivered)
    assert "cut off by a stop" in (tmp_path / "second.log").read_text()
