"""Telegram's send limits, with a 429 that holds back only the chat it was about.

python-telegram-bot's AIORateLimiter answers a 429 by pausing *every* request of the bot until
`retry_after` has passed: one group's 12-hour 429 froze every chat. Here a 429 blocks only its
chat (remembered until it expires), and nobody sleeps through a long wait:
- replies wait out a short `retry_after` (up to REPLY_WAIT_LIMIT seconds) in that chat only; a
  longer one raises RetryAfter at once, and the error handler drops the reply with a log line;
- digests pass `rate_limit_args=NO_RETRIES`: a 429 (or a chat already known to be blocked) is
  raised at once, and the outbox persists the wait.
Throughput limits as Telegram documents them: at most 30 messages in any one-second window
overall (a sliding window: a send that was held up, say by a busy event loop, can be caught up
at once, which a token spaced every 1/30 s cannot), 20 a minute per group.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import time
from collections import deque
from collections.abc import Callable, Coroutine
from typing import Any

from aiolimiter import AsyncLimiter
from telegram.error import Forbidden, RetryAfter
from telegram.ext import BaseRateLimiter

from bot.metrics import Metrics
from handlers.channel import NO_RETRIES, retry_seconds

OVERALL_PER_SECOND = 30
GROUP_PER_MINUTE = 20
REPLY_WAIT_LIMIT = 10.0
WINDOW_MARGIN = 0.02
MAX_RETRIES = 2


class SlidingWindow:
    """At most `limit` acquisitions in any window of `period` seconds, first come first served.

    The window is a little longer than a second (WINDOW_MARGIN) so that the request arriving at
    Telegram a few milliseconds later than it left still falls in a window of 30.
    """

    def __init__(self, limit: int, period: float) -> None:
        self.limit, self.period = limit, period
        self._starts: deque[float] = deque()
        self._turn = asyncio.Lock()

    async def __aenter__(self) -> None:
        async with self._turn:
            while True:
                now = time.monotonic()
                while self._starts and now - self._starts[0] >= self.period:
                    self._starts.popleft()
                if len(self._starts) < self.limit:
                    self._starts.append(now)
                    return
                await asyncio.sleep(self.period - (now - self._starts[0]))

    async def __aexit__(self, *exc: object) -> None:
        return None


def _chat_key(data: dict[str, Any]) -> int | str | None:
    chat_id = data.get("chat_id")
    with contextlib.suppress(ValueError, TypeError):
        chat_id = int(chat_id)  # type: ignore[arg-type]
    return chat_id if isinstance(chat_id, int | str) else None


class NewsRateLimiter(BaseRateLimiter[int]):
    """~30 messages a second overall, 20 a minute per group, 429s per chat (see the module)."""

    def __init__(
        self, reply_wait_limit: float = REPLY_WAIT_LIMIT, metrics: Metrics | None = None
    ) -> None:
        self.reply_wait_limit = reply_wait_limit
        self.metrics = metrics
        self._overall = SlidingWindow(OVERALL_PER_SECOND, 1.0 + WINDOW_MARGIN)
        self._groups: dict[int | str, AsyncLimiter] = {}
        self._blocked: dict[int | str, float] = {}  # chat -> monotonic time the 429 ends

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    def blocked_for(self, chat: int | str | None) -> float:
        """Seconds this chat must still wait after a 429 (0 when it may send)."""
        if chat is None or chat not in self._blocked:
            return 0.0
        left = self._blocked[chat] - time.monotonic()
        if left <= 0:
            del self._blocked[chat]
            return 0.0
        return left

    def _group_limiter(self, chat: int | str) -> AsyncLimiter:
        if len(self._groups) > 512:  # forget idle groups so the map stays small
            for key in [k for k, v in self._groups.items() if v.has_capacity(GROUP_PER_MINUTE)]:
                del self._groups[key]
        return self._groups.setdefault(chat, AsyncLimiter(GROUP_PER_MINUTE, 60))

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Any]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Any:
        """Throttle, then send; a 429 blocks this chat only (see the module docstring)."""
        chat = _chat_key(data)
        may_wait = rate_limit_args != NO_RETRIES
        for attempt in range(MAX_RETRIES + 1):
            await self._wait_out_block(chat, may_wait)
            try:
                return await self._send(chat, callback, args, kwargs)
            except Forbidden:
                self._count("403")
                raise
            except RetryAfter as error:
                self._count("429")
                seconds = retry_seconds(error)
                if chat is not None:
                    self._blocked[chat] = time.monotonic() + seconds
                if not may_wait or seconds > self.reply_wait_limit or attempt == MAX_RETRIES:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    def _count(self, code: str) -> None:
        if self.metrics:
            self.metrics.telegram_errors.labels(code).inc()

    async def _wait_out_block(self, chat: int | str | None, may_wait: bool) -> None:
        left = self.blocked_for(chat)
        if not left:
            return
        if not may_wait or left > self.reply_wait_limit:
            raise RetryAfter(math.ceil(left))  # known blocked: don't ask Telegram again
        await asyncio.sleep(left)  # a short wait, in this chat's task only

    async def _send(
        self,
        chat: int | str | None,
        callback: Callable[..., Coroutine[Any, Any, Any]],
        args: Any,
        kwargs: dict[str, Any],
    ) -> Any:
        if chat is None:  # answers to inline queries and buttons: not messages to a chat
            return await callback(*args, **kwargs)
        is_group = isinstance(chat, str) or chat < 0
        group = self._group_limiter(chat) if is_group else contextlib.nullcontext()
        async with group, self._overall:
            return await callback(*args, **kwargs)
