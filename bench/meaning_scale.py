"""bench/meaning.py's latency at a given store size (the issue's 20,000 articles): the store
grown with perturbed copies of the BBC articles, each copy stored with its original's vector."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import text

from bench import bbc
from bench.search import pct
from engine.embedding import MODEL
from ingest.pipeline import ingest_articles
from storage.articles import ArticleStore
from storage.vector_index import NearestIndex
from storage.vectors import VectorStore


async def latency_at(
    store: ArticleStore,
    index: NearestIndex,
    size: int,
    queries: list[str],
    search: Callable[[str], Awaitable[list[int]]],
    embed: Callable[[str], Awaitable[Any]] | None = None,
    words: Callable[[str], Awaitable[Any]] | None = None,
) -> None:
    """p50/p95 of a fused search once the store holds `size` articles: grown with perturbed
    copies of the BBC articles, each stored with its original's vector (near-duplicates: for
    latency only, never scored). Beside it, what its two halves cost alone on the same
    queries, one after the other: `embed` (the query's embedding, in the thread search
    embeds in) and `words` (the word search, as deep as the fusion reads it)."""
    real = bbc.articles()
    vector_of = await _vectors_by_source(store, "SELECT 1")
    before = await store.max_id()
    grow = max(0, size - await store.count())
    await ingest_articles(store, [bbc.perturbed(real[c % len(real)], c + 1) for c in range(grow)])
    copies = await _vectors_by_source(store, f"a.id > {before}", vector_of)
    vectors = VectorStore(store.sessions, MODEL)
    for start in range(0, len(copies), 1000):
        await vectors.save(dict(copies[start : start + 1000]))
    await search("warm up")
    latencies = []
    for query in queries:
        t0 = time.perf_counter()
        await search(query)
        latencies.append((time.perf_counter() - t0) * 1000)
    print(
        f"\nat {await store.count():,} articles ({len(index):,} vectors): words + meaning "
        f"p50 {pct(latencies, 50):.1f} ms, p95 {pct(latencies, 95):.1f} ms "
        f"({len(queries)} headline queries, the query's embedding included)"
    )
    if embed is not None:
        print(f"  the query's embedding alone: {_p(await _timed(embed, queries))}")
    if words is not None:
        print(f"  the word search alone: {_p(await _timed(words, queries))}")


async def _timed(call: Callable[[str], Awaitable[Any]], queries: list[str]) -> list[float]:
    found = []
    for query in queries:
        t0 = time.perf_counter()
        await call(query)
        found.append((time.perf_counter() - t0) * 1000)
    return found


def _p(latencies: list[float]) -> str:
    return f"p50 {pct(latencies, 50):.1f} ms, p95 {pct(latencies, 95):.1f} ms"


async def _vectors_by_source(store: ArticleStore, where: str, of: Any = None) -> Any:
    """Without `of`: stored source -> vector. With `of` (that map): [(id, its source's
    vector)] for the articles `where` selects."""
    async with store.sessions() as session:
        if of is None:
            rows = await session.execute(
                text(
                    "SELECT a.source, v.vector FROM articles a "
                    "JOIN article_vectors v ON v.article_id = a.id"
                )
            )
            return {source: vector for source, vector in rows}
        rows = await session.execute(text(f"SELECT a.id, a.source FROM articles a WHERE {where}"))
        return [(i, of[source]) for i, source in rows if source in of]
