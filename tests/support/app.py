"""The real Application over a recording request: updates in, recorded Bot API calls out.

`start_app` builds and starts it the way `python -m bot run` does before polling (initialize,
then post_init: stores attached, commands registered); `Harness` feeds it updates.
"""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from telegram import Update
from telegram.request import BaseRequest

from bot import offline
from bot.app import NewsApp, build_application
from bot.container import Services
from bot.delivery import telegram_deliverer
from bot.settings import Settings
from delivery.rounds import RoundReport
from engine.models import ParsedArticle


async def start_app(
    services: Services,
    request: BaseRequest,
    *,
    rate_limit: bool = True,
    schedule_jobs: bool = False,
    **settings: Any,
) -> NewsApp:
    """The Application with these settings (no .env, no token), initialized and post_init run.
    No scheduled jobs unless asked: tests run delivery rounds themselves, deterministically."""
    config = Settings(_env_file=None, bot_token=None, **settings)  # type: ignore[call-arg]
    app = build_application(
        config, services, request=request, rate_limit=rate_limit, schedule_jobs=schedule_jobs
    )
    await app.initialize()
    assert app.post_init is not None
    await app.post_init(app)
    return app


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

    async def photo(self, text: str, **kw: Any) -> tuple[bytes, str]:
        """Send a message; return the one photo the bot sent (its bytes) and its caption."""
        await self.send(offline.message_update(text, **kw))
        [call] = [c for c in self.request.calls if c.method == "sendPhoto"]
        return call.files["photo"], str(call.params["caption"])

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


MakeHarness = Callable[..., Awaitable[Harness]]  # the make_harness fixture


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
