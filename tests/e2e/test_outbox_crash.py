"""Exactly once across a crash: SIGKILL the bot in the middle of a fan-out, restart it."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from engine.models import ParsedArticle
from ingest.pipeline import seed_if_empty
from storage.articles import ArticleStore
from storage.db import make_db_engine, make_sessionmaker, migrate, sqlite_url
from storage.subscriptions import SubscriptionStore
from tests.e2e.fakeapi import FakeBotApi

CHATS = 30
KILL_AT = 12  # the 12th digest is in flight when the bot dies


async def _prepare(db: Path) -> None:
    db_engine = make_db_engine(sqlite_url(db))
    await migrate(db_engine)
    sessions = make_sessionmaker(db_engine)
    articles = ArticleStore(sessions)
    await seed_if_empty(articles)
    subs = SubscriptionStore(sessions, articles)
    for chat_id in range(1, CHATS + 1):
        await subs.subscribe(chat_id, None, "", "instant", None)
    await articles.add([ParsedArticle("Crash story", "A story that must arrive exactly once.")])
    await db_engine.dispose()


def _sent_rows(db: Path) -> int:
    with sqlite3.connect(db) as con:
        return int(con.execute("SELECT count(*) FROM outbox WHERE status = 'sent'").fetchone()[0])


@pytest.fixture
def api() -> Iterator[FakeBotApi]:
    server = FakeBotApi()
    server.start()
    yield server
    server.stop()


def _start_bot(api: FakeBotApi, db: Path, workdir: Path, name: str) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "BOT_TOKEN": "4243:crash-test",
        "BOT_API_URL": api.url,
        "DATABASE_URL": f"sqlite+aiosqlite:///{db}",
        "OUTBOX_POLL_SECONDS": "0.2",
        "DELIVERY_LEASE_SECONDS": "2",
    }
    with open(workdir / f"{name}.log", "wb") as log:  # the child keeps its own descriptor
        return subprocess.Popen(
            [sys.executable, "-m", "bot", "run"], cwd=workdir, env=env, stdout=log, stderr=log
        )


def test_sigkill_mid_fanout_then_restart_delivers_every_digest_once(
    api: FakeBotApi, tmp_path: Path
) -> None:
    db = tmp_path / "crash.db"
    asyncio.run(_prepare(db))
    api.hold_at = KILL_AT
    first = _start_bot(api, db, tmp_path, "first")
    try:
        assert api.holding.wait(60), (tmp_path / "first.log").read_text()
        deadline = time.monotonic() + 10
        while _sent_rows(db) < KILL_AT - 1 and time.monotonic() < deadline:
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
        while len(api.delivered) < CHATS and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(1.5)  # a duplicate would show up by now
    finally:
        second.terminate()
        second.wait(15)
    counts = Counter(chat for chat, _ in api.delivered)
    assert sorted(counts) == list(range(1, CHATS + 1)), "no chat lost its digest"
    assert set(counts.values()) == {1}, f"duplicates: {[c for c, n in counts.items() if n > 1]}"
    assert all("Crash story" in text for _, text in api.delivered)
    assert "cut off by a stop" in (tmp_path / "second.log").read_text()
