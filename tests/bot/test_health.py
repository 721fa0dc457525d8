"""/healthz and /metrics over loopback: they answer, and their values move with events."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from telegram import Update

from bot import health, offline
from bot.app import NewsApp
from bot.container import Services
from bot.delivery import telegram_deliverer
from engine.models import ParsedArticle
from tests.support.app import start_app
from tests.support.net import free_port


@pytest.fixture
async def served(services: Services) -> AsyncIterator[tuple[NewsApp, httpx.AsyncClient]]:
    """The bot with its health endpoint on a free loopback port (no jobs: tests drive rounds)."""
    port = free_port()
    app = await start_app(
        services, offline.RecordingRequest(), schedule_jobs=True, health_port=port
    )
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
        yield app, client
    assert app.post_shutdown is not None
    await app.post_shutdown(app)
    await app.shutdown()


def _value(metrics: str, name: str, labels: str = "") -> float:
    pattern = re.escape(name) + (re.escape("{" + labels + "}") if labels else "") + r" (\S+)"
    found = re.search(rf"^{pattern}$", metrics, re.M)
    return float(found.group(1)) if found else 0.0


async def test_metrics_count_commands_digests_and_telegram_errors(
    served: tuple[NewsApp, httpx.AsyncClient], services: Services
) -> None:
    app, client = served
    before = (await client.get("/metrics")).text
    assert _value(before, "newsbot_articles") == 5  # the seeds
    processor = app.update_processor
    for text in ("/latest 2", "/latest", "/nonsense"):
        update = Update.de_json(offline.message_update(text), app.bot)
        await processor.process_update(update, app.process_update(update))
    await services.subscriptions.subscribe(1001, None, "", "instant", None)
    await services.articles.add([ParsedArticle("Fresh", "A fresh story for the metrics.")])
    request = app.bot.request
    assert isinstance(request, offline.RecordingRequest)
    request.fail_next("sendMessage", 429, "Too Many Requests", retry_after=30)
    svc = services
    await telegram_deliverer(app.bot, svc.outbox, svc.subscriptions).round()
    after = (await client.get("/metrics")).text
    assert _value(after, "newsbot_updates_total", 'command="latest"') == 2
    assert _value(after, "newsbot_updates_total", 'command="unknown"') == 1
    assert _value(after, "newsbot_update_seconds_count", 'command="latest"') == 2
    assert _value(after, "newsbot_telegram_errors_total", 'code="429"') == 1
    assert _value(after, "newsbot_outbox_rows", 'status="pending"') == 1
    assert _value(after, "newsbot_articles") == 6


async def test_healthz_says_which_check_fails(
    served: tuple[NewsApp, httpx.AsyncClient],
    services: Services,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _, client = served
    reply = await client.get("/healthz")
    assert reply.status_code == 503
    assert "delivery: FAIL no instance holds the delivery lease" in reply.text
    await services.leases.hold("deliver", 60)  # as the delivery job does on its first run
    reply = await client.get("/healthz")
    assert reply.status_code == 200, reply.text
    assert "database: ok" in reply.text and "outbox: ok nothing waiting" in reply.text
    await services.subscriptions.subscribe(1001, None, "", "instant", None)
    await services.articles.add([ParsedArticle("Stuck", "A story nobody sends.")])
    await services.outbox.fan_out()
    monkeypatch.setattr(health, "OUTBOX_STUCK", timedelta(0))
    reply = await client.get("/healthz")
    assert reply.status_code == 503
    assert re.search(r"^outbox: FAIL oldest due digest waiting \d+ s$", reply.text, re.M)


async def test_a_failing_feed_makes_health_degraded_not_down(
    served: tuple[NewsApp, httpx.AsyncClient], services: Services
) -> None:
    from types import SimpleNamespace

    from bot.jobs import poll_feeds
    from ingest.web import FetchPolicy

    _, client = served
    await services.leases.hold("deliver", 60)
    await services.feeds.add("http://127.0.0.1:9/feed.xml")  # refused: a loopback address
    strict = SimpleNamespace(
        articles=services.articles, feeds=services.feeds, fetch_policy=FetchPolicy()
    )
    await poll_feeds(strict)  # type: ignore[arg-type]
    reply = await client.get("/healthz")
    assert reply.status_code == 200, reply.text  # degraded: the bot still answers
    assert re.search(r"^feeds: DEGRADED last poll \d+ s ago; 1 of 1 failing", reply.text, re.M)


async def test_a_held_write_lock_is_degraded_and_a_deleted_file_fails(
    served: tuple[NewsApp, httpx.AsyncClient], services: Services
) -> None:
    import sqlite3

    _, client = served
    await services.leases.hold("deliver", 60)
    db = services.db_engine.url.database
    assert db is not None
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process's long write
    try:
        reply = await client.get("/healthz")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert reply.status_code == 200, reply.text
    assert "database: DEGRADED another process holds the write lock" in reply.text
    gone = Path(db).resolve()  # noqa: ASYNC240 (a test's own file, once)
    gone.unlink()
    reply = await client.get("/healthz")
    assert reply.status_code == 503
    assert f"database: FAIL {gone} was deleted or replaced; restart" in reply.text
