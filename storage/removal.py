"""Removing articles from the corpus: the one place that knows everything that refers to an
article, so a new table that does (stories, vectors) adds its step here.

In one transaction: the full-text index forgets the articles' words (its term counts here,
FTS5's rows by its delete trigger), the outbox rows that carry them go (pending
ones were never sent: no digest will name them; sent ones are history of a digest already out,
and "N more" under it must not show an article that is gone), their stories count one source
less (a story left without sources goes), their vectors go, then the articles themselves.
A digest already claimed by a round (sending) loses the row: the round records its outcome by
row id, so nothing is resent because a row vanished.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.db import writing
from storage.fulltext import FullTextIndex
from storage.models import ArticleRow, OutboxRow, OutboxStatus, StoryRow

MAX_STORED_ID = 2**31 - 1  # the id column is a 32-bit integer on PostgreSQL
_UNSENT = (OutboxStatus.PENDING, OutboxStatus.SENDING)


@dataclass(frozen=True, slots=True)
class Removal:
    """What a removal did: the ids removed, those no article had, and the digest rows that
    went with them (not yet sent, and already sent)."""

    removed: tuple[int, ...]
    unknown: tuple[int, ...]
    pending_digest_rows: int = 0
    sent_digest_rows: int = 0


async def _outbox_rows(session: AsyncSession, ids: list[int]) -> tuple[int, int]:
    """Remove the outbox rows of these articles; (not yet sent, the others)."""
    counts = dict(
        (status, int(n))
        for status, n in await session.execute(
            select(OutboxRow.status, func.count())
            .where(OutboxRow.article_id.in_(ids))
            .group_by(OutboxRow.status)
        )
    )
    await session.execute(delete(OutboxRow).where(OutboxRow.article_id.in_(ids)))
    unsent = sum(counts.get(s, 0) for s in _UNSENT)
    return unsent, sum(counts.values()) - unsent


async def _story_sizes(session: AsyncSession, ids: list[int]) -> list[int]:
    """Lower the size of the stories these articles belong to; the stories touched."""
    counts = await session.execute(
        select(ArticleRow.story_id, func.count())
        .where(ArticleRow.id.in_(ids), ArticleRow.story_id.is_not(None))
        .group_by(ArticleRow.story_id)
    )
    touched = []
    for story_id, n in counts:
        assert story_id is not None  # the where clause
        await session.execute(
            update(StoryRow).where(StoryRow.id == story_id).values(size=StoryRow.size - n)
        )
        touched.append(int(story_id))
    return touched


async def remove_articles(
    sessions: async_sessionmaker[AsyncSession], index: FullTextIndex, wanted: Iterable[int]
) -> Removal:
    """Remove these articles and everything that refers to them, in one transaction."""
    asked = sorted(set(wanted))
    storable = [i for i in asked if 1 <= i <= MAX_STORED_ID]
    async with writing(sessions) as session:
        found = (
            sorted(await session.scalars(select(ArticleRow.id).where(ArticleRow.id.in_(storable))))
            if storable
            else []
        )
        if not found:
            return Removal((), tuple(asked))
        await index.forget(session, found)
        pending, sent = await _outbox_rows(session, found)
        stories = await _story_sizes(session, found)
        # Their vectors go with them by the foreign key's ON DELETE CASCADE, in the order a
        # vector's writer takes its locks (article first: no deadlock with a catch-up).
        # Instances' in-process indexes drop them when a search meets them.
        await session.execute(delete(ArticleRow).where(ArticleRow.id.in_(found)))
        # A story left without sources goes (its keys with it); the others count one less.
        await session.execute(delete(StoryRow).where(StoryRow.id.in_(stories), StoryRow.size <= 0))
    unknown = tuple(i for i in asked if i not in set(found))
    return Removal(tuple(found), unknown, pending, sent)
