"""A digest message: one summary line per article, as many as fit, the rest behind "N more"."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardMarkup

from engine.models import Article
from handlers import render
from handlers.render import subscriptions as subscription_text
from i18n import _


def first_lines(items: Sequence[Article]) -> list[str]:
    """One summary sentence per article, for digest lines: the stored summary's first (it
    comes with the article), else the title."""
    return [a.summary[0] if a.summary else a.title for a in items]


def digest_message(
    keywords: str, subscription_id: int, items: Sequence[Article]
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The digest's text and buttons: always one message (a digest split in two could be half
    sent when a 429 or a crash comes between the parts)."""
    heading = _("New: {words}").format(words=keywords) if keywords else _("New articles")
    summaries = first_lines(items[: subscription_text.DIGEST_CAP])
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
