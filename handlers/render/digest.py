"""A digest message: one summary line per article, as many as fit, the rest behind "N more"."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardMarkup

from engine.models import Article
from handlers import render
from handlers.render import subscriptions as subscription_text
from i18n import _
from storage.articles import ArticleStore


async def first_lines(
    articles: ArticleStore, items: Sequence[Article], cache: dict[int, str] | None = None
) -> list[str]:
    """One summary sentence per article, for digest lines (`cache` shares them in a round)."""
    cache = {} if cache is None else cache
    for article in items:
        if article.id not in cache:
            summary = await articles.summary(article)
            cache[article.id] = summary.sentences[0] if summary.sentences else article.title
    return [cache[a.id] for a in items]


async def digest_message(
    articles: ArticleStore,
    keywords: str,
    subscription_id: int,
    items: Sequence[Article],
    cache: dict[int, str] | None = None,
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The digest's text and buttons: always one message (a digest split in two could be half
    sent when a 429 or a crash comes between the parts)."""
    heading = _("New: {words}").format(words=keywords) if keywords else _("New articles")
    summaries = await first_lines(articles, items[: subscription_text.DIGEST_CAP], cache)
    shown_count = len(summaries)
    while True:
        shown = items[:shown_count]
        more = len(items) - shown_count
        text = subscription_text.digest(heading, shown, summaries[:shown_count], more)
        if render.utf16_len(text) <= render.MESSAGE_LIMIT or shown_count == 1:
            break
        shown_count -= 1
    text = render.split_message(text)[0]
    return text, subscription_text.digest_keyboard(shown, more, subscription_id, shown[-1].id)
