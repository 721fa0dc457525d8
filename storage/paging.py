"""Paging keys: the query behind a ‹ Prev / Next › button (callback data holds 64 bytes, a query
may not fit), kept in the store so buttons survive restarts and work on every instance."""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.clock import utcnow
from storage.db import writing
from storage.models import SearchKeyRow


class PagingKeys:
    """Short keys for queries, written when a result list needs paging buttons."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def remember(self, query: str) -> str:
        """A 12-character key for a query, for paging buttons; survives restarts."""
        key = hashlib.blake2s(query.encode(), digest_size=6).hexdigest()
        if await self.recall(key) is not None:
            return key  # paging on through a list: a read, no write lock
        async with writing(self._sessions) as session:
            if await session.get(SearchKeyRow, key) is None:
                now = utcnow()
                session.add(SearchKeyRow(key=key, query=query, created_at=now))
        return key

    async def recall(self, key: str) -> str | None:
        """The query behind a paging key, or None (never issued, or purged)."""
        async with self._sessions() as session:
            row = await session.get(SearchKeyRow, key)
            return row.query if row else None

    async def forget(self, before: datetime) -> int:
        """Drop paging keys older than a date; returns how many."""
        async with writing(self._sessions) as session:
            result = await session.execute(
                delete(SearchKeyRow).where(SearchKeyRow.created_at < before)
            )
            return int(result.rowcount)  # type: ignore[attr-defined]
