"""The overall limit: never more than 30 sends in any one-second window, and a send held up
by a busy loop is caught up at once instead of being lost from the second.

The window reads a virtual clock here (`bot.ratelimit`'s `time.monotonic` and `asyncio.sleep`,
and nothing else's): each test says exactly when every send starts, on any machine.
"""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import pytest

from bot import ratelimit
from bot.ratelimit import OVERALL_PER_SECOND, SlidingWindow


class VirtualClock:
    """Seconds that pass only when the code under test sleeps, or the test says so."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
        await asyncio.sleep(0)  # let the other waiters run, as a real sleep would


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> VirtualClock:
    virtual = VirtualClock()
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(monotonic=virtual.monotonic))
    monkeypatch.setattr(
        ratelimit, "asyncio", SimpleNamespace(sleep=virtual.sleep, Lock=asyncio.Lock)
    )
    return virtual


async def _starts(window: SlidingWindow, clock: VirtualClock, count: int) -> list[float]:
    """When each of `count` sends, all queued at once, got through the window (from now)."""
    began, starts = clock.now, []

    async def one() -> None:
        async with window:
            starts.append(round(clock.now - began, 6))

    await asyncio.gather(*(one() for _ in range(count)))
    return starts


def _most_in_any_window(starts: list[float], period: float) -> int:
    return max(sum(1 for t in starts if s <= t < s + period) for s in starts)


async def test_no_second_ever_holds_more_than_the_limit(clock: VirtualClock) -> None:
    window = SlidingWindow(OVERALL_PER_SECOND, 1.0)
    starts = await _starts(window, clock, 3 * OVERALL_PER_SECOND)
    assert _most_in_any_window(starts, 1.0) == OVERALL_PER_SECOND
    # First come, first served, a full window's worth at a time: 30 at once, then 30 a
    # second later, then 30 more.
    assert starts == [0.0] * 30 + [1.0] * 30 + [2.0] * 30


async def test_a_send_waits_until_the_window_has_room(clock: VirtualClock) -> None:
    window = SlidingWindow(OVERALL_PER_SECOND, 1.0)
    await _starts(window, clock, OVERALL_PER_SECOND)
    clock.now += 0.6  # still inside the window of the first 30
    assert await _starts(window, clock, 1) == [0.4], "it goes when the first 30 age out"


async def test_a_stall_is_caught_up_at_once(clock: VirtualClock) -> None:
    window = SlidingWindow(OVERALL_PER_SECOND, 1.0)
    assert await _starts(window, clock, OVERALL_PER_SECOND) == [0.0] * OVERALL_PER_SECOND
    clock.now += 1.25  # the fault: the event loop was blocked for over a window
    clock.sleeps.clear()
    starts = await _starts(window, clock, OVERALL_PER_SECOND)
    assert starts == [0.0] * OVERALL_PER_SECOND, "a full window's sends go out without spacing"
    assert clock.sleeps == [], "nothing waited"
    # ...and the window still holds: the next send waits for the caught-up ones to age out.
    assert await _starts(window, clock, 1) == [1.0]
