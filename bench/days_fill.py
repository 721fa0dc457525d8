"""The upgrade to migration 0014 on a large store: how long a process waits before it serves,
and the write transactions that give the older articles their days (issue 19: none longer
than 100 ms), beside the backfill of the version before in the same run.

    python -m bench.days_fill STORE.db [--rows 1000] [--cold]

The store is taken back to migration 0013 and upgraded again (this writes: use a copy, or a
bench store such as `python -m bench.scale --keep DIR`'s), then, in this process:
1. the start: `migrate` and a first search, timed (the fill no longer runs in it);
2. `/trend` for a common word while no day is copied yet (it reads the articles' rows);
3. the fill as the bot's background job runs it (`storage.article_days.fill`'s steps, one
   write transaction each): transactions, their median / p95 / longest wall time, the total;
4. the store back at 0013 and upgraded again, then the backfill of the version before (whole
   days, about 2,000 articles a transaction, inside `migrate`), timed the same way.
`--cold`: the kernel's page cache is dropped before steps 1 and 4 (root only), as after a
reboot; otherwise the store is as the page cache holds it.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import time
from collections.abc import Awaitable, Callable
from datetime import date, timedelta

from alembic import command
from alembic.config import Config
from sqlalchemy import and_, func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from storage.article_days import FILL_ROWS, FILLED, _fill_step, _from, as_day, as_number
from storage.articles import ArticleStore
from storage.db import make_db_engine, make_sessionmaker, migrate, sqlite_url, writing
from storage.dialect import article_day, day_number, upsert
from storage.models import ArticleDayRow, ArticleDaysFillRow, ArticleRow
from storage.trends import trend

Step = Callable[[AsyncSession, int], Awaitable[bool]]


def _down_to_0013(config: Config) -> None:
    command.downgrade(config, "0013")


def _drop_cache() -> None:
    subprocess.run(["sync"], check=True)
    with open("/proc/sys/vm/drop_caches", "w", encoding="ascii") as caches:
        caches.write("3\n")


async def _before_step(session: AsyncSession, rows: int) -> bool:
    """The backfill step of the version before (d3c684e): whole days, from the oldest, the
    days of about `rows` articles a transaction (one day when it holds more)."""
    state = await session.get(ArticleDaysFillRow, 1, with_for_update=True)
    if state is None or state.done >= FILLED:
        return False
    dialect = session.get_bind().dialect.name
    start = date.min if state.done == 0 else as_day(state.done)
    old = and_(_from(start), ArticleRow.id <= state.last)
    day = func.coalesce(ArticleRow.published, ArticleRow.added_at)
    boundary = await session.scalar(
        select(article_day(dialect)).where(old).order_by(day).offset(rows).limit(1)
    )
    wanted = old
    done = FILLED
    if boundary is not None:
        first = boundary if isinstance(boundary, date) else date.fromisoformat(str(boundary))
        end = first if first > start else start + timedelta(days=1)
        wanted = and_(old, day < end)
        done = as_number(end)
    copied = select(ArticleRow.id, day_number(dialect)).where(wanted)
    statement = upsert(session, ArticleDayRow).from_select(["id", "day"], copied)
    await session.execute(statement.on_conflict_do_nothing(index_elements=["id"]))
    await session.execute(update(ArticleDaysFillRow).values(done=done))
    return done < FILLED


async def _timed_fill(db_engine: AsyncEngine, step: Step, rows: int) -> list[float]:
    """Each write transaction's wall time (ms), begin to commit, until the fill is done."""
    sessions = make_sessionmaker(db_engine)
    took, more = [], True
    while more:
        t0 = time.perf_counter()
        async with writing(sessions) as session:
            more = await step(session, rows)
        took.append((time.perf_counter() - t0) * 1000)
    return took


def _print(name: str, took: list[float]) -> None:
    ordered = sorted(took)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    print(
        f"| {name} | {len(took):,} | {statistics.median(took):.0f} | {p95:.0f} | "
        f"{max(took):.0f} | {sum(took) / 1000:.1f} |"
    )


async def _run(path: str, rows: int, cold: bool) -> None:
    url = sqlite_url(path)
    db_engine = make_db_engine(url)
    await migrate(db_engine, _down_to_0013)
    await db_engine.dispose()
    if cold:
        _drop_cache()
    t0 = time.perf_counter()
    db_engine = make_db_engine(url)
    await migrate(db_engine)
    store = ArticleStore(make_sessionmaker(db_engine))
    await store.search("goverment budjet minister")
    print(
        f"start after the upgrade: migrated and a first search answered in "
        f"{time.perf_counter() - t0:.2f} s"
    )
    t0 = time.perf_counter()
    unfilled = await trend(store, "said", 30, date.today())
    print(
        f"/trend 'said' before any day is copied: {(time.perf_counter() - t0) * 1000:.0f} ms "
        f"({unfilled.total:,} articles)"
    )
    print("\n| backfill | write transactions | median ms | p95 ms | longest ms | total s |")
    print("| --- | --- | --- | --- | --- | --- |")
    _print(
        f"now: {rows:,} articles a transaction, in the background",
        await _timed_fill(db_engine, _fill_step, rows),
    )
    filled = await trend(store, "said", 30, date.today())
    assert filled.total == unfilled.total, (filled.total, unfilled.total)
    await migrate(db_engine, _down_to_0013)
    await db_engine.dispose()
    if cold:
        _drop_cache()
    db_engine = make_db_engine(url)
    await migrate(db_engine)
    _print(
        "before: whole days, ~2,000 articles, inside migrate",
        await _timed_fill(db_engine, _before_step, 2_000),
    )
    await db_engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("store")
    parser.add_argument("--rows", type=int, default=FILL_ROWS)
    parser.add_argument("--cold", action="store_true", help="drop the page cache first (root)")
    args = parser.parse_args()
    asyncio.run(_run(args.store, args.rows, args.cold))


if __name__ == "__main__":
    main()
