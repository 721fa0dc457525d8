"""Scheduled work on the Application's JobQueue: delivery rounds, feed polls, a watched folder,
purges. Each runs on one instance at a time across a team's instances: the one holding the
job's lease (storage/locks.py), which it renews each time it runs. Holding the delivery lease
makes that instance the team's one sender, so the 30 messages/s cap holds for the team."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Coroutine
from datetime import timedelta
from pathlib import Path
from typing import Any

from telegram.ext import Application

from bot.container import Services
from bot.delivery import telegram_deliverer
from bot.instance import dead_predecessors, is_dead_predecessor
from bot.metrics import Metrics
from bot.settings import Settings
from delivery.rounds import RoundReport
from delivery.runner import Deliverer
from handlers.context import NewsContext
from ingest.feeds import PASS_SECONDS, refresh_all
from ingest.files import iter_files
from ingest.pipeline import ingest_paths
from ingest.vectors import CATCH_UP_SECONDS, RUN_SECONDS, catch_up
from ingest.web import http_client
from services import corpus
from storage.clock import utcnow

log = logging.getLogger(__name__)
WATCH_SECONDS = 30.0
OUTBOX_KEEP_DAYS = 30
# How long the delivery job keeps going while rounds are full (it renews its lease before
# each round, so no other instance takes over a busy sender).
BUSY_SECONDS = 20.0


Job = Callable[[NewsContext], Coroutine[Any, Any, None]]


def _deliver(deliverer: Deliverer, keep_lease: Callable[[], Awaitable[bool]]) -> Job:
    async def deliver(context: NewsContext) -> None:
        """Delivery rounds: take back expired leases, fan out new articles, send due digests;
        rounds follow each other at once while they are full (the job's lease renewed before
        each), for up to BUSY_SECONDS."""
        busy_until = time.monotonic() + BUSY_SECONDS
        report = await deliverer.round()
        _log_round(report)
        while report.full and time.monotonic() < busy_until and await keep_lease():
            report = await deliverer.round()
            _log_round(report)

    return deliver


def _log_round(report: RoundReport) -> None:
    if report.reclaimed:
        log.info("%s digests were cut off by a stop; they go out again", report.reclaimed)
    if report.queued or report.outcomes:
        outcomes = ", ".join(f"{o} {n}" for o, n in sorted(report.outcomes.items()))
        log.info("delivery: queued %s; digests: %s", report.queued, outcomes or "none")


async def purge_outbox(context: NewsContext, retention_days: int | None = None) -> None:
    """Once a day: forget delivered rows and paging keys older than OUTBOX_KEEP_DAYS, and
    with RETENTION_DAYS set, the articles older than that (corpus.expire)."""
    cutoff = utcnow() - timedelta(days=OUTBOX_KEEP_DAYS)
    removed = await context.outbox.purge(cutoff)
    keys = await context.paging.forget(cutoff)
    if removed or keys:
        log.info("forgot %s old outbox rows and %s old paging keys", removed, keys)
    if retention_days:
        expired = await corpus.expire(context.articles, retention_days, utcnow().date())
        if expired:
            log.info("removed %s articles older than %s days", expired, retention_days)


def _purge(retention_days: int | None) -> Job:
    async def purge(context: NewsContext) -> None:
        """Forget old outbox rows, paging keys and (with RETENTION_DAYS) articles."""
        await purge_outbox(context, retention_days)

    return purge


async def group_stories(context: NewsContext) -> None:
    """Group the articles that have no story yet (a store from before stories), in short
    batches; new articles are grouped as they are added, so this finds work once."""
    done = await context.stories.group_pending()
    if done.articles:
        log.info(
            "stories: grouped %s earlier articles (%s new stories; %s stories in all)",
            done.articles,
            done.new_stories,
            done.stories,
        )


async def poll_feeds(
    context: NewsContext, metrics: Metrics | None = None, pass_seconds: float = PASS_SECONDS
) -> None:
    """Poll every feed that is due (failing ones back off), for at most `pass_seconds`; new
    articles go in, duplicates are skipped."""
    async with http_client(context.fetch_policy) as client:
        due = await context.feeds.due()
        polls = refresh_all(client, context.feeds, context.articles, due, pass_seconds)
        async for done in polls:
            feed = done.feed
            if metrics:
                metrics.feed_polls.labels("failed" if done.poll.errors else "ok").inc()
                metrics.articles_added.labels("feed").inc(len(done.added))
            if done.added or done.poll.errors:
                log.info(
                    "feed %s: %s new, %s duplicates, errors: %s",
                    feed.url,
                    len(done.added),
                    done.duplicates,
                    done.poll.errors or "none",
                )


def _poll_feeds(metrics: Metrics, interval: float) -> Job:
    pass_seconds = min(PASS_SECONDS, 0.9 * interval)  # a pass ends before the next one is due

    async def feeds(context: NewsContext) -> None:
        """Poll every feed once, counted."""
        await poll_feeds(context, metrics, pass_seconds)

    return feeds


def _watch(folder: Path, metrics: Metrics | None = None) -> Job:
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
            report = await ingest_paths(context.articles, fresh, root=folder)
            if metrics:
                metrics.articles_added.labels("folder").inc(len(report.added))
            log.info(
                "watched folder: %s new, %s duplicates, %s failed",
                len(report.added),
                report.duplicates,
                len(report.failures),
            )

    return watch


async def _at_start(
    run: Callable[[], Awaitable[int]], failed: str, done: str, quiet_if_none: bool = False
) -> None:
    """Once, at start-up, in the background: `run` (how many it did), timed and logged with
    `done` (a count and seconds); a failure is logged with `failed`, never raised: the bot
    serves without it."""
    started = time.monotonic()
    try:
        count = await run()
    except Exception:
        log.exception(failed)
        return
    if count or not quiet_if_none:
        log.info(done, count, time.monotonic() - started)


async def fill_meaning(services: Services) -> None:
    """Fill the index of search by meaning on this instance (until it is ready, searches go
    by words alone)."""
    await _at_start(
        services.fill_meaning,
        "search by meaning: the index could not be filled; words only",
        "search by meaning: %s vectors ready in %.1f s",
    )


async def fill_days(services: Services) -> None:
    """After the upgrade to migration 0014, give the articles stored before it their days for
    /trend (a thousand a write transaction; until done, /trend reads their days from
    ix_articles_day, slower). A read alone once done."""
    await _at_start(
        services.fill_days,
        "/trend's days could not be copied; /trend reads them from the articles' index",
        "/trend's days copied in %s transactions, %.1f s",
        quiet_if_none=True,
    )


def _embed(services: Services) -> Job:
    async def embed_new_articles(context: NewsContext) -> None:
        """Give articles without a vector theirs, newest first, for about RUN_SECONDS (the
        model runs in a worker thread); the next run, CATCH_UP_SECONDS later, goes on."""
        meaning = services.articles.meaning
        if meaning is None:
            return
        done = await catch_up(services.vectors, meaning.embedder, seconds=RUN_SECONDS)
        if done.stored:
            log.info(
                "search by meaning: %s articles embedded (%.1f/s)%s",
                done.stored,
                done.per_second,
                "; more to do" if done.more else "",
            )

    return embed_new_articles


async def take_lease(services: Services, name: str, seconds: float) -> bool:
    """Take or renew `name`'s lease; a lease our own dead predecessor held (a crash, then a
    restart on this host) is taken at once instead of after it expires."""
    holder = await services.leases.holder(name)
    dead = dead_predecessors({holder}, services.name) if holder else set()
    return await services.leases.hold(name, seconds, dead)


def _guarded(services: Services, name: str, job: Job, interval: float) -> Job:
    """Run `job` only while this instance holds its lease (renewed on every run)."""
    seconds = 2 * interval + services.lease_seconds

    async def guarded(context: NewsContext) -> None:
        try:
            mine = await take_lease(services, name, seconds)
        except Exception:
            log.warning("could not check the %s lease; skipping this run", name)
            return
        if mine:
            await job(context)

    guarded.__doc__ = job.__doc__
    return guarded


def schedule(
    app: Application[Any, Any, Any, Any, Any, Any],
    settings: Settings,
    services: Services,
    metrics: Metrics,
) -> None:
    """Put the repeating jobs on the Application's JobQueue, each guarded by its lease."""
    queue = app.job_queue
    if queue is None:
        log.warning("no JobQueue (install python-telegram-bot[job-queue]): nothing scheduled")
        return
    jobs: list[tuple[str, Job, float, float]] = [
        ("purge", _purge(settings.retention_days), 86_400, 60.0),
        ("stories", group_stories, 3_600, 5.0),
        (
            "feeds",
            _poll_feeds(metrics, settings.feed_poll_minutes * 60),
            settings.feed_poll_minutes * 60,
            10.0,
        ),
    ]

    async def days(context: NewsContext) -> None:
        await fill_days(services)

    queue.run_once(days, when=0, name="fill-days")  # safe on every instance at once
    if services.articles.meaning is not None:
        jobs.append(("vectors", _embed(services), CATCH_UP_SECONDS, 10.0))

        async def fill(context: NewsContext) -> None:
            await fill_meaning(services)

        queue.run_once(fill, when=0, name="fill-meaning")  # every instance fills its own
    if settings.outbox_poll_seconds:
        deliverer = telegram_deliverer(
            app.bot,
            services.outbox,
            services.subscriptions,
            unknown_pause=settings.resend_pause_seconds,
            metrics=metrics,
            is_dead=lambda claimer: is_dead_predecessor(claimer, services.name),
        )
        lease = 2 * settings.outbox_poll_seconds + services.lease_seconds

        async def keep_lease() -> bool:
            return await take_lease(services, "deliver", lease)

        jobs.append(("deliver", _deliver(deliverer, keep_lease), settings.outbox_poll_seconds, 1.0))
    if settings.watch_dir:
        jobs.append(("watch", _watch(Path(settings.watch_dir), metrics), WATCH_SECONDS, 2.0))
    for name, job, interval, first in jobs:
        queue.run_repeating(
            _guarded(services, name, job, interval), interval=interval, first=first, name=name
        )


async def release_leases(services: Services) -> None:
    """At shutdown: give every job lease back so another instance takes over at once."""
    for name in ("purge", "stories", "vectors", "feeds", "deliver", "watch"):
        try:
            await services.leases.release(name)
        except Exception:
            log.warning("could not release the %s lease", name)
