"""Stories in the database: the grouping step of engine/stories.py over tables.

Every added article is grouped inside the write transaction that inserts it (ArticleStore.add
calls `assign`), so an article is never visible without its story. The step (candidates ->
decide -> write the story, its keys and the counts) runs under one lock: SQLite's write
transaction (BEGIN IMMEDIATE, taken by storage.db.writing) or a PostgreSQL transaction-level
advisory lock (storage.dialect.lock_stories). Two instances adding two reports of one event
at once therefore serialise, and the second sees the first's story. Features are CPU work and
are computed before the lock (`prepare`), with document frequencies read then: approximate
counts under concurrency only shift weights a little (docs/stories.md).

Dates: an article's own date (publication, else a full date its text states) decides the
window of days it may join in. An article without one meets the stories updated in the last
WINDOW_DAYS (the seeds: one Khankendi report is dated, the other is not), and it is listed
under the day it was added, like everywhere else (Article.day).
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from engine.stories import StoryState, decide
from engine.story_features import Features, features, reweighed
from storage.dialect import lock_stories, upsert
from storage.models import ArticleRow, StoryDocumentsRow, StoryKeyRow, StoryRow, StoryTermRow
from storage.story_batch import KEY_CHARS, Held, WorkingSet, working_set

_CHUNK = 500


class StoredFrequencies:
    """Document frequencies of the keys of a batch, read from story_terms (the engine's
    `Frequencies`); keys not read count as never seen."""

    def __init__(self, documents: int, counts: dict[str, int]) -> None:
        self._documents = documents
        self._counts = counts

    @property
    def documents(self) -> int:
        """How many grouped articles were counted."""
        return self._documents

    def docs(self, key: str) -> int:
        """How many of them hold `key`."""
        return self._counts.get(key, 0)


NO_FREQUENCIES = StoredFrequencies(0, {})


@dataclass(frozen=True, slots=True)
class Weighed:
    """An article's features and the frequencies of its keys they were weighed with."""

    features: Features
    frequencies: StoredFrequencies


@dataclass(frozen=True, slots=True)
class Arrival:
    """An inserted article on its way into a story: its id, features, and the day it is
    listed under (publication date, else the day it was added)."""

    article_id: int
    weighed: Weighed
    day: date
    outlet: str | None = None


@dataclass(frozen=True, slots=True)
class Grouped:
    """What one grouping step did: each article's story, and how many stories it began."""

    stories: dict[int, int]
    new: int


async def read_frequencies(session: AsyncSession, keys: Iterable[str]) -> StoredFrequencies:
    """The document count and the counts of these keys."""
    wanted = sorted({k for k in keys if len(k) <= KEY_CHARS})
    counts: dict[str, int] = {}
    for start in range(0, len(wanted), _CHUNK):
        rows = await session.execute(
            select(StoryTermRow.key, StoryTermRow.docs).where(
                StoryTermRow.key.in_(wanted[start : start + _CHUNK])
            )
        )
        counts.update({key: int(docs) for key, docs in rows})
    documents = await session.scalar(select(StoryDocumentsRow.documents))
    return StoredFrequencies(int(documents or 0), counts)


def _weigh(unweighed: Sequence[Features], stored: StoredFrequencies) -> list[Weighed]:
    """Features in batch order, each weighed as if the batch's earlier articles were already
    counted (as they will be when its turn comes under the lock): three reports of one event
    in one feed poll must not each see the others' shared words as rare."""
    earlier: Counter[str] = Counter()
    found = []
    for n, article in enumerate(unweighed):
        own = article.keys()
        counts = {k: stored.docs(k) + earlier[k] for k in own}
        frequencies = StoredFrequencies(stored.documents + n, counts)
        found.append(Weighed(reweighed(article, NO_FREQUENCIES, frequencies), frequencies))
        earlier.update(own)
    return found


def unweighed(articles: Sequence[tuple[str, str, date | None]]) -> list[Features]:
    """Features of (title, body, own date) articles, tokenised once and weighed as if every
    key were as rare: CPU work, for a worker thread (it reads nothing)."""
    return [features(t, b, d, NO_FREQUENCIES) for t, b, d in articles]


