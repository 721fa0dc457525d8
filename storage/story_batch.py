"""The stories one grouping step may touch, held in memory for the step: the posting lists of
the batch's query keys (read in one statement), the states of the stories they lead to, and
the stories the batch begins or changes. Each article is then grouped in memory, in order,
exactly as engine.story_index does, and the step writes everything once at the end
(storage/stories.py `assign`): a few statements a batch instead of several an article.

The candidates are the ones the per-article look-up would find: a stored story the batch has
not touched keeps its stored keys and so its rank for an article (the summed idf of the keys
they share); a story the batch changed is ranked by its new keys. The states of each
article's stored best are read up front; the rare story that moves into an article's best
only because a changed story moved out is read when it does (`load`).
"""

from __future__ import annotations

import heapq
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from operator import itemgetter
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from engine.models import StoryBrief
from engine.stories import WINDOW_DAYS, StoryState, query_keys
from engine.story_features import Features, Frequencies, idf
from engine.story_index import CANDIDATES
from storage.models import StoryKeyRow, StoryRow

KEY_CHARS = 100  # the key columns; a longer "word" (a pasted hash) is never a key
CHUNK = 500


@dataclass(slots=True)
class Held:
    """A story in the working set: its state and days, and whether the batch changed it."""

    state: StoryState
    first_day: date
    last_day: date
    updated_at: datetime
    outlets: dict[str, int] = field(default_factory=dict)
    keys: list[str] = field(default_factory=list)
    changed: bool = False


def brief(story: int | None, size: int | None, outlets: Any) -> StoryBrief | None:
    """What a list says of a story with several sources (None for one source): its size and
    outlets, the one that gave the most first. `outlets` is the stories row's JSON (a string
    where a raw read returns it unparsed)."""
    if story is None or size is None or size < 2:
        return None
    counts: dict[str, int] = json.loads(outlets) if isinstance(outlets, str) else outlets or {}
    return StoryBrief(story, size, tuple(sorted(counts, key=lambda o: (-counts[o], o))))


def usable(keys: Iterable[str]) -> list[str]:
    """The keys that fit the key columns."""
    return [k for k in keys if len(k) <= KEY_CHARS]


@dataclass(slots=True)
class WorkingSet:
    """Stored postings of the batch's keys, and the stories read or made by the batch (new
    stories get ids below zero until they are written)."""

    now: datetime
    postings: dict[str, dict[int, tuple[date, datetime]]] = field(default_factory=dict)
    held: dict[int, Held] = field(default_factory=dict)
    posted: dict[str, set[int]] = field(default_factory=dict)  # keys of changed stories
    next_new: int = -1

    def in_window(self, article: Features, last_day: date, updated_at: datetime) -> bool:
        """The window a candidate must be in: dated articles, the story's last day within
        WINDOW_DAYS of theirs; undated ones, a story updated in the last WINDOW_DAYS."""
        if article.day is not None:
            return last_day >= article.day - timedelta(days=WINDOW_DAYS)
        return updated_at >= self.now - timedelta(days=WINDOW_DAYS)

    def ranked(self, article: Features, frequencies: Frequencies) -> list[int]:
        """Story ids sharing the article's distinctive keys in its window, most shared idf
        first, at most CANDIDATES (stories the batch changed are ranked by their new keys)."""
        shared: dict[int, float] = {}
        # in_window, inlined for the stored postings (about a hundred an article): a dated
        # article reads a posting's last day, an undated one its story's last update.
        window = timedelta(days=WINDOW_DAYS)
        day = article.day
        at, bound = (0, day - window) if day is not None else (1, self.now - window)
        for key in usable(query_keys(article)):
            weight = idf(frequencies, key)
            for story, days in self.postings.get(key, {}).items():
                if days[at] >= bound:
                    held = self.held.get(story)
                    if held is None or not held.changed:
                        shared[story] = shared.get(story, 0.0) + weight
            for story in self.posted.get(key, ()):
                held = self.held[story]
                if self.in_window(article, held.last_day, held.updated_at):
                    shared[story] = shared.get(story, 0.0) + weight
        # Most shared idf first, then the newest story (the larger id): the same order as
        # sorting every story, in one pass over them.
        return [s for s, _ in heapq.nlargest(CANDIDATES, shared.items(), key=itemgetter(1, 0))]

    async def load(self, session: AsyncSession, stories: Iterable[int]) -> None:
        """Read the states of these stories (those not held yet). Most are read up front; a
        story that moves into an article's best only because a story the batch changed moved
        out is read when it does."""
        wanted = sorted(set(stories) - self.held.keys())
        for start in range(0, len(wanted), CHUNK):
            states = await session.execute(
                select(
                    StoryRow.id,
                    StoryRow.state,
                    StoryRow.first_day,
                    StoryRow.last_day,
                    StoryRow.updated_at,
                    StoryRow.outlets,
                ).where(StoryRow.id.in_(wanted[start : start + CHUNK]))
            )
            for story, state, first_day, last_day, updated_at, outlets in states:
                self.held[story] = Held(
                    StoryState.from_json(state), first_day, last_day, updated_at, dict(outlets)
                )

    def put(self, story: int | None, state: StoryState, day: date, outlet: str | None) -> int:
        """Keep a story's new state after a source from `outlet` joined (a new story when
        `story` is None); its id."""
        if story is None:
            story, self.next_new = self.next_new, self.next_new - 1
            self.held[story] = Held(state, day, day, self.now)
        held = self.held[story]
        for key in held.keys:
            self.posted.get(key, set()).discard(story)
        held.state, held.changed, held.updated_at = state, True, self.now
        if outlet:
            held.outlets[outlet] = held.outlets.get(outlet, 0) + 1
        held.first_day, held.last_day = min(held.first_day, day), max(held.last_day, day)
        held.keys = usable(state.index_keys())
        for key in held.keys:
            self.posted.setdefault(key, set()).add(story)
        return story


async def working_set(
    session: AsyncSession, articles: Sequence[tuple[Features, Frequencies]], now: datetime
) -> WorkingSet:
    """Read the postings of the articles' query keys within their windows, and the states of
    each article's best stored candidates."""
    found = WorkingSet(now)
    keys = sorted({k for a, _ in articles for k in usable(query_keys(a))})
    days = [a.day for a, _ in articles if a.day is not None]
    # Only the windows the batch's articles have: a dated article's candidates are found by
    # their last day alone (ix_story_keys_key_day), so a batch of dated articles never reads
    # the postings of stories that were merely updated lately (a store built or imported in
    # one day updated every story lately: each key's every posting was read and dropped).
    windows = []
    if days:
        windows.append(StoryKeyRow.last_day >= min(days) - timedelta(days=WINDOW_DAYS))
    if len(days) < len(articles):
        windows.append(StoryRow.updated_at >= now - timedelta(days=WINDOW_DAYS))
    # Read as plain rows through the session's connection: no ORM row loading for what can
    # be a few hundred thousand postings a batch.
    connection = await session.connection()
    for start in range(0, len(keys), CHUNK):
        rows = await connection.execute(
            select(StoryKeyRow.key, StoryKeyRow.story_id, StoryKeyRow.last_day, StoryRow.updated_at)
            .join(StoryRow, StoryRow.id == StoryKeyRow.story_id)
            .where(StoryKeyRow.key.in_(keys[start : start + CHUNK]), or_(*windows))
        )
        for key, story, last_day, updated_at in rows:
            found.postings.setdefault(key, {})[story] = (last_day, updated_at)
    await found.load(session, {s for a, f in articles for s in found.ranked(a, f)})
    return found
