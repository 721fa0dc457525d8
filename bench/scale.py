"""A year of a busy team's news: what commands cost as the store grows (issue 19).

    python -m bench.scale [--sizes 100000 300000 1000000] [--queries 300] [--keep DIR]
                          [--url sqlite] [--url postgresql+asyncpg://USER:PW@HOST:PORT/DB]

Each size is a store built through the ingest pipeline from the BBC set and its perturbed
copies (bench/bbc.py), the copies dated over the last `--days` (365: a year of news, so a
30-day `/trend` reads a month of it; 0: every article added today, the worst case the runs
before 2026-12-06 10:30 UTC measured). `--url` picks the databases, once per store kind and
in the order given: `sqlite` (the default) is a file; a PostgreSQL URL names a server, on
which each size gets its own new database (`newsbot_scale_SIZE`, created and dropped; the
database the URL names is only used to create it). Printed per size and database, beside
the peers of the same run:
- ingest articles/s (parsed articles through `ingest.pipeline.ingest_articles` as
  `python -m bot ingest` runs it, summaries and stories included);
- cold start: a fresh process opening the store and answering its first search, wall time,
  and its peak RSS after that search and the dev queries (the idle bot's working set; on
  PostgreSQL the server's memory is not in it). A SQLite store's file is read once before
  (when it fits in half the memory available), so its pages are in the kernel's cache as a
  running machine's are, and as the peers' indexes, built just before they answer, are;
- search p50/p95 ms over the BBC dev queries (warm), beside tantivy and plain FTS5 BM25 run in
  their own processes on the same articles (read from the SQLite store of the same size, so
  a PostgreSQL row shows them only when the run also built SQLite);
- `/latest`: its first and third page; `/trend` for a common and a rare word (30 days).
With SQLite and PostgreSQL in one run, a last table gives each PostgreSQL figure as a multiple
of SQLite's (issue 19: within 2x). Fan-out with keyword subscriptions has its own benches
(bench/keyword_fanout.py, bench/reply_during_fanout.py). At a million articles a run takes
about an hour on 2 cores (building the store is most of it); `--sizes` picks quicker ones.
`--keep DIR` keeps each store (SQLite in DIR, PostgreSQL's databases on the server) and
measures a store already there instead of building it again (its ingest rate is then not
measured: "kept").
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

from bench import bbc
from bench.scale_stores import DAYS, SQLITE, Store, child
from bench.search import pct, peak_rss_mib
from bench.search_real import run_system

QUERIES = 300
TREND_WORDS = ("said", "oscar")  # in most articles; in a few


def probe(url: str, queries: int) -> dict[str, Any]:
    """In a fresh process: open the store, answer a first search, then time the commands."""
    started = time.perf_counter()
    from storage.articles import ArticleStore
    from storage.db import make_db_engine, make_sessionmaker, migrate
    from storage.trends import trend

    async def go() -> dict[str, Any]:
        db_engine = make_db_engine(url)
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
            "rss_mib": peak_rss_mib(),
        }

    return asyncio.run(go())


def _read_into_memory(path: Path) -> None:
    """Read a store file once, so its pages are in the kernel's cache as a running bot's
    would be (when it fits in half the memory available): the peers index the same
    articles just before they answer, so theirs are, and building them (plain FTS5 writes a
    second store of its own) evicts ours. At a million articles the same code's probe printed
    p95 31.3 ms after a peer run and 18.3 ms once the file had been read (2026-12-06)."""
    with open("/proc/meminfo", encoding="utf-8") as meminfo:
        fields = dict(line.split(":", 1) for line in meminfo)
    available = int(fields["MemAvailable"].split()[0]) * 1024
    if path.stat().st_size > available // 2:
        print(f"{path.name} is larger than half the memory available: not read ahead")
        return
    with path.open("rb") as stored:
        while stored.read(16 * 2**20):
            pass


def measure(store: Store, queries: int, peers: dict[str, tuple[float, float]]) -> dict[str, Any]:
    """Build (unless kept) and probe one store; its figures, peers beside them."""
    rate: float | None = None
    if store.exists():
        print(f"{store.size:,} articles on {store.kind}: the store kept", flush=True)
    else:
        rate = store.build()
        print(f"{store.size:,} articles ingested on {store.kind} at {rate:,.0f}/s", flush=True)
    if store.kind == "SQLite":
        _read_into_memory(store.path)
    t0 = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-m", "bench.scale", "--probe", store.url, str(queries)],
        capture_output=True,
        text=True,
        check=True,
    )
    wall = time.perf_counter() - t0
    found: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    if store.kind == "SQLite":
        for system in ("tantivy", "fts5"):
            result = child(run_system, system, store.size, str(store.path), None)
            lat = result["latencies"][:queries]
            peers[system] = (pct(lat, 50), pct(lat, 95))
    row = {"size": store.size, "db": store.kind, "rate": rate, "process_wall_s": wall, **found}
    print(json.dumps({**row, "peers": peers}), flush=True)
    return {**row, "peers": dict(peers)}


def _figures(f: dict[str, Any]) -> list[float]:
    return [f["first_search_s"], f["p50"], f["p95"], *f["latest_ms"], *f["trend_ms"], f["rss_mib"]]


def print_tables(rows: list[dict[str, Any]]) -> None:
    """The Markdown table of every row, then PostgreSQL's figures as multiples of SQLite's."""
    print("\n| articles | database | ingest /s | first search after start s |", end="")
    print(" newsbot p50 / p95 ms | tantivy p50 / p95 | FTS5 p50 / p95 |", end="")
    print(" /latest p1 / p3 ms | /trend common / rare ms | RSS MiB |")
    print("| --- " * 10 + "|")
    for f in rows:
        ingested = "kept" if f["rate"] is None else f"{f['rate']:,.0f}"
        peer = {
            s: " / ".join(f"{v:.2f}" for v in f["peers"].get(s, ())) or "-"
            for s in ("tantivy", "fts5")
        }
        print(
            f"| {f['size']:,} | {f['db']} | {ingested} | {f['first_search_s']:.2f} | "
            f"{f['p50']:.2f} / {f['p95']:.2f} | {peer['tantivy']} | {peer['fts5']} | "
            f"{f['latest_ms'][0]:.1f} / {f['latest_ms'][1]:.1f} | "
            f"{f['trend_ms'][0]:.0f} / {f['trend_ms'][1]:.0f} | {f['rss_mib']:.0f} |"
        )
    pairs = [
        (lite, pg)
        for lite in rows
        for pg in rows
        if lite["db"] == "SQLite" and pg["db"] == "PostgreSQL" and lite["size"] == pg["size"]
    ]
    if not pairs:
        return
    print("\nPostgreSQL / SQLite (issue 19: each at most 2x):\n")
    print("| articles | ingest | first search | p50 | p95 | /latest p1 | p3 |", end="")
    print(" /trend common | rare | RSS |")
    print("| --- " * 10 + "|")
    for lite, pg in pairs:
        ingest = (
            "-"
            if lite["rate"] is None or pg["rate"] is None
            else f"{lite['rate'] / pg['rate']:.2f}x"
        )
        ratios = [
            f"{b / a:.2f}x" if a else "-" for a, b in zip(_figures(lite), _figures(pg), strict=True)
        ]
        print(f"| {lite['size']:,} | {ingest} | " + " | ".join(ratios) + " |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 300_000, 1_000_000])
    parser.add_argument("--queries", type=int, default=QUERIES)
    parser.add_argument("--keep", metavar="DIR", help="keep the stores (SQLite's in DIR)")
    parser.add_argument(
        "--url",
        action="append",
        help="'sqlite' (the default) or a PostgreSQL server's URL; repeat to run both",
    )
    parser.add_argument(
        "--days",
        type=int,
        default=DAYS,
        help="date the copies over this many days (0: all added today, /trend's worst case)",
    )
    parser.add_argument("--probe", nargs=2, metavar=("URL", "QUERIES"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.probe:
        print(json.dumps(probe(args.probe[0], int(args.probe[1]))))
        return
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in sorted(args.sizes):
            peers: dict[str, tuple[float, float]] = {}
            for url in args.url or [SQLITE]:
                store = Store(url, size, args.days, args.keep or tmp)
                if not args.keep:
                    store.remove()  # a store left by a run cut short is never measured
                try:
                    rows.append(measure(store, args.queries, peers))
                finally:
                    if not args.keep:
                        store.remove()
    print_tables(rows)


if __name__ == "__main__":
    main()
