"""Counting mentions per day through the full-text index: typo-tolerant, every word required,
the period's edges, articles without a date counted on the day they were added; on SQLite and
on PostgreSQL (when NEWSBOT_TEST_PG_URL is set)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, timedelta

import pytest

from engine.errors import EmptyQuery
from storage.articles import ArticleStore
from storage.db import make_db_engine, make_sessionmaker, migrate
from storage.trends import ROW_READS, trend
from tests.support.samples import CORPUS, TODAY


@pytest.fixture
async def articles(database_url: str) -> AsyncIterator[ArticleStore]:
    """The corpus in a store of each kind."""
    db_engine = make_db_engine(database_url)
    try:
        await migrate(db_engine)
        store = ArticleStore(make_sessionmaker(db_engine))
        await store.add(CORPUS)
        yield store
    finally:
        await db_engine.dispose()


def _by_day(found: object) -> dict[date, int]:
    return {day: n for day, n in getattr(found, "counts") if n}  # noqa: B009


# A rare word's matches are read row by row; a common word's period from ix_articles_day
# (ROW_READS matches decide): both ways count the same.
BOTH_WAYS = pytest.mark.parametrize("row_reads", [ROW_READS, 0], ids=["rows", "day-index"])


@BOTH_WAYS
async def test_mentions_are_counted_per_day_in_the_period(
    articles: ArticleStore, row_reads: int
) -> None:
    found = await trend(articles, "tramway", 30, TODAY, row_reads)
    assert found.total == 4 and found.words == ("tramway",)
    assert _by_day(found) == {TODAY - timedelta(days=3): 1, TODAY: 3}
    longer = await trend(articles, "tramway", 60, TODAY, row_reads)
    assert longer.total == 5
    assert (await trend(articles, "tramway", 1, TODAY - timedelta(days=1), row_reads)).total == 0


@BOTH_WAYS
async def test_every_word_must_match_and_typos_are_fine(
    articles: ArticleStore, row_reads: int
) -> None:
    assert (await trend(articles, "tramway timetable", 30, TODAY, row_reads)).total == 3
    typo = await trend(articles, "tramwya timetalbe", 30, TODAY, row_reads)
    assert typo.total == 3 and typo.words == ("tramway", "timetable")
    assert (await trend(articles, "apricot", 30, TODAY, row_reads)).total == 1
    assert (await trend(articles, "tramway zzyzx", 30, TODAY, row_reads)).total == 0
    with pytest.raises(EmptyQuery):
        await trend(articles, "🙂", 30, TODAY, row_reads)


async def test_a_trend_reads_indexes_never_the_articles_rows(articles: ArticleStore) -> None:
    """A common word's period and days come from ix_articles_day: the plans of the very
    statements `trend` runs then scan no table; on SQLite they read no article row at all
    (each holds a whole body), the matches coming from the full-text index. PostgreSQL's
    planner picks between its GIN index and the primary key by cost."""
    from sqlalchemy import text
    from sqlalchemy.dialects import postgresql, sqlite

    from storage.trends import span_statement, trend_statement

    plan = await articles.plan("tramway")
    assert all(w.matchable for w in plan.words)
    engine = articles.sessions.kw["bind"]
    name = engine.dialect.name
    dialect = postgresql.dialect() if name == "postgresql" else sqlite.dialect()
    start = TODAY - timedelta(days=29)
    statements = [
        span_statement(start, TODAY),
        trend_statement(name, plan.words, start, TODAY, (1, 10**6)),
    ]
    async with engine.connect() as conn:
        for statement in statements:
            compiled = statement.compile(dialect=dialect, compile_kwargs={"literal_binds": True})
            if name == "postgresql":
                await conn.execute(text("SET enable_seqscan = off"))  # a few rows: use indexes
                lines = await conn.execute(text(f"EXPLAIN {compiled}"))
                explained = "\n".join(r[0] for r in lines)
                assert "Seq Scan on articles" not in explained, explained
                assert "ix_articles_day" in explained, explained
            else:
                lines = await conn.execute(text(f"EXPLAIN QUERY PLAN {compiled}"))
                explained = "\n".join(str(r[-1]) for r in lines)
                assert "SCAN articles\n" not in explained + "\n", explained
                assert "PRIMARY KEY" not in explained, explained
                assert "USING COVERING INDEX ix_articles_day" in explained, explained
        if name != "postgresql":
            assert "SCAN articles_fts VIRTUAL TABLE" in explained, explained
