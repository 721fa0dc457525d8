"""One entry per story in /search, /latest and inline results: the best-matching (or newest)
source's title and snippet, "· 2 sources" with the outlets' names, and paging that counts
stories, not articles."""

from __future__ import annotations

import re

from bot import offline
from engine.models import ParsedArticle
from tests.support.app import Harness
from tests.support.stories import IAN_1, IAN_2, NICOLE, distinct_events

REPORTS = [
    ParsedArticle(*IAN_1, source="Tampa Bay Times"),
    ParsedArticle(*IAN_2, source="Reuters"),
    ParsedArticle(*NICOLE, source="AP"),
]


def _entries(text: str) -> list[str]:
    return [part for part in text.split("\n\n") if re.match(r"\d+\. ", part)]


async def test_search_shows_a_story_once_with_its_sources(harness: Harness) -> None:
    await harness.services.articles.add(REPORTS)
    [reply] = await harness.text("/search hurricane landfall")
    entries = _entries(reply)
    ian = [e for e in entries if "Ian" in e.split("\n")[0]]
    assert len(ian) == 1, reply  # two outlets' reports, one entry
    assert "2 sources: " in ian[0] and "Reuters" in ian[0] and "Tampa Bay Times" in ian[0]
    nicole = [e for e in entries if "Nicole" in e.split("\n")[0]]
    assert nicole and "sources" not in nicole[0]  # another storm: its own entry


async def test_latest_shows_a_story_once(harness: Harness) -> None:
    await harness.services.articles.add(REPORTS)
    [reply] = await harness.text("/latest 10")
    titles = [e.split("\n")[0] for e in _entries(reply)]
    assert sum("Ian" in t for t in titles) == 1
    assert len(titles) == 6  # Ian, Nicole and the four stories of the five seeds


async def test_inline_results_show_a_story_once_and_say_how_many_sources(
    harness: Harness,
) -> None:
    await harness.services.articles.add(REPORTS)
    await harness.send(offline.inline_update("hurricane landfall"))
    [answer] = harness.request.sent("answerInlineQuery")
    ian = [r for r in answer["results"] if "Ian" in r["title"]]
    assert len(ian) == 1
    assert ian[0]["description"].startswith("2 sources: ")


async def test_paging_counts_stories(harness: Harness) -> None:
    # Three reports of one event (near copies from three outlets) and six other events.
    copies = [
        ParsedArticle(*IAN_1, source=outlet) for outlet in ("Tampa Bay Times", "WINK", "Reuters")
    ]
    copies = [
        ParsedArticle(c.title, c.body + " " + extra, source=c.source)
        for c, extra in zip(copies, ("Updated.", "More soon.", "Photos."), strict=True)
    ]
    await harness.services.articles.add(copies + distinct_events(6, "Hurricane season."))
    [first] = await harness.text("/search hurricane")
    assert [e.split(".")[0] for e in _entries(first)] == ["1", "2", "3", "4", "5"]
    assert "3 sources" in first
    await harness.send(offline.callback_update(dict(harness.buttons())["Next ›"]))
    [edit] = harness.request.sent("editMessageText")
    assert [e.split(".")[0] for e in _entries(str(edit["text"]))] == ["6", "7"]
