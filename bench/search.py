"""Synthetic search latency at 1k, 10k and 100k articles, beside plain FTS5 and a naive scan.

Invented words, Zipf-distributed: a stress test of the machinery, not of search quality; the
real-text comparison (BBC articles, tantivy, recall) is bench.search_real.

    python -m bench.search [--sizes 1000 10000 100000] [--repeat 5]

Prints p50/p95 milliseconds per query for: newsbot's typo-tolerant search (vocabulary mapping,
FTS5 candidates, engine ranking and snippets, through the async store), a plain FTS5 exact
MATCH (no typo tolerance), and a naive rapidfuzz scan over every article's text.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import sqlite3
import tempfile
import time
from pathlib import Path

from rapidfuzz import fuzz, process

from bench.corpus import articles
from ingest.pipeline import ingest_articles, seed_if_empty
from storage.articles import ArticleStore
from storage.db import make_db_engine, make_sessionmaker, migrate, sqlite_url

QUERIES = [
    "Khankendy summit",
    "Azerbajan Armenia peace",
    "Bayramov ECO",
    "cooperaton energy",
    "securty region",
    "Hajiyev Brusels",
    "Khojaly genocide",
    "transprt corridors",
    "diplomcy",
    "sustainable developmnt",
    "economc integraton trade",
    "regonal stabilty",
    "washington sumit",
    "ambasador serbia",
    "infrastructre",
    "peace agenda normalisation",
]


def peak_rss_mib() -> float:
    """This process's peak RSS: VmHWM belongs to its own memory map, while ru_maxrss survives
    exec on Linux and would report the parent's peak in a spawned child."""
    for line in Path("/proc/self/status").read_text(encoding="utf-8").splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def pct(samples: list[float], q: float) -> float:
    """The q-th percentile (0..100) of samples, nearest rank."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


def line(name: str, samples: list[float]) -> str:
    return (
        f"  {name:<26} p50 {pct(samples, 50):8.2f} ms   p95 {pct(samples, 95):8.2f} ms"
        f"   (n={len(samples)})"
    )


async def run_size(size: int, repeat: int, workdir: Path, naive_queries: int) -> None:
    path = workdir / f"bench_{size}.db"
    db_engine = make_db_engine(sqlite_url(path))
    await migrate(db_engine)
    store = ArticleStore(make_sessionmaker(db_engine))
    await seed_if_empty(store)
    t0 = time.perf_counter()
    await ingest_articles(store, articles(size - 5))
    build = time.perf_counter() - t0
    # A fresh store's first search loads the vocabulary: timed on its own.
    store = ArticleStore(make_sessionmaker(db_engine))
    t0 = time.perf_counter()
    await store.search("warm up")
    vocab_ms = (time.perf_counter() - t0) * 1000
    with sqlite3.connect(path) as con:
        terms = con.execute("SELECT count(*) FROM articles_vocab").fetchone()[0]

    ours: list[float] = []
    for _ in range(repeat):
        for query in QUERIES:
            t0 = time.perf_counter()
            page = await store.search(query)
            ours.append((time.perf_counter() - t0) * 1000)
            assert page.hits, query

    con = sqlite3.connect(path)
    plain: list[float] = []
    for _ in range(repeat):
        for query in QUERIES:
            expr = " OR ".join(f'"{w}"' for w in query.lower().split())
            t0 = time.perf_counter()
            con.execute(
                "SELECT a.id, a.title FROM articles_fts f JOIN articles a ON a.id = f.rowid "
                "WHERE articles_fts MATCH ? ORDER BY rank LIMIT 5",
                (expr,),
            ).fetchall()
            plain.append((time.perf_counter() - t0) * 1000)
    texts = [t + " " + b for t, b in con.execute("SELECT title, body FROM articles")]
    con.close()
    naive: list[float] = []
    for query in QUERIES[:naive_queries]:
        t0 = time.perf_counter()
        process.extract(query, texts, scorer=fuzz.token_set_ratio, limit=5)
        naive.append((time.perf_counter() - t0) * 1000)
    del texts

    print(
        f"{size:>7} articles  (built in {build:.1f} s, vocabulary {terms} terms "
        f"loaded in {vocab_ms:.0f} ms, db {path.stat().st_size / 2**20:.0f} MiB)"
    )
    print(line("newsbot typo-tolerant", ours))
    print(line("plain FTS5 exact (OR)", plain))
    print(line("naive rapidfuzz scan", naive))
    await db_engine.dispose()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--naive-queries", type=int, default=4)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            await run_size(size, args.repeat, Path(tmp), args.naive_queries)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak:.0f} MiB")


if __name__ == "__main__":
    asyncio.run(main())