async def weigh(session: AsyncSession, found: Sequence[Features]) -> list[Weighed]:
    """The features weighed with the stored frequencies of their keys, read now."""
    stored = await read_frequencies(session, set().union(*(a.keys() for a in found)))
    return await asyncio.to_thread(_weigh, found, stored)


async def prepare(
    session: AsyncSession, articles: Sequence[tuple[str, str, date | None]]
) -> list[Weighed]:
    """Features of (title, body, own date) articles, computed off the event loop: tokenised
    once (weighed as if every key were as rare), then the frequencies of their keys are read
    and each is weighed with them."""
    return await weigh(session, await asyncio.to_thread(unweighed, articles))


async def _write(session: AsyncSession, stories: WorkingSet) -> dict[int, int]:
    """Write the stories the batch began or changed, and their keys; the real id of each
    (new stories have ids below zero until now)."""
    changed = {i: h for i, h in stories.held.items() if h.changed}

    def values(held: Held) -> dict[str, Any]:
        return {
            "state": held.state.to_json(),
            "size": held.state.size,
            "first_day": held.first_day,
            "last_day": held.last_day,
            "updated_at": stories.now,
            "outlets": held.outlets,
        }

    real = {i: i for i in changed if i > 0}
    if real:
        await session.execute(update(StoryRow), [{"id": i, **values(changed[i])} for i in real])
        ids = sorted(real)
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            await session.execute(delete(StoryKeyRow).where(StoryKeyRow.story_id.in_(chunk)))
    new = sorted((i for i in changed if i < 0), reverse=True)  # in the order they began
    if new:
        made = await session.scalars(
            insert(StoryRow).returning(StoryRow.id, sort_by_parameter_order=True),
            [values(changed[i]) for i in new],
        )
        real.update(zip(new, made, strict=True))
    keys = [
        {"key": k, "story_id": real[i], "last_day": held.last_day}
        for i, held in changed.items()
        for k in held.keys
    ]
    if keys:
        await session.execute(insert(StoryKeyRow), keys)
    return real


async def _count(session: AsyncSession, grouped: Sequence[Features]) -> None:
    """Add the grouped articles to the document frequencies (keys in order: concurrent
    writers lock rows in the same order)."""
    counts: Counter[str] = Counter()
    for article in grouped:
        counts.update(k for k in set(article.terms) if len(k) <= KEY_CHARS)
    keys = sorted(counts)
    for start in range(0, len(keys), _CHUNK):
        values = upsert(session, StoryTermRow)
        statement = values.on_conflict_do_update(
            index_elements=[StoryTermRow.key],
            set_={"docs": StoryTermRow.docs + values.excluded.docs},
        )
        await session.execute(
            statement, [{"key": k, "docs": counts[k]} for k in keys[start : start + _CHUNK]]
        )
    await session.execute(
        update(StoryDocumentsRow).values(documents=StoryDocumentsRow.documents + len(grouped))
    )


async def assign(session: AsyncSession, arrivals: Sequence[Arrival], now: datetime) -> Grouped:
    """Group articles inserted in this transaction, in order, under the stories lock: each
    joins the story `engine.stories.decide` picks or begins one. The stories the batch may
    touch are read once (storage/story_batch.py), each article is grouped in memory, and the
    changes are written once."""
    if not arrivals:
        return Grouped({}, 0)
    await lock_stories(session)
    weighed = [(a.weighed.features, a.weighed.frequencies) for a in arrivals]
    stories = await working_set(session, weighed, now)
    chosen: dict[int, int] = {}
    for arrival, (article, frequencies) in zip(arrivals, weighed, strict=True):
        ranked = stories.ranked(article, frequencies)
        await stories.load(session, ranked)
        story = decide(article, [(s, stories.held[s].state) for s in ranked], frequencies)
        state = stories.held[story].state if story is not None else StoryState()
        state.add(article)
        chosen[arrival.article_id] = stories.put(story, state, arrival.day, arrival.outlet)
    real = await _write(session, stories)
    placed = {article: real.get(story, story) for article, story in chosen.items()}
    await session.execute(update(ArticleRow), [{"id": a, "story_id": s} for a, s in placed.items()])
    await _count(session, [a.weighed.features for a in arrivals])
    return Grouped(placed, sum(1 for i in real if i < 0))
