"""article_days: each article's day (publication date, else the day added) as yyyymmdd, keyed
by its id (migration 0014), so /trend looks each full-text match's day up by primary key in a
table of a few bytes a row. A row is written with its article by a trigger on articles
(migration 0014: whichever version of the bot adds it, a rolling upgrade included) and goes
with it (ON DELETE CASCADE); `fill` copies the days of the articles stored before the
migration."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import ColumnElement, and_, func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from storage.db import make_sessionmaker, writing
from storage.dialect import article_day, day_number, upsert
from storage.models import ArticleDayRow, ArticleDaysFillRow, ArticleRow

FILL_ROWS = 2_000  # about this many articles (whole days) a write transaction of the backfill
FILLED = 99_999_999  # article_days_fill.done once every day is copied


def as_number(day: date) -> int:
    """A day as the integer yyyymmdd."""
    return day.year * 10_000 + day.month * 100 + day.day


def _from(day: date) -> ColumnElement[bool]:
    """Articles whose day is `day` or later (a range of ix_articles_day's first column)."""
    return func.coalesce(ArticleRow.published, ArticleRow.added_at) >= day


def as_day(number: int) -> date:
    """The day of an integer yyyymmdd."""
    return date(number // 10_000, number // 100 % 100, number % 100)


async def _fill_step(session: AsyncSession, rows: int) -> bool:
    """Copy the days of the next `rows` or so articles stored before the migration (whole
    days, from the oldest); whether any are left."""
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
        # Whole days: up to the boundary's day, or the one day that holds more than `rows`.
        end = first if first > start else start + timedelta(days=1)
        wanted = and_(old, day < end)
        done = as_number(end)
    copied = select(ArticleRow.id, day_number(dialect)).where(wanted)
    statement = upsert(session, ArticleDayRow).from_select(["id", "day"], copied)
    await session.execute(statement.on_conflict_do_nothing(index_elements=["id"]))
    await session.execute(update(ArticleDaysFillRow).values(done=done))
    return done < FILLED


async def fill(db_engine: AsyncEngine, rows: int = FILL_ROWS) -> int:
    """Copy the days of the articles stored before migration 0014 into article_days, a short
    write transaction at a time (the write lock is never held long); the transactions it took.
    Safe to run from several processes at once, and a read alone once done."""
    sessions = make_sessionmaker(db_engine)
    async with sessions() as session:  # a read first: once done, a start writes nothing
        state = await session.get(ArticleDaysFillRow, 1)
        more = state is not None and state.done < FILLED
    steps = 0
    while more:
        async with writing(sessions) as session:
            more = await _fill_step(session, rows)
        steps += 1
    return steps
