"""RSS/Atom feeds as rows: the list of feeds and what the last poll left on each (validators
for conditional GET, the last error). Polling itself is ingest.feeds."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from engine.errors import IngestError
from engine.models import ParsedArticle
from storage.articles import utcnow
from storage.db import writing
from storage.models import FeedRow


@dataclass(frozen=True, slots=True)
class Feed:
    """A feed and its conditional-GET validators."""

    id: int
    url: str
    etag: str | None
    modified: str | None


@dataclass(slots=True)
class FeedPoll:
    """What one poll found."""

    articles: list[ParsedArticle] = field(default_factory=list)
    not_modified: bool = False
    etag: str | None = None
    modified: str | None = None
    errors: list[str] = field(default_factory=list)


class FeedStore:
    """The feeds to poll."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def add(self, url: str) -> Feed:
        """Add a feed (http/https only); adding one twice is a no-op."""
        if not re.match(r"https?://[^\s/]+", url):
            raise IngestError("a feed URL must start with http:// or https://")
        try:
            async with writing(self._sessions) as session:
                session.add(FeedRow(url=url))
        except IntegrityError:
            pass
        async with self._sessions() as session:
            row = (await session.scalars(select(FeedRow).where(FeedRow.url == url))).one()
            return Feed(row.id, row.url, row.etag, row.modified)

    async def remove(self, feed_id: int) -> bool:
        """Stop polling a feed; False if there was none with that id."""
        async with writing(self._sessions) as session:
            result = await session.execute(delete(FeedRow).where(FeedRow.id == feed_id))
            return bool(result.rowcount)  # type: ignore[attr-defined]

    async def all(self) -> list[Feed]:
        """Every feed."""
        async with self._sessions() as session:
            rows = await session.scalars(select(FeedRow).order_by(FeedRow.id))
            return [Feed(r.id, r.url, r.etag, r.modified) for r in rows]

    async def record(self, feed: Feed, poll: FeedPoll) -> None:
        """Keep the validators and the last error of a poll."""
        values: dict[str, Any] = {
            "last_polled_at": utcnow(),
            "last_error": "; ".join(poll.errors)[:500] or None,
        }
        if not poll.not_modified:
            values.update(etag=poll.etag, modified=poll.modified)
        async with writing(self._sessions) as session:
            await session.execute(update(FeedRow).where(FeedRow.id == feed.id).values(**values))
