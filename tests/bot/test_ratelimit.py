"""The overall limit: never more than 30 sends in any one-second window, and a send held up
by a busy loop is caught up at once instead of being lost from the second."""

from __future__ import annotations

import asyncio
import time

from bot.ratelimit import OVERALL_PER_SECOND, SlidingWindow


async def _starts(window: SlidingWindow, count: int) -> list[float]:
    starts: list[float] = []

    async def one() -> None:
        async with window:
            starts.append(time.monotonic())

    await asyncio.gather(*(one() for _ in range(count)))
    return starts


def _most_in_any_window(starts: list[float], period: float) -> int:
    return max(sum(1 for t in starts if s <= t < s + period) for s in starts)


async def test_no_second_ever_holds_more_than_the_limit() -> None:
    window = SlidingWindow(OVERALL_PER_SECOND, 0.2)  # a fifth of a second keeps the test short
    starts = await _starts(window, 3 * OVERALL_PER_SECOND)
    assert _most_in_any_window(starts, 0.2) == OVERALL_PER_SECOND


async def test_a_stall_is_caught_up_at_once() -> None:
    window = SlidingWindow(OVERALL_PER_SECOND, 0.2)
    await _starts(window, OVERALL_PER_SECOND)
    time.sleep(0.25)  # noqa: ASYNC251 (the fault: the event loop blocked for over a window)
    began = time.monotonic()
    await _starts(window, OVERALL_PER_SECOND)
    assert time.monotonic() - began < 0.15, "a full window's sends go out without spacing"
