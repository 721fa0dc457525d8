"""The database engine (`db_engine`), sessions, and schema migrations."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from alembic import command
from alembic.config import Config
from sqlalchemy import event
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


def sqlite_url(path: Path | str) -> str:
    """The async SQLAlchemy URL of a SQLite file."""
    return f"sqlite+aiosqlite:///{Path(path)}"


def _sqlite_pragmas(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
    # WAL lets readers (the bot) work while a writer (an ingest) commits; foreign keys are off
    # by default in SQLite; a busy timeout turns lock contention into a short wait, not an error.
    # The driver's own BEGIN is turned off: _sqlite_begin emits it, IMMEDIATE for writes.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
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


def _upgrade(connection: Connection) -> None:
    command.upgrade(_alembic_config(connection), "head")


async def migrate(db_engine: AsyncEngine) -> None:
    """Bring the schema up to the newest migration (idempotent)."""
    try:
        async with db_engine.begin() as conn:
            await conn.run_sync(_upgrade)
    except (OperationalError, OSError) as exc:
        reason = getattr(exc, "orig", None) or exc  # the driver's words, without SQLAlchemy's links
        raise StoreUnavailable(f"cannot open the database: {reason}") from None
