"""Several bot processes on one database, and kill -9 at random points: every chat gets the
new article exactly once (a resend is allowed only where a send's outcome was unknown, and is
counted on its outbox rows)."""

from __future__ import annotations

import asyncio
import os
import random
import signal
import subprocess
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import select

from engine.models import ParsedArticle
from storage.db import make_db_engine, sqlite_url
from storage.models import OutboxRow, SubscriptionRow
from tests.support.botapi import FakeBotApi
from tests.support.processes import start_bot, stop_bots
from tests.support.stores import subscribed_team

pytestmark = pytest.mark.slow  # `make test-slow`; the default run leaves it out

STORY = ParsedArticle("Team story", "A story every chat must get exactly once.")


async def _outbox(url: str) -> list[tuple[int, str, int]]:
    """(chat, status, unknown outcomes) of every outbox row."""
    db_engine = make_db_engine(url)
    async with db_engine.connect() as conn:
        rows = await conn.execute(
            select(SubscriptionRow.chat_id, OutboxRow.status, OutboxRow.unknown_outcomes).join(
                SubscriptionRow, SubscriptionRow.id == OutboxRow.subscription_id
            )
        )
        result = [(int(c), str(s), int(u)) for c, s, u in rows]
    await db_engine.dispose()
    return result


def _start(
    api: FakeBotApi, url: str, workdir: Path, name: str, lease: float = 2
) -> subprocess.Popen[bytes]:
    return start_bot(
        workdir,
        name,
        BOT_TOKEN="4243:instances",
        BOT_API_URL=api.url,
        DATABASE_URL=url,
        OUTBOX_POLL_SECONDS="0.2",
        DELIVERY_LEASE_SECONDS=str(lease),
        RESEND_PAUSE_SECONDS="0",
        SEED="false",
    )


def _wait_until_all_sent(url: str, chats: int, timeout: float = 90) -> list[tuple[int, str, int]]:
    deadline = time.monotonic() + timeout
    while True:  # the event: every row committed as sent (or parked), nothing in flight
        rows = asyncio.run(_outbox(url))
        settled = all(status in ("sent", "uncertain") for _, status, _ in rows)
        if (len(rows) == chats and settled) or time.monotonic() > deadline:
            return rows
        time.sleep(0.2)


def _assert_each_chat_once(api: FakeBotApi, rows: list[tuple[int, str, int]], chats: int) -> int:
    """Each chat exactly once, except resends after an unknown outcome; returns those."""
    counts = Counter(chat for chat, _ in api.delivered)
    unknown = {chat for chat, _, n in rows if n > 0}
    parked = {chat for chat, status, _ in rows if status == "uncertain"}
    lost = set(range(1, chats + 1)) - set(counts) - parked
    assert not lost, f"never delivered: {sorted(lost)}"
    duplicates = {chat for chat, n in counts.items() if n > 1}
    assert duplicates <= unknown, f"resent without an unknown outcome: {duplicates - unknown}"
    assert all(n <= 2 for n in counts.values()), "an unknown outcome is resent once at most"
    return len(duplicates)


@pytest.mark.parametrize("instances", [2, 3])
def test_several_instances_deliver_each_digest_once(
    fake_api: FakeBotApi, database_url: str, tmp_path: Path, instances: int
) -> None:
    api = fake_api
    chats = 60
    asyncio.run(subscribed_team(database_url, chats, STORY))
    # No instance dies here: leases long enough that a starved event loop on a busy machine
    # never lets one expire mid-send (an expiry is an unknown outcome, tested with kill -9).
    processes = [_start(api, database_url, tmp_path, f"bot{n}", lease=20) for n in range(instances)]
    try:
        rows = _wait_until_all_sent(database_url, chats)
        # Read before stopping: an interrupted shutdown may log python-telegram-bot's own
        # tracebacks, which say nothing about delivery.
        logs = "".join(p.read_text() for p in tmp_path.glob("bot*.log"))
    finally:
        stop_bots(processes)
    assert [status for _, status, _ in rows] == ["sent"] * chats, logs[-3000:]
    assert sorted(Counter(chat for chat, _ in api.delivered).values()) == [1] * chats
    assert "Traceback" not in logs, logs[-3000:]


def test_kill_9_at_random_points_then_a_final_run(fake_api: FakeBotApi, tmp_path: Path) -> None:
    api = fake_api
    chats, kills = 300, 10
    url = sqlite_url(tmp_path / "kills.db")
    asyncio.run(subscribed_team(url, chats, STORY))
    rng = random.Random(20261125)
    for n in range(kills):
        proc = _start(api, url, tmp_path, f"killed{n}")
        # The kill lands mid-delivery, after a random number of this run's messages (an event,
        # so a busy machine moves the kill in time, not in the delivery).
        target = len(api.delivered) + rng.randint(1, 25)
        deadline = time.monotonic() + 60
        while len(api.delivered) < target and time.monotonic() < deadline:
            time.sleep(0.005)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
    before_final = len(api.delivered)
    assert 0 < before_final < chats, "the kills came in the middle of the delivery"
    final = _start(api, url, tmp_path, "final")
    try:
        rows = _wait_until_all_sent(url, chats, timeout=120)
    finally:
        stop_bots([final])
    assert len(rows) == chats
    resent = _assert_each_chat_once(api, rows, chats)
    parked = sum(1 for _, status, _ in rows if status == "uncertain")
    print(f"{kills} kills, {before_final}/{chats} sent before the final run, {resent} resends")
    print(f"{parked} parked as uncertain (two unknown outcomes in a row)")
