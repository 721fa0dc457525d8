"""The database engine (`db_engine`), sessions, and schema migrations."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import ParamSpec, TypeVar

from alembic import command
from alembic.config import Config
from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from tenacity import (
    retry,
    retry_if_exception,
    stop_after_delay,
    wait_exponential_jitter,
)

from engine.errors import N_, NewsbotError
from storage import dialect

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def sqlite_url(path: Path | str) -> str:
    """The async SQLAlchemy URL of a SQLite file."""
    return f"sqlite+aiosqlite:///{Path(path)}"


class StoreUnavailable(NewsbotError):
    """The database cannot be opened (a bad DATABASE_URL, a missing driver, a server down)."""


class StoreFailed(NewsbotError):
    """A write the database refused for a reason no retry fixes soon: a full disk, a file
    or server that became read-only, a broken file. What was committed before is kept."""

    message = N_("the database refused a write ({detail}); what was saved before is kept")


class StoreReadOnly(StoreUnavailable):
    """The database can be read but not written: the bot could only apologize."""

    message = N_(
        "the database can be read but not written ({detail}): check the permissions of the "
        "file and its folder, or the server's read-only setting"
    )


def store_failure(exc: BaseException) -> StoreFailed | None:
    """The one line a database error comes down to (the driver's own words, without the
    statement), or None when `exc` is not the database's."""
    if not isinstance(exc, DBAPIError):
        return None
    return StoreFailed(str(exc.orig or exc).splitlines()[0])


async def check_writable(db_engine: AsyncEngine) -> None:
    """Write once and roll back: a read-only file or server is found at start, not by every
    later write. Raises StoreReadOnly."""
    try:
        async with db_engine.connect() as conn, conn.begin() as transaction:
            await conn.execute(text("UPDATE alembic_version SET version_num = version_num"))
            await transaction.rollback()
    except DBAPIError as exc:
        raise StoreReadOnly(str(exc.orig or exc).splitlines()[0]) from None


def make_db_engine(url: str) -> AsyncEngine:
    """Create the SQLAlchemy engine; SQLite connections get WAL, foreign keys, busy timeout."""
    try:
        db_engine = create_async_engine(url, **dialect.engine_options(url))
    except (ArgumentError, ImportError) as exc:
        raise StoreUnavailable(f"cannot use DATABASE_URL: {exc}") from None
    dialect.prepare(db_engine)
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
        await session.connection(execution_options=dialect.WRITE_TRANSACTION)
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


def is_locked(exc: BaseException) -> bool:
    """SQLite's "database is locked": another connection held the write lock past the busy
    timeout (a long transaction of another process). Worth another try; a full disk or a
    read-only file is not."""
    return isinstance(exc, OperationalError) and "database is locked" in str(exc)


def retried_while_locked(
    seconds: float,
) -> Callable[[Callable[P, Awaitable[T]]], Callable[P, Awaitable[T]]]:
    """Retry a whole write transaction while SQLite's write lock is held elsewhere, for
    `seconds` in all (ingests running side by side take turns)."""
    return retry(
        retry=retry_if_exception(is_locked),
        stop=stop_after_delay(seconds),
        wait=wait_exponential_jitter(multiplier=0.1, max=2.0, jitter=0.2),
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
        dialect.lock_migrations(connection)
        step(_alembic_config(connection))


async def migrate(db_engine: AsyncEngine, step: MigrationStep = _upgrade_to_head) -> None:
    """Bring the schema up to the newest migration (idempotent; safe for instances starting at
    once: SQLite takes the write lock before reading the version, PostgreSQL an advisory lock).
    `step` is another Alembic command for tests (a downgrade). SQLite's foreign keys are off
    while it runs (storage.dialect.migrating says why).
    """

    async def once() -> None:
        async with db_engine.connect() as conn, dialect.migrating(conn) as migrating:
            await migrating.run_sync(_migrate, step)

    try:
        await dialect.first_open(db_engine, once)
    except (OperationalError, OSError) as exc:
        reason = getattr(exc, "orig", None) or exc  # the driver's words, without SQLAlchemy's links
        raise StoreUnavailable(f"cannot open the database: {reason}") from None
