"""Hybrid search: the word ranking (typo-tolerant, storage/search.py) fused with the nearest
articles by meaning (storage/vector_index.py) by their scores (engine/fusion.py), one entry
per story.

Both lists are read DEPTH deep and folded to stories before they are fused, so a story two
outlets told counts once in each list (with its nearest article's similarity); a word result
adds a bonus for the share of the query's words it matched. Results holding every word of
the query come first. An entry found by words keeps its marked snippet; one found by
meaning alone shows the start of its article and says so (Hit.by_meaning). The "showing
results for" corrections are kept only when a shown entry was found by words. When the
meaning side fails (the model, the index), the search answers by its words alone.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace

from engine.embedding import Embedder, Vector
from engine.fusion import blend
from engine.models import Article, Hit, SearchPage
from engine.search import parse_query
from engine.snippets import snippet
from engine.text import words as text_words
from storage.vector_index import NearestIndex

log = logging.getLogger(__name__)

DEPTH = 50  # entries each list brings to the fusion
# When the nearest articles are an answer at all. multilingual-e5 puts any two texts at 0.7
# or more, and a made-up word's nearest article at 0.82-0.85 (bench/meaning.py, 9,434
# articles, title-weighted vectors: median 0.835, 95th percentile 0.846), so the list counts
# only when its nearest is SURE, or stands out from the 50 nearest by STANDS_OUT (made-up
# words: 0.024 at the 95th percentile). Measured there: 2 of 50 made-up words answered (3 of
# 200 more), no headline query and 33 of 2,452 one-sentence descriptions left to words alone
# (0.855: none of 50, but 50 descriptions). Neighbours below FLOOR never count.
SURE = 0.85
STANDS_OUT = 0.03
# Queries whose vectors are kept: the next page of a list, a repeated inline query or a
# /summary of a result searched again costs no second embedding (25-50 ms of CPU here).
REMEMBERED = 256
FLOOR = 0.80

Fetch = Callable[[Sequence[int]], Awaitable[list[Article]]]
WordSearch = Callable[[str, int, int, bool], Awaitable[SearchPage]]
Key = Callable[[Article], int]


@dataclass(slots=True)
class Meaning:
    """Search by meaning for one instance: the model that embeds queries, and the index."""

    embedder: Embedder
    index: NearestIndex
    floor: float = FLOOR
    _recent: OrderedDict[str, Vector] = field(default_factory=OrderedDict)
    # Queries are embedded in one long-lived thread of their own, not the loop's shared pool
    # (each thread that embeds keeps an OpenMP team of its own, and once the process has more
    # team threads than cores every team waits for its threads by sleeping, not spinning: an
    # 18-token query took 28 ms instead of 14, ingest/embedder.py):
    # at 20,000 articles a fused search took p50 31 ms, p95 48 ms this way against 39 / 52 ms
    # through asyncio.to_thread, the word search running beside it (measured in one process,
    # alternating; a query embedded alone costs the same either way).
    _thread: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(1, thread_name_prefix="query-embedding")
    )

    @property
    def ready(self) -> bool:
        """Whether the index has been filled (until then, search goes by words alone)."""
        return self.index.ready

    async def embed(self, query: str, remember: bool = True) -> Vector:
        """The query's vector, made in this instance's thread for queries (the event loop
        keeps answering), or remembered from one of the last REMEMBERED queries (`remember`
        False: made again, and not kept)."""
        if remember and query in self._recent:
            self._recent.move_to_end(query)
            return self._recent[query]
        loop = asyncio.get_running_loop()
        vector = await loop.run_in_executor(self._thread, self.embedder.query, query)
        if not remember:
            return vector
        self._recent[query] = vector
        while len(self._recent) > REMEMBERED:
            self._recent.popitem(last=False)
        return vector

    async def load(self) -> None:
        """Load the query model now, in the thread that embeds queries (start-up), so the
        first search does not pay for it."""
        await asyncio.get_running_loop().run_in_executor(self._thread, self.embedder.load)

    async def nearest(self, query: str | Vector, depth: int) -> list[tuple[int, float]]:
        """The articles nearest the query's meaning (a query, or its vector) as (id, cosine
        similarity), nearest first, at least `floor` similar; none when the nearest is no
        answer (see SURE and STANDS_OUT)."""
        vector = await self.embed(query) if isinstance(query, str) else query
        found = await self.index.nearest(vector, depth)
        return [(i, s) for i, s in found if s >= self.floor] if answers(found) else []


def answers(found: Sequence[tuple[int, float]]) -> bool:
    """Whether the nearest articles (nearest first, with their similarity) answer the query:
    the nearest is SURE, or stands out from the rest."""
    if not found:
        return False
    best = found[0][1]
    return best >= SURE or best - sum(s for _, s in found) / len(found) >= STANDS_OUT


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


@dataclass(frozen=True, slots=True)
class _Near:
    """One entry found by meaning: its hit and its nearest article's similarity."""

    hit: Hit
    similarity: float


