"""Delivery under faults, in process: a second instance, a locked database, timeouts, a
12-hour 429 in one chat. Every test checks per chat: each matching article exactly once."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections import Counter
from collections.abc import AsyncIterator, Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from telegram import Update
from telegram.error import TimedOut
from telegram.ext import ExtBot

from bot import offline
from bot.app import NewsApp
from bot.container import Services
from bot.delivery import telegram_deliverer
from bot.ratelimit import NewsRateLimiter
from delivery.rounds import RoundReport
from engine.models import ParsedArticle
from ingest.pipeline import seed_if_empty
from storage.articles import ArticleStore
from storage.db import make_db_engine, make_sessionmaker, migrate, sqlite_url
from storage.feeds import FeedStore
from storage.subscriptions import SubscriptionStore
from tests.support.app import start_app

CHATS = list(range(2001, 2061))


class FaultyApi(offline.RecordingRequest):
    """The recording Bot API with faults per chat: 429s, timeouts before or after acceptance,
    and a hook that runs when the N-th message is accepted."""

    def __init__(self) -> None:
        super().__init__()
        self.accepted: list[int] = []  # chat ids of every message Telegram accepted
        self.retry_after: dict[int, int] = {}  # chat -> 429 with this wait, every time
        self.timeouts: dict[int, list[type[Exception]]] = {}  # chat -> next sends time out
        self.on_accept: Callable[[int], None] | None = None
        self.read_timeouts: list[Any] = []
        self.called = asyncio.Event()  # set on every call

    async def until(self, done: Callable[[], bool]) -> None:
        """Wait (on calls, not on a clock) until `done()` holds."""
        while not done():
            self.called.clear()
            await self.called.wait()

    async def do_request(self, url: str, method: str, request_data: Any = None, **kw: Any) -> Any:
        self.called.set()
        name = url.rsplit("/", 1)[-1]
        params = request_data.parameters if request_data else {}
        if name != "sendMessage":
            return await super().do_request(url, method, request_data, **kw)
        self.read_timeouts.append(kw.get("read_timeout"))
        chat = int(params["chat_id"])
        if chat in self.retry_after:
            self.fail_next(name, 429, "Too Many Requests", retry_after=self.retry_after[chat])
            return await super().do_request(url, method, request_data, **kw)
        cause = self.timeouts.get(chat, []).pop(0) if self.timeouts.get(chat) else None
        if cause is httpx.PoolTimeout:  # the request never left
            raise TimedOut("Pool timeout") from cause("pool")
        self.accepted.append(chat)
        if self.on_accept:
            self.on_accept(len(self.accepted))
        if cause is not None:  # Telegram took it; the answer never came back
            raise TimedOut() from cause("read")
        return await super().do_request(url, method, request_data, **kw)


async def _services(db: Path, name: str) -> Services:
    db_engine = make_db_engine(sqlite_url(db))
    await migrate(db_engine)
    sessions = make_sessionmaker(db_engine)
    articles = ArticleStore(sessions)
    subs = SubscriptionStore(sessions, articles)
    return Services(db_engine, articles, subs, FeedStore(sessions), name=name)


class Instance:
    """One bot instance: its own database connections, Bot, and Deliverer."""

    def __init__(self, services: Services, api: FaultyApi, pause: float = 0.0) -> None:
        self.services, self.api = services, api
        bot: ExtBot[Any] = ExtBot("1:test", request=api, rate_limiter=NewsRateLimiter())
        self.bot = bot
        self.deliverer = telegram_deliverer(
            bot, services.outbox, services.subscriptions, unknown_pause=pause
        )

    async def round(self, now: datetime | None = None) -> RoundReport:
        return await self.deliverer.round(now)


@pytest.fixture
async def team(tmp_path: Path) -> AsyncIterator[tuple[Instance, Instance]]:
    """Two instances on one SQLite file: 60 subscribed chats, one new article to deliver."""
    first = await _services(tmp_path / "team.db", "first")
    await seed_if_empty(first.articles)
    for chat in CHATS:
        await first.subscriptions.subscribe(chat, None, "", "instant", None)
    await first.articles.add([ParsedArticle("Team story", "A story every chat must get once.")])
    second = await _services(tmp_path / "team.db", "second")
    a, b = Instance(first, FaultyApi()), Instance(second, FaultyApi())
    for instance in (a, b):
        await instance.bot.initialize()
    yield a, b
    for instance in (a, b):
        await instance.bot.shutdown()
        await instance.services.close()


def _exactly_once(*apis: FaultyApi) -> None:
    counts = Counter(chat for api in apis for chat in api.accepted)
    assert sorted(counts) == CHATS, f"lost: {sorted(set(CHATS) - set(counts))}"
    assert {c: n for c, n in counts.items() if n > 1} == {}, "duplicates"


async def test_two_instances_rounds_at_once_send_each_digest_once(
    team: tuple[Instance, Instance],
) -> None:
    a, b = team
    await asyncio.gather(a.round(), b.round())
    await asyncio.gather(a.round(), b.round())
    _exactly_once(a.api, b.api)
    assert await a.services.outbox.counts() == {"sent": len(CHATS)}


async def test_only_expired_leases_are_taken_back(team: tuple[Instance, Instance]) -> None:
    a, b = team
    await a.services.outbox.fan_out()
    [delivery, *_] = await a.services.outbox.due(datetime(2100, 1, 1))
    claimed = await a.services.outbox.claim(delivery)  # in flight on the first instance
    assert claimed is not None
    assert await b.services.outbox.reclaim_expired() == 0, "a live instance's row stays its own"
    await b.round()
    assert delivery.subscription.chat_id not in b.api.accepted
    later = datetime.utcnow() + b.services.outbox.lease + timedelta(seconds=1)
    assert await b.services.outbox.reclaim_expired(later) == 1, "the first died: its lease ends"


async def test_a_locked_database_mid_round_delays_bookkeeping_but_resends_nothing(
    team: tuple[Instance, Instance], tmp_path: Path
) -> None:
    a, _ = team
    locked, release = threading.Event(), threading.Event()

    def hold_the_write_lock() -> None:  # another process's long write transaction
        con = sqlite3.connect(tmp_path / "team.db", timeout=30, isolation_level=None)
        con.execute("BEGIN IMMEDIATE")
        locked.set()
        release.wait(6.5)  # longer than the 5 s busy timeout: writes fail, then are retried
        con.execute("COMMIT")
        con.close()

    holder = threading.Thread(target=hold_the_write_lock)

    def on_accept(count: int) -> None:
        if count == 10:
            holder.start()
            locked.wait(5)

    a.api.on_accept = on_accept
    report = await a.round()
    holder.join()
    assert report.sent == len(CHATS), "claims waited for the lock instead of giving up"
    assert await a.services.outbox.counts() == {"sent": len(CHATS)}, "every send recorded"
    await a.round()
    _exactly_once(a.api)


async def test_a_timeout_after_telegram_took_the_digest_is_resent_once_and_counted(
    team: tuple[Instance, Instance],
) -> None:
    a, _ = team
    late, twice, never_left = CHATS[0], CHATS[1], CHATS[2]
    a.api.timeouts = {
        late: [httpx.ReadTimeout],
        twice: [httpx.ReadTimeout, httpx.ReadTimeout],
        never_left: [httpx.PoolTimeout],
    }
    first = await a.round()
    assert all(t is not None and t >= 30 for t in a.api.read_timeouts), "sends wait generously"
    assert first.sent == len(CHATS) - 3
    for _ in range(3):
        await a.round()
    counts = Counter(a.api.accepted)
    assert counts[late] == 2 and counts[twice] == 2, "an unknown outcome is resent once"
    assert counts[never_left] == 1, "a request that never left is not an unknown outcome"
    assert {c for c, n in counts.items() if n != 1} == {late, twice}, "every other chat once"
    assert await a.services.outbox.counts() == {"sent": len(CHATS) - 1, "uncertain": 1}


async def test_a_long_429_in_one_chat_postpones_only_that_chats_digests(
    team: tuple[Instance, Instance],
) -> None:
    a, _ = team
    throttled = CHATS[0]
    a.api.retry_after[throttled] = 43_837
    report = await asyncio.wait_for(a.round(), 30)  # nothing sleeps through the 12 hours
    assert report.postponed == 1 and report.sent == len(CHATS) - 1
    assert throttled not in a.api.accepted
    del a.api.retry_after[throttled]
    assert (await a.round()).sent == 0, "the wait is persisted"
    later = datetime.utcnow() + timedelta(seconds=43_838)
    a.bot._rate_limiter = NewsRateLimiter()  # a restart after the wait: only the row remembers
    assert (await a.round(later)).sent == 1
    _exactly_once(a.api)


# ---- replies: a chat's 429 must not hold back other chats ----------------------------------


@pytest.fixture
async def running(services: Services) -> AsyncIterator[tuple[NewsApp, FaultyApi]]:
    """The real Application, started: updates go through its queue and update processor."""
    api = FaultyApi()
    app = await start_app(services, api)
    await app.start()
    yield app, api
    await app.stop()
    await app.shutdown()


async def _reply_to(api: FaultyApi, chat: int, before: int) -> None:
    await api.until(lambda: any(c.params.get("chat_id") == chat for c in api.calls[before:]))


async def test_a_12_hour_429_in_one_chat_does_not_hold_back_other_chats(
    running: tuple[NewsApp, FaultyApi],
) -> None:
    app, api = running
    throttled, other = 3001, 1001
    api.retry_after[throttled] = 43_837
    put = app.update_queue.put
    await put(Update.de_json(offline.message_update("/latest 2", chat_id=throttled), app.bot))
    await asyncio.wait_for(_reply_to(api, throttled, 0), 10)
    before = len(api.calls)
    await put(Update.de_json(offline.message_update("/latest 2", chat_id=throttled), app.bot))
    await put(Update.de_json(offline.message_update("/latest 2", chat_id=other), app.bot))
    await asyncio.wait_for(_reply_to(api, other, before), 10)
    assert [c for c in api.calls[before:] if c.params.get("chat_id") == throttled] == [], (
        "a chat known to be held back is not asked again, and nothing sleeps for 12 hours"
    )


async def test_a_group_held_at_20_messages_a_minute_does_not_delay_other_chats(
    running: tuple[NewsApp, FaultyApi],
) -> None:
    app, api = running
    group, private = -100900, 1001
    for n in range(21):  # the 21st reply in a minute must wait for the group's limit
        update = offline.message_update(
            "/latest 1", chat_id=group, chat_type="supergroup", message_id=n + 1
        )
        await app.update_queue.put(Update.de_json(update, app.bot))
    await api.until(lambda: sum(c.params.get("chat_id") == group for c in api.calls) == 20)
    before = len(api.calls)
    update = offline.message_update("/latest 1", chat_id=private, user_id=private)
    await app.update_queue.put(Update.de_json(update, app.bot))
    await asyncio.wait_for(_reply_to(api, private, before), 10)
