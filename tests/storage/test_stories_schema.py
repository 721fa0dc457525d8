"""The stories schema (migration 0009) on SQLite and PostgreSQL: the tables the grouping
keeps, the article's story column, and a downgrade and upgrade again that keeps articles."""

from __future__ import annotations

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import inspect
from sqlalchemy.engine import Connection

from storage.db import make_db_engine, migrate
from tests.support.stores import open_store


def _schema(connection: Connection) -> dict[str, set[str]]:
    inspector = inspect(connection)
    tables = ("stories", "story_keys", "story_terms", "story_documents", "articles")
    found = {
        t: {c["name"] for c in inspector.get_columns(t)} for t in tables if inspector.has_table(t)
    }
    found["indexes"] = {
        i["name"] or ""
        for t in ("articles", "story_keys")
        if t in found
        for i in inspector.get_indexes(t)
    }
    return found


def _down_to_0008(config: Config) -> None:
    command.downgrade(config, "0008")


# SQLite's reflection skips 0008's expression index (ix_articles_newest) with a warning.
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection")
async def test_the_migration_adds_stories_and_a_downgrade_removes_them(database_url: str) -> None:
    services = await open_store(database_url)  # migrated and seeded
    await services.close()
    db_engine = make_db_engine(database_url)
    try:
        async with db_engine.connect() as conn:
            schema = await conn.run_sync(_schema)
        assert schema["stories"] >= {"id", "state", "size", "first_day", "last_day", "updated_at"}
        assert schema["story_keys"] == {"key", "story_id", "last_day"}
        assert schema["story_terms"] == {"key", "docs"}
        assert "documents" in schema["story_documents"]
        assert "story_id" in schema["articles"]
        assert {"ix_articles_story_id", "ix_story_keys_key_day"} <= schema["indexes"]

        await migrate(db_engine, _down_to_0008)
        async with db_engine.connect() as conn:
            schema = await conn.run_sync(_schema)
        assert "stories" not in schema and "story_id" not in schema["articles"]

        await migrate(db_engine)
        async with db_engine.connect() as conn:
            schema = await conn.run_sync(_schema)
        assert "story_id" in schema["articles"] and "stories" in schema
    finally:
        await db_engine.dispose()
    services = await open_store(database_url)
    try:
        assert await services.articles.count() == 5  # the seeds survived the round trip
    finally:
        await services.close()