def _by_meaning(
    found: Sequence[tuple[int, float]],
    known: dict[int, Hit],
    fetched: Sequence[Article],
    key_of: Key,
    focus: frozenset[str],
) -> dict[int, _Near]:
    """The neighbours by meaning by entry key, nearest first, one per key: a word result
    where words found it too (its marked snippet), else a hit of its own."""
    by_id = {a.id: a for a in fetched}
    entries: dict[int, _Near] = {}
    for article_id, similarity in found:
        if article_id in known:
            hit = known[article_id]
        elif article_id in by_id:
            hit = _meaning_hit(by_id[article_id], focus)
        else:
            continue  # removed since it was embedded
        entries.setdefault(key_of(hit.article), _Near(hit, similarity))
    return entries


async def _nearest(
    meaning: Meaning, embedding: Awaitable[Vector], by_words: SearchPage, fetch: Fetch, key_of: Key
) -> tuple[dict[int, _Near], float]:
    """The entries by meaning, and the highest similarity an article they leave out can have
    (the last one's when the list is DEPTH long, else the floor that cut it); no entries
    (and a logged warning) when the model, the index or the read fails: the search still
    answers by its words."""
    try:
        found = await meaning.nearest(await embedding, DEPTH)
        ids = [i for i, _ in found]
        known = {hit.article.id: hit for hit in by_words.hits}
        fetched = await fetch([i for i in ids if i not in known])
    except Exception:
        log.exception("search by meaning failed; this search goes by its words alone")
        return {}, 0.0
    meaning.index.drop(set(ids) - set(known) - {a.id for a in fetched})
    unlisted = found[-1][1] if len(found) >= DEPTH else meaning.floor
    return _by_meaning(found, known, fetched, key_of, by_words.focus), unlisted


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
    near, unlisted = await _nearest(meaning, embedding, by_words, fetch, key_of)
    entries = {key: found.hit for key, found in near.items()}
    for hit in by_words.hits:
        entries[key_of(hit.article)] = hit  # a word result keeps its marks
    wanted = max(1, by_words.words)
    # Results holding every word of the query come first, in the words' order (a typed name,
    # a typo, a prefix keep today's first hit); the rest by similarity plus a bonus for the
    # share of the query's words matched (engine/fusion.py), so a foreign query whose one
    # word the typo rules bent onto an English word does not outrank the article found by
    # meaning.
    whole = [key_of(h.article) for h in by_words.hits if h.matched_words >= wanted]
    first = set(whole)
    rest = blend(
        [(key, found.similarity) for key, found in near.items()],
        [(key_of(h.article), min(1.0, h.matched_words / wanted)) for h in by_words.hits],
        unlisted=unlisted,
    )
    fused = whole + [key for key in rest if key not in first]
    shown = [entries[key] for key in fused[offset : offset + limit]]
    by_word = any(not hit.by_meaning for hit in shown)
    return replace(
        by_words,
        hits=tuple(shown),
        offset=offset,
        has_more=len(fused) > offset + limit,
        corrected=by_words.corrected if by_word else (),
    )
