"""The database engine (`db_engine`), sessions, and schema migrations."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import event
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import ConnectionPoolEntry

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 5000


def sqlite_url(path: Path | str) -> str:
    """The async SQLAlchemy URL of a SQLite file."""
    return f"sqlite+aiosqlite:///{Path(path)}"


def _sqlite_pragmas(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
    # WAL lets readers (the bot) work while a writer (an ingest) commits; foreign keys are off
    # by default in SQLite; a busy timeout turns lock contention into a short wait, not an error.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_db_engine(url: str) -> AsyncEngine:
    """Create the SQLAlchemy engine; SQLite connections get WAL, foreign keys, busy timeout."""
    db_engine = create_async_engine(url, pool_pre_ping=not url.startswith("sqlite"))
    if db_engine.dialect.name == "sqlite":
        event.listen(db_engine.sync_engine, "connect", _sqlite_pragmas)
    return db_engine


def make_sessionmaker(db_engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Session factory; objects stay usable after commit (they are converted right away)."""
    return async_sessionmaker(db_engine, expire_on_commit=False)


def _alembic_config(connection: Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def _upgrade(connection: Connection) -> None:
    command.upgrade(_alembic_config(connection), "head")


async def migrate(db_engine: AsyncEngine) -> None:
    """Bring the schema up to the newest migration (idempotent)."""
    async with db_engine.begin() as conn:
        await conn.run_sync(_upgrade)
