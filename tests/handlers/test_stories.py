"""/story N and the 🗞 buttons: a story with several sources opens with one summary and every
source's title, outlet, date and link, newest first; forged ids and button data get a polite
line, never a traceback."""

from __future__ import annotations

import re

import pytest

from bot import offline
from engine.models import ParsedArticle
from handlers.render import callbacks
from tests.support.app import Harness
from tests.support.checks import no_crash_logged
from tests.support.samples import seed_id
from tests.support.stories import IAN_1, IAN_2

REUTERS = ParsedArticle(*IAN_2, source="Reuters", url="https://example.com/reuters/ian")
TIMES = ParsedArticle(*IAN_1, source="Tampa Bay Times", url="https://example.com/tbt/ian")


async def _khankendi(harness: Harness) -> int:
    story = (await harness.services.articles.get(seed_id("000"))).story_id
    assert story is not None
    return story


async def test_search_results_carry_a_story_button_for_a_story_with_several_sources(
    harness: Harness,
) -> None:
    [reply] = await harness.text("/search Khankendi summit")
    story = await _khankendi(harness)
    stories = [(label, data) for label, data in harness.buttons() if label.startswith("🗞")]
    assert stories and all(data == callbacks.callback("story", story) for _, data in stories)
    assert "Tap 🗞 N" in reply
    await harness.send(offline.callback_update(stories[0][1]))
    [shown] = harness.texts()
    assert "2 sources" in shown and f"story #{story}" in shown
    assert "000_e8ca3883b12e1de0.txt" in shown and "001_a1a30a5bc072d817.txt" in shown
    assert harness.answers()


async def test_a_story_of_one_source_gets_no_story_button(harness: Harness) -> None:
    await harness.text("/search Bayramov Secretary General")
    article = await harness.services.articles.get(seed_id("002"))
    assert callbacks.callback("story", article.story_id) not in dict(harness.buttons()).values()


async def test_story_shows_the_summary_then_every_source_with_its_link_newest_first(
    harness: Harness,
) -> None:
    added = (await harness.services.articles.add([TIMES, REUTERS])).added
    story = (await harness.services.articles.get(added[0])).story_id
    [shown] = await harness.text(f"/story {story}")
    head, summary, *sources = shown.split("\n\n")
    assert head.startswith("🗞 ") and "2 sources" in head
    assert summary and "<a " not in summary
    assert [re.search(r'href="([^"]+)"', s).group(1) for s in sources] == [  # type: ignore[union-attr]
        REUTERS.url,
        TIMES.url,
    ]
    assert "Reuters" in sources[0] and "Tampa Bay Times" in sources[1]


@pytest.mark.parametrize("typed", ["99999", "0", "99999999999999999999999", "#4242"])
async def test_a_story_that_does_not_exist_gets_one_polite_line(
    harness: Harness, caplog: pytest.LogCaptureFixture, typed: str
) -> None:
    [reply] = await harness.text(f"/story {typed}")
    assert reply == f"No story with id {typed.lstrip('#')}."
    no_crash_logged(caplog)


@pytest.mark.parametrize("args", ["", "abc", "1 2", "٣"])
async def test_story_without_a_number_gets_its_usage(harness: Harness, args: str) -> None:
    [reply] = await harness.text(f"/story {args}".strip())
    assert reply.startswith("Usage: /story N")


@pytest.mark.parametrize("data", ["t|", "t|٣", "t|12345678901", "t|abc", "t|1|2"])
async def test_forged_story_buttons_are_not_valid(harness: Harness, data: str) -> None:
    await harness.send(offline.callback_update(data))
    assert [a.get("text") for a in harness.answers()] == ["That button is no longer valid."]
    assert harness.texts() == []


async def test_a_story_button_for_a_story_that_is_gone_says_so(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    await harness.send(offline.callback_update(callbacks.callback("story", 9999)))
    assert harness.texts() == ["No story with id 9999."]
    no_crash_logged(caplog)


def test_story_button_data_fits_telegrams_64_bytes() -> None:
    assert len(callbacks.callback("story", 2**31 - 1).encode()) <= callbacks.CALLBACK_LIMIT
