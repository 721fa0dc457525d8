"""Stored default summaries made again with today's rules (after the summary rules change, an
existing store's articles keep the summaries they were added with until this runs): a chunk
of articles at a time, computed off the event loop, each chunk written in its own short
transaction (the write lock is never held while summaries are computed)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from engine.summary import summarize
from storage.db import writing
from storage.models import ArticleRow

CHUNK = 200  # articles read, summarised and written at a time


def default_summary(body: str) -> str | None:
    """An article's default summary as stored: its sentences, one a line (None: no text)."""
    return "\n".join(summarize(body).sentences) or None


@dataclass(frozen=True, slots=True)
class Recomputed:
    """How many articles were read, and how many summaries changed."""

    articles: int
    changed: int


async def recompute_summaries(
    sessions: async_sessionmaker[AsyncSession],
    *,
    chunk: int = CHUNK,
    progress: Callable[[int], None] | None = None,
) -> Recomputed:
    """Make every stored default summary again, oldest article first; write the changed."""
    after, read, changed = 0, 0, 0
    while True:
        async with sessions() as session:
            rows = (
                await session.execute(
                    select(ArticleRow.id, ArticleRow.body, ArticleRow.summary)
                    .where(ArticleRow.id > after)
                    .order_by(ArticleRow.id)
                    .limit(chunk)
                )
            ).all()
        if not rows:
            return Recomputed(read, changed)
        fresh = await asyncio.to_thread(_summaries, [body for _, body, _ in rows])
        updates = [
            {"b_id": i, "b_summary": new}
            for (i, _, old), new in zip(rows, fresh, strict=True)
            if new != old
        ]
        if updates:
            await _write(sessions, updates)
        after, read, changed = rows[-1][0], read + len(rows), changed + len(updates)
        if progress is not None:
            progress(read)


def _summaries(bodies: list[str]) -> list[str | None]:
    return [default_summary(body) for body in bodies]


async def _write(sessions: async_sessionmaker[AsyncSession], updates: list[dict[str, Any]]) -> None:
    """One chunk's new summaries, by id (an article removed meanwhile is simply not there)."""
    statement = (
        update(ArticleRow)
        .where(ArticleRow.id == bindparam("b_id"))
        .values(summary=bindparam("b_summary"))
        .execution_options(synchronize_session=False)
    )
    async with writing(sessions) as session:
        await (await session.connection()).execute(statement, updates)
