"""Scheduled work on the Application's JobQueue: delivery rounds, feed polls, a watched folder."""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from telegram.ext import Application

from bot.settings import Settings
from handlers.context import NewsContext
from handlers.delivery import deliver_round
from ingest.feeds import poll_feed
from ingest.web import http_client
from storage.ingest import ingest_articles, ingest_paths
from storage.loaders import iter_files

log = logging.getLogger(__name__)
WATCH_SECONDS = 30.0
OUTBOX_KEEP_DAYS = 30


async def deliver(context: NewsContext) -> None:
    """A delivery round: fan out new articles, send due digests."""
    report = await deliver_round(context.bot, context.subscriptions, context.articles)
    if report.queued or report.sent or report.postponed or report.blocked:
        log.info(
            "delivery: queued %s, sent %s digests, postponed %s, blocked chats %s",
            report.queued,
            report.sent,
            report.postponed,
            report.blocked,
        )


async def purge_outbox(context: NewsContext) -> None:
    """Once a day: forget delivered rows and paging keys older than OUTBOX_KEEP_DAYS."""
    cutoff = datetime.now(UTC).replace(tzinfo=None) - timedelta(days=OUTBOX_KEEP_DAYS)
    removed = await context.subscriptions.purge(cutoff)
    keys = await context.articles.forget_queries(cutoff)
    if removed or keys:
        log.info("forgot %s old outbox rows and %s old paging keys", removed, keys)


async def poll_feeds(context: NewsContext) -> None:
    """Poll every feed once (conditional GET); new articles go in, duplicates are skipped."""
    async with http_client() as client:
        for feed in await context.feeds.all():
            poll = await poll_feed(client, feed)
            report = await ingest_articles(context.articles, poll.articles)
            await context.feeds.record(feed, poll)
            if report.added or poll.errors:
                log.info(
                    "feed %s: %s new, %s duplicates, errors: %s",
                    feed.url,
                    len(report.added),
                    report.duplicates,
                    poll.errors or "none",
                )


def _watch(folder: Path) -> Callable[[NewsContext], Coroutine[Any, Any, None]]:
    seen: dict[Path, float] = {}

    async def watch(context: NewsContext) -> None:
        """Ingest files that appeared or changed in the watched folder."""
        fresh = []
        for path in iter_files([folder]):
            mtime = path.stat().st_mtime
            if seen.get(path) != mtime:
                seen[path] = mtime
                fresh.append(path)
        if fresh:
            report = await ingest_paths(context.articles, fresh)
            log.info(
                "watched folder: %s new, %s duplicates, %s failed",
                len(report.added),
                report.duplicates,
                len(report.failures),
            )

    return watch


def schedule(app: Application[Any, Any, Any, Any, Any, Any], settings: Settings) -> None:
    """Put the repeating jobs on the Application's JobQueue."""
    queue = app.job_queue
    if queue is None:
        log.warning("no JobQueue (install python-telegram-bot[job-queue]): nothing scheduled")
        return
    if settings.outbox_poll_seconds:
        queue.run_repeating(
            deliver, interval=settings.outbox_poll_seconds, first=1.0, name="deliver"
        )
    queue.run_repeating(purge_outbox, interval=86_400, first=60.0, name="purge")
    queue.run_repeating(
        poll_feeds, interval=settings.feed_poll_minutes * 60, first=10.0, name="feeds"
    )
    if settings.watch_dir:
        folder = Path(settings.watch_dir)
        queue.run_repeating(_watch(folder), interval=WATCH_SECONDS, first=2.0, name="watch")
