"""Search over the store: the vocabulary (cached, re-checked with every search's candidates),
candidates from the full-text index's own ranking, the engine's final ranking.

Candidates come from the index ranked by relevance (BM25 on SQLite, ts_rank on PostgreSQL),
all words first. When that finds too few, the words are dropped one at a time, the least
informative (in the most articles) first, never the rare word that says what the search is
about; then the rarest word alone. A step whose rarest word is in many articles is read
newest first instead: ranking every match of common words would cost O(matches).
"""

from __future__ import annotations

import asyncio
from dataclasses import replace

from sqlalchemy.ext.asyncio import AsyncEngine

from engine.models import SearchPage
from engine.search import Candidate, QueryPlan, QueryWords, Vocabulary, WordPlan, parse_query, rank
from storage.fulltext import FullTextIndex, Reader, Tier

MIN_CANDIDATES = 30
# Above these, the articles of a step are read newest first rather than ranked.
RELEVANCE_MAX_DOCS = 500  # one word: bm25 scores every article that holds it
RELEVANCE_MAX_DOCS_AND = 5_000  # several words: only articles holding all of them are scored


def tiers(words: list[WordPlan], vocabulary: Vocabulary, wanted: int, rest: int) -> list[Tier]:
    """The candidate steps: all words (`wanted` articles); then (`rest` each) every word set
    with one word left out, the most common word first; then the rarest word alone."""
    frequency = {id(w): vocabulary.frequency(w) for w in words}
    words = sorted(words, key=lambda w: frequency[id(w)])  # rarest first
    steps = [words] + [words[:i] + words[i + 1 :] for i in range(len(words) - 1, -1, -1)]
    if len(words) > 2:
        steps.append(words[:1])
    found: list[Tier] = []
    for kept in steps:
        if kept:
            rarest = frequency[id(kept[0])]
            cap = RELEVANCE_MAX_DOCS if len(kept) == 1 else RELEVANCE_MAX_DOCS_AND
            found.append((tuple(kept), wanted if not found else rest, rarest <= cap))
    return found


def _collect(found: dict[int, Candidate], results: list[list[Candidate]], first: int) -> None:
    """Add each step's candidates, first seen first, tagged with their step number."""
    for step, result in enumerate(results, start=first):
        for candidate in result:
            if candidate.article.id not in found:
                found[candidate.article.id] = replace(candidate, step=step)


class SearchIndex:
    """Plans and runs searches; holds the vocabulary, re-checked against the database's change
    mark read with every search's candidates, so another process's new articles (and their
    words) are found at once: a stale vocabulary is topped up and the search run again."""

    def __init__(self, db_engine: AsyncEngine, index: FullTextIndex) -> None:
        self._db_engine = db_engine
        self._index = index
        self._vocabulary: Vocabulary | None = None
        self._mark = -1
        self._lock = asyncio.Lock()

    async def _vocabulary_as_of(self, reader: Reader, mark: int | None) -> Vocabulary:
        """The vocabulary, loaded once, then topped up when the database is past our mark."""
        async with self._lock:
            if self._vocabulary is None:
                self._mark, self._vocabulary = await self._index.load(reader)
            elif mark is not None and mark != self._mark:
                await self._index.top_up(reader, self._vocabulary, self._mark)
                self._mark = mark
            return self._vocabulary

    async def plan(self, query: str) -> QueryPlan:
        """Parse a query and map its words onto the index (raises EmptyQuery, QueryTooLong)."""
        words = parse_query(query)
        async with self._db_engine.connect() as reader:
            mark, _ = await self._index.ranked_tiers(reader, [])
            return (await self._vocabulary_as_of(reader, mark)).plan(words)

    async def _candidates(
        self, reader: Reader, words: QueryWords, wanted: int, enough: int
    ) -> tuple[QueryPlan, list[Candidate]]:
        vocabulary = await self._vocabulary_as_of(reader, None)
        while True:
            plan = vocabulary.plan(words)
            steps = tiers(list(plan.matchable), vocabulary, wanted, enough)
            # Unless the rarest word is rarer than a page (then every step will be needed),
            # the steps after the first are read only if the first finds too few.
            first = steps if steps and vocabulary.frequency(steps[0][0][0]) < enough else steps[:1]
            mark, results = await self._index.ranked_tiers(reader, first)
            found: dict[int, Candidate] = {}
            _collect(found, results, 0)
            if mark == self._mark and len(found) < enough and len(first) < len(steps):
                rest = 2 * (enough - len(found))
                lower = [(w, rest, by) for w, _, by in steps[len(first) :]]
                mark, results = await self._index.ranked_tiers(reader, lower, list(found))
                _collect(found, results, len(first))
            if mark == self._mark:
                return plan, list(found.values())
            vocabulary = await self._vocabulary_as_of(reader, mark)

    async def search(self, query: str, limit: int, offset: int) -> SearchPage:
        """Rank articles for a query; typo-tolerant; `offset` pages through the ranking."""
        words = parse_query(query)
        wanted = max(MIN_CANDIDATES, 2 * (offset + limit + 1))
        async with self._db_engine.connect() as reader:
            plan, candidates = await self._candidates(reader, words, wanted, offset + limit + 1)
        ranked = rank(plan, candidates, limit=offset + limit + 1)
        return SearchPage(
            query=query,
            hits=tuple(ranked[offset : offset + limit]),
            offset=offset,
            has_more=len(ranked) > offset + limit,
            corrected=plan.corrections,
        )
