"""How many articles mention some words per day or week: the words are planned like /search
(typo-tolerant, the last word also as a prefix), the full-text index finds every matching
article of the period, and engine.trends counts them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, and_, func, or_, select

from engine.search import WordPlan
from engine.trends import Trend, count_trend, period
from storage.articles import ArticleStore
from storage.dialect import article_day, index_for
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
    statement = trend_statement(sessions.kw["bind"].dialect.name, plan.words, start, end)
    async with sessions() as session:
        rows = (await session.execute(statement)).all()
    per_day = {d if isinstance(d, date) else date.fromisoformat(d): int(n) for d, n in rows}
    return count_trend(shown, per_day, start, end)


def trend_statement(
    dialect: str, words: Sequence[WordPlan], start: date, end: date
) -> Select[tuple[Any, int]]:
    """Per day from `start` to `end`, how many articles match every word: the full-text
    index finds them, the primary key reads their day (never a scan of the table)."""
    after = datetime.combine(start, time.min)
    before = datetime.combine(end + timedelta(days=1), time.min)
    dated = or_(
        ArticleRow.published.between(start, end),
        and_(
            ArticleRow.published.is_(None),
            ArticleRow.added_at >= after,
            ArticleRow.added_at < before,
        ),
    )
    # Counted by day in the database: a common word's hundred thousand matches never become
    # Python objects (1.3-1.8 s at 100k articles before, 0.4 s on the same loaded machine).
    day = article_day(dialect)
    return (
        select(day, func.count())
        .where(ArticleRow.id.in_(index_for(dialect).all_matching(words)), dated)
        .group_by(day)
    )
