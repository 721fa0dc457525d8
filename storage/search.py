"""Search over the store: the vocabulary (cached, checked at every search), candidates from the
full-text index's own ranking, the engine's final ranking.

Candidates come from the index ranked by relevance (BM25 on SQLite, ts_rank on PostgreSQL),
all words first. When that finds too few, the least informative word (the one in the most
articles) is dropped, then the next, never the rare word that says what the search is about.
A word set whose rarest word is in more than RELEVANCE_MAX_DOCS articles is read newest first
instead: ranking every match of common words would cost O(matches).
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from engine.models import SearchPage
from engine.search import Candidate, QueryPlan, Vocabulary, WordPlan, parse_query, rank
from storage.fulltext import FullTextIndex

MIN_CANDIDATES = 30
RELEVANCE_MAX_DOCS = 5_000


class SearchIndex:
    """Plans and runs searches; holds the vocabulary, re-checked against the database's change
    mark at every search, so another process's new articles are found at once."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], index: FullTextIndex) -> None:
        self._sessions = sessions
        self._index = index
        self._vocabulary: Vocabulary | None = None
        self._mark = -1

    async def _current(self, session: AsyncSession) -> Vocabulary:
        """The vocabulary as of now: loaded once, then topped up with what others added."""
        mark = await self._index.mark(session)
        if self._vocabulary is None:
            self._vocabulary = Vocabulary(await self._index.terms(session))
        elif mark != self._mark:
            self._vocabulary.add(await self._index.terms_since(session, self._mark))
        self._mark = mark
        return self._vocabulary

    async def plan(self, query: str) -> QueryPlan:
        """Parse a query and map its words onto the index (raises EmptyQuery, QueryTooLong)."""
        words = parse_query(query)
        async with self._sessions() as session:
            return (await self._current(session)).plan(words)

    async def _candidates(
        self, session: AsyncSession, plan: QueryPlan, wanted: int, enough: int
    ) -> list[Candidate]:
        """Candidates, all words first; then without the most common word, and so on, until
        `enough` are found. Each step reads at most `wanted`, ranked by the index."""
        words: list[WordPlan] = list(plan.matchable)
        if not words:
            return []
        counts = await self._index.frequencies(session, words)
        frequency = dict(zip(map(id, words), counts, strict=True))
        words.sort(key=lambda w: frequency[id(w)])  # rarest first
        found: dict[int, Candidate] = {}
        while words:
            by_relevance = frequency[id(words[0])] <= RELEVANCE_MAX_DOCS
            for candidate in await self._index.ranked(session, words, wanted, by_relevance):
                found.setdefault(candidate.article.id, candidate)
            if len(found) >= enough:
                break
            words.pop()  # the least informative word goes first
        return list(found.values())

    async def search(self, query: str, limit: int, offset: int) -> SearchPage:
        """Rank articles for a query; typo-tolerant; `offset` pages through the ranking."""
        words = parse_query(query)
        wanted = max(MIN_CANDIDATES, 2 * (offset + limit + 1))
        async with self._sessions() as session:
            plan = (await self._current(session)).plan(words)
            candidates = await self._candidates(session, plan, wanted, offset + limit + 1)
        ranked = rank(plan, candidates, limit=offset + limit + 1)
        return SearchPage(
            query=query,
            hits=tuple(ranked[offset : offset + limit]),
            offset=offset,
            has_more=len(ranked) > offset + limit,
            corrected=plan.corrections,
        )
