"""/trend WORDS [days]: a bar chart of how many articles mention the words per day (per week
for long periods), sent as a photo; an empty result is a line, not an empty chart."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from telegram import Update

from engine.numbers import is_ascii_int, parse_int
from engine.trends import DEFAULT_DAYS, MAX_DAYS, Trend
from handlers import render
from handlers.context import NewsContext
from handlers.render import chart
from handlers.replies import usage
from i18n import N_, _
from storage.trends import trend as count_mentions

USAGE = N_("Usage: /trend WORDS [days] (days from 1 to {max}, default {default})")


def parse_args(args: list[str]) -> tuple[str, int] | None:
    """(words, days) from the command's arguments; None when they do not fit the usage."""
    days = DEFAULT_DAYS
    if len(args) > 1 and is_ascii_int(args[-1]):
        parsed = parse_int(args[-1], 1, MAX_DAYS)
        if parsed is None:
            return None
        days, args = parsed, args[:-1]
    return (" ".join(args), days) if args else None


def nothing_found(trend: Trend) -> str:
    """The line that replaces an empty chart."""
    words = render.esc(" ".join(trend.words))
    return _("No article of the last {days} days mentions “{words}”.").format(
        days=trend.days, words=words
    )


async def build(context: NewsContext, words: str, days: int) -> Trend:
    """Count the mentions (EmptyQuery and QueryTooLong reach the error handler as lines)."""
    return await count_mentions(context.articles, words, days, datetime.now(UTC).date())


async def trend(update: Update, context: NewsContext) -> None:
    """/trend WORDS [days]: the chart with its title as caption, or one line if none match."""
    parsed = parse_args(context.args or [])
    message = update.effective_message
    if parsed is None or message is None:
        await usage(update, _(USAGE).format(max=MAX_DAYS, default=DEFAULT_DAYS))
        return
    found = await build(context, *parsed)
    if not found.total:
        await usage(update, nothing_found(found))
        return
    png = await asyncio.to_thread(chart.render_png, found)  # ~0.1 s of drawing off the loop
    await message.reply_photo(png, caption=render.esc(chart.title(found)))
