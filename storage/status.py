"""Read-only questions about the shared database, for health checks and metrics."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import ArticleRow, FeedRow, JobLeaseRow


class StoreStatus:
    """Cheap reads that tell whether the team's bot is alive and delivering."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def ping(self) -> None:
        """A read of a real table (raises when the database cannot serve one): `SELECT 1`
        never touches the file, and answered while the file was gone."""
        async with self._sessions() as session:
            await session.execute(select(JobLeaseRow.name).limit(1))

    def database_file(self) -> Path | None:
        """The SQLite file the store opened (None: a server database, or in memory)."""
        bind = self._sessions.kw["bind"]
        database = bind.url.database if bind.dialect.name == "sqlite" else None
        return Path(database).resolve() if database and database != ":memory:" else None

    async def writable(self, seconds: float) -> bool:
        """Whether a write could start within `seconds` (SQLite: the write lock is free; a
        server database: always). Probed on a connection of its own, outside the pool, and
        nothing is written: the transaction is rolled back."""
        path = self.database_file()
        return True if path is None else await asyncio.to_thread(_lock_free, path, seconds)

    async def lease_until(self, job: str) -> datetime | None:
        """Until when some instance holds `job`'s lease (None: nobody ever took it)."""
        async with self._sessions() as session:
            until: datetime | None = await session.scalar(
                select(JobLeaseRow.until).where(JobLeaseRow.name == job)
            )
            return until

    async def feeds_polled(self) -> tuple[int, datetime | None, int]:
        """How many feeds there are, when the newest poll was, and how many are failing."""
        failing = func.count().filter(FeedRow.failures > 0)
        async with self._sessions() as session:
            row = (
                await session.execute(
                    select(func.count(), func.max(FeedRow.last_polled_at), failing)
                )
            ).one()
            return int(row[0]), row[1], int(row[2] or 0)

    async def articles(self) -> int:
        """How many articles the corpus holds."""
        async with self._sessions() as session:
            return int(await session.scalar(select(func.count()).select_from(ArticleRow)) or 0)


def _lock_free(path: Path, seconds: float) -> bool:
    try:
        with contextlib.closing(sqlite3.connect(path, timeout=seconds, isolation_level=None)) as c:
            c.execute("BEGIN IMMEDIATE")
            c.execute("ROLLBACK")
    except sqlite3.OperationalError:
        return False
    return True
