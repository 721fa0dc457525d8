"""PostgreSQL's own plans where a plan is the guarantee (issue 19): on a store too large to
hold its vocabulary, the terms a search needs are read from search_terms by its indexes, never
by reading the whole table, whatever the query's words. Runs when NEWSBOT_TEST_PG_URL is set."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.dialects import postgresql

from engine.models import ParsedArticle
from engine.search import Vocabulary, WordPlan
from engine.vocabulary import lookups
from storage.fulltext import PostgresIndex, Tier
from storage.search import tiers
from storage.trends import trend_statement
from tests.support.pg import PG_URL, fresh_database
from tests.support.stores import open_store

pytestmark = pytest.mark.skipif(
    not PG_URL, reason="NEWSBOT_TEST_PG_URL is not set (a PostgreSQL server for these tests)"
)
TERMS = 200_000  # a store of about 100,000 articles holds 250,000 terms
ARTICLES = 30_000  # dated over a year: a 30-day period holds about 2,500


@pytest.mark.parametrize(
    "words",
    [
        ("goverment", "budjet"),
        ("minister",),
        ("parliamentarians", "ele"),
        ("goverment", "budjet", "minister"),  # 1,274 one-edit variants: a seq scan's price
    ],
    ids=["two typos", "one word", "long word and prefix", "three words"],
)
async def test_search_reads_only_the_terms_it_needs(words: tuple[str, ...]) -> None:
    """Exact terms and one-edit variants by the primary key, a long word's two-typo bucket by
    (first letter, length), a prefix by a range of the primary key."""
    async with fresh_database() as url:
        team = await open_store(url)
        try:
            async with team.db_engine.connect() as conn:
                await conn.execute(
                    text(
                        "INSERT INTO search_terms (term, docs, version) "
                        "SELECT chr(97 + i % 26) || left(md5(i::text), 2 + i % 14), 1 + i % 50, 1 "
                        "FROM generate_series(1, :n) i ON CONFLICT DO NOTHING"
                    ),
                    {"n": TERMS},
                )
                await conn.execute(text("ANALYZE search_terms"))
                statement, params = PostgresIndex.terms_read(lookups(words, "abcdefghij"))
                rows = await conn.execute(text(f"EXPLAIN {statement}"), params)
                plan = "\n".join(r[0] for r in rows)
                await conn.commit()
        finally:
            await team.close()
    assert "Seq Scan on search_terms" not in plan, plan
    assert "search_terms_pkey" in plan, plan
    if any(len(word) >= 9 for word in words):
        assert "ix_search_terms_bucket" in plan, plan


async def test_a_trend_of_a_common_word_is_counted_in_the_index() -> None:
    """A word in most articles, over 30 days of a year: the GIN index holds the words and the
    day (migration 0015), so one index scan meets both conditions. Before it, the planner read
    the period's rows from the day index and checked each one's stored words (TOAST): 60-64
    ms at 100,000 articles, 20-22 with it."""
    today = date(2026, 12, 6)
    async with fresh_database() as url:
        team = await open_store(url, seed=False)
        try:
            await team.articles.add([ParsedArticle("Minister said", "The minister said so.")])
            async with team.db_engine.connect() as conn:
                await conn.execute(
                    text(
                        "INSERT INTO articles (title, body, content_hash, added_at, published) "
                        "SELECT 'Report ' || i, 'Officials said item ' || i || ' was ready.', "
                        "md5(i::text), now(), CAST(:today AS date) - i % 365 "
                        "FROM generate_series(1, :n) i"
                    ),
                    {"n": ARTICLES, "today": today},
                )
                await conn.execute(text("ANALYZE articles"))
                await conn.commit()
                plan = await team.articles.plan("said")
                statement = trend_statement("postgresql", plan.words, today - timedelta(29), today)
                compiled = statement.compile(
                    dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}
                )
                rows = await conn.execute(text(f"EXPLAIN {compiled}"))
                explained = "\n".join(r[0] for r in rows)
        finally:
            await team.close()
    assert "ix_articles_words_day" in explained, explained
    assert "Filter: (search_vector" not in explained, explained


async def test_two_words_that_rarely_meet_are_sorted_not_walked_for() -> None:
    """A newest-first step of two words each in a fifth of the articles, which meet only in a
    few old ones: the planner, guessing they meet in a twenty-fifth, would walk the primary
    key backwards checking every article's words (at a million articles "indonesja fuel"
    read 65,000 rows in 369 ms); the step's matches are found whole and sorted."""
    async with fresh_database() as url:
        team = await open_store(url, seed=False)
        try:
            async with team.db_engine.connect() as conn:
                await conn.execute(
                    text(
                        "INSERT INTO articles (title, body, content_hash, added_at) "
                        "SELECT 'Item ' || i, CASE WHEN i <= 40 THEN 'alpha and beta' "
                        "WHEN i % 5 = 0 THEN 'alpha alone' WHEN i % 5 = 1 THEN 'beta alone' "
                        "ELSE 'neither' END, md5(i::text), now() FROM generate_series(1, :n) i"
                    ),
                    {"n": ARTICLES},
                )
                await conn.execute(text("ANALYZE articles"))
                await conn.commit()
            vocabulary = Vocabulary({"alpha": ARTICLES // 5, "beta": ARTICLES // 5})
            plan = vocabulary.plan(["alpha", "beta"])
            (step, *_) = tiers(list(plan.words), vocabulary, 30, 10)
            assert step.ranking == 0  # too common apart to rank: newest first
            statement, params = PostgresIndex.tiers_read([step])
            async with team.db_engine.connect() as conn:
                rows = await conn.execute(text(f"EXPLAIN {statement}"), params)
                explained = "\n".join(r[0] for r in rows)
                found = await team.articles.search("alpha beta")
        finally:
            await team.close()
    assert "Index Scan Backward using articles_pkey" not in explained, explained
    assert {h.article.title for h in found.hits} <= {f"Item {i}" for i in range(1, 41)}


async def test_a_prefix_of_many_terms_checks_the_articles_the_other_words_find() -> None:
    """ "air jamaica state con": "con" starts thousands of terms, each list read whole if the
    index expands it (70 ms at a million articles); with rarer words beside it the index
    finds them and the prefix is checked on their articles (3 ms), with the same matches."""
    async with fresh_database() as url:
        team = await open_store(url, seed=False)
        try:
            await team.articles.add(
                [
                    ParsedArticle("Air Jamaica control", "The state airline changes hands."),
                    ParsedArticle("Air Jamaica sale", "The state sells the airline."),
                    ParsedArticle("Jamaica concerns", "The state worries; no flights."),
                    ParsedArticle("Air Jamaica", "The state carrier considers routes."),
                ]
            )
            jamaica, air = (WordPlan(w, {w: 0}) for w in ("jamaica", "air"))
            con = WordPlan("con", {}, {"con": 0}, None)  # the index expands it
            step = Tier((jamaica, air, con), 10, 0, 3, 0)
            statement, params = PostgresIndex.tiers_read([step])
            async with team.db_engine.connect() as conn:
                await conn.execute(text("SET enable_seqscan = off"))  # four rows: use the index
                rows = await conn.execute(text(f"EXPLAIN {statement}"), params)
                explained = "\n".join(r[0] for r in rows)
                _, (found,) = await team.articles._search._index.ranked_tiers(conn, [step])
        finally:
            await team.close()
    conditions = [line for line in explained.splitlines() if "Cond:" in line]
    assert conditions and not any("con'':*" in line for line in conditions), explained
    assert {c.article.title for c in found} == {"Air Jamaica control", "Air Jamaica"}
