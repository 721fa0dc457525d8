"""/trend on a large SQLite store: `storage.trends.trend` beside the plan it replaced.

    python -m bench.trend_days STORE.db [--days 30] [WORDS ...]
    python -m bench.trend_days STORE.db --followed [--days 30] [WORDS ...]
    python -m bench.trend_days --ingest 4000 [--rounds 3]

For each query (default: a word in most articles, a rare one, two common words, two rarer
ones, a short word that is also a prefix): the articles counted, then the first call (cold:
the process has just opened the store), the median of 5 warm calls, and their median CPU of
`storage.trends.trend`, which looks each full-text match's day up in article_days by id;
beside it, in the same process on the same store, the statements it ran before migration
0014 (every match counted; for a common word the period's articles from ix_articles_day
probed against a temporary b-tree of the full-text matches in the period's id span; for a
rare one each match's row read), whose count must be the same. The store must be migrated
(`python -m bench.scale --keep DIR` keeps one; use a copy: migrate() writes).

`--followed`: the same queries where ids follow dates, as a feed's articles arrive (the
bench.scale stores date their articles at random): article_days is given such days (the
articles' own days are copied back at the end), and `trend` reading only the full-text
matches between the period's lowest and highest id is timed beside the same reading every id.

`--ingest N`: what article_days costs an ingest: N BBC articles (dated over a year, as
bench.scale) into a new store, with their days written and, taking turns in the same
process, without (the trigger that writes the days dropped); wall and CPU of each round.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable, Sequence
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from bench import bbc
from engine.trends import period
from ingest.pipeline import ingest_articles
from storage import trends
from storage.article_days import fill
from storage.articles import ArticleStore
from storage.db import make_db_engine, make_sessionmaker, migrate, sqlite_url
from storage.dialect import EVERY_ID

QUERIES = ("said", "oscar", "said people", "government minister", "oscar award", "gove")
WARM = 5
# The statements of storage/trends.py before migration 0014 (625c212), the period's bounds
# as dates (it compared a date with the first day's midnight, leaving that day out): every
# match counted, then above 1,000 the period's lowest and highest id from ix_articles_day and
# the period's ids probed against the matches in that span (below, each match's row read).
DAY = "coalesce(published, added_at)"
PERIOD = f"{DAY} >= :start AND {DAY} < :end"
MATCHES = "SELECT rowid FROM articles_fts WHERE articles_fts MATCH :q AND rowid BETWEEN :lo AND :hi"
BEFORE_COUNT = f"SELECT count(*) FROM ({MATCHES})"
BEFORE_SPAN = f"SELECT min(id), max(id) FROM articles WHERE {PERIOD}"
BEFORE_DAYS = f"SELECT substr({DAY}, 1, 10), count(*) FROM articles WHERE {PERIOD} AND {{}} IN ("
BEFORE_ROWS = 1_000


async def _timed(call: Callable[[], Awaitable[int]]) -> tuple[int, float, float, float]:
    """(result, first call ms, median of WARM more ms, their median CPU ms): the process's
    CPU, the driver's thread included, which other workers on the machine do not stretch."""
    t0 = time.perf_counter()
    found = await call()
    cold = (time.perf_counter() - t0) * 1000
    warm, cpu = [], []
    for _ in range(WARM):
        t0, c0 = time.perf_counter(), time.process_time()
        assert await call() == found
        warm.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    return found, cold, statistics.median(warm), statistics.median(cpu)


def _before_match(store: ArticleStore, query: str) -> Callable[[], Awaitable[str]]:
    async def match() -> str:
        plan = await store.plan(query)
        return " AND ".join(
            "(" + " OR ".join([f'"{t}"' for t in w.terms] + [f'"{p}" *' for p in w.prefixes]) + ")"
            for w in plan.words
        )

    return match


async def _row(store: ArticleStore, query: str, days: int) -> str:
    start, end = period(days, date.today())
    bounds = {"start": start.isoformat(), "end": (end + timedelta(days=1)).isoformat()}
    match = _before_match(store, query)

    async def now() -> int:
        return (await trends.trend(store, query, days, date.today())).total

    async def before() -> int:
        q = await match()
        every = {"q": q, "lo": 0, "hi": 2**63 - 1}
        async with store.sessions() as session:
            found = int(await session.scalar(text(BEFORE_COUNT), every) or 0)
            span, probe = every, "id"
            if found > BEFORE_ROWS:
                lo, hi = (await session.execute(text(BEFORE_SPAN), bounds)).one()
                span, probe = {"q": q, "lo": lo or 0, "hi": hi or -1}, "id + 0"
            days = text(BEFORE_DAYS.format(probe) + MATCHES + ") GROUP BY 1")
            rows = (await session.execute(days, {**bounds, **span})).all() if found else []
        return sum(int(n) for _, n in rows)

    counted, cold, warm, cpu = await _timed(now)
    was, was_cold, was_warm, was_cpu = await _timed(before)
    assert was == counted, (query, was, counted)
    return (
        f"| {query} | {counted:,} | {cold:.0f} / {warm:.0f} / {cpu:.0f} | "
        f"{was_cold:.0f} / {was_warm:.0f} / {was_cpu:.0f} |"
    )


