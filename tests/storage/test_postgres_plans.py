"""PostgreSQL's own plans where a plan is the guarantee (issue 19): on a store too large to
hold its vocabulary, the terms a search needs are read from search_terms by its indexes, never
by reading the whole table, whatever the query's words. Runs when NEWSBOT_TEST_PG_URL is set."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from engine.vocabulary import lookups
from storage.fulltext import PostgresIndex
from tests.support.pg import PG_URL, fresh_database
from tests.support.stores import open_store

pytestmark = pytest.mark.skipif(
    not PG_URL, reason="NEWSBOT_TEST_PG_URL is not set (a PostgreSQL server for these tests)"
)
TERMS = 200_000  # a store of about 100,000 articles holds 250,000 terms


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
