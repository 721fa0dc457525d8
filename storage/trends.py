"""How many articles mention some words per day or week: the words are planned like /search
(typo-tolerant, the last word also as a prefix), the full-text index finds every matching
article, each match's day is looked up in article_days by its id, and engine.trends counts
them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import Select, func, select

from engine.search import WordPlan
from engine.trends import Trend, count_trend, period
from storage.article_days import as_day, as_number
from storage.articles import ArticleStore
from storage.dialect import index_for
from storage.models import ArticleDayRow

EVERY_ID = (0, 2**63 - 1)


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
        rows = (await session.execute(trend_statement(dialect, plan.words, start, end))).all()
    per_day = {as_day(number): int(n) for number, n in rows}
    return count_trend(shown, per_day, start, end)


def trend_statement(
    dialect: str, words: Sequence[WordPlan], start: date, end: date
) -> Select[int, int]:
    """Per day (yyyymmdd) from `start` to `end`, how many articles match every word: the
    full-text index's matches, each one's day read from article_days by primary key (a few
    bytes a row, cached; never the article's row, which holds a whole body). It costs about
    0.1 µs a match of all time, whatever the period: 92 ms for a word in 844,000 of a million
    articles, where the period's ids from ix_articles_day joined through a temporary b-tree
    of every match took 230 ms."""
    found = index_for(dialect).all_matching(words, *EVERY_ID).subquery("found")
    day = ArticleDayRow.day
    return (
        select(day, func.count())
        .select_from(found.join(ArticleDayRow, ArticleDayRow.id == next(iter(found.c))))
        .where(day.between(as_number(start), as_number(end)))
        .group_by(day)
    )
