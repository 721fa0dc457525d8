"""/subscribe, /subscriptions, /unsubscribe, /timezone, the Unsubscribe and “N more” buttons,
and the chat-membership updates that keep subscriptions pointed at live chats."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from telegram import Update
from telegram.constants import ChatMemberStatus

from engine.numbers import MAX_ID, parse_int
from handlers import render
from handlers.chat import may_change
from handlers.context import NewsContext
from handlers.digest import first_lines
from handlers.replies import pressed, send, usage

UNSUBSCRIBE_USAGE = "Usage: /unsubscribe N (from /subscriptions) or /unsubscribe all"
USAGE = "Usage: /subscribe [WORDS] [instant | daily HH:MM], e.g. /subscribe peace talks daily 09:00"
_TIME = re.compile(r"([01]?[0-9]|2[0-3]):([0-5][0-9])")
MORE_LOOKAHEAD = 100


def parse_subscribe(args: list[str]) -> tuple[str, str, str | None] | None:
    """(keywords, mode, daily_at) from /subscribe's words; None when the schedule is malformed."""
    words = list(args)
    mode, daily_at = "instant", None
    if len(words) >= 2 and words[-2].lower() == "daily":
        m = _TIME.fullmatch(words[-1])
        if not m:
            return None
        mode, daily_at = "daily", f"{int(m.group(1)):02}:{m.group(2)}"
        words = words[:-2]
    elif words and words[-1].lower() == "daily":
        mode, daily_at = "daily", "09:00"
        words = words[:-1]
    elif words and words[-1].lower() == "instant":
        words = words[:-1]
    return " ".join(words).strip(), mode, daily_at


def _thread(update: Update) -> int | None:
    message = update.effective_message
    if message is not None and message.is_topic_message and message.message_thread_id:
        return message.message_thread_id
    return None


async def subscribe(update: Update, context: NewsContext) -> None:
    """/subscribe [WORDS] [instant|daily HH:MM]: new articles (matching WORDS) in this chat."""
    parsed = parse_subscribe(context.args or [])
    chat = update.effective_chat
    if parsed is None or chat is None:
        await usage(update, USAGE)
        return
    if not await may_change(update, context):
        return
    keywords, mode, daily_at = parsed
    sub = await context.subscriptions.subscribe(chat.id, _thread(update), keywords, mode, daily_at)
    label = render.subscription_label(sub.keywords, sub.mode, sub.daily_at, sub.timezone)
    await send(update, f"🔔 Subscribed: {label}.\nSee /subscriptions to list or stop them.")


async def _list_text(context: NewsContext, chat_id: int) -> tuple[str, list[int]]:
    subs = await context.subscriptions.for_chat(chat_id)
    labels = [render.subscription_label(s.keywords, s.mode, s.daily_at, s.timezone) for s in subs]
    return render.subscription_list(labels), [s.id for s in subs]


async def subscriptions(update: Update, context: NewsContext) -> None:
    """/subscriptions: this chat's subscriptions with an Unsubscribe button each."""
    if update.effective_chat is None:
        return
    text, ids = await _list_text(context, update.effective_chat.id)
    await send(update, text, render.unsubscribe_keyboard(ids))


async def unsubscribe(update: Update, context: NewsContext) -> None:
    """/unsubscribe N|all: stop subscription N of /subscriptions, or all of them."""
    args = context.args or []
    chat = update.effective_chat
    every = len(args) == 1 and args[0].lower() == "all"
    number = parse_int(args[0], 0, MAX_ID) if len(args) == 1 else None
    if chat is None or not (every or number is not None):
        await usage(update, UNSUBSCRIBE_USAGE)
        return
    if not await may_change(update, context):
        return
    if number is None:
        count = await context.subscriptions.unsubscribe(chat.id, None)
        await usage(update, f"Stopped {count} subscription{'s' if count != 1 else ''}.")
        return
    subs = await context.subscriptions.for_chat(chat.id)
    if not 1 <= number <= len(subs):
        await usage(update, f"There is no subscription number {number} here. See /subscriptions.")
        return
    await context.subscriptions.unsubscribe(chat.id, subs[number - 1].id)
    await usage(update, f"Stopped subscription {number}.")


async def unsubscribe_button(update: Update, context: NewsContext) -> None:
    """Unsubscribe N under /subscriptions; only this chat's own subscriptions."""
    parsed = await pressed(update)
    query, chat = update.callback_query, update.effective_chat
    if parsed is None or query is None or chat is None:
        return
    if not await may_change(update, context):
        return
    stopped = await context.subscriptions.unsubscribe(chat.id, int(parsed.args[0]))
    await query.answer("Unsubscribed." if stopped else "That subscription was already stopped.")
    text, ids = await _list_text(context, chat.id)
    await send(update, text, render.unsubscribe_keyboard(ids), edit=True)


async def timezone(update: Update, context: NewsContext) -> None:
    """/timezone Area/City: the zone daily digests follow in this chat."""
    args = context.args or []
    chat = update.effective_chat
    if chat is None or len(args) != 1:
        await usage(update, "Usage: /timezone Area/City, e.g. /timezone Asia/Baku")
        return
    name = args[0]
    try:
        if len(name) > 64 or name.startswith(("/", ".")) or ".." in name:
            raise ValueError(name)
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        shown = render.esc(repr(name[:64]))
        await usage(update, f"Unknown time zone {shown}. Use an IANA name like Europe/Berlin.")
        return
    if not await may_change(update, context):
        return
    await context.subscriptions.set_timezone(chat.id, name)
    await usage(update, f"Daily digests here now follow {render.esc(name)}.")


async def digest_more(update: Update, context: NewsContext) -> None:
    """“N more” under a digest: the next articles of that digest."""
    parsed = await pressed(update)
    query, chat = update.callback_query, update.effective_chat
    if parsed is None or query is None or chat is None:
        return
    sub_id, after = int(parsed.args[0]), int(parsed.args[1])
    if sub_id not in {s.id for s in await context.subscriptions.for_chat(chat.id)}:
        await query.answer("That digest is no longer available.")
        return
    await query.answer()
    articles = await context.outbox.delivered_after(sub_id, after, MORE_LOOKAHEAD)
    shown, more = articles[: render.DIGEST_CAP], max(0, len(articles) - render.DIGEST_CAP)
    if not shown:
        await usage(update, "Nothing more in that digest.")
        return
    lines = await first_lines(context.articles, shown)
    text = render.digest("More new articles", shown, lines, more)
    markup = render.digest_keyboard(shown, more, sub_id, shown[-1].id)
    await send(update, text, markup)


async def chat_migrated(update: Update, context: NewsContext) -> None:
    """A group became a supergroup: move its subscriptions to the new chat id."""
    message = update.effective_message
    if message is not None and message.migrate_to_chat_id:
        await context.subscriptions.migrate_chat(message.chat.id, message.migrate_to_chat_id)


async def bot_membership(update: Update, context: NewsContext) -> None:
    """The bot was blocked, kicked or left: stop delivering to that chat."""
    change = update.my_chat_member
    if change and change.new_chat_member.status in (ChatMemberStatus.BANNED, ChatMemberStatus.LEFT):
        await context.subscriptions.deactivate_chat(change.chat.id)
