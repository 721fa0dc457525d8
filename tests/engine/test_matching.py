"""Keyword matching of one article: the article's own words, /search's typo rules."""

from __future__ import annotations

from datetime import datetime

import pytest

from engine.matching import ArticleMatcher, matching
from engine.models import Article

FERRY = Article(
    1,
    "Caspian ferry line opens",
    "A new ferry links Alat and Turkmenbashi. Officials in Baku welcomed the route.",
    None,
    None,
    None,
    datetime(2026, 11, 20),
)
GRAIN = Article(
    2, "Grain corridor", "The rail link reopened on Monday.", None, None, None, datetime(2026, 1, 1)
)


@pytest.mark.parametrize(
    "keywords",
    [
        "caspian",
        "CASPIAN Ferry",
        "ferry caspian",  # word order does not matter
        "turkmenbashy",  # one typo in a 12-letter word (two allowed)
        "caspain",  # a transposition counts as one typo at 5+ letters
        "baku turkm",  # the last word matches as a prefix
        "ferries",  # a plural matches its singular without a typo
        "news about ferry",  # stop words and query filler never decide a match
        "",  # no keywords: every article
    ],
)
def test_the_article_matches(keywords: str) -> None:
    assert ArticleMatcher(FERRY).matches(keywords)


@pytest.mark.parametrize(
    "keywords",
    [
        "caspian grain",  # every keyword must match
        "bako",  # four letters: no typo allowed
        "fairy",  # two edits in a 5-letter word (one allowed)
        "***",  # no words at all
    ],
)
def test_the_article_does_not_match(keywords: str) -> None:
    assert not ArticleMatcher(FERRY).matches(keywords)


def test_matching_keeps_only_the_articles_that_match() -> None:
    matchers = [ArticleMatcher(FERRY), ArticleMatcher(GRAIN)]
    assert [a.id for a in matching("rail", matchers)] == [2]
    assert [a.id for a in matching("", matchers)] == [1, 2]
