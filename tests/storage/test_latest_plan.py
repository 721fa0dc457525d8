"""/latest walks an index in its own order instead of sorting the table (the plan of the very
statement ArticleStore.latest runs), on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.dialects import postgresql, sqlite

from storage.articles import dated_before_statement, latest_statement
from tests.support.stores import open_store


@pytest.mark.parametrize("reads", ["latest", "retention"])
async def test_latest_and_retention_read_from_an_index(database_url: str, reads: str) -> None:
    """The newest page, and the oldest articles RETENTION_DAYS removes."""
    team = await open_store(database_url)
    try:
        engine = team.db_engine
        dialect = postgresql.dialect() if engine.dialect.name == "postgresql" else sqlite.dialect()
        statement = (
            latest_statement(10, 0)
            if reads == "latest"
            else dated_before_statement(date.today(), 500)
        )
        compiled = statement.compile(dialect=dialect, compile_kwargs={"literal_binds": True})
        async with engine.connect() as conn:
            if engine.dialect.name == "postgresql":
                await conn.execute(text("SET enable_seqscan = off"))  # 5 rows: prefer any index
                await conn.execute(text("SET enable_bitmapscan = off"))  # an index, in order
                plan = "\n".join(r[0] for r in await conn.execute(text(f"EXPLAIN {compiled}")))
                assert "ix_articles_newest" in plan and "Sort" not in plan, plan
            else:
                rows = await conn.execute(text(f"EXPLAIN QUERY PLAN {compiled}"))
                plan = "\n".join(str(r[-1]) for r in rows)
                assert "ix_articles_newest" in plan and "TEMP B-TREE" not in plan, plan
        assert len((await team.articles.latest(3))[0]) == 3
    finally:
        await team.close()