async def run(path: str, days: int, queries: list[str]) -> None:
    db_engine = make_db_engine(sqlite_url(path))
    await migrate(db_engine)
    store = ArticleStore(make_sessionmaker(db_engine))
    print("| query | articles | trend: cold / warm / CPU ms | before: cold / warm / CPU ms |")
    print("| --- | --- | --- | --- |")
    for query in queries:
        print(await _row(store, query, days), flush=True)
    await db_engine.dispose()


# Days that follow the ids over the last 365 days, as a feed's articles do (oldest first).
FOLLOW = (
    "UPDATE article_days SET day = CAST(strftime('%Y%m%d', date('now', '-364 days', "
    "'+' || (id * 365 / ((SELECT max(id) FROM article_days) + 1)) || ' days')) AS INTEGER)"
)


async def followed(path: str, days: int, queries: list[str]) -> None:
    """Give article_days days that follow the ids, then time `trend` with the period's id
    span beside the same reading every id (the span made (0, max)); the store's own days are
    copied back at the end (storage.article_days.fill)."""
    db_engine = make_db_engine(sqlite_url(path))
    await migrate(db_engine)
    store = ArticleStore(make_sessionmaker(db_engine))
    async with db_engine.begin() as conn:
        await conn.execute(text(FOLLOW))
    real = getattr(trends, "id_span")  # noqa: B009

    async def every(session: AsyncSession, wanted: Sequence[int]) -> tuple[int, int]:
        return EVERY_ID

    print("| query | articles | with the span: warm / CPU ms | every id: warm / CPU ms |")
    print("| --- | --- | --- | --- |")
    try:
        for query in queries:
            cells = []
            for span in (real, every):
                setattr(trends, "id_span", span)  # noqa: B010
                found, _, warm, cpu = await _timed(functools.partial(_total, store, query, days))
                cells.append(f"{warm:.0f} / {cpu:.0f}")
            print(f"| {query} | {found:,} | {cells[0]} | {cells[1]} |", flush=True)
    finally:
        setattr(trends, "id_span", real)  # noqa: B010
        async with db_engine.begin() as conn:
            await conn.execute(text("DELETE FROM article_days"))
            await conn.execute(text("UPDATE article_days_fill SET done = 0"))
        await fill(db_engine)
        await db_engine.dispose()


async def _total(store: ArticleStore, query: str, days: int) -> int:
    return (await trends.trend(store, query, days, date.today())).total


async def _ingest(size: int, with_days: bool) -> tuple[float, float]:
    """Wall and CPU seconds of ingesting `size` BBC articles into a new store (without days:
    the trigger that writes them dropped, as before migration 0014)."""
    with tempfile.TemporaryDirectory() as tmp:
        db_engine = make_db_engine(sqlite_url(Path(tmp) / "ingest.db"))
        await migrate(db_engine)
        if not with_days:
            async with db_engine.begin() as connection:
                await connection.exec_driver_sql("DROP TRIGGER articles_day")
        corpus = list(bbc.corpus(size, 365))
        t0, c0 = time.perf_counter(), time.process_time()
        await ingest_articles(ArticleStore(make_sessionmaker(db_engine)), corpus)
        spent = time.perf_counter() - t0, time.process_time() - c0
        await db_engine.dispose()
    return spent


async def ingest(size: int, rounds: int) -> None:
    for n in range(1, rounds + 1):
        for with_days in (False, True):
            wall, cpu = await _ingest(size, with_days)
            name = "with article_days" if with_days else "without (before)"
            print(f"round {n}, {name:<18}: {size / wall:5.0f} articles/s, CPU {cpu:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store", nargs="?")
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("words", nargs="*", default=list(QUERIES))
    parser.add_argument("--ingest", type=int, metavar="N", help="measure an ingest instead")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--followed", action="store_true", help="days that follow the ids")
    args = parser.parse_args()
    if args.ingest:
        asyncio.run(ingest(args.ingest, args.rounds))
    elif args.store and args.followed:
        asyncio.run(followed(args.store, args.days, args.words))
    elif args.store:
        asyncio.run(run(args.store, args.days, args.words))
    else:
        parser.error("a store, or --ingest N")


if __name__ == "__main__":
    main()
