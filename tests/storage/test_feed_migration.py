"""Migration 0004 on a store that already has feeds: rows kept, ids never reused afterwards
(on SQLite, and on PostgreSQL when NEWSBOT_TEST_PG_URL is set)."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from storage.db import _alembic_config, make_db_engine, make_sessionmaker, migrate, sqlite_url
from storage.feeds import FeedState, FeedStore

PG_URL = os.environ.get("NEWSBOT_TEST_PG_URL")


def _upgrade_to_0002(connection: Connection) -> None:
    command.upgrade(_alembic_config(connection), "0002")


async def _old_store_with_three_feeds(db_engine: AsyncEngine) -> None:
    async with db_engine.begin() as conn:
        await conn.run_sync(_upgrade_to_0002)
        for n in (1, 2, 3):
            await conn.execute(
                text("INSERT INTO feeds (url, last_error) VALUES (:u, :e)"),
                {"u": f"https://f{n}.example/rss", "e": "HTTP 404" if n == 2 else None},
            )


async def _check_upgrade_keeps_feeds_and_never_reuses_ids(db_engine: AsyncEngine) -> None:
    await _old_store_with_three_feeds(db_engine)
    await migrate(db_engine)
    feeds = FeedStore(make_sessionmaker(db_engine))
    kept = await feeds.all()
    assert [(f.id, f.url, f.last_error) for f in kept] == [
        (1, "https://f1.example/rss", None),
        (2, "https://f2.example/rss", "HTTP 404"),
        (3, "https://f3.example/rss", None),
    ]
    assert {f.state for f in kept} == {FeedState.NEW} and {f.articles_added for f in kept} == {0}
    assert await feeds.remove(3)
    assert (await feeds.add("https://f4.example/rss")).id == 4


async def test_sqlite_upgrade_keeps_feeds_and_never_reuses_ids(tmp_path: Path) -> None:
    db_engine = make_db_engine(sqlite_url(tmp_path / "old.db"))
    try:
        await _check_upgrade_keeps_feeds_and_never_reuses_ids(db_engine)
    finally:
        await db_engine.dispose()


@pytest.fixture
async def pg_engine() -> AsyncIterator[AsyncEngine]:
    if not PG_URL:
        pytest.skip("NEWSBOT_TEST_PG_URL is not set (a PostgreSQL server for these tests)")
    name = f"newsbot_{uuid.uuid4().hex[:12]}"
    admin = create_async_engine(PG_URL, isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    db_engine = make_db_engine(make_url(PG_URL).set(database=name).render_as_string(False))
    try:
        yield db_engine
    finally:
        await db_engine.dispose()
        async with admin.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        await admin.dispose()


async def test_postgres_upgrade_keeps_feeds_and_never_reuses_ids(pg_engine: AsyncEngine) -> None:
    await _check_upgrade_keeps_feeds_and_never_reuses_ids(pg_engine)
