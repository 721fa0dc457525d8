"""A crash and an immediate restart resume delivery at once: the restarted bot recognises its
dead predecessor (same host, process gone) and takes its job lease and its claims back now,
not when they expire a minute later. Nothing is lost; the digest that was in flight when the
bot died is the only one sent again."""

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

pytestmark = pytest.mark.slow  # `make test-slow`

CHATS = 60
KILL_AT = 20
STORY = ParsedArticle("Restart story", "A story every chat gets once, crash or not.")
RESUME_WITHIN = 10.0  # seconds from the restart to the first digest sent again


def _bot(api: FakeBotApi, db: Path, workdir: Path, name: str) -> subprocess.Popen[bytes]:
    # The default 60 s delivery lease: waiting it out is what a restart used to cost.
    return start_bot(
        workdir,
        name,
        BOT_TOKEN="4243:restart-test",
        BOT_API_URL=api.url,
        DATABASE_URL=sqlite_url(db),
        OUTBOX_POLL_SECONDS="0.5",
    )


def test_a_restart_after_kill_9_resumes_delivery_within_seconds(
    fake_api: FakeBotApi, tmp_path: Path
) -> None:
    api, db = fake_api, tmp_path / "restart.db"
    asyncio.run(subscribed_team(sqlite_url(db), CHATS, STORY))
    api.hold_at = KILL_AT
    first = _bot(api, db, tmp_path, "first")
    try:
        assert api.holding.wait(60), (tmp_path / "first.log").read_text()
        deadline = time.monotonic() + 10
        while outbox_rows(db, "sent") < KILL_AT - 1 and time.monotonic() < deadline:
            time.sleep(0.02)  # every answered digest is recorded: only the held one is unknown
        os.kill(first.pid, signal.SIGKILL)  # the KILL_AT-th digest is in flight
        first.wait(10)
    finally:
        api.dropping = True
    while api.holding.is_set() and not api.released.is_set():
        time.sleep(0.01)
    before = len(api.delivered)
    api.hold_at, api.dropping = None, False

    restarted = time.monotonic()
    second = _bot(api, db, tmp_path, "second")
    try:
        deadline = restarted + 90
        while len(api.delivered) == before and time.monotonic() < deadline:
            time.sleep(0.02)
        resumed = time.monotonic() - restarted
        while len(api.delivered) < CHATS and time.monotonic() < deadline:
            time.sleep(0.02)
        finished = time.monotonic() - restarted
    finally:
        second.terminate()
        second.wait(15)
    counts = Counter(chat for chat, _ in api.delivered)
    print(f"restart: delivery resumed after {resumed:.1f} s, all {CHATS} chats by {finished:.1f} s")
    assert sorted(counts) == list(range(1, CHATS + 1)), "no chat lost its digest"
    twice = sorted(chat for chat, n in counts.items() if n > 1)
    # The held digest was dropped by the API, so normally none arrives twice; a send answered
    # just as the process died is an unknown outcome, resent once: the one duplicate allowed.
    assert len(twice) <= 1 and max(counts.values()) <= 2, f"sent twice: {twice}"
    assert resumed < RESUME_WITHIN, f"delivery resumed only after {resumed:.1f} s"
    assert finished < RESUME_WITHIN + 5, f"the last digest went out only after {finished:.1f} s"
