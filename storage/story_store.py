"""The stories repository: list stories and read one with its sources; group the articles
that have no story yet (a store from before stories: the catch-up).

New articles are grouped as they are added (storage/stories.py `assign`, called by
ArticleStore.add); this reads what that step wrote.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from engine.errors import StoryNotFound
from engine.models import Story, StoryBrief
from engine.numbers import MAX_STORY_ID
from storage.articles import newest_first, to_article
from storage.clock import utcnow
from storage.db import writing
from storage.dialect import lock_stories
from storage.models import ArticleRow, StoryRow
from storage.stories import Arrival, assign, prepare
from storage.story_batch import brief

CATCH_UP_BATCH = 200  # articles grouped per write transaction by the catch-up


@dataclass(frozen=True, slots=True)
class CatchUp:
    """What a catch-up did: articles grouped, stories begun, and how many stories the store
    holds now."""

    articles: int
    new_stories: int
    stories: int


class StoryStore:
    """Stories in the database, seen through the engine's dataclasses."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def count(self) -> int:
        """How many stories are stored."""
        async with self._sessions() as session:
            return int(await session.scalar(select(func.count()).select_from(StoryRow)) or 0)

    async def ungrouped(self) -> int:
        """How many articles have no story yet."""
        async with self._sessions() as session:
            statement = select(func.count()).where(ArticleRow.story_id.is_(None))
            return int(await session.scalar(statement) or 0)

    async def group_pending(self, batch: int = CATCH_UP_BATCH) -> CatchUp:
        """Group every article without a story, oldest first, in batches of `batch` (each its
        own short write transaction, so new articles and other instances are never held up
        for long). Safe to run in several instances at once: each batch re-reads, under the
        stories lock, which of its articles are still ungrouped."""
        grouped = new = 0
        while found := await self._one_batch(batch):
            grouped += found[0]
            new += found[1]
        return CatchUp(grouped, new, await self.count())

    async def _one_batch(self, batch: int) -> tuple[int, int] | None:
        """Group up to `batch` ungrouped articles; None when none is left."""
        async with self._sessions() as reader:
            rows = (
                await reader.execute(
                    select(
                        ArticleRow.id,
                        ArticleRow.title,
                        ArticleRow.body,
                        ArticleRow.published,
                        ArticleRow.added_at,
                        ArticleRow.source,
                    )
                    .where(ArticleRow.story_id.is_(None))
                    .order_by(ArticleRow.id)
                    .limit(batch)
                )
            ).all()
            if not rows:
                return None
            prepared = await prepare(reader, [(r.title, r.body, r.published) for r in rows])
        async with writing(self._sessions) as session:
            await lock_stories(session)
            still = set(
                await session.scalars(
                    select(ArticleRow.id).where(
                        ArticleRow.id.in_([r.id for r in rows]), ArticleRow.story_id.is_(None)
                    )
                )
            )
            arrivals = [
                Arrival(r.id, f, r.published or r.added_at.date(), r.source)
                for r, f in zip(rows, prepared, strict=True)
                if r.id in still
            ]
            done = await assign(session, arrivals, utcnow())
        return len(done.stories), done.new

    async def latest(self, limit: int, offset: int = 0) -> tuple[list[Story], bool]:
        """Stories with the newest sources first; and whether more follow."""
        async with self._sessions() as session:
            ids = list(
                await session.scalars(
                    select(StoryRow.id)
                    .order_by(StoryRow.last_day.desc(), StoryRow.id.desc())
                    .offset(offset)
                    .limit(limit + 1)
                )
            )
            stories = await _stories(session, ids[:limit])
        return stories, len(ids) > limit

    async def get(self, story_id: int) -> Story:
        """The story with this id and all its sources, or StoryNotFound."""
        if not 1 <= story_id <= MAX_STORY_ID:
            raise StoryNotFound(story_id)
        async with self._sessions() as session:
            found = await _stories(session, [story_id])
        if not found:
            raise StoryNotFound(story_id)
        return found[0]

    async def briefs(self, story_ids: Sequence[int]) -> dict[int, StoryBrief]:
        """How many sources each of these stories has and their outlets (the one that gave
        the most first), for the stories with more than one source."""
        wanted = [i for i in set(story_ids) if 1 <= i <= MAX_STORY_ID]
        if not wanted:
            return {}
        async with self._sessions() as session:
            rows = await session.execute(
                select(StoryRow.id, StoryRow.size, StoryRow.outlets).where(
                    StoryRow.id.in_(wanted), StoryRow.size > 1
                )
            )
            found = (brief(story, size, outlets) for story, size, outlets in rows)
            return {b.id: b for b in found if b is not None}

    async def of_articles(self, story_ids: Sequence[int]) -> list[Story]:
        """These stories with their sources (unknown ids are skipped), in the given order."""
        async with self._sessions() as session:
            return await _stories(session, list(dict.fromkeys(story_ids)))


async def _stories(session: AsyncSession, ids: Sequence[int]) -> list[Story]:
    """Stories by id, in the given order, each with its sources newest first."""
    if not ids:
        return []
    rows = await session.scalars(
        select(ArticleRow).where(ArticleRow.story_id.in_(ids)).order_by(*newest_first())
    )
    sources: dict[int, list[ArticleRow]] = {}
    for row in rows:
        sources.setdefault(row.story_id or 0, []).append(row)
    return [Story(i, tuple(to_article(r) for r in sources[i])) for i in ids if sources.get(i)]
