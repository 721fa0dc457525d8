"""Inline mode: `@bot words` offers matching articles, one per story (the latest for an empty
query)."""

from __future__ import annotations

from telegram import InlineQueryResultArticle, InputTextMessageContent, Update

from engine.errors import QueryError
from engine.models import Article, StoryBrief
from engine.numbers import parse_int
from engine.sentences import split_sentences
from engine.text import shorten
from engine.titles import beyond_title
from handlers import render
from handlers.context import NewsContext
from services import search as searching

INLINE_PAGE = 20
MAX_INLINE_OFFSET = 500
DESCRIPTION_CHARS = 120


def _offset(raw: str) -> int:
    """The page offset Telegram echoes back; anything odd (even "²") starts from the top."""
    return parse_int(raw, 0, MAX_INLINE_OFFSET) or 0


async def _result(
    context: NewsContext, article: Article, brief: StoryBrief | None
) -> InlineQueryResultArticle:
    summary = await context.articles.summary(article)
    text = render.split_message(render.summary_message(article, summary))[0]
    # The line under the title says something the title does not; a story with several
    # sources says so first ("3 sources: Reuters, AP, BBC · ...").
    description = (
        beyond_title(article.title, summary.sentences)
        or beyond_title(article.title, split_sentences(article.body))
        or article.body
    )
    if brief is not None:
        description = f"{render.sources_text(brief)} · {description}"
    return InlineQueryResultArticle(
        id=str(article.id),
        title=shorten(article.title, 100),
        description=shorten(description, DESCRIPTION_CHARS),
        input_message_content=InputTextMessageContent(text),
    )


async def inline_query(update: Update, context: NewsContext) -> None:
    """Answer an inline query with up to INLINE_PAGE articles per page, paged by next_offset."""
    query = update.inline_query
    assert query is not None
    offset = _offset(query.offset)
    words = query.query.strip()
    try:  # one result per story, as /search and /latest (offsets count stories)
        if words:
            page = await searching.ranked_stories(
                context.articles, words, limit=INLINE_PAGE, offset=offset
            )
            articles = [h.article for h in page.hits]
            more = page.has_more
        else:
            articles, more = await searching.newest_stories(
                context.articles, limit=INLINE_PAGE, offset=offset
            )
    except QueryError:
        articles, more = [], False
    articles = articles[: render.INLINE_RESULTS_LIMIT]
    stories = await searching.briefs(context.stories, articles)
    results = [
        await _result(context, a, stories.get(a.story_id) if a.story_id else None) for a in articles
    ]
    next_offset = (
        str(offset + INLINE_PAGE) if more and offset + INLINE_PAGE <= MAX_INLINE_OFFSET else ""
    )
    # Personal: Telegram must not hand one member's cached results to an outsider (behind an
    # allow-list), nor one language's dates to a reader of another.
    await query.answer(results, next_offset=next_offset, cache_time=30, is_personal=True)
