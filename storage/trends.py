"""How many articles mention some words per day or week: the words are planned like /search
(typo-tolerant, the last word also as a prefix), the full-text index finds every matching
article between the period's lowest and highest id, each match's day is looked up in
article_days by its id, and engine.trends counts them. PostgreSQL, whose GIN index cannot
read a stretch of ids, ANDs the words' GIN list with its articles' day index instead, or, for
a word in most articles, asks the GIN index of words and day (migration 0015)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Date, Integer, Select, cast, func, select, text

from engine.search import WordPlan
from engine.trends import Trend, count_trend, period
from storage.article_days import as_day, as_number, filled
from storage.articles import ArticleStore
from storage.dialect import EVERY_ID, POSTGRESQL, day_number, id_span, index_for
from storage.fulltext import PostgresIndex
from storage.models import ArticleDayRow, ArticleRow

# A word in more than this share of the articles is counted in the index of words and day.
COMMON_SHARE = 0.5
TREND_WORK_MEM = "64MB"  # PostgreSQL's memory for one /trend's bitmaps (default 4 MB)
WORDS_AND_DAY = "ix_articles_words_day"  # PostgreSQL's GIN index of words and day (0015)


async def trend(articles: ArticleStore, query: str, days: int, today: date) -> Trend:
    """Articles mentioning every word of `query` (EmptyQuery, QueryTooLong as /search) in the
    `days` days ending `today`, counted by day or week. An article's day is its publication
    date, else the day it was added. A word that matches no indexed term matches nothing."""
    plan, rarest = await articles.weighed_plan(query)
    shown = tuple(w.best or w.word for w in plan.words)
    start, end = period(days, today)
    if not all(w.matchable for w in plan.words):
        return count_trend(shown, [], start, end)
    sessions = articles.sessions
    dialect = sessions.kw["bind"].dialect.name
    days_wanted = [as_number(start + timedelta(days=n)) for n in range((end - start).days + 1)]
    async with sessions() as session:
        if dialect == POSTGRESQL:
            # Planned for these words each time: a plan made for any words (PostgreSQL's
            # generic plan after five runs of a prepared statement) cannot tell a rare word
            # from a common one, and took 47-49 ms for "oscar" instead of 3.
            await session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))
            # A prefix's matches go through a bitmap of every article holding it (844,000 for
            # "said" at a million): in the default 4 MB it turns lossy and each article of a
            # lossy page is checked against its stored words again (690 ms; 200-280 in 64 MB).
            await session.execute(text(f"SET LOCAL work_mem = '{TREND_WORK_MEM}'"))
            # The plan of a common word costs more than the server's JIT threshold: compiling
            # took 5-6 ms of a 140 ms count at a million articles, for nothing.
            await session.execute(text("SET LOCAL jit = off"))
        if dialect == POSTGRESQL:
            indexed, newest = (
                await session.execute(
                    text(f"SELECT to_regclass('{WORDS_AND_DAY}'), (SELECT max(id) FROM articles)")
                )
            ).one()
            day_in_index = indexed is not None and rarest > COMMON_SHARE * (newest or 0)
            statement = _postgres_statement(plan.words, start, end, day_in_index)
        elif await filled(session):
            span = await id_span(session, days_wanted)
            statement = trend_statement(dialect, plan.words, start, end, span)
        else:
            statement = _unfilled_statement(dialect, plan.words, start, end)
        rows = (await session.execute(statement)).all()
    per_day = {as_day(number): int(n) for number, n in rows}
    return count_trend(shown, per_day, start, end)


def trend_statement(
    dialect: str,
    words: Sequence[WordPlan],
    start: date,
    end: date,
    span: tuple[int, int] = EVERY_ID,
) -> Select[int, int]:
    """Per day (yyyymmdd) from `start` to `end`, how many articles match every word: the
    full-text index's matches with ids in `span` (id_span: the period's lowest and highest),
    each one's day read from article_days by primary key (a few bytes a row, cached; never the
    article's row, which holds a whole body). About 0.1 µs a match in the span: 92 ms for a
    word in 844,000 of a million articles whose dates do not follow their ids (the span is the
    whole store), where the period's ids from ix_articles_day probed against a temporary
    b-tree of every match took 230 ms; when ids follow dates, as a feed's articles do, the
    span is about the period and the cost follows it."""
    if dialect == POSTGRESQL:
        return _postgres_statement(words, start, end)
    found = index_for(dialect).all_matching(words, *span).subquery("found")
    day = ArticleDayRow.day
    return (
        select(day, func.count())
        .select_from(found.join(ArticleDayRow, ArticleDayRow.id == next(iter(found.c))))
        .where(day.between(as_number(start), as_number(end)))
        .group_by(day)
    )


def _unfilled_statement(
    dialect: str, words: Sequence[WordPlan], start: date, end: date
) -> Select[int, int]:
    """While the articles stored before migration 0014 are still being given their days
    (storage.article_days.fill, in the background after an upgrade): the period's articles
    from ix_articles_day (its expression, compared with dates: a date and a timestamp compare
    right as text against a day) probed against the full-text matches, as before the
    migration (about 370 ms for a common word at a million articles instead of 100, for the
    half-minute the copy takes; never each match's row, 17 s from a cold cache)."""
    matches = index_for(dialect).all_matching(words, *EVERY_ID)
    day = func.coalesce(ArticleRow.published, ArticleRow.added_at)
    number = day_number(dialect)
    return (
        select(number, func.count())
        .where(day >= start, day < end + timedelta(days=1), (ArticleRow.id + 0).in_(matches))
        .group_by(number)
    )


def _postgres_statement(
    words: Sequence[WordPlan], start: date, end: date, day_in_index: bool = True
) -> Select[int, int]:
    """PostgreSQL. The period comes from ix_articles_day and the planner ANDs its bitmap
    with the GIN index's list of the words, reading only the rows in both: at a million
    articles, 30 days of a year, "oscar" 11 ms, "economy" 41, "year" (53 % of articles) 104.
    For a word in most articles (`day_in_index`, see COMMON_SHARE) the planner would rather
    check each of the period's rows against its stored words (out of TOAST: "said" 609 ms),
    so the period is asked of the GIN index of words and day instead (migration 0015),
    which meets both conditions in one scan: "said" 157-172 ms (its day range costs about
    65 ms, too much for rarer words)."""
    if day_in_index:
        # The index's own expression, compared with dates: no other index can serve it.
        day: Any = cast(func.coalesce(ArticleRow.published, ArticleRow.added_at), Date)
        after: date | datetime = start
        before: date | datetime = end + timedelta(days=1)
    else:
        day = func.coalesce(ArticleRow.published, ArticleRow.added_at)
        after = datetime.combine(start, time.min)
        before = datetime.combine(end + timedelta(days=1), time.min)
    number = cast(func.to_char(day, "YYYYMMDD"), Integer)
    matches = text(PostgresIndex.MATCHES).bindparams(ts_q=PostgresIndex.tsquery(words))
    return select(number, func.count()).where(matches, day >= after, day < before).group_by(number)
