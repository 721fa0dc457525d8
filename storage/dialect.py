"""Everything that differs between SQLite and PostgreSQL, in one place: the `INSERT … ON
CONFLICT` statement, the full-text index, SQLite's pragmas and transaction start, and the locks
that keep instances starting together from migrating at once and that serialise story grouping.

Migrations (storage/migrations/versions) keep their own dialect checks: a migration is history
and must not change when this module does.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, Date, Integer, cast, event, func, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession
from sqlalchemy.pool import ConnectionPoolEntry
from tenacity import retry, retry_if_exception, stop_after_delay, wait_exponential_jitter

from storage.fulltext import Fts5Index, FullTextIndex, PostgresIndex
from storage.models import ArticleRow, Base

SQLITE = "sqlite"
POSTGRESQL = "postgresql"
SQLITE_BUSY_TIMEOUT_MS = 5000
BEGIN_OPTION = "newsbot_sqlite_begin"
# Execution options of a write transaction: on SQLite it begins IMMEDIATE (the write lock up
# front); PostgreSQL ignores the option.
WRITE_TRANSACTION = {BEGIN_OPTION: "IMMEDIATE"}
# PostgreSQL advisory lock key ("news"): instances starting together migrate one at a time.
MIGRATION_LOCK = 0x6E657773
# PostgreSQL advisory lock key ("stor"): one story grouping step at a time across instances.
STORIES_LOCK = 0x73746F72


def upsert(session: AsyncSession, table: type[Base]) -> postgresql.Insert | sqlite.Insert:
    """An INSERT into `table` that takes ON CONFLICT clauses, in the session's dialect."""
    if session.get_bind().dialect.name == POSTGRESQL:
        return postgresql.insert(table)
    return sqlite.insert(table)


def index_for(dialect: str) -> FullTextIndex:
    """The full-text index implementation for a database dialect name."""
    if dialect == SQLITE:
        return Fts5Index()
    if dialect == POSTGRESQL:
        return PostgresIndex()
    raise ValueError(f"no full-text index for {dialect}: use SQLite or PostgreSQL")


def article_day(dialect: str) -> ColumnElement[Any]:
    """An article's day (publication date, else the day it was added) as SQL: a date on
    PostgreSQL; ISO text on SQLite, which stores both as text (the first ten characters)."""
    if dialect == POSTGRESQL:
        return func.coalesce(ArticleRow.published, cast(ArticleRow.added_at, Date))
    return func.substr(func.coalesce(ArticleRow.published, ArticleRow.added_at), 1, 10)


def day_number(dialect: str) -> ColumnElement[int]:
    """An article's day as the integer yyyymmdd (article_days.day), from the columns
    ix_articles_day holds."""
    if dialect == POSTGRESQL:
        return cast(func.to_char(article_day(dialect), "YYYYMMDD"), Integer)
    return cast(func.replace(article_day(dialect), "-", ""), Integer)


# Two seeks a day in ix_article_days_day (json_each: one statement, however long the period).
SQLITE_ID_SPAN = (
    "SELECT min(lo), max(hi) FROM (SELECT "
    "(SELECT min(id) FROM article_days WHERE day = d.value) AS lo, "
    "(SELECT max(id) FROM article_days WHERE day = d.value) AS hi FROM json_each(:days) AS d)"
)
EVERY_ID = (0, 2**63 - 1)


async def id_span(session: AsyncSession, days: Sequence[int]) -> tuple[int, int]:
    """From which id to which the articles of these days (yyyymmdd) lie, for a full-text
    index's all_matching: on SQLite, whose lists are in id order, the lowest and highest id
    ((1, 0) when the days hold none); PostgreSQL's GIN index reads whole lists: every id."""
    if session.get_bind().dialect.name == POSTGRESQL:
        return EVERY_ID
    found = await session.execute(text(SQLITE_ID_SPAN), {"days": json.dumps(list(days))})
    lo, hi = found.one()
    return (int(lo), int(hi)) if lo is not None else (1, 0)


def engine_options(url: str) -> dict[str, Any]:
    """create_async_engine's options for a URL: a server's connections are checked before use
    (it may have dropped them); a SQLite file's need no check. A failed statement's error
    never carries its parameters (article text, a user's query) into logs or output."""
    return {"pool_pre_ping": not url.startswith(SQLITE), "hide_parameters": True}


