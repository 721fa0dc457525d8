"""/delete ID…: the team's admins remove articles from the corpus (search, digests not yet
sent), through the same service as `python -m bot delete`."""

from __future__ import annotations

from telegram import Update

from engine.errors import NewsbotError
from handlers import render
from handlers.access import require_admin
from handlers.context import NewsContext
from handlers.replies import usage
from i18n import ngettext
from i18n.errors import explain
from services import corpus
from storage.removal import Removal

SHOWN_IDS = 10  # ids named in the reply; the rest are counted


def _ids(ids: tuple[int, ...]) -> str:
    shown = ", ".join(f"#{i}" for i in ids[:SHOWN_IDS])
    return shown + (" …" if len(ids) > SHOWN_IDS else "")


def removal_text(removal: Removal) -> str:
    """What /delete did, in one line."""
    parts = []
    if removal.removed:
        count = len(removal.removed)
        parts.append(
            ngettext(
                "Deleted {count} article ({ids}): it is gone from search and from digests "
                "not yet sent.",
                "Deleted {count} articles ({ids}): they are gone from search and from digests "
                "not yet sent.",
                count,
            ).format(count=count, ids=_ids(removal.removed))
        )
    if removal.unknown:
        count = len(removal.unknown)
        parts.append(
            ngettext(
                "No article has the id {ids}.", "No articles have the ids {ids}.", count
            ).format(ids=_ids(removal.unknown))
        )
    return " ".join(parts)


async def delete(update: Update, context: NewsContext) -> None:
    """/delete ID…: remove these articles (the team's admins)."""
    try:
        ids = corpus.parse_ids(context.args or [])
    except NewsbotError as error:  # no id, not an id, too many, no such article can exist
        await usage(update, render.esc(explain(error)))
        return
    if not await require_admin(update, context):
        return
    await usage(update, removal_text(await context.articles.remove(ids)))
