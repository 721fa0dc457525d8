"""Read-only questions about the shared database, for health checks and metrics."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import ArticleRow, FeedRow, JobLeaseRow


class StoreStatus:
    """Cheap reads that tell whether the team's bot is alive and delivering."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def ping(self) -> None:
        """A round trip to the database (raises when it is unreachable)."""
        async with self._sessions() as session:
            await session.execute(text("SELECT 1"))

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