def _sqlite_pragmas(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
    # WAL lets readers (the bot) work while a writer (an ingest) commits; foreign keys are off
    # by default in SQLite; a busy timeout turns lock contention into a short wait, not an error.
    # The driver's own BEGIN is turned off: _sqlite_begin emits it, IMMEDIATE for writes.
    dbapi_connection.isolation_level = None
    # The busy timeout goes first: switching a new file to WAL needs a lock that another
    # process opening it at the same moment may hold.
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    conn.exec_driver_sql(f"BEGIN {conn.get_execution_options().get(BEGIN_OPTION, 'DEFERRED')}")


def prepare(db_engine: AsyncEngine) -> None:
    """Set up new connections: SQLite gets WAL, foreign keys, a busy timeout, and BEGIN
    IMMEDIATE for write transactions (WRITE_TRANSACTION)."""
    if db_engine.dialect.name == SQLITE:
        event.listen(db_engine.sync_engine, "connect", _sqlite_pragmas)
        event.listen(db_engine.sync_engine, "begin", _sqlite_begin)


def lock_migrations(connection: Connection) -> None:
    """Inside a migration's transaction: wait for any other instance migrating (PostgreSQL).

    Replicas start together: the first migrates, the others wait here (to the end of this
    transaction) and then find the schema current. Without it the second one's CREATE or ALTER
    fails with "already exists" once the first commits. SQLite's BEGIN IMMEDIATE does the same.
    """
    if connection.dialect.name == POSTGRESQL:
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})


async def lock_stories(session: AsyncSession) -> None:
    """Inside a write transaction: wait until no other transaction is grouping articles into
    stories (storage/stories.py), held to the end of this one. PostgreSQL takes an advisory
    lock; SQLite already holds the database's write lock (BEGIN IMMEDIATE, storage.db.writing).
    """
    if session.get_bind().dialect.name == POSTGRESQL:
        await session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": STORIES_LOCK})


def _sqlite_foreign_keys(connection: Connection, on: bool) -> None:
    # Straight to the driver: the pragma is a no-op inside a transaction, and SQLAlchemy's
    # execute() would begin one first.
    cursor = connection.connection.cursor()
    cursor.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")
    cursor.close()


@asynccontextmanager
async def migrating(conn: AsyncConnection) -> AsyncIterator[AsyncConnection]:
    """The connection a migration runs on. On SQLite it takes the write lock before reading the
    version, and foreign keys are off while it runs: a batch migration rebuilds a table (drop
    and re-create), and with them on, dropping `chats` would delete every subscription (ON
    DELETE CASCADE), as Alembic's batch mode documentation warns."""
    if conn.dialect.name != SQLITE:
        yield conn
        return
    conn = await conn.execution_options(**WRITE_TRANSACTION)
    await conn.run_sync(_sqlite_foreign_keys, False)
    try:
        yield conn
    finally:
        await conn.run_sync(_sqlite_foreign_keys, True)


def _locked(exc: BaseException) -> bool:
    return isinstance(exc, OperationalError) and "database is locked" in str(exc)


# A new SQLite file opened by several processes at once: switching it to WAL (once, at the first
# connection) can fail with "database is locked" at once, busy timeout or not. Tried again.
_retry_locked = retry(
    retry=retry_if_exception(_locked),
    stop=stop_after_delay(30),
    wait=wait_exponential_jitter(multiplier=0.05, max=1.0, jitter=0.05),
    reraise=True,
)


def _sqlite_folder_exists(database: str | None) -> None:
    """A SQLite file's folder must exist (OSError if not), checked before connecting: a
    failed connection leaves aiosqlite's thread to finish its stop on an event loop the
    command has closed by then (an "Event loop is closed" error in that thread)."""
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    folder = Path(database).expanduser().parent
    if not folder.is_dir():
        raise FileNotFoundError(f"no folder {folder}")


async def first_open(db_engine: AsyncEngine, attempt: Callable[[], Awaitable[None]]) -> None:
    """Run `attempt` (the first use of a database), tried again while a new SQLite file is
    locked by another process switching it to WAL."""
    if db_engine.dialect.name == SQLITE:
        _sqlite_folder_exists(db_engine.url.database)
        await _retry_locked(attempt)()
    else:
        await attempt()
