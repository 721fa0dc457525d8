"""Updates processed concurrently, each chat's in order.

python-telegram-bot processes one update at a time by default: one slow `/add` or one group
held back by its 20-a-minute limit kept every other chat waiting. Here up to
MAX_CONCURRENT_UPDATES run at once; updates of the same chat (or, without a chat, the same
user) wait for each other, so a chat still sees its replies in the order it asked.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

from bot.metrics import Metrics, command_of

MAX_CONCURRENT_UPDATES = 64


def order_key(update: object) -> int | None:
    """The chat (or user) whose updates must not overtake each other; None: any order."""
    if not isinstance(update, Update):
        return None
    if update.effective_chat is not None:
        return update.effective_chat.id
    if update.effective_user is not None:
        return update.effective_user.id
    return None


class PerChatOrder(BaseUpdateProcessor):
    """Concurrent across chats, in order within one chat."""

    def __init__(
        self,
        max_concurrent_updates: int = MAX_CONCURRENT_UPDATES,
        metrics: Metrics | None = None,
        commands: frozenset[str] = frozenset(),
    ) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[int, tuple[asyncio.Lock, int]] = {}
        self.metrics, self.commands = metrics, commands

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Run the update's handlers once the same chat's earlier updates are done (counted,
        and timed from when its turn came)."""
        if self.metrics is None:
            await self._in_order(update, coroutine)
            return
        command = command_of(update, self.commands)
        self.metrics.updates.labels(command).inc()
        with self.metrics.latency.labels(command).time():
            await self._in_order(update, coroutine)

    async def _in_order(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = order_key(update)
        if key is None:
            await coroutine
            return
        lock, users = self._locks.get(key, (asyncio.Lock(), 0))
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                await coroutine
        finally:
            lock, users = self._locks[key]
            if users == 1:
                del self._locks[key]  # the map holds only chats with updates in flight
            else:
                self._locks[key] = (lock, users - 1)

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""
