"""A year of a busy team's news: what commands cost as the store grows (issue 19).

    python -m bench.scale [--sizes 100000 300000 1000000] [--queries 300] [--keep DIR]

Each size is a SQLite store built through the ingest pipeline from the BBC set and its
perturbed copies (bench/bbc.py), the copies dated over the last `--days` (365: a year of
news, so a 30-day `/trend` reads a month of it; 0: every article added today, the worst
case the runs before 2026-12-06 10:30 UTC measured). Printed per size, beside the peers of
the same run:
- ingest articles/s (parsed articles through `ingest.pipeline.ingest_articles`, summaries
  included);
- cold start: a fresh process opening the store and answering its first search, wall time,
  and its peak RSS after that search and the dev queries (the idle bot's working set);
- search p50/p95 ms over the BBC dev queries (warm), beside tantivy and plain FTS5 BM25 run in
  their own processes on the same articles;
- `/latest`: its first and third page; `/trend` for a common and a rare word (30 days).
Fan-out with keyword subscriptions has its own benches (bench/keyword_fanout.py,
bench/reply_during_fanout.py). At a million articles a run takes about an hour on 2 cores
(building the store is most of it); `--sizes` picks quicker ones. `--keep DIR` keeps each
store in DIR and measures a store already there instead of building it again (its ingest rate
is then not measured: "kept").
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import multiprocessing
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

from bench import bbc
from bench.search import pct
from bench.search_real import run_system

QUERIES = 300
TREND_WORDS = ("said", "oscar")  # in most articles; in a few
DAYS = 365  # the copies arrive over a year, as a team's news does


def build(size: int, db_path: str, days: int) -> float:
    """Ingest `size` articles (dated over `days` days) into a new store; articles per
    second. The store is built under another name and renamed when complete, so a run cut
    short never leaves a partial store for `--keep` to measure."""
    from ingest.pipeline import ingest_articles
    from storage.articles import ArticleStore
    from storage.db import make_db_engine, make_sessionmaker, migrate, sqlite_url

    building = db_path + ".building"
    Path(building).unlink(missing_ok=True)

    async def go() -> float:
        db_engine = make_db_engine(sqlite_url(building))
        await migrate(db_engine)
        t0 = time.perf_counter()
        store = ArticleStore(make_sessionmaker(db_engine))
        await ingest_articles(store, bbc.corpus(size, days))
        seconds = time.perf_counter() - t0
        await db_engine.dispose()
        return size / seconds

    rate = asyncio.run(go())
    Path(building).rename(db_path)
    return rate


def probe(db_path: str, queries: int) -> dict[str, Any]:
    """In a fresh process: open the store, answer a first search, then time the commands."""
    started = time.perf_counter()
    from storage.articles import ArticleStore
    from storage.db import make_db_engine, make_sessionmaker, migrate, sqlite_url
    from storage.trends import trend

    async def go() -> dict[str, Any]:
        db_engine = make_db_engine(sqlite_url(db_path))
        await migrate(db_engine)
        store = ArticleStore(make_sessionmaker(db_engine))
        await store.search("goverment budjet minister")
        first = time.perf_counter() - started
        latencies = []
        for query in bbc.queries()[:queries]:
            t0 = time.perf_counter()
            with contextlib.suppress(Exception):  # a refused query still counts its time
                await store.search(query.text)
            latencies.append((time.perf_counter() - t0) * 1000)
        pages = []
        for offset in (0, 10):
            t0 = time.perf_counter()
            await store.latest(5, offset)
            pages.append((time.perf_counter() - t0) * 1000)
        trends = []
        for word in TREND_WORDS:
            t0 = time.perf_counter()
            await trend(store, word, 30, date.today())
            trends.append((time.perf_counter() - t0) * 1000)
        await db_engine.dispose()
        return {
            "first_search_s": first,
            "p50": pct(latencies, 50),
            "p95": pct(latencies, 95),
            "latest_ms": pages,
            "trend_ms": trends,
            "rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        }

    return asyncio.run(go())


def _child(function: Any, *args: Any) -> Any:
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(function, args)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 300_000, 1_000_000])
    parser.add_argument("--queries", type=int, default=QUERIES)
    parser.add_argument("--keep", metavar="DIR", help="keep the stores in DIR and reuse them")
    parser.add_argument(
        "--days",
        type=int,
        default=DAYS,
        help="date the copies over this many days (0: all added today, /trend's worst case)",
    )
    parser.add_argument("--probe", nargs=2, metavar=("DB", "QUERIES"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.probe:
        print(json.dumps(probe(args.probe[0], int(args.probe[1]))))
        return
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in sorted(args.sizes):
            name = f"scale_{size}.db" if args.days == DAYS else f"scale_{size}_{args.days}d.db"
            db_path = str(Path(args.keep or tmp) / name)
            rate: float | None = None
            if args.keep and Path(db_path).exists():
                print(f"{size:,} articles: the store kept in {db_path}", flush=True)
            else:
                rate = _child(build, size, db_path, args.days)
                print(f"{size:,} articles ingested at {rate:,.0f}/s", flush=True)
            t0 = time.perf_counter()
            out = subprocess.run(
                [sys.executable, "-m", "bench.scale", "--probe", db_path, str(args.queries)],
                capture_output=True,
                text=True,
                check=True,
            )
            wall = time.perf_counter() - t0
            found = json.loads(out.stdout.strip().splitlines()[-1])
            peers = {}
            for system in ("tantivy", "fts5"):
                result = _child(run_system, system, size, db_path, None)
                lat = result["latencies"][: args.queries]
                peers[system] = (pct(lat, 50), pct(lat, 95))
            rows.append((size, rate, wall, found, peers))
            print(json.dumps({"size": size, "process_wall_s": wall, **found, "peers": peers}))
            if not args.keep:
                Path(db_path).unlink()
    print("\n| articles | ingest /s | first search after start s | newsbot p50 / p95 ms |", end="")
    print(
        " tantivy p50 / p95 | FTS5 p50 / p95 | /latest p1 / p3 ms | /trend common / rare ms |",
        end="",
    )
    print(" RSS MiB |")
    print("| --- " * 9 + "|")
    for size, rate, _wall, f, peers in rows:
        ingested = "kept" if rate is None else f"{rate:,.0f}"
        print(
            f"| {size:,} | {ingested} | {f['first_search_s']:.2f} | {f['p50']:.2f} / "
            f"{f['p95']:.2f} | {peers['tantivy'][0]:.2f} / {peers['tantivy'][1]:.2f} | "
            f"{peers['fts5'][0]:.2f} / {peers['fts5'][1]:.2f} | {f['latest_ms'][0]:.1f} / "
            f"{f['latest_ms'][1]:.1f} | {f['trend_ms'][0]:.0f} / {f['trend_ms'][1]:.0f} | "
            f"{f['rss_mib']:.0f} |"
        )


if __name__ == "__main__":
    main()
