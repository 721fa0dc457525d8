"""Outbox claims on SQLite: one claimer per row, a daily digest's day taken once."""

from __future__ import annotations

from datetime import datetime

from engine.models import ParsedArticle
from storage.articles import ArticleStore
from storage.outbox import OutboxStore
from storage.subscriptions import SubscriptionStore


async def test_two_instances_never_send_the_same_daily_digest_day(seeded: ArticleStore) -> None:
    subs = SubscriptionStore(seeded.sessions, seeded)
    first = OutboxStore(seeded.sessions, seeded, "first")
    second = OutboxStore(seeded.sessions, seeded, "second")
    await subs.subscribe(1, None, "", "daily", "09:00")
    await seeded.add([ParsedArticle("Morning", "The morning story arrives.")])
    await first.fan_out()
    now = datetime(2026, 3, 1, 9, 0)
    [seen_by_first] = await first.due(now)
    [seen_by_second] = await second.due(now)
    claimed = await first.claim(seen_by_first, "2026-03-01", now)
    assert claimed is not None
    await first.mark_sent(claimed)
    # A story that came in meanwhile is tomorrow's: the second instance's stale view of the
    # subscription still says no digest went out today, but the day is taken.
    await seeded.add([ParsedArticle("Harbour fire", "Fire crews put out a blaze at the docks.")])
    await second.fan_out()
    [later] = await second.due(now)
    assert await second.claim(later, "2026-03-01", now) is None
    assert await second.claim(seen_by_second, "2026-03-01", now) is None
    assert await second.claim(later, "2026-03-02", now) is not None


async def test_a_failed_send_gives_the_day_back(seeded: ArticleStore) -> None:
    subs = SubscriptionStore(seeded.sessions, seeded)
    outbox = OutboxStore(seeded.sessions, seeded, "only")
    await subs.subscribe(1, None, "", "daily", "09:00")
    await seeded.add([ParsedArticle("Morning", "The morning story arrives.")])
    await outbox.fan_out()
    now = datetime(2026, 3, 1, 9, 0)
    [delivery] = await outbox.due(now)
    claimed = await outbox.claim(delivery, "2026-03-01", now)
    assert claimed is not None
    await outbox.release(claimed)  # the request never reached Telegram
    [again] = await outbox.due(now)
    assert again.subscription.last_digest_on is None
    assert await outbox.claim(again, "2026-03-01", now) is not None
