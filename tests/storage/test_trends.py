"""Counting mentions per day through the full-text index: typo-tolerant, every word required,
the period's edges, articles without a date counted on the day they were added; on SQLite and
on PostgreSQL (when NEWSBOT_TEST_PG_URL is set)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from datetime import date, timedelta
from pathlib import Path

import pytest

from engine.errors import EmptyQuery
from engine.models import ParsedArticle
from storage.articles import ArticleStore, utcnow
from storage.db import make_db_engine, make_sessionmaker, migrate, sqlite_url
from storage.trends import trend
from tests.pg import fresh_database

TODAY = utcnow().date()


def story(n: int, words: str, days_ago: int | None) -> ParsedArticle:
    published = None if days_ago is None else TODAY - timedelta(days=days_ago)
    return ParsedArticle(f"Story {n}", f"Report {n}: {words}, said officials.", published)


CORPUS = [
    story(1, "tramway timetable resumed in Brussels", 0),
    story(2, "tramway timetable stalled again", 0),
    story(3, "tramway deal signed", 3),
    story(4, "harvest and apricot exports", 3),
    story(5, "tramway timetable long ago", 40),  # outside 30 days
    story(6, "tramway timetable announced today", None),  # no date: the day it was added
]


@pytest.fixture(params=["sqlite", "postgresql"])
async def articles(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[ArticleStore]:
    async with AsyncExitStack() as stack:
        if request.param == "sqlite":
            url = sqlite_url(tmp_path / "t.db")
        else:
            url = await stack.enter_async_context(fresh_database())
        db_engine = make_db_engine(url)
        stack.push_async_callback(db_engine.dispose)
        await migrate(db_engine)
        store = ArticleStore(make_sessionmaker(db_engine))
        await store.add(CORPUS)
        yield store


def _by_day(found: object) -> dict[date, int]:
    return {day: n for day, n in getattr(found, "counts") if n}  # noqa: B009


async def test_mentions_are_counted_per_day_in_the_period(articles: ArticleStore) -> None:
    found = await trend(articles, "tramway", 30, TODAY)
    assert found.total == 4 and found.words == ("tramway",)
    assert _by_day(found) == {TODAY - timedelta(days=3): 1, TODAY: 3}
    longer = await trend(articles, "tramway", 60, TODAY)
    assert longer.total == 5


async def test_every_word_must_match_and_typos_are_fine(articles: ArticleStore) -> None:
    assert (await trend(articles, "tramway timetable", 30, TODAY)).total == 3
    typo = await trend(articles, "tramwya timetalbe", 30, TODAY)
    assert typo.total == 3 and typo.words == ("tramway", "timetable")
    assert (await trend(articles, "apricot", 30, TODAY)).total == 1
    assert (await trend(articles, "tramway zzyzx", 30, TODAY)).total == 0
    with pytest.raises(EmptyQuery):
        await trend(articles, "🙂", 30, TODAY)
