"""Inline mode: `@bot words` offers matching articles (the latest for an empty query)."""

from __future__ import annotations

from telegram import InlineQueryResultArticle, InputTextMessageContent, Update

from engine.errors import QueryError
from engine.models import Article
from engine.numbers import parse_int
from engine.sentences import split_sentences
from engine.text import shorten
from engine.titles import beyond_title
from handlers import render
from handlers.context import NewsContext

INLINE_PAGE = 20
MAX_INLINE_OFFSET = 500
DESCRIPTION_CHARS = 120


def _offset(raw: str) -> int:
    """The page offset Telegram echoes back; anything odd (even "²") starts from the top."""
    return parse_int(raw, 0, MAX_INLINE_OFFSET) or 0


async def _result(context: NewsContext, article: Article) -> InlineQueryResultArticle:
    summary = await context.articles.summary(article)
    text = render.split_message(render.summary_message(article, summary))[0]
    return InlineQueryResultArticle(
        id=str(article.id),
        title=shorten(article.title, 100),
        # The line under the title says something the title does not.
        description=shorten(
            beyond_title(article.title, summary.sentences)
            or beyond_title(article.title, split_sentences(article.body))
            or article.body,
            DESCRIPTION_CHARS,
        ),
        input_message_content=InputTextMessageContent(text),
    )


async def inline_query(update: Update, context: NewsContext) -> None:
    """Answer an inline query with up to INLINE_PAGE articles per page, paged by next_offset."""
    query = update.inline_query
    assert query is not None
    offset = _offset(query.offset)
    words = query.query.strip()
    try:
        if words:
            page = await context.articles.search(words, limit=INLINE_PAGE, offset=offset)
            articles = [h.article for h in page.hits]
            more = page.has_more
        else:
            articles, more = await context.articles.latest(INLINE_PAGE, offset)
    except QueryError:
        articles, more = [], False
    results = [await _result(context, a) for a in articles[: render.INLINE_RESULTS_LIMIT]]
    next_offset = (
        str(offset + INLINE_PAGE) if more and offset + INLINE_PAGE <= MAX_INLINE_OFFSET else ""
    )
    # Personal: Telegram must not hand one member's cached results to an outsider (behind an
    # allow-list), nor one language's dates to a reader of another.
    await query.answer(results, next_offset=next_offset, cache_time=30, is_personal=True)
