"""/summary ID|WORDS [N] and the 📄 buttons under results."""

from __future__ import annotations

from telegram import Update

from engine.numbers import article_id, parse_int
from engine.summary import DEFAULT_SENTENCES, MAX_SENTENCES
from handlers import render
from handlers.context import NewsContext
from handlers.replies import pressed, send, usage
from i18n import N_, _

USAGE = N_("Usage: /summary ID or /summary WORDS, optionally followed by N (1–{max}) sentences")


def parse_args(args: list[str]) -> tuple[int | None, str, int] | None:
    """(article id or None, query, sentences) from the command's words; None if unusable.

    A word meant as a number ("²" and "٣" are digits to `str.isdigit()`) must be plain ASCII
    digits; an id no article can have raises ArticleNotFound.
    """
    words = [a for a in args if a.strip()]
    if not words:
        return None
    sentences: int | None = DEFAULT_SENTENCES
    if len(words) > 1 and words[-1].isdigit():
        sentences = parse_int(words.pop(), 1, MAX_SENTENCES)
    if sentences is None:
        return None
    first = words[0].lstrip("#")
    if len(words) > 1 or not first.isdigit():
        return None, " ".join(words), sentences
    number = article_id(first)
    return None if number is None else (number, "", sentences)


async def summary(update: Update, context: NewsContext) -> None:
    """/summary ID|WORDS [N]: an extractive summary with title, date and source."""
    parsed = parse_args(context.args or [])
    if parsed is None:
        await usage(update, _(USAGE).format(max=MAX_SENTENCES))
        return
    article_id, query, sentences = parsed
    if article_id is not None:
        article = await context.articles.get(article_id)
    else:
        article = await context.articles.best_match(query)
    result = await context.articles.summary(article, sentences=sentences, query=query)
    await send(update, render.summary_message(article, result))


async def summary_button(update: Update, context: NewsContext) -> None:
    """📄 N under a result list: that article's summary, as a new message."""
    parsed = await pressed(update)
    if parsed is None or update.callback_query is None:
        return
    await update.callback_query.answer()
    article = await context.articles.get(int(parsed.args[0]))
    result = await context.articles.summary(article)
    await send(update, render.summary_message(article, result))
