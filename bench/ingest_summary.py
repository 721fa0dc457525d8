"""Ingest throughput (articles/s) and summary cost (ms/article), with peak memory.

    python -m bench.ingest_summary [--articles 20000] [--summaries 300]

Ingest is measured twice: from parsed articles (hash, dedupe, insert, FTS5 index) and from
.txt files on disk (plus reading and parsing each file, boilerplate and title included).
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import statistics
import tempfile
import time
from pathlib import Path

from bench.corpus import articles
from engine.summary import summarize
from ingest.pipeline import SEEDS_DIR, ingest_articles, ingest_paths
from storage.articles import ArticleStore
from storage.db import make_db_engine, make_sessionmaker, migrate, sqlite_url


async def _store(path: Path) -> ArticleStore:
    db_engine = make_db_engine(sqlite_url(path))
    await migrate(db_engine)
    return ArticleStore(make_sessionmaker(db_engine))


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--files", type=int, default=5_000)
    parser.add_argument("--summaries", type=int, default=300)
    args = parser.parse_args()
    corpus = list(articles(args.articles, seed=3))
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        store = await _store(work / "a.db")
        t0 = time.perf_counter()
        report = await ingest_articles(store, corpus)
        elapsed = time.perf_counter() - t0
        print(
            f"ingest (parsed)   {len(report.added)} articles in {elapsed:.2f} s: "
            f"{len(report.added) / elapsed:,.0f} articles/s"
        )
        t0 = time.perf_counter()
        again = await ingest_articles(store, corpus[: args.files])
        elapsed = time.perf_counter() - t0
        print(
            f"re-ingest dupes   {again.duplicates} duplicates skipped in {elapsed:.2f} s: "
            f"{again.duplicates / elapsed:,.0f} articles/s"
        )

        folder = work / "files"
        folder.mkdir()
        for i, a in enumerate(corpus[: args.files]):
            (folder / f"{i:06}.txt").write_text(
                f" date {a.published.isoformat() if a.published else ''} {a.body}", encoding="utf-8"
            )
        store2 = await _store(work / "b.db")
        t0 = time.perf_counter()
        report = await ingest_paths(store2, [folder])
        elapsed = time.perf_counter() - t0
        print(
            f"ingest (.txt)     {len(report.added)} files in {elapsed:.2f} s: "
            f"{len(report.added) / elapsed:,.0f} articles/s"
        )

    seeds = sorted(SEEDS_DIR.glob("*.txt"))
    bodies = [p.read_text(encoding="utf-8") for p in seeds]
    bodies += [a.body for a in corpus[: args.summaries]]
    summarize(bodies[0])  # build the segmenter once
    times = []
    for body in bodies:
        t0 = time.perf_counter()
        summarize(body)
        times.append((time.perf_counter() - t0) * 1000)
    chars = statistics.mean(len(b) for b in bodies)
    print(
        f"summary           {len(bodies)} articles (mean {chars:,.0f} chars): "
        f"mean {statistics.mean(times):.2f} ms, p95 {sorted(times)[int(len(times) * 0.95)]:.2f} ms"
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak:.0f} MiB")


if __name__ == "__main__":
    asyncio.run(main())
