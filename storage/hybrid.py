"""Hybrid search: the word ranking (typo-tolerant, storage/search.py) fused with the nearest
articles by meaning (storage/vector_index.py) by reciprocal rank fusion, one entry per story.

Both lists are read DEPTH deep and folded to stories before they are fused, so a story two
outlets told counts once in each list; a word result weighs the square of the share of the
query's words it matched. An entry found by words keeps its marked snippet; one found by
meaning alone shows the start of its article and says so (Hit.by_meaning). The "showing
results for" corrections are kept only when a shown entry was found by words. When the
meaning side fails (the model, the index), the search answers by its words alone.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace

from engine.embedding import Embedder, Vector
from engine.fusion import fuse_weighted
from engine.models import Article, Hit, SearchPage
from engine.search import parse_query
from engine.snippets import snippet
from engine.text import words as text_words
from storage.vector_index import NearestIndex, ranked_ids

log = logging.getLogger(__name__)

DEPTH = 50  # entries each list brings to the fusion
# Cosine similarity below which a neighbour is not shown: multilingual-e5 puts any two texts
# at 0.7 or more, so the nearest article to nonsense is never an answer (bench/meaning.py
# prints where relevant and unrelated neighbours fall).
FLOOR = 0.81

Fetch = Callable[[Sequence[int]], Awaitable[list[Article]]]
WordSearch = Callable[[str, int, int, bool], Awaitable[SearchPage]]
Key = Callable[[Article], int]


@dataclass(slots=True)
class Meaning:
    """Search by meaning for one instance: the model that embeds queries, and the index."""

    embedder: Embedder
    index: NearestIndex
    floor: float = FLOOR

    @property
    def ready(self) -> bool:
        """Whether the index has been filled (until then, search goes by words alone)."""
        return self.index.ready

    async def embed(self, query: str) -> Vector:
        """The query's vector, made in a worker thread (the event loop keeps answering)."""
        return await asyncio.to_thread(self.embedder.query, query)

    async def nearest(self, query: str | Vector, depth: int) -> list[int]:
        """The ids of the articles nearest the query's meaning (a query, or its vector),
        nearest first, at least `floor` similar."""
        vector = await self.embed(query) if isinstance(query, str) else query
        return ranked_ids(await self.index.nearest(vector, depth), self.floor)


def _story_key(article: Article) -> int:
    """The key one list entry stands for: the article's story, or the article alone."""
    return article.story_id if article.story_id is not None else -article.id


def _article(article: Article) -> int:
    """The key of an entry when stories are not folded: the article itself."""
    return -article.id


def _meaning_hit(article: Article, focus: frozenset[str]) -> Hit:
    """A result the word ranking did not bring: the start of its article; marked as found by
    meaning only when none of the query's words (or the terms they matched) is in it, so
    "none of your words is in it" is never false."""
    shares = bool(focus) and not focus.isdisjoint(text_words(f"{article.title} {article.body}"))
    return Hit(article, snippet(article.body, [], 0), 0, 0, by_meaning=not shares)


def _by_meaning(
    ids: Sequence[int],
    known: dict[int, Hit],
    fetched: Sequence[Article],
    key_of: Key,
    focus: frozenset[str],
) -> list[tuple[int, Hit]]:
    """The neighbours by meaning as (entry key, hit), nearest first, one per key: a word
    result where words found it too (its marked snippet), else a hit of its own."""
    by_id = {a.id: a for a in fetched}
    entries: dict[int, Hit] = {}
    for article_id in ids:
        if article_id in known:
            hit = known[article_id]
        elif article_id in by_id:
            hit = _meaning_hit(by_id[article_id], focus)
        else:
            continue  # removed since it was embedded
        entries.setdefault(key_of(hit.article), hit)
    return list(entries.items())


async def _nearest(
    meaning: Meaning, embedding: Awaitable[Vector], by_words: SearchPage, fetch: Fetch, key_of: Key
) -> list[tuple[int, Hit]]:
    """The entries by meaning; none (and a logged warning) when the model, the index or the
    read fails: the search still answers by its words."""
    try:
        ids = await meaning.nearest(await embedding, DEPTH)
        known = {hit.article.id: hit for hit in by_words.hits}
        fetched = await fetch([i for i in ids if i not in known])
    except Exception:
        log.exception("search by meaning failed; this search goes by its words alone")
        return []
    meaning.index.drop(set(ids) - set(known) - {a.id for a in fetched})
    return _by_meaning(ids, known, fetched, key_of, by_words.focus)


async def hybrid(
    words: WordSearch,
    meaning: Meaning,
    fetch: Fetch,
    query: str,
    *,
    limit: int,
    offset: int,
    one_per_story: bool = True,
) -> SearchPage:
    """A page of the fused ranking, one entry per story (`offset` and `limit` count stories)
    or, without `one_per_story`, per article. Both lists are DEPTH deep whatever the page, so
    pages never overlap or skip; the fused list (up to twice DEPTH) is what pages reach."""
    key_of: Key = _story_key if one_per_story else _article
    parse_query(query)  # EmptyQuery, QueryTooLong: before anything is embedded
    # The query is embedded in a worker thread while the words are searched on the loop.
    embedding = asyncio.ensure_future(meaning.embed(query))
    try:
        by_words = await words(query, DEPTH, 0, one_per_story)
    except BaseException:
        embedding.cancel()
        raise
    near = await _nearest(meaning, embedding, by_words, fetch, key_of)
    entries = dict(near)
    for hit in by_words.hits:
        entries[key_of(hit.article)] = hit  # a word result keeps its marks
    # A word result counts as much as the square of the share of the query's words it
    # matched (squared measured best on bench/meaning.py's dev stories): a result matching
    # every word keeps its place, and a foreign query whose one word the typo rules bent onto
    # an English word does not outrank the article found by meaning.
    wanted = max(1, by_words.words)
    fused = fuse_weighted(
        [(key_of(h.article), min(1.0, h.matched_words / wanted) ** 2) for h in by_words.hits],
        [(key, 1.0) for key, _ in near],
    )
    shown = [entries[key] for key in fused[offset : offset + limit]]
    by_word = any(not hit.by_meaning for hit in shown)
    return replace(
        by_words,
        hits=tuple(shown),
        offset=offset,
        has_more=len(fused) > offset + limit,
        corrected=by_words.corrected if by_word else (),
    )
