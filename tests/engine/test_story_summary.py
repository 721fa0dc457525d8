"""A story's one summary (engine/story_summary.py): the best source's lede, then what the
other sources add, never a sentence said again in other words."""

from __future__ import annotations

from datetime import datetime

from engine.models import Article
from engine.story_summary import story_summary

ADDED = datetime(2026, 12, 6, 9, 0)


def _article(number: int, title: str, *sentences: str) -> Article:
    return Article(number, title, " ".join(sentences), None, f"outlet {number}", None, ADDED)


LEDE = "The ECO summit opened in Khankendi on Thursday with leaders of ten member states."
SAME_IN_OTHER_WORDS = (
    "On Thursday in Khankendi, leaders of the ten ECO member states opened the summit."
)
NEW = "Ministers signed a transport agreement linking the Caspian ports to the Turkish railways."
ALSO = "Delegations toured the rebuilt city centre before the opening session began."


def test_the_lede_comes_first_and_a_paraphrase_of_it_never_follows() -> None:
    first = _article(1, "ECO summit opens in Khankendi", LEDE, ALSO)
    second = _article(2, "Leaders gather for ECO summit", SAME_IN_OTHER_WORDS, NEW)
    best, summary = story_summary([first, second])
    assert summary.sentences[0] in (LEDE, SAME_IN_OTHER_WORDS)
    assert not {LEDE, SAME_IN_OTHER_WORDS} <= set(summary.sentences)
    assert NEW in summary.sentences  # what the other source adds
    assert best in (first, second)


def test_a_story_of_one_source_is_that_sources_lede() -> None:
    only = _article(1, "ECO summit opens in Khankendi", LEDE, ALSO, NEW)
    best, summary = story_summary([only])
    assert best is only and summary.sentences == (LEDE,)
