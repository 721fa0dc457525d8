"""How subscriptions and digests read in a chat: the /subscriptions list, quiet hours, the
digest message and its buttons (HTML, escaped; the limits are render's)."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from engine.models import Article
from engine.text import shorten
from handlers.render import esc, linked_title
from handlers.render.callbacks import callback
from i18n import _, article_date
from storage.subscriptions import Subscription

DIGEST_CAP = 10
DIGEST_LINE_CHARS = 160


def subscription_label(sub: Subscription) -> str:
    """“peace talks” not “sport” · daily at 09:00 (Asia/Baku) · silent · to @channel, as HTML."""
    what = _("“{words}”").format(words=esc(sub.keywords)) if sub.keywords else _("all new articles")
    if sub.excluded:
        what = _("{what} not “{words}”").format(what=what, words=esc(sub.excluded))
    when = _("as they arrive")
    if sub.mode == "daily":
        when = _("daily at {time} ({zone})").format(time=sub.daily_at, zone=esc(sub.timezone))
    parts = [what, when]
    if sub.silent:
        parts.append(_("silent"))
    if sub.deliver_to is not None:
        channel = esc(sub.deliver_to_name or str(sub.deliver_to))
        parts.append(_("to {channel}").format(channel=channel))
    return " · ".join(parts)


def quiet_label(hours: tuple[str, str] | None) -> str:
    """The chat's quiet hours in words."""
    if hours is None:
        return _("🔔 No quiet hours here: digests arrive as they come.")
    return _(
        "🌙 Quiet hours {start}–{end}: instant digests wait and arrive together after."
    ).format(start=hours[0], end=hours[1])


def subscription_list(labels: Sequence[str], quiet: tuple[str, str] | None = None) -> str:
    """The chat's subscriptions, numbered for /unsubscribe N (and its quiet hours)."""
    if not labels:
        return _("No subscriptions here yet. Try /subscribe or /subscribe peace talks daily 09:00")
    lines = [_("🔔 Subscriptions in this chat")]
    lines += [f"{n}. {label}" for n, label in enumerate(labels, 1)]
    if quiet is not None:
        lines.append(quiet_label(quiet))
    return "\n".join(lines)


def unsubscribe_keyboard(subscription_ids: Sequence[int]) -> InlineKeyboardMarkup | None:
    """An Unsubscribe button per subscription."""
    if not subscription_ids:
        return None
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    _("Unsubscribe {number}").format(number=n),
                    callback_data=callback("unsubscribe", sid),
                )
            ]
            for n, sid in enumerate(subscription_ids, 1)
        ]
    )


def digest(heading: str, articles: Sequence[Article], first_lines: Sequence[str], more: int) -> str:
    """A digest: one line of summary per article, then how many more wait behind the button."""
    lines = [f"🗞 <b>{esc(heading)}</b>"]
    for n, (article, line) in enumerate(zip(articles, first_lines, strict=True), 1):
        lines.append(
            f"{n}. {linked_title(article)} · {esc(article_date(article))}\n"
            f"{esc(shorten(line, DIGEST_LINE_CHARS))}"
        )
    if more:
        lines.append(_("…and {count} more.").format(count=more))
    return "\n\n".join(lines)


def digest_keyboard(
    articles: Sequence[Article], more: int, subscription_id: int, last_shown: int
) -> InlineKeyboardMarkup | None:
    """📄 buttons for full summaries, five to a row, and a “N more” button."""
    buttons = [
        InlineKeyboardButton(f"📄 {n}", callback_data=callback("summary", a.id))
        for n, a in enumerate(articles, 1)
    ]
    rows = [buttons[i : i + 5] for i in range(0, len(buttons), 5)]
    if more:
        data = callback("digest", subscription_id, last_shown)
        rows.append(
            [InlineKeyboardButton(_("{count} more").format(count=more), callback_data=data)]
        )
    return InlineKeyboardMarkup(rows) if rows else None
