"""Job leases: a job that must run once across instances runs where its lease is held.

One row per job name. Taking or renewing it is one upsert (`INSERT … ON CONFLICT DO UPDATE …
WHERE the lease expired or is ours`, on PostgreSQL and SQLite alike), so two instances can
never both hold it. The holder renews it each time it runs; if it dies, the lease expires and
another instance takes over.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.clock import utcnow
from storage.db import writing
from storage.dialect import upsert
from storage.models import JobLeaseRow


class JobLeases:
    """Leases on named jobs for one instance (`owner`)."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], owner: str) -> None:
        self._sessions = sessions
        self.owner = owner

    async def hold(self, name: str, seconds: float, dead: Collection[str] = ()) -> bool:
        """Take or renew the lease on `name` for `seconds`; False if another instance has it
        (one of `dead`, known to be gone, has it no longer)."""
        now = utcnow()
        free = (JobLeaseRow.until < now) | (JobLeaseRow.holder == self.owner)
        if dead:
            free = free | JobLeaseRow.holder.in_(list(dead))
        async with writing(self._sessions) as session:
            values = upsert(session, JobLeaseRow).values(
                name=name, holder=self.owner, until=now + timedelta(seconds=seconds)
            )
            statement = values.on_conflict_do_update(
                index_elements=[JobLeaseRow.name],
                set_={"holder": values.excluded.holder, "until": values.excluded.until},
                where=free,
            ).returning(JobLeaseRow.holder)
            holder: str | None = await session.scalar(statement)
            return holder == self.owner

    async def holder(self, name: str) -> str | None:
        """Who holds (or last held) the lease on `name`."""
        async with self._sessions() as session:
            found: str | None = await session.scalar(
                select(JobLeaseRow.holder).where(JobLeaseRow.name == name)
            )
            return found

    async def release(self, name: str) -> None:
        """Give the lease back (at shutdown), so another instance need not wait it out."""
        async with writing(self._sessions) as session:
            await session.execute(
                delete(JobLeaseRow).where(
                    JobLeaseRow.name == name, JobLeaseRow.holder == self.owner
                )
            )
