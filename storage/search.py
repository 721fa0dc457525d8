"""Search over the store: the vocabulary (cached, checked at every search), candidates from the
full-text index's own ranking, the engine's final ranking.

Candidates come from the index ranked by relevance (BM25 on SQLite, ts_rank on PostgreSQL),
all words first. When that finds too few, the least informative word (the one in the most
articles) is dropped, then the next, never the rare word that says what the search is about.
A word set whose rarest word is in more than RELEVANCE_MAX_DOCS articles is read newest first
instead: ranking every match of common words would cost O(matches).
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from engine.models import SearchPage
from engine.search import Candidate, QueryPlan, QueryWords, Vocabulary, parse_query, rank
from storage.fulltext import FullTextIndex, Reader, Tier

MIN_CANDIDATES = 30
RELEVANCE_MAX_DOCS = 500
# id(word plan) -> how many articles hold the word.
Lookup = dict[int, int]


class SearchIndex:
    """Plans and runs searches; holds the vocabulary, re-checked against the database's change
    mark at every search, so another process's new articles are found at once."""

    def __init__(self, db_engine: AsyncEngine, index: FullTextIndex) -> None:
        self._db_engine = db_engine
        self._index = index
        self._vocabulary: Vocabulary | None = None
        self._mark = -1

    async def _vocabulary_as_of(self, reader: Reader, mark: int | None) -> Vocabulary:
        """The vocabulary, loaded once, then topped up with what was added since our mark."""
        if self._vocabulary is None:
            self._mark = await self._index.mark(reader)
            self._vocabulary = Vocabulary(await self._index.terms(reader))
        elif mark is not None and mark != self._mark:
            self._vocabulary.add(await self._index.terms_since(reader, self._mark))
            self._mark = mark
        return self._vocabulary

    async def _planned(self, reader: Reader, words: QueryWords) -> tuple[QueryPlan, Lookup]:
        """The plan and its words' frequencies. The change mark is read in the same statement
        as the frequencies: if another process added articles since the vocabulary was last
        topped up, it is topped up and the query planned again, so a cached vocabulary never
        hides a new article's words."""
        vocabulary = await self._vocabulary_as_of(reader, None)
        while True:
            plan = vocabulary.plan(words)
            mark, frequencies = await self._index.lookup(reader, plan.matchable)
            if mark == self._mark:
                return plan, dict(zip(map(id, plan.matchable), frequencies, strict=True))
            vocabulary = await self._vocabulary_as_of(reader, mark)

    async def plan(self, query: str) -> QueryPlan:
        """Parse a query and map its words onto the index (raises EmptyQuery, QueryTooLong)."""
        words = parse_query(query)
        async with self._db_engine.connect() as reader:
            return (await self._planned(reader, words))[0]

    async def _candidates(
        self, reader: Reader, plan: QueryPlan, frequency: Lookup, wanted: int, enough: int
    ) -> list[Candidate]:
        """Candidates matching all words (at most `wanted`, ranked by the index); if fewer
        than `enough`, then those matching all but the most common word, and so on."""
        words = sorted(plan.matchable, key=lambda w: frequency[id(w)])  # rarest first
        if not words:
            return []
        tiers: list[Tier] = []
        while words:
            tiers.append((tuple(words), wanted, frequency[id(words[0])] <= RELEVANCE_MAX_DOCS))
            words = words[:-1]  # the least informative word goes first
        found: dict[int, Candidate] = {}
        if frequency[id(tiers[0][0][0])] < enough:
            # The rarest word is in fewer articles than the page needs: every step will be
            # needed, so they all go in one statement.
            rest = enough
            tiers = [tiers[0]] + [(w, min(rest, limit), by) for w, limit, by in tiers[1:]]
            for tier in await self._index.ranked_tiers(reader, tiers):
                for candidate in tier:
                    found.setdefault(candidate.article.id, candidate)
            return list(found.values())
        for candidate in (await self._index.ranked_tiers(reader, tiers[:1]))[0]:
            found.setdefault(candidate.article.id, candidate)
        if len(found) < enough and len(tiers) > 1:
            # Fewer words rank below every match found so far: only the rest of the page.
            rest = 2 * (enough - len(found))
            lower = [(w, min(rest, limit), by) for w, limit, by in tiers[1:]]
            for tier in await self._index.ranked_tiers(reader, lower):
                for candidate in tier:
                    found.setdefault(candidate.article.id, candidate)
        return list(found.values())

    async def search(self, query: str, limit: int, offset: int) -> SearchPage:
        """Rank articles for a query; typo-tolerant; `offset` pages through the ranking."""
        words = parse_query(query)
        wanted = max(MIN_CANDIDATES, 2 * (offset + limit + 1))
        async with self._db_engine.connect() as reader:
            plan, frequency = await self._planned(reader, words)
            candidates = await self._candidates(reader, plan, frequency, wanted, offset + limit + 1)
        ranked = rank(plan, candidates, limit=offset + limit + 1)
        return SearchPage(
            query=query,
            hits=tuple(ranked[offset : offset + limit]),
            offset=offset,
            has_more=len(ranked) > offset + limit,
            corrected=plan.corrections,
        )
