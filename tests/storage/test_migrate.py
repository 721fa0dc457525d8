"""Migrations as deployments run them: replicas starting at once on one database, and a
downgrade and upgrade again on a store with subscriptions (SQLite, and PostgreSQL when
NEWSBOT_TEST_PG_URL is set)."""

from __future__ import annotations

import asyncio

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.articles import ArticleStore
from storage.db import MIGRATIONS_DIR, make_db_engine, make_sessionmaker, migrate
from storage.subscriptions import SubscriptionStore

# The newest revision, read from the migrations themselves (a new one needs no edit here).
HEAD = ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()


async def _version(db_engine: AsyncEngine) -> str | None:
    async with db_engine.connect() as conn:
        return await conn.scalar(text("SELECT version_num FROM alembic_version"))


async def test_instances_starting_at_once_each_find_the_schema_current(database_url: str) -> None:
    engines = [make_db_engine(database_url) for _ in range(3)]
    try:
        async with asyncio.timeout(60):  # none fails "already exists", none waits forever
            await asyncio.gather(*(migrate(e) for e in engines))
        assert {await _version(e) for e in engines} == {HEAD}
    finally:
        for db_engine in engines:
            await db_engine.dispose()


def _down_to_0002(config: Config) -> None:
    command.downgrade(config, "0002")


async def test_a_downgrade_and_upgrade_keep_every_subscription(database_url: str) -> None:
    db_engine = make_db_engine(database_url)
    try:
        await migrate(db_engine)
        sessions = make_sessionmaker(db_engine)
        subscriptions = SubscriptionStore(sessions, ArticleStore(sessions))
        await subscriptions.subscribe(42, None, "ferry", "instant", None)
        await subscriptions.set_language(42, "de")
        await migrate(db_engine, _down_to_0002)  # rebuilds `chats` on SQLite (batch mode)
        await migrate(db_engine)
        assert [s.keywords for s in await subscriptions.for_chat(42)] == ["ferry"]
        assert await _version(db_engine) == HEAD
    finally:
        await db_engine.dispose()
