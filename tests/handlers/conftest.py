"""The real Application over a recording request: updates in, recorded Bot API calls out."""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from telegram import Update

from bot import offline
from bot.app import NewsApp, build_application
from bot.container import Services
from bot.delivery import telegram_deliverer
from bot.settings import Settings
from delivery.rounds import RoundReport
from engine.models import ParsedArticle
from ingest.pipeline import seed_if_empty
from storage.articles import ArticleStore
from storage.db import make_db_engine, make_sessionmaker, migrate, sqlite_url
from storage.feeds import FeedStore
from storage.subscriptions import SubscriptionStore


@dataclass
class Harness:
    """Feeds updates to the Application and shows what it sent."""

    app: NewsApp
    request: offline.RecordingRequest
    services: Services

    async def send(self, payload: dict[str, Any]) -> list[offline.Call]:
        """Process one update; return the Bot API calls it caused."""
        self.request.clear()
        await self.app.process_update(Update.de_json(payload, self.app.bot))
        return list(self.request.calls)

    async def text(self, text: str, **kw: Any) -> list[str]:
        """Send a message; return the texts of the messages the bot sent."""
        await self.send(offline.message_update(text, **kw))
        return self.texts()

    def texts(self) -> list[str]:
        return [str(p["text"]) for p in self.request.sent("sendMessage")]

    def buttons(self) -> list[tuple[str, str]]:
        """(label, callback data) of the buttons under the last sent or edited message."""
        calls = [c for c in self.request.calls if c.method in ("sendMessage", "editMessageText")]
        markup = calls[-1].params.get("reply_markup") or {}
        return [
            (b["text"], b["callback_data"])
            for row in markup.get("inline_keyboard", [])
            for b in row
        ]

    def answers(self) -> list[dict[str, Any]]:
        return self.request.sent("answerCallbackQuery")


@pytest.fixture
async def services(tmp_path: Path) -> AsyncIterator[Services]:
    db_engine = make_db_engine(sqlite_url(tmp_path / "bot.db"))
    await migrate(db_engine)
    sessions = make_sessionmaker(db_engine)
    articles = ArticleStore(sessions)
    svc = Services(db_engine, articles, SubscriptionStore(sessions, articles), FeedStore(sessions))
    await seed_if_empty(svc.articles)
    yield svc
    await db_engine.dispose()


MakeHarness = Callable[..., Awaitable[Harness]]


@pytest.fixture
async def make_harness(services: Services) -> AsyncIterator[MakeHarness]:
    """Build the bot with settings of the test's choosing (`make_harness(page_size=3)`)."""
    apps: list[NewsApp] = []

    async def make(**settings: Any) -> Harness:
        request = offline.RecordingRequest()
        config = Settings(_env_file=None, bot_token=None, **settings)  # type: ignore[call-arg]
        # No scheduled jobs: tests run delivery rounds themselves, deterministically.
        app = build_application(config, services, request=request, schedule_jobs=False)
        await app.initialize()
        apps.append(app)
        assert app.post_init is not None
        await app.post_init(app)
        return Harness(app, request, services)

    yield make
    for app in apps:
        await app.shutdown()


@pytest.fixture
async def harness(make_harness: MakeHarness) -> Harness:
    """The bot with default settings."""
    return await make_harness()


async def deliver(h: Harness, now: datetime | None = None) -> RoundReport:
    """One delivery round as the job runs it, with the recorded calls cleared first: in a task
    of its own with a fresh context, so no language an earlier update set here leaks into it."""
    h.request.clear()
    svc = h.services
    deliverer = telegram_deliverer(h.app.bot, svc.outbox, svc.subscriptions)
    return await asyncio.create_task(deliverer.round(now), context=contextvars.Context())


async def add_articles(h: Harness, *bodies: str) -> None:
    """New articles, each titled with its first sentence."""
    await h.services.articles.add([ParsedArticle(b.split(".")[0], b) for b in bodies])
