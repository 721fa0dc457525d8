"""Article vectors for search by meaning: the table is the source of truth (migration 0012).

A vector is written once per article and model by the catch-up job (ingest/vectors.py), never
on a read. Every write takes the next change mark (vector_version, locked to the end of the
writer's transaction, so marks become visible in order); an in-process index follows the table
by reading the rows past the last (mark, article id) it has seen (storage/vector_index.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import delete, func, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.db import writing
from storage.dialect import upsert
from storage.models import ArticleRow, ArticleVectorRow, VectorVersionRow

Position = tuple[int, int]  # (mark, article id): how far a reader has followed the table
START: Position = (0, 0)
DELETE_CHUNK = 2_000  # rows a reindex deletes per transaction (the write lock stays short)


@dataclass(frozen=True, slots=True)
class Pending:
    """An article still without a vector of the model: its id, title and the start of its
    body (all a vector is made of)."""

    id: int
    title: str
    lede: str


@dataclass(frozen=True, slots=True)
class VectorStatus:
    """How far the vectors have caught up: articles stored, and those with a vector of the
    model."""

    articles: int
    with_vector: int


class VectorStore:
    """The vectors of one model (`model`, engine.embedding.MODEL in the bot)."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], model: str) -> None:
        self._sessions = sessions
        self.model = model

    async def pending(self, limit: int, lede_chars: int) -> list[Pending]:
        """Up to `limit` articles without a vector of the model, newest first (the news a
        team is about to search for becomes findable first)."""
        has_vector = (
            select(ArticleVectorRow.article_id)
            .where(ArticleVectorRow.article_id == ArticleRow.id)
            .where(ArticleVectorRow.model == self.model)
            .exists()
        )
        statement = (
            select(ArticleRow.id, ArticleRow.title, func.substr(ArticleRow.body, 1, lede_chars))
            .where(~has_vector)
            .order_by(ArticleRow.id.desc())
            .limit(limit)
        )
        async with self._sessions() as session:
            rows = await session.execute(statement)
            return [Pending(int(i), title, lede or "") for i, title, lede in rows]

    async def save(self, vectors: Mapping[int, bytes]) -> int:
        """Store these articles' vectors (replacing another model's) under the next change
        mark; articles removed meanwhile are skipped. How many were stored."""
        if not vectors:
            return 0
        async with writing(self._sessions) as session:
            present = await _present(session, sorted(vectors))
            if not present:
                return 0
            mark = await _next_mark(session)
            values = [
                {"article_id": i, "model": self.model, "vector": vectors[i], "mark": mark}
                for i in present
            ]
            statement = upsert(session, ArticleVectorRow).values(values)
            await session.execute(
                statement.on_conflict_do_update(
                    index_elements=["article_id"],
                    set_={
                        "model": statement.excluded.model,
                        "vector": statement.excluded.vector,
                        "mark": statement.excluded.mark,
                    },
                )
            )
            return len(present)

    async def since(self, after: Position, limit: int) -> list[tuple[int, bytes, Position]]:
        """The model's vectors written after `after`, in the order they became visible:
        (article id, vector, position), up to `limit`."""
        key = tuple_(ArticleVectorRow.mark, ArticleVectorRow.article_id)
        statement = (
            select(ArticleVectorRow.article_id, ArticleVectorRow.vector, ArticleVectorRow.mark)
            .where(ArticleVectorRow.model == self.model, key > tuple_(*after))
            .order_by(ArticleVectorRow.mark, ArticleVectorRow.article_id)
            .limit(limit)
        )
        async with self._sessions() as session:
            rows = await session.execute(statement)
            return [(int(i), bytes(v), (int(m), int(i))) for i, v, m in rows]

    async def status(self) -> VectorStatus:
        """Articles stored, and how many have a vector of the model."""
        async with self._sessions() as session:
            articles = await session.scalar(select(func.count()).select_from(ArticleRow))
            done = await session.scalar(
                select(func.count())
                .select_from(ArticleVectorRow)
                .where(ArticleVectorRow.model == self.model)
            )
        return VectorStatus(int(articles or 0), int(done or 0))

    async def forget_all(self) -> int:
        """Delete every vector (a reindex: the catch-up job embeds everything again), a chunk
        per transaction. How many were deleted."""
        deleted = 0
        while True:
            async with writing(self._sessions) as session:
                chunk = list(
                    await session.scalars(select(ArticleVectorRow.article_id).limit(DELETE_CHUNK))
                )
                if not chunk:
                    return deleted
                await session.execute(
                    delete(ArticleVectorRow).where(ArticleVectorRow.article_id.in_(chunk))
                )
                deleted += len(chunk)


async def _present(session: AsyncSession, ids: Sequence[int]) -> list[int]:
    """Which of these articles exist, held until commit (FOR KEY SHARE on PostgreSQL: a
    removal waits, while updates of other columns, a story id, do not; SQLite's write lock
    already keeps a removal out)."""
    statement = (
        select(ArticleRow.id)
        .where(ArticleRow.id.in_(ids))
        .with_for_update(read=True, key_share=True)
    )
    return sorted(int(i) for i in await session.scalars(statement))


async def _next_mark(session: AsyncSession) -> int:
    """The next change mark; the version row stays locked until this transaction commits."""
    mark = await session.scalar(
        update(VectorVersionRow)
        .where(VectorVersionRow.id == 1)
        .values(version=VectorVersionRow.version + 1)
        .returning(VectorVersionRow.version)
    )
    return int(mark or 0)
