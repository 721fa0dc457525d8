"""python-telegram-bot's AIORateLimiter, with a way to ask for no retries at all.

Replies retry a 429 after its retry_after (AIORateLimiter's default). Outbox sends must not
sleep through a 429 inside one request: the outbox persists the wait and moves on, so they pass
`rate_limit_args=NO_RETRIES`, which AIORateLimiter alone reads as "use the default".
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.ext import AIORateLimiter

NO_RETRIES = -1
OVERALL_PER_SECOND = 30
GROUP_PER_MINUTE = 20


class NewsRateLimiter(AIORateLimiter):
    """~30 messages a second overall, 20 a minute per group; NO_RETRIES skips 429 retries."""

    def __init__(self, max_retries: int = 3) -> None:
        # One token at a time, refilled every 1/30 s: sends are spaced evenly instead of a burst
        # of 30 followed by 30 a second, which would break a strict per-second window.
        super().__init__(
            overall_max_rate=1,
            overall_time_period=1 / OVERALL_PER_SECOND,
            group_max_rate=GROUP_PER_MINUTE,
            group_time_period=60,
            max_retries=max_retries,
        )

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Any]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Any:
        """Throttle like AIORateLimiter; with NO_RETRIES, a 429 is raised to the caller at once."""
        if rate_limit_args != NO_RETRIES:
            return await super().process_request(
                callback, args, kwargs, endpoint, data, rate_limit_args
            )
        chat_id = data.get("chat_id")
        with contextlib.suppress(ValueError, TypeError):
            chat_id = int(chat_id)  # type: ignore[arg-type]
        group = (
            chat_id
            if (isinstance(chat_id, int) and chat_id < 0) or isinstance(chat_id, str)
            else False
        )
        # Same throttling as every other request, minus the retry loop (PTB 22's internals).
        return await self._run_request(
            chat=chat_id is not None,
            group=group,
            allow_paid_broadcast=data.get("allow_paid_broadcast", False),
            callback=callback,
            args=args,
            kwargs=kwargs,
        )
