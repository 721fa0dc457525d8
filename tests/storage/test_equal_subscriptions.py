"""One chat, one digest per story: an equal subscription is refused with its number, several
matching subscriptions of one chat bring an article once, and a store that already holds
equal subscriptions has them merged by migration 0007 (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import text
from sqlalchemy.engine import Connection

from engine.models import ParsedArticle
from storage.db import _alembic_config, make_db_engine, migrate
from storage.subscriptions import AlreadySubscribed, SubscriptionOptions
from tests.support.stores import open_store


async def test_an_equal_subscription_is_refused_with_its_number(database_url: str) -> None:
    team = await open_store(database_url, seed=False)
    try:
        subs = team.subscriptions
        await subs.subscribe(7, None, "ECO", "instant", None)
        await subs.subscribe(7, None, "Azerbaijan", "instant", None, SubscriptionOptions("Armenia"))
        with pytest.raises(AlreadySubscribed) as refused:
            await subs.subscribe(
                7, None, "azerbaijan", "instant", None, SubscriptionOptions("ARMENIA")
            )
        assert str(refused.value) == "Already subscribed: #2 (see /subscriptions)."
        # Different schedule, topic or chat: not equal.
        await subs.subscribe(
            7, None, "Azerbaijan", "daily", "09:00", SubscriptionOptions("Armenia")
        )
        await subs.subscribe(7, 55, "Azerbaijan", "instant", None, SubscriptionOptions("Armenia"))
        await subs.subscribe(8, None, "Azerbaijan", "instant", None, SubscriptionOptions("Armenia"))
        assert len(await subs.for_chat(7)) == 4
    finally:
        await team.close()


async def test_a_chat_gets_an_article_once_when_several_subscriptions_match(
    database_url: str,
) -> None:
    team = await open_store(database_url, seed=False)
    try:
        await team.subscriptions.subscribe(7, None, "Baku", "instant", None)
        await team.subscriptions.subscribe(7, None, "ferry", "instant", None)
        await team.subscriptions.subscribe(8, None, "ferry", "instant", None)
        await team.articles.add([ParsedArticle("Baku ferry", "The Baku ferry sails again.")])
        assert await team.outbox.fan_out() == 2  # chat 7 once, chat 8 once
        assert await team.outbox.fan_out() == 0
    finally:
        await team.close()


def _to_0006(connection: Connection) -> None:
    command.upgrade(_alembic_config(connection), "0006")


async def test_migration_merges_equal_subscriptions(database_url: str) -> None:
    db_engine = make_db_engine(database_url)
    try:
        async with db_engine.begin() as conn:
            await conn.run_sync(_to_0006)
            await conn.execute(
                text("INSERT INTO chats (id, timezone, active) VALUES (7, 'UTC', :y)"), {"y": True}
            )
            for keywords in ("Azerbaijan", "ECO", "azerbaijan", "Azerbaijan"):
                await conn.execute(
                    text(
                        "INSERT INTO subscriptions (chat_id, keywords, excluded, mode, created_at,"
                        " after_article_id, active, silent) VALUES (7, :k, '', 'instant',"
                        " CURRENT_TIMESTAMP, 0, :y, :n)"
                    ),
                    {"k": keywords, "y": True, "n": False},
                )
        await migrate(db_engine)
        async with db_engine.connect() as conn:
            active = (
                await conn.execute(
                    text("SELECT id, keywords FROM subscriptions WHERE active = :y ORDER BY id"),
                    {"y": True},
                )
            ).all()
        assert [tuple(r) for r in active] == [(1, "Azerbaijan"), (2, "ECO")]
    finally:
        await db_engine.dispose()
