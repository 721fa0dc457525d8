"""How many articles mention some words per day or week: the words are planned like /search
(typo-tolerant, the last word also as a prefix), the full-text index finds every matching
article of the period, and engine.trends counts them."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import and_, or_, select

from engine.trends import Trend, count_trend, period
from storage.articles import ArticleStore
from storage.dialect import index_for
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
    index = index_for(sessions.kw["bind"].dialect.name)
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
    statement = select(ArticleRow.published, ArticleRow.added_at).where(
        ArticleRow.id.in_(index.all_matching(plan.words)), dated
    )
    async with sessions() as session:
        rows = (await session.execute(statement)).all()
    return count_trend(shown, [published or added.date() for published, added in rows], start, end)
