"""article_days: each article's day (publication date, else the day added) as yyyymmdd, keyed
by its id (migration 0014), so /trend looks each full-text match's day up by primary key in a
table of a few bytes a row. A row is written with its article by a trigger on articles
(migration 0014: whichever version of the bot adds it, a rolling upgrade included) and goes
with it (ON DELETE CASCADE); `fill` copies the days of the articles stored before the
migration, in the background of a running bot, a thousand articles a write transaction."""

from __future__ import annotations

import asyncio
from datetime import date

from sqlalchemy import ColumnElement, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from storage.db import make_sessionmaker, writing
from storage.dialect import day_number
from storage.models import ArticleDayRow, ArticleDaysFillRow, ArticleRow

FILL_ROWS = 1_000  # articles a write transaction of the backfill copies (cold: about 60 ms)
FILLED = 99_999_999  # article_days_fill.done once every day is copied
FILL_PAUSE = 0.05  # seconds between the backfill's transactions: other writers go first


def as_number(day: date) -> int:
    """A day as the integer yyyymmdd."""
    return day.year * 10_000 + day.month * 100 + day.day


def _from(day: date) -> ColumnElement[bool]:
    """Articles whose day is `day` or later (a range of ix_articles_day's first column)."""
    return func.coalesce(ArticleRow.published, ArticleRow.added_at) >= day


def as_day(number: int) -> date:
    """The day of an integer yyyymmdd."""
    return date(number // 10_000, number // 100 % 100, number % 100)


async def filled(session: AsyncSession) -> bool:
    """Whether every article stored before migration 0014 has its day in article_days (until
    then /trend reads days from the articles themselves: storage/trends.py)."""
    state = await session.get(ArticleDaysFillRow, 1)
    return state is None or state.done >= FILLED


async def _fill_step(session: AsyncSession, rows: int) -> bool:
    """Copy the days of the next `rows` articles stored before the migration, oldest day
    first (ix_articles_day's order; those already copied are skipped); whether any are left.
    `done` is the day of the last one copied: its other articles are copied next time."""
    state = await session.get(ArticleDaysFillRow, 1, with_for_update=True)
    if state is None or state.done >= FILLED:
        return False
    dialect = session.get_bind().dialect.name
    start = date.min if state.done == 0 else as_day(state.done)
    day = func.coalesce(ArticleRow.published, ArticleRow.added_at)
    copied = select(ArticleDayRow.id).where(ArticleDayRow.id == ArticleRow.id).exists()
    pending = (
        select(ArticleRow.id, day_number(dialect))
        .where(_from(start), ArticleRow.id <= state.last, ~copied)
        .order_by(day)
        .limit(rows)
    )
    # No ON CONFLICT: under the state row's lock nothing else copies these, so a conflict is
    # a fault to see, not a row to skip (a skipped row would end the copy early).
    statement = insert(ArticleDayRow).from_select(["id", "day"], pending)
    days = list((await session.scalars(statement.returning(ArticleDayRow.day))).all())
    done = max(days) if len(days) >= rows else FILLED
    await session.execute(update(ArticleDaysFillRow).values(done=done))
    return done < FILLED


async def fill(db_engine: AsyncEngine, rows: int = FILL_ROWS, pause: float = 0.0) -> int:
    """Copy the days of the articles stored before migration 0014 into article_days, a short
    write transaction at a time with `pause` seconds between them (the write lock is never
    held long, and others take it between); the transactions it took. The running bot does
    it in the background after an upgrade (bot/jobs.py). Safe to run from several processes
    at once, and a read alone once done."""
    sessions = make_sessionmaker(db_engine)
    async with sessions() as session:  # a read first: once done, a start writes nothing
        more = not await filled(session)
    steps = 0
    while more:
        if steps and pause:
            await asyncio.sleep(pause)
        async with writing(sessions) as session:
            more = await _fill_step(session, rows)
        steps += 1
    return steps
