"""How many articles mention some words per day or week: the words are planned like /search
(typo-tolerant, the last word also as a prefix), the full-text index finds every matching
article of the period, and engine.trends counts them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, select

from engine.search import WordPlan
from engine.trends import Trend, count_trend, period
from storage.articles import ArticleStore
from storage.dialect import article_day, matching
from storage.models import ArticleRow


async def trend(articles: ArticleStore, query: str, days: int, today: date) -> Trend:
    """Articles mentioning every word of `query` (EmptyQuery, QueryTooLong as /search) in the
    `days` days ending `today`, counted by day or week. An article's day is its publication
    date, else the day it was added. A word that matches no indexed term matches nothing."""
    plan = await articles.plan(query)
    shown = tuple(w.best or w.word for w in plan.words)
    start, end = period(days, today)
    if not all(w.matchable for w in plan.words):
        return count_trend(shown, [], start, end)
    sessions = articles.sessions
    dialect = sessions.kw["bind"].dialect.name
    async with sessions() as session:
        lo, hi = (await session.execute(span_statement(start, end))).one()
        rows = []
        if lo is not None:
            statement = trend_statement(dialect, plan.words, start, end, (lo, hi))
            rows = list((await session.execute(statement)).all())
    per_day = {d if isinstance(d, date) else date.fromisoformat(d): int(n) for d, n in rows}
    return count_trend(shown, per_day, start, end)


def _dated(start: date, end: date) -> ColumnElement[bool]:
    """Whether an article's day (publication date, else the day added) is from `start` to
    `end`: a range of ix_articles_day's first column."""
    day = func.coalesce(ArticleRow.published, ArticleRow.added_at)
    after = datetime.combine(start, time.min)
    before = datetime.combine(end + timedelta(days=1), time.min)
    return and_(day >= after, day < before)


def span_statement(start: date, end: date) -> Select[int, int]:
    """The lowest and highest id of the period's articles (from ix_articles_day alone)."""
    return select(func.min(ArticleRow.id), func.max(ArticleRow.id)).where(_dated(start, end))


def trend_statement(
    dialect: str, words: Sequence[WordPlan], start: date, end: date, span: tuple[int, int]
) -> Select[tuple[Any, int]]:
    """Per day from `start` to `end`, how many articles match every word. The period's
    articles and their days come from ix_articles_day alone (never a table row, each of which
    holds a whole body); the full-text index reads only the stretch of its lists between the
    period's lowest and highest id (`span`), so a year-long store costs what a month does."""
    day = article_day(dialect)
    return (
        select(day, func.count())
        .where(_dated(start, end), matching(dialect, words, *span))
        .group_by(day)
    )
