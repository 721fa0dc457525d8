"""Counting mentions per day through the full-text index: typo-tolerant, every word required,
the period's edges, articles without a date counted on the day they were added; on SQLite and
on PostgreSQL (when NEWSBOT_TEST_PG_URL is set)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import date, datetime, time, timedelta

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import func, insert, select

from engine.errors import EmptyQuery
from services.corpus import expire
from storage.article_days import fill, filled
from storage.articles import ArticleStore
from storage.db import make_db_engine, make_sessionmaker, migrate, writing
from storage.dialect import index_for
from storage.models import ArticleDayRow, ArticleRow
from storage.trends import trend
from tests.support.samples import CORPUS, TODAY, story


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


def _down_to_0013(config: Config) -> None:
    command.downgrade(config, "0013")


def _down_to_0014(config: Config) -> None:
    command.downgrade(config, "0014")


def _by_day(found: object) -> dict[date, int]:
    return {day: n for day, n in getattr(found, "counts") if n}  # noqa: B009


async def test_mentions_are_counted_per_day_in_the_period(articles: ArticleStore) -> None:
    found = await trend(articles, "tramway", 30, TODAY)
    assert found.total == 4 and found.words == ("tramway",)
    assert _by_day(found) == {TODAY - timedelta(days=3): 1, TODAY: 3}
    longer = await trend(articles, "tramway", 60, TODAY)
    assert longer.total == 5
    assert (await trend(articles, "tramway", 1, TODAY - timedelta(days=1))).total == 0


async def test_every_word_must_match_and_typos_are_fine(articles: ArticleStore) -> None:
    assert (await trend(articles, "tramway timetable", 30, TODAY)).total == 3
    typo = await trend(articles, "tramwya timetalbe", 30, TODAY)
    assert typo.total == 3 and typo.words == ("tramway", "timetable")
    assert (await trend(articles, "apricot", 30, TODAY)).total == 1
    assert (await trend(articles, "tramway zzyzx", 30, TODAY)).total == 0
    with pytest.raises(EmptyQuery):
        await trend(articles, "🙂", 30, TODAY)


async def test_a_trend_reads_indexes_never_the_articles_rows(articles: ArticleStore) -> None:
    """The matches come from the full-text index and each one's day from article_days by
    primary key: the plan of the very statement `trend` runs scans no table, and on SQLite it
    reads no article row at all (each holds a whole body) and builds no temporary b-tree of
    the matches; the period's lowest and highest id take two seeks a day in an index. On
    PostgreSQL the planner picks the GIN index."""
    from sqlalchemy import text
    from sqlalchemy.dialects import postgresql, sqlite

    from storage.dialect import SQLITE_ID_SPAN
    from storage.trends import trend_statement

    plan = await articles.plan("tramway timetable")
    assert all(w.matchable for w in plan.words)
    engine = articles.sessions.kw["bind"]
    name = engine.dialect.name
    dialect = postgresql.dialect() if name == "postgresql" else sqlite.dialect()
    statement = trend_statement(name, plan.words, TODAY - timedelta(days=29), TODAY, (1, 10**6))
    compiled = statement.compile(dialect=dialect, compile_kwargs={"literal_binds": True})
    async with engine.connect() as conn:
        if name == "postgresql":
            await conn.execute(text("SET enable_seqscan = off"))  # a few rows: use indexes
            lines = await conn.execute(text(f"EXPLAIN {compiled}"))
            explained = "\n".join(r[0] for r in lines)
            assert "Seq Scan" not in explained, explained
            assert "search_vector" in explained, explained
            return
        lines = await conn.execute(text(f"EXPLAIN QUERY PLAN {compiled}"))
        explained = "\n".join(str(r[-1]) for r in lines)
        span = SQLITE_ID_SPAN.replace(":days", "'[20261206, 20261207]'")
        spanned = "\n".join(
            str(r[-1]) for r in await conn.execute(text(f"EXPLAIN QUERY PLAN {span}"))
        )
    assert "SCAN articles_fts VIRTUAL TABLE" in explained, explained
    assert "SEARCH article_days USING INTEGER PRIMARY KEY (rowid=?)" in explained, explained
    assert "articles " not in explained + " ", explained  # no article row, no ix_articles_*
    assert "LIST SUBQUERY" not in explained, explained
    assert "SEARCH article_days USING COVERING INDEX ix_article_days_day (day=?)" in spanned
    assert "SCAN article_days" not in spanned, spanned


async def test_counts_are_the_same_without_the_index_of_words_and_day(
    articles: ArticleStore,
) -> None:
    """A PostgreSQL server without btree_gin keeps the index of words alone (migration 0015
    leaves it, as its downgrade does): /trend counts from ix_articles_day, the same days,
    for rare words and for words in every article (which the index of words and day counts
    when it is there)."""
    asked = [
        ("said officials", 30),
        ("tramway", 30),
        ("tramway", 60),
        ("tramway timetable", 30),
        ("apricot", 1),
    ]
    before = [_by_day(await trend(articles, words, days, TODAY)) for words, days in asked]
    await migrate(articles.sessions.kw["bind"], _down_to_0014)
    after = [_by_day(await trend(articles, words, days, TODAY)) for words, days in asked]
    assert after == before and all(before[:4])


async def test_the_first_day_of_the_period_counts(articles: ArticleStore) -> None:
    """An article published on the first day of the period is in it (SQLite once compared
    its date with that day's midnight as text and left the whole first day out)."""
    first = TODAY - timedelta(days=29)
    await articles.add([story(7, "ferryboat strike", 29), story(8, "ferryboat fares", 30)])
    found = await trend(articles, "ferryboat", 30, TODAY)
    assert _by_day(found) == {first: 1}
    assert (await trend(articles, "ferryboat", 31, TODAY)).total == 2


async def test_counts_follow_adds_removals_and_retention(articles: ArticleStore) -> None:
    """What the chart shows is the articles stored now: a new one counts on its day, a
    removed one and those retention expires no longer count."""
    await articles.add([story(7, "tramway strike", 5), story(8, "tramway and apricot", 0)])
    found = await trend(articles, "tramway", 30, TODAY)
    assert found.total == 6
    assert _by_day(found) == {TODAY - timedelta(days=5): 1, TODAY - timedelta(days=3): 1, TODAY: 4}
    assert (await trend(articles, "apricot tramway", 30, TODAY)).total == 1
    stored = await articles.get_many(range(1, await articles.max_id() + 1))
    await articles.remove([a.id for a in stored if a.title == "Story 1"])  # tramway, today
    assert _by_day(await trend(articles, "tramway", 30, TODAY))[TODAY] == 3
    assert await expire(articles, 2, TODAY) == 4  # 3, 4, 5 and 7 days old
    assert _by_day(await trend(articles, "tramway", 60, TODAY)) == {TODAY: 3}


def _upgrade_only(config: Config) -> None:
    command.upgrade(config, "head")


async def test_a_store_from_before_article_days_is_filled_in_short_steps(
    articles: ArticleStore,
) -> None:
    """Migration 0014 on a store that already holds articles: the process starts at once
    (migrate copies nothing), /trend counts right while the days are copied in the
    background, a few articles a write transaction, and right after."""
    db_engine = articles.sessions.kw["bind"]
    before = await trend(articles, "tramway timetable", 60, TODAY)
    assert before.total == 4
    edge = await trend(articles, "tramway timetable", 41, TODAY)  # 40 days ago: its first day
    assert edge.total == 4
    await migrate(db_engine, _down_to_0013)
    await migrate(db_engine)  # what an instance runs at start: nothing copied yet
    async with articles.sessions() as session:
        assert not await filled(session)
    assert await trend(articles, "tramway timetable", 60, TODAY) == before
    assert await trend(articles, "tramway timetable", 41, TODAY) == edge
    assert await fill(db_engine, rows=2) == 4  # 6 articles, 2 a transaction, then the end
    assert await trend(articles, "tramway timetable", 60, TODAY) == before
    assert await fill(db_engine) == 0  # done: nothing more to copy


async def test_two_processes_copying_the_days_at_once_share_the_work(
    articles: ArticleStore,
) -> None:
    """Instances starting together after the upgrade each run the copy: under the state
    row's lock they take turns, nothing is copied twice (no conflict stops either) and
    every article gets its day."""
    db_engine = articles.sessions.kw["bind"]
    before = await trend(articles, "tramway timetable", 60, TODAY)
    await migrate(db_engine, _down_to_0013)
    await migrate(db_engine)
    other = make_db_engine(str(db_engine.url.render_as_string(hide_password=False)))
    try:
        steps = await asyncio.gather(fill(db_engine, rows=1), fill(other, rows=1))
    finally:
        await other.dispose()
    assert sum(steps) >= 7  # 6 articles one at a time, and the end (seen once or twice)
    async with articles.sessions() as session:
        assert await filled(session)
        copied = await session.scalar(select(func.count()).select_from(ArticleDayRow))
    assert copied == await articles.count()
    assert await trend(articles, "tramway timetable", 60, TODAY) == before


async def test_an_article_added_by_the_version_before_counts_on_its_day(
    articles: ArticleStore,
) -> None:
    """During a rolling upgrade an instance still on the version before adds articles: it
    writes the article and indexes its words, knowing nothing of article_days. The database
    gives the article its day all the same, so the chart counts it."""
    published = TODAY - timedelta(days=4)
    async with writing(articles.sessions) as session:
        new_id = await session.scalar(
            insert(ArticleRow)
            .values(
                title="Ferryboat strike",
                body="The ferryboat crews walked out at dawn.",
                published=published,
                content_hash="added-by-the-version-before",
                added_at=datetime.combine(TODAY, time(9)),
            )
            .returning(ArticleRow.id)
        )
        await index_for(session.get_bind().dialect.name).index_new(session, [int(new_id or 0)])
    found = await trend(articles, "ferryboat", 30, TODAY)
    assert _by_day(found) == {published: 1}
