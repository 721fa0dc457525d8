"""The database engine (`db_engine`), sessions, and schema migrations."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from alembic import command
from alembic.config import Config
from sqlalchemy import event, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import ConnectionPoolEntry
from tenacity import (
    retry,
    retry_if_exception,
    stop_after_delay,
    wait_exponential_jitter,
)

from engine.errors import NewsbotError

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 5000
BEGIN_OPTION = "newsbot_sqlite_begin"
# PostgreSQL advisory lock key ("news"): instances starting together migrate one at a time.
MIGRATION_LOCK = 0x6E657773


def sqlite_url(path: Path | str) -> str:
    """The async SQLAlchemy URL of a SQLite file."""
    return f"sqlite+aiosqlite:///{Path(path)}"


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


class StoreUnavailable(NewsbotError):
    """The database cannot be opened (a bad DATABASE_URL, a missing driver, a server down)."""


def make_db_engine(url: str) -> AsyncEngine:
    """Create the SQLAlchemy engine; SQLite connections get WAL, foreign keys, busy timeout."""
    try:
        db_engine = create_async_engine(url, pool_pre_ping=not url.startswith("sqlite"))
    except (ArgumentError, ImportError) as exc:
        raise StoreUnavailable(f"cannot use DATABASE_URL: {exc}") from None
    if db_engine.dialect.name == "sqlite":
        event.listen(db_engine.sync_engine, "connect", _sqlite_pragmas)
        event.listen(db_engine.sync_engine, "begin", _sqlite_begin)
    return db_engine


def make_sessionmaker(db_engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Session factory; objects stay usable after commit (they are converted right away)."""
    return async_sessionmaker(db_engine, expire_on_commit=False)


@asynccontextmanager
async def writing(sessions: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    """A write transaction, committed on success.

    On SQLite it takes the write lock up front (BEGIN IMMEDIATE): a transaction that reads and
    then writes would otherwise fail with "database is locked" when another connection commits
    in between, since WAL cannot upgrade a stale read snapshot. Waiting is bounded by the busy
    timeout. Reads keep plain sessions and never wait for writers.
    """
    async with sessions() as session, session.begin():
        await session.connection(execution_options={BEGIN_OPTION: "IMMEDIATE"})
        yield session


def is_transient(exc: BaseException) -> bool:
    """A failure that may pass: SQLite's "database is locked", a dropped server connection."""
    if isinstance(exc, OperationalError):
        return True
    return isinstance(exc, DBAPIError) and exc.connection_invalidated


P = ParamSpec("P")
T = TypeVar("T")


def retried_write(
    seconds: float,
) -> Callable[[Callable[P, Awaitable[T]]], Callable[P, Awaitable[T]]]:
    """Retry a write on transient failures, with jittered exponential backoff, for `seconds`.

    Bookkeeping of deliveries goes through this: a write that fails once must not turn an
    accepted send into a resend, nor a claimed row into a stuck one.
    """
    return retry(
        retry=retry_if_exception(is_transient),
        stop=stop_after_delay(seconds),
        wait=wait_exponential_jitter(multiplier=0.05, max=2.0, jitter=0.05),
        reraise=True,
    )


def _alembic_config(connection: Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


MigrationStep = Callable[[Config], None]


def _upgrade_to_head(config: Config) -> None:
    command.upgrade(config, "head")


def _migrate(connection: Connection, step: MigrationStep) -> None:
    with connection.begin():
        if connection.dialect.name == "postgresql":
            # Replicas start together: the first migrates, the others wait here (to the end of
            # this transaction) and then find the schema current. Without it the second one's
            # CREATE or ALTER fails with "already exists" once the first commits.
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        step(_alembic_config(connection))


def _sqlite_foreign_keys(connection: Connection, on: bool) -> None:
    # Straight to the driver: the pragma is a no-op inside a transaction, and SQLAlchemy's
    # execute() would begin one first.
    cursor = connection.connection.cursor()
    cursor.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")
    cursor.close()


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


async def _migrate_once(db_engine: AsyncEngine, step: MigrationStep) -> None:
    sqlite = db_engine.dialect.name == "sqlite"
    async with db_engine.connect() as conn:
        if sqlite:
            conn = await conn.execution_options(**{BEGIN_OPTION: "IMMEDIATE"})
            await conn.run_sync(_sqlite_foreign_keys, False)
        try:
            await conn.run_sync(_migrate, step)
        finally:
            if sqlite:
                await conn.run_sync(_sqlite_foreign_keys, True)


async def migrate(db_engine: AsyncEngine, step: MigrationStep = _upgrade_to_head) -> None:
    """Bring the schema up to the newest migration (idempotent; safe for instances starting at
    once: SQLite takes the write lock before reading the version, PostgreSQL an advisory lock).
    `step` is another Alembic command for tests (a downgrade).

    On SQLite foreign keys are off while migrating: a batch migration rebuilds a table (drop and
    re-create), and with them on, dropping `chats` would delete every subscription (ON DELETE
    CASCADE), as Alembic's batch mode documentation warns.
    """
    sqlite = db_engine.dialect.name == "sqlite"
    once = _retry_locked(_migrate_once) if sqlite else _migrate_once
    try:
        await once(db_engine, step)
    except (OperationalError, OSError) as exc:
        reason = getattr(exc, "orig", None) or exc  # the driver's words, without SQLAlchemy's links
        raise StoreUnavailable(f"cannot open the database: {reason}") from None
