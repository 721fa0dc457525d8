"""/latest walks an index in its own order instead of sorting the table (the plan of the very
statement ArticleStore.latest runs), on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.dialects import postgresql, sqlite

from storage.articles import latest_statement
from tests.support.stores import open_store


async def test_latest_reads_the_newest_from_an_index(database_url: str) -> None:
    team = await open_store(database_url)
    try:
        engine = team.db_engine
        dialect = postgresql.dialect() if engine.dialect.name == "postgresql" else sqlite.dialect()
        compiled = latest_statement(10, 0).compile(
            dialect=dialect, compile_kwargs={"literal_binds": True}
        )
        async with engine.connect() as conn:
            if engine.dialect.name == "postgresql":
                await conn.execute(text("SET enable_seqscan = off"))  # 5 rows: prefer any index
                plan = "\n".join(r[0] for r in await conn.execute(text(f"EXPLAIN {compiled}")))
                assert "ix_articles_newest" in plan and "Sort" not in plan, plan
            else:
                rows = await conn.execute(text(f"EXPLAIN QUERY PLAN {compiled}"))
                plan = "\n".join(str(r[-1]) for r in rows)
                assert "ix_articles_newest" in plan and "TEMP B-TREE" not in plan, plan
        assert len((await team.articles.latest(3))[0]) == 3
    finally:
        await team.close()
