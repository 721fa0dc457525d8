"""Scheduled jobs, called directly with the context they get from the JobQueue."""

from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace

from bot.jobs import _watch, poll_feeds
from ingest.web import FetchPolicy
from storage.articles import ArticleStore
from storage.feeds import FeedStore
from tests.support.web import LocalWeb


async def test_watched_folder_ingests_new_and_changed_files_once(
    store: ArticleStore, tmp_path: Path
) -> None:
    folder = tmp_path / "drop"
    folder.mkdir()
    job = _watch(folder)
    context = SimpleNamespace(articles=store)
    (folder / "a.txt").write_text("Alpha story arrives in the folder.", encoding="utf-8")
    await job(context)  # type: ignore[arg-type]
    assert await store.count() == 1
    await job(context)  # type: ignore[arg-type]
    assert await store.count() == 1, "an unchanged file is not read again"
    (folder / "b.md").write_text("Beta story arrives later.", encoding="utf-8")
    (folder / "a.txt").write_text("Alpha story, corrected.", encoding="utf-8")
    os.utime(folder / "a.txt", (1, 1))
    await job(context)  # type: ignore[arg-type]
    assert await store.count() == 3


async def test_feed_job_polls_every_feed(
    store: ArticleStore, site: LocalWeb, intranet: FetchPolicy
) -> None:
    feeds = FeedStore(store._sessions)
    await feeds.add(f"{site.base}/feed.xml")
    context = SimpleNamespace(articles=store, feeds=feeds, fetch_policy=intranet)
    await poll_feeds(context)  # type: ignore[arg-type]
    assert await store.count() == 2
    await poll_feeds(context)  # type: ignore[arg-type]
    assert await store.count() == 2


async def test_feed_job_fetches_under_the_bots_policy(store: ArticleStore, site: LocalWeb) -> None:
    feeds = FeedStore(store._sessions)
    await feeds.add(f"{site.base}/feed.xml")
    strict = SimpleNamespace(articles=store, feeds=feeds, fetch_policy=FetchPolicy())
    await poll_feeds(strict)  # type: ignore[arg-type]
    assert await store.count() == 0 and site.requests == [], "ALLOW_PRIVATE_HOSTS is off"


async def test_outbox_purge_forgets_old_deliveries_only(store: ArticleStore) -> None:
    from datetime import datetime, timedelta

    from engine.models import ParsedArticle
    from storage.outbox import OutboxStore
    from storage.subscriptions import SubscriptionStore

    subs = SubscriptionStore(store.sessions, store)
    outbox = OutboxStore(store.sessions, store, "test")
    await subs.subscribe(1, None, "", "instant", None)
    await store.add([ParsedArticle("A", "First story.")])
    await outbox.fan_out()
    [delivery] = await outbox.due(datetime(2100, 1, 1))
    await outbox.mark_sent(delivery)
    assert await outbox.purge(datetime.utcnow() - timedelta(days=30)) == 0
    assert await outbox.purge(datetime.utcnow() + timedelta(seconds=1)) == 1
    assert await outbox.counts() == {}


async def test_a_failing_feed_backs_off_instead_of_being_polled_every_run(
    store: ArticleStore, site: LocalWeb, intranet: FetchPolicy
) -> None:
    feeds = FeedStore(store._sessions)
    await feeds.add(f"{site.base}/gone.xml")  # 404
    await feeds.add(f"{site.base}/feed.xml")
    context = SimpleNamespace(articles=store, feeds=feeds, fetch_policy=intranet)
    for _ in range(3):
        await poll_feeds(context)  # type: ignore[arg-type]
    polled = [path for path, _ in site.requests if path in ("/gone.xml", "/feed.xml")]
    assert polled.count("/gone.xml") == 1, "retried only after its backoff"
    assert polled.count("/feed.xml") == 3, "a healthy feed is polled every run"
    gone, fine = await feeds.all()
    assert gone.failures == 1 and gone.last_error == "the server answered 404 Not Found"
    assert fine.articles_added == 2 and fine.title == "Local Wire"
