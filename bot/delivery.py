"""Delivery as this bot runs it: the channel-agnostic runner with the Telegram channel."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from telegram.ext import ExtBot

from bot.metrics import Metrics
from delivery.runner import UNKNOWN_PAUSE, Deliverer
from handlers.channel import TelegramChannel
from storage.outbox import OutboxStore
from storage.subscriptions import SubscriptionStore


def telegram_deliverer(
    bot: ExtBot[Any],
    outbox: OutboxStore,
    subscriptions: SubscriptionStore,
    *,
    unknown_pause: float = UNKNOWN_PAUSE,
    metrics: Metrics | None = None,
    is_dead: Callable[[str], bool] | None = None,
) -> Deliverer:
    """Rounds that send digests through `bot`, counted in `metrics`; claims of a claimer
    `is_dead` says is gone are taken back at once."""
    return Deliverer(
        TelegramChannel(bot),
        outbox,
        subscriptions,
        unknown_pause=unknown_pause,
        observer=metrics,
        is_dead=is_dead,
    )
