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
from datetime import date, datetime, timedelta

from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from engine.stories import WINDOW_DAYS, StoryState, decide, query_keys
from engine.story_features import Features, Frequencies, features, idf
from engine.story_index import CANDIDATES
from storage.dialect import lock_stories, upsert
from storage.models import ArticleRow, StoryDocumentsRow, StoryKeyRow, StoryRow, StoryTermRow

KEY_CHARS = 100  # the key columns; a longer "word" (a pasted hash) is never a key
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


def _weigh(
    articles: Sequence[tuple[str, str, date | None]],
    keys: Sequence[set[str]],
    stored: StoredFrequencies,
) -> list[Weighed]:
    """Features in batch order, each weighed as if the batch's earlier articles were already
    counted (as they will be when its turn comes under the lock): three reports of one event
    in one feed poll must not each see the others' shared words as rare."""
    earlier: Counter[str] = Counter()
    found = []
    for n, ((title, body, day), own) in enumerate(zip(articles, keys, strict=True)):
        counts = {k: stored.docs(k) + earlier[k] for k in own}
        frequencies = StoredFrequencies(stored.documents + n, counts)
        found.append(Weighed(features(title, body, day, frequencies), frequencies))
        earlier.update(own)
    return found


async def prepare(
    session: AsyncSession, articles: Sequence[tuple[str, str, date | None]]
) -> list[Weighed]:
    """Features of (title, body, own date) articles, computed off the event loop: their keys
    first, then the frequencies of those keys, then the weighted features."""

    def keys() -> list[set[str]]:
        return [features(t, b, d, NO_FREQUENCIES).keys() for t, b, d in articles]

    own = await asyncio.to_thread(keys)
    stored = await read_frequencies(session, set().union(*own))
    return await asyncio.to_thread(_weigh, articles, own, stored)


async def _candidates(
    session: AsyncSession, article: Features, frequencies: Frequencies, now: datetime
) -> list[StoryRow]:
    """The stories sharing the article's distinctive keys within its window, the most shared
    idf first (at most CANDIDATES): the posting-list look-up of engine.story_index."""
    keys = [k for k in query_keys(article) if len(k) <= KEY_CHARS]
    if not keys:
        return []
    statement = select(StoryKeyRow.story_id, StoryKeyRow.key).where(StoryKeyRow.key.in_(keys))
    if article.day is not None:
        statement = statement.where(
            StoryKeyRow.last_day >= article.day - timedelta(days=WINDOW_DAYS)
        )
    else:
        statement = statement.join(StoryRow, StoryRow.id == StoryKeyRow.story_id).where(
            StoryRow.updated_at >= now - timedelta(days=WINDOW_DAYS)
        )
    shared: dict[int, float] = {}
    for story_id, key in await session.execute(statement):
        shared[story_id] = shared.get(story_id, 0.0) + idf(frequencies, key)
    best = sorted(shared, key=lambda s: (-shared[s], -s))[:CANDIDATES]
    if not best:
        return []
    rows = {r.id: r for r in await session.scalars(select(StoryRow).where(StoryRow.id.in_(best)))}
    return [rows[s] for s in best if s in rows]


async def _write(
    session: AsyncSession, row: StoryRow | None, state: StoryState, day: date, now: datetime
) -> int:
    """Store a story's new state (a new row when `row` is None) and re-post its keys."""
    if row is None:
        row = StoryRow(first_day=day, last_day=day)
        session.add(row)
    row.state = state.to_json()
    row.size = state.size
    row.first_day = min(row.first_day, day)
    row.last_day = max(row.last_day, day)
    row.updated_at = now
    await session.flush()
    await session.execute(delete(StoryKeyRow).where(StoryKeyRow.story_id == row.id))
    keys = [k for k in state.index_keys() if len(k) <= KEY_CHARS]
    if keys:
        await session.execute(
            insert(StoryKeyRow),
            [{"key": k, "story_id": row.id, "last_day": row.last_day} for k in keys],
        )
    return row.id


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
    joins the story `engine.stories.decide` picks or begins one."""
    if not arrivals:
        return Grouped({}, 0)
    await lock_stories(session)
    stories: dict[int, int] = {}
    new = 0
    for arrival in arrivals:
        article, frequencies = arrival.weighed.features, arrival.weighed.frequencies
        rows = await _candidates(session, article, frequencies, now)
        states = [(r.id, StoryState.from_json(r.state)) for r in rows]
        chosen = decide(article, states, frequencies)
        row = next((r for r in rows if r.id == chosen), None)
        state = next((s for i, s in states if i == chosen), None) or StoryState()
        new += row is None
        state.add(article)
        stories[arrival.article_id] = await _write(session, row, state, arrival.day, now)
    await session.execute(
        update(ArticleRow), [{"id": a, "story_id": s} for a, s in stories.items()]
    )
    await _count(session, [a.weighed.features for a in arrivals])
    return Grouped(stories, new)
