"""A fan-out of many new articles to many keyword subscriptions never keeps the bot from
answering: a /search sent through the real Application while fan-out matches a batch is
answered before that batch's matching ends."""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Iterator

import pytest

from engine.models import ParsedArticle
from storage.fanout import FANOUT_BATCH
from storage.subscriptions import SubscriptionOptions
from tests.support.app import Harness

_RNG = random.Random(19)
WORDS = ["".join(_RNG.choices("bcdfghklmnprstvz", k=6)) for _ in range(2_000)]
SUBSCRIPTIONS = 400


class _Said(logging.Handler):
    """Fan-out's debug lines, in order, and an event set when its matching begins."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []
        self.matching = asyncio.Event()

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())
        if self.lines[-1].startswith("fan-out: matching"):
            self.matching.set()


@pytest.fixture
def said() -> Iterator[_Said]:
    logger = logging.getLogger("storage.fanout")
    handler, level = _Said(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    yield handler
    logger.removeHandler(handler)
    logger.setLevel(level)


def _body(rng: random.Random) -> str:
    return ". ".join(" ".join(rng.choices(WORDS, k=12)).capitalize() for _ in range(30)) + "."


async def test_a_search_is_answered_while_fan_out_matches(harness: Harness, said: _Said) -> None:
    rng = random.Random(19)
    svc = harness.services
    for chat in range(1, SUBSCRIPTIONS + 1):
        # A few subscriptions match now and then; most wait for words that never come.
        wanted = WORDS if chat % 4 == 0 else [w + "q" for w in WORDS[:50]]
        keywords = " ".join(rng.sample(wanted, rng.choice((1, 2))))
        excluded = rng.choice(WORDS) if rng.random() < 0.2 else ""
        await svc.subscriptions.subscribe(
            chat, None, keywords, "instant", None, SubscriptionOptions(excluded)
        )
    await svc.articles.add(
        [ParsedArticle(f"Harbour report {n}", _body(rng)) for n in range(FANOUT_BATCH)]
    )
    await harness.text("/search harbour")  # search's own reading of the new articles, first

    fan_out = asyncio.create_task(svc.outbox.fan_out())
    await said.matching.wait()  # the batch's CPU work has begun
    [reply] = await harness.text("/search harbour report")
    lines_then = list(said.lines)

    assert "Harbour report" in reply
    # Answered between two steps of the matching: were the batch matched in one stretch on
    # the event loop, this test could only see it begin once it had ended.
    assert not any(" rows for " in line for line in lines_then)
    assert await fan_out > 0  # and the fan-out did its work
    assert any(" rows for " in line for line in said.lines)
