"""Ingest articles/s into a store of some size, the bot's way beside the bulk way.

    python -m bench.ingest_rate [--store FILE] [--base 20000] [--articles 4000] [--runs 2]

The bot (a feed poll, a watched folder) prepares each batch (summaries and story features,
CPU work) in a worker thread, where Python's lock keeps it from running beside the writing;
`python -m bot ingest` prepares each next batch in a worker process while the one before it
is written (ingest/pipeline.py). Each run ingests the same `--articles` perturbed BBC copies
(bench/bbc.py, dated over the last two weeks) into its own copy of the store: `--store` (a
kept SQLite store, such as bench/scale.py's), else a store of `--base` articles built here
first. The two ways alternate, `--runs` times each.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import tempfile
import time
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from bench import bbc
from engine.models import ParsedArticle
from ingest.pipeline import ingest_articles
from storage.articles import ArticleStore
from storage.db import make_db_engine, make_sessionmaker, migrate, sqlite_url

FIRST_COPY = 5_000_000  # copies numbered past any store bench/bbc.py grows


def _copies(count: int) -> list[ParsedArticle]:
    """`count` perturbed BBC copies no kept store holds, arriving over the last two weeks,
    oldest first (the store's own copies end today: this is the news that follows)."""
    real, today = bbc.articles(), date.today()
    return [
        replace(
            bbc.perturbed(real[n % len(real)], FIRST_COPY + n),
            published=today - timedelta(days=13 - n * 14 // count),
        )
        for n in range(count)
    ]


async def _rate(path: Path, articles: Sequence[ParsedArticle], bulk: bool) -> float:
    db_engine = make_db_engine(sqlite_url(path))
    await migrate(db_engine)
    store = ArticleStore(make_sessionmaker(db_engine))
    t0 = time.perf_counter()
    report = await ingest_articles(store, articles, bulk=bulk)
    seconds = time.perf_counter() - t0
    await db_engine.dispose()
    return len(report.added) / seconds


async def _count(path: Path) -> int:
    db_engine = make_db_engine(sqlite_url(path))
    await migrate(db_engine)
    found = await ArticleStore(make_sessionmaker(db_engine)).count()
    await db_engine.dispose()
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--store", type=Path, default=None)
    parser.add_argument("--base", type=int, default=20_000)
    parser.add_argument("--articles", type=int, default=4_000)
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "base.db"
        if args.store is not None:
            shutil.copy(args.store, base)
        else:
            asyncio.run(_rate(base, list(bbc.corpus(args.base, 365)), bulk=True))
        size = asyncio.run(_count(base))
        print(f"{args.articles:,} articles into a store of {size:,}:")
        articles = _copies(args.articles)
        rates: dict[bool, list[float]] = {False: [], True: []}
        for _ in range(args.runs):
            for bulk in (False, True):
                work = Path(tmp) / "work.db"
                shutil.copy(base, work)
                rates[bulk].append(asyncio.run(_rate(work, articles, bulk)))
                work.unlink()
        for bulk, label in ((False, "the bot's way"), (True, "bulk (python -m bot ingest)")):
            shown = ", ".join(f"{r:,.0f}" for r in rates[bulk])
            print(f"{label}: {shown} articles/s")


if __name__ == "__main__":
    main()
