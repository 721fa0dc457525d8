"""A store at a database URL, opened as the bot opens it: migrated, seeded, repositories."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bot.container import Services, open_services
from bot.settings import Settings
from engine.models import ParsedArticle


async def open_store(url: str, *, seed: bool = True) -> Services:
    """The repositories over `url` (migrated; the seed articles in an empty store)."""
    settings = Settings(_env_file=None, database_url=url, seed=seed)  # type: ignore[call-arg]
    return await open_services(settings)


async def subscribed_team(url: str, chats: int, story: ParsedArticle) -> None:
    """Chats 1..`chats` subscribed to everything, then `story` added: one digest owed to each."""
    services = await open_store(url)
    try:
        for chat_id in range(1, chats + 1):
            await services.subscriptions.subscribe(chat_id, None, "", "instant", None)
        await services.articles.add([story])
    finally:
        await services.close()


def outbox_rows(db: Path, *statuses: str) -> int:
    """Outbox rows of a SQLite file in these statuses ('sent'; 'pending', 'sending': owed),
    read on a connection of the test's own while bot processes use the file."""
    marks = ", ".join("?" for _ in statuses)
    with sqlite3.connect(db) as con:
        query = f"SELECT count(*) FROM outbox WHERE status IN ({marks})"
        return int(con.execute(query, statuses).fetchone()[0])
