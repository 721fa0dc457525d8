"""Search on real news: newsbot beside tantivy and plain FTS5 BM25, at growing corpus sizes.

    python -m bench.search_real [--sizes 2225 20000 100000] [--pg-sizes 20000] [--pg-url URL]

The corpus is the BBC set in ../shared/eval/bbc (2,225 articles, about 2,090 stored after
duplicates), grown with perturbed copies (bench/bbc.py). The queries are
../shared/eval/search/queries-dev.jsonl (exact, typo, prefix) and queries-natural-dev.jsonl.
Quality (recall@1, recall@5, MRR@10 by kind) is scored on the real corpus alone (the smallest
size); latency (p50/p95, warm, one process, every query once) at every size. Each system runs
in its own process, so its peak RSS is its own. PostgreSQL runs when --pg-url (or
NEWSBOT_TEST_PG_URL) names a server; the bench creates and drops its own database there.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import resource
import sqlite3
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from bench import bbc
from bench.rivals import PlainFts5, Tantivy
from bench.search import pct
from engine.errors import QueryError
from ingest.pipeline import ingest_articles
from storage.articles import ArticleStore, content_hash
from storage.db import make_db_engine, make_sessionmaker, migrate, sqlite_url

LIMIT = 10
KINDS = ("exact", "typo", "prefix", "natural")


def relevant(rows: Iterable[tuple[int, str, str, str | None]]) -> dict[str, Any]:
    """source -> the stored ids that count as its article (same content, or same headline),
    and ("copies", source) -> those plus its perturbed copies (for the larger stores)."""
    by_hash: dict[str, int] = {}
    by_title: dict[str, set[int]] = defaultdict(set)
    by_source: dict[str, set[int]] = defaultdict(set)
    for article_id, digest, title, source in rows:
        by_hash[digest] = article_id
        by_title[title].add(article_id)
        by_source[source or ""].add(article_id)
    found: dict[str, Any] = {}
    for article in bbc.articles():
        ids = set(by_title.get(article.title, ()))
        stored = by_hash.get(content_hash(article.body))
        if stored is not None:
            ids.add(stored)
        source = article.source or ""
        found[source] = ids
        found["copies", source] = ids | by_source[source]
    return found


async def _newsbot(url: str, size: int, build: bool) -> dict[str, Any]:
    db_engine = make_db_engine(url)
    built = 0.0
    if build:
        await migrate(db_engine)
    store = ArticleStore(make_sessionmaker(db_engine))
    if build:
        t0 = time.perf_counter()
        await ingest_articles(store, bbc.corpus(size))
        built = time.perf_counter() - t0
    async with store.sessions() as session:
        from sqlalchemy import text

        rows = await session.execute(text("SELECT id, content_hash, title, source FROM articles"))
        wanted = relevant((r[0], r[1], r[2], r[3]) for r in rows)
    results, latencies = [], []
    await store.search("warm up")
    for query in bbc.queries():
        t0 = time.perf_counter()
        try:
            ids = [h.article.id for h in (await store.search(query.text, limit=LIMIT)).hits]
        except QueryError:
            ids = []
        latencies.append((time.perf_counter() - t0) * 1000)
        results.append(ids)
    await db_engine.dispose()
    return {"results": results, "latencies": latencies, "relevant": wanted, "built": built}


def run_system(system: str, size: int, db_path: str, pg_url: str | None) -> dict[str, Any]:
    """One system at one size, in a fresh process (see main)."""
    if system == "newsbot":
        out = asyncio.run(_newsbot(sqlite_url(db_path), size, build=False))
    elif system == "newsbot-pg":
        assert pg_url is not None
        out = asyncio.run(_newsbot(pg_url, size, build=True))
    else:
        t0 = time.perf_counter()
        rival = Tantivy(Path(db_path)) if system == "tantivy" else PlainFts5(Path(db_path))
        built = time.perf_counter() - t0
        with sqlite3.connect(db_path) as con:
            wanted = relevant(con.execute("SELECT id, content_hash, title, source FROM articles"))
        rival.search("warm up", LIMIT)
        results, latencies = [], []
        for query in bbc.queries():
            t0 = time.perf_counter()
            results.append(rival.search(query.text, LIMIT))
            latencies.append((time.perf_counter() - t0) * 1000)
        rival.close()
        out = {"results": results, "latencies": latencies, "relevant": wanted, "built": built}
    out["rss"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def build_sqlite(size: int, db_path: str) -> float:
    """Ingest `size` articles into a new SQLite store through newsbot; seconds taken."""

    async def go() -> float:
        db_engine = make_db_engine(sqlite_url(db_path))
        await migrate(db_engine)
        t0 = time.perf_counter()
        await ingest_articles(ArticleStore(make_sessionmaker(db_engine)), bbc.corpus(size))
        await db_engine.dispose()
        return time.perf_counter() - t0

    return asyncio.run(go())


def quality(
    out: dict[str, Any], copies: bool = False
) -> dict[str, tuple[float, float, float, int]]:
    """recall@1, recall@5, MRR@10 and count per query kind (and 'dev', all dev kinds); with
    `copies`, a perturbed copy of the article counts as the article."""
    ranks: dict[str, list[int | None]] = defaultdict(list)
    for query, ids in zip(bbc.queries(), out["results"], strict=True):
        wanted = out["relevant"][("copies", query.source) if copies else query.source]
        rank = next((i for i, a in enumerate(ids[:LIMIT]) if a in wanted), None)
        ranks[query.kind].append(rank)
        if query.kind != "natural":
            ranks["dev"].append(rank)
    table = {}
    for kind, found in ranks.items():
        n = len(found)
        r1 = sum(r == 0 for r in found) / n
        r5 = sum(r is not None and r < 5 for r in found) / n
        mrr = sum(1 / (r + 1) for r in found if r is not None) / n
        table[kind] = (r1, r5, mrr, n)
    return table


def _in_child(system: str, size: int, db_path: str, pg_url: str | None) -> dict[str, Any]:
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(1) as pool:
        return pool.apply(run_system, (system, size, db_path, pg_url))


def _pg_database(admin_url: str, name: str, create: bool) -> None:
    async def go() -> None:
        from sqlalchemy import text

        db_engine = make_db_engine(admin_url)
        async with db_engine.connect() as conn:
            conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
            await conn.execute(text(f"DROP DATABASE IF EXISTS {name}"))
            if create:
                await conn.execute(text(f"CREATE DATABASE {name}"))
        await db_engine.dispose()

    asyncio.run(go())


def run_pg(size: int, admin_url: str) -> dict[str, Any] | str:
    """newsbot on PostgreSQL at one size, in its own database; or why it was skipped."""
    name = f"newsbot_bench_{os.getpid()}"
    try:
        _pg_database(admin_url, name, create=True)
    except Exception as exc:  # no server, no driver, no rights: say so and go on
        return f"skipped: {type(exc).__name__}: {str(exc).splitlines()[0][:120]}"
    try:
        return _in_child("newsbot-pg", size, "", admin_url.rsplit("/", 1)[0] + "/" + name)
    finally:
        _pg_database(admin_url, name, create=False)


def print_quality(size: int, outs: dict[str, dict[str, Any]]) -> None:
    """The quality table of one size, Markdown."""
    print(f"\nQuality on {size:,} articles (recall@1 / recall@5 / MRR@10):\n")
    tables = {name: quality(out) for name, out in outs.items()}
    print("| queries | n | " + " | ".join(tables) + " |")
    print("| --- | --- |" + " --- |" * len(tables))
    for kind in ("dev", *KINDS):
        n = next(iter(tables.values()))[kind][3]
        cells = [" / ".join(f"{v:.3f}" for v in t[kind][:3]) for t in tables.values()]
        print(f"| {kind} | {n} | " + " | ".join(cells) + " |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[2225, 20_000, 100_000])
    parser.add_argument("--pg-sizes", type=int, nargs="*", default=[20_000])
    parser.add_argument("--pg-url", default=os.environ.get("NEWSBOT_TEST_PG_URL"))
    parser.add_argument("--systems", nargs="+", default=["newsbot", "tantivy", "fts5"])
    parser.add_argument(
        "--stories",
        action="store_true",
        help="search by meaning on ../shared/eval/stories instead (bench/meaning.py)",
    )
    parser.add_argument("--limit-queries", type=int, default=None)
    args = parser.parse_args()
    if args.stories:
        from bench import meaning

        with tempfile.TemporaryDirectory() as tmp:
            meaning.run(tmp, args.limit_queries)
        return
    latency_rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in sorted(args.sizes):
            db_path = str(Path(tmp) / f"bbc_{size}.db")
            ctx = multiprocessing.get_context("spawn")
            with ctx.Pool(1) as pool:
                built = pool.apply(build_sqlite, (size, db_path))
            stored = sqlite3.connect(db_path).execute("SELECT count(*) FROM articles").fetchone()
            print(f"{size:,} articles asked, {stored[0]:,} stored, ingested in {built:.0f} s")
            outs = {s: _in_child(s, size, db_path, None) for s in args.systems}
            if size in args.pg_sizes:
                pg = run_pg(size, args.pg_url) if args.pg_url else "skipped: no --pg-url"
                if isinstance(pg, str):
                    print(f"newsbot on PostgreSQL at {size:,}: {pg}")
                else:
                    outs["newsbot-pg"] = pg
            if size == min(args.sizes):
                print_quality(stored[0], outs)
            for name, out in outs.items():
                lat = out["latencies"]
                r1 = quality(out, copies=True)["dev"][0]
                latency_rows.append((size, name, pct(lat, 50), pct(lat, 95), out["rss"], r1))
            Path(db_path).unlink()
    print("\nLatency per query (warm, every query once) and peak RSS of each system's process:\n")
    print("(recall@1 here: the dev queries, where a perturbed copy of the article counts too)\n")
    print("| articles | system | p50 ms | p95 ms | peak RSS MiB | dev recall@1 |")
    print("| --- | --- | --- | --- | --- | --- |")
    for size, name, p50, p95, rss, r1 in latency_rows:
        print(f"| {size:,} | {name} | {p50:.2f} | {p95:.2f} | {rss:.0f} | {r1:.3f} |")


if __name__ == "__main__":
    main()
