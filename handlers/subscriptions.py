"""/subscribe, /subscriptions, /unsubscribe, /timezone, the Unsubscribe and “N more” buttons,
and the chat-membership updates that keep subscriptions pointed at live chats."""

from __future__ import annotations

from dataclasses import replace
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from telegram import Update
from telegram.constants import ChatMemberStatus

from engine.numbers import MAX_ID, parse_int
from handlers import render
from handlers.access import channel_target, may_change
from handlers.context import NewsContext
from handlers.render import subscriptions as subscription_text
from handlers.render.digest import first_lines
from handlers.replies import pressed, send, usage
from i18n import N_, _, ngettext
from i18n.errors import explain
from services.subscriptions import ScheduleError, parse_quiet, parse_subscribe, suggest_zone
from storage.subscriptions import SubscriptionOptions

UNSUBSCRIBE_USAGE = N_("Usage: /unsubscribe N (from /subscriptions) or /unsubscribe all")
QUIET_USAGE = N_("Usage: /quiet 22:00-07:00 (this chat's time zone) or /quiet off")
MORE_LOOKAHEAD = 100


def _thread(update: Update) -> int | None:
    message = update.effective_message
    if message is not None and message.is_topic_message and message.message_thread_id:
        return message.message_thread_id
    return None


async def subscribe(update: Update, context: NewsContext) -> None:
    """/subscribe [WORDS] [-EXCLUDED] [instant|daily HH:MM] [silent] [to @channel]."""
    chat = update.effective_chat
    try:
        request = parse_subscribe(context.args or [])
    except ScheduleError as error:  # names the part that is wrong ("write the time as HH:MM")
        await usage(update, render.esc(explain(error)))
        return
    if chat is None:
        return
    if not await may_change(update, context):
        return
    user = update.effective_user
    # Digests speak the subscriber's language unless the chat chooses one with /language.
    language = user.language_code if user else None
    options = SubscriptionOptions(request.excluded, request.silent, language=language)
    if request.channel:
        channel = await channel_target(update, context, request.channel)
        if channel is None:
            return
        name = f"@{channel.username}" if channel.username else (channel.title or str(channel.id))
        options = replace(options, deliver_to=channel.id, deliver_to_name=name[:100])
    sub = await context.subscriptions.subscribe(
        chat.id, _thread(update), request.keywords, request.mode, request.daily_at, options
    )
    label = subscription_text.subscription_label(sub)
    text = _("🔔 Subscribed: {subscription}.\nSee /subscriptions to list or stop them.")
    await send(update, text.format(subscription=label))


async def quiet(update: Update, context: NewsContext) -> None:
    """/quiet HH:MM-HH:MM | off: hold instant digests during those hours, then send them as one."""
    chat = update.effective_chat
    args = context.args or []
    if chat is None:
        return
    if not args:
        current = await context.subscriptions.quiet_hours(chat.id)
        await usage(update, subscription_text.quiet_label(current) + "\n" + _(QUIET_USAGE))
        return
    try:
        hours = parse_quiet(args)
    except ScheduleError as error:
        await usage(update, render.esc(explain(error)))
        return
    if not await may_change(update, context):
        return
    start, end = hours if hours else (None, None)
    await context.subscriptions.set_quiet(chat.id, start, end)
    await usage(update, subscription_text.quiet_label(hours or None))


async def _list_text(context: NewsContext, chat_id: int) -> tuple[str, list[int]]:
    subs = await context.subscriptions.for_chat(chat_id)
    labels = [subscription_text.subscription_label(s) for s in subs]
    quiet = await context.subscriptions.quiet_hours(chat_id)
    return subscription_text.subscription_list(labels, quiet), [s.id for s in subs]


async def subscriptions(update: Update, context: NewsContext) -> None:
    """/subscriptions: this chat's subscriptions with an Unsubscribe button each."""
    if update.effective_chat is None:
        return
    text, ids = await _list_text(context, update.effective_chat.id)
    await send(update, text, subscription_text.unsubscribe_keyboard(ids))


async def unsubscribe(update: Update, context: NewsContext) -> None:
    """/unsubscribe N|all: stop subscription N of /subscriptions, or all of them."""
    args = context.args or []
    chat = update.effective_chat
    every = len(args) == 1 and args[0].lower() == "all"
    number = parse_int(args[0], 0, MAX_ID) if len(args) == 1 else None
    if chat is None or not (every or number is not None):
        await usage(update, _(UNSUBSCRIBE_USAGE))
        return
    if not await may_change(update, context):
        return
    if number is None:
        count = await context.subscriptions.unsubscribe(chat.id, None)
        text = ngettext("Stopped {count} subscription.", "Stopped {count} subscriptions.", count)
        await usage(update, text.format(count=count))
        return
    subs = await context.subscriptions.for_chat(chat.id)
    if not 1 <= number <= len(subs):
        text = _("There is no subscription number {number} here. See /subscriptions.")
        await usage(update, text.format(number=number))
        return
    stopped = subs[number - 1]
    await context.subscriptions.unsubscribe(chat.id, stopped.id)
    label = subscription_text.subscription_label(stopped)
    text = _("Stopped subscription {number}: {subscription}.")
    await usage(update, text.format(number=number, subscription=label))


async def unsubscribe_button(update: Update, context: NewsContext) -> None:
    """Unsubscribe N under /subscriptions; only this chat's own subscriptions."""
    parsed = await pressed(update)
    query, chat = update.callback_query, update.effective_chat
    if parsed is None or query is None or chat is None:
        return
    if not await may_change(update, context):
        return
    stopped = await context.subscriptions.unsubscribe(chat.id, int(parsed.args[0]))
    await query.answer(
        _("Unsubscribed.") if stopped else _("That subscription was already stopped.")
    )
    text, ids = await _list_text(context, chat.id)
    await send(update, text, subscription_text.unsubscribe_keyboard(ids), edit=True)


async def timezone(update: Update, context: NewsContext) -> None:
    """/timezone Area/City: the zone daily digests follow in this chat."""
    args = context.args or []
    chat = update.effective_chat
    if chat is not None and not args:  # what it is now, and how to change it
        _language, zone = await context.subscriptions.speech(chat.id)
        text = _("Daily digests here follow {zone}. Change it with /timezone Area/City.")
        await usage(update, text.format(zone=render.esc(zone)))
        return
    if chat is None or len(args) != 1:
        await usage(update, _("Usage: /timezone Area/City, e.g. /timezone Asia/Baku"))
        return
    name = args[0]
    try:
        if len(name) > 64 or name.startswith(("/", ".")) or ".." in name:
            raise ValueError(name)
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a folder such as "America"
        shown = render.esc(repr(name[:64]))
        suggestion = suggest_zone(name)
        if suggestion:
            text = _("Unknown time zone {zone}. Did you mean /timezone {suggestion}?")
            await usage(update, text.format(zone=shown, suggestion=suggestion))
        else:
            text = _("Unknown time zone {zone}. Use an IANA name like Europe/Berlin.")
            await usage(update, text.format(zone=shown))
        return
    if not await may_change(update, context):
        return
    await context.subscriptions.set_timezone(chat.id, name)
    await usage(update, _("Daily digests here now follow {zone}.").format(zone=render.esc(name)))


async def digest_more(update: Update, context: NewsContext) -> None:
    """“N more” under a digest: the next articles of that digest."""
    parsed = await pressed(update)
    query, chat = update.callback_query, update.effective_chat
    if parsed is None or query is None or chat is None:
        return
    sub_id, after = int(parsed.args[0]), int(parsed.args[1])
    if sub_id not in {s.id for s in await context.subscriptions.for_chat(chat.id)}:
        await query.answer(_("That digest is no longer available."))
        return
    await query.answer()
    articles = await context.outbox.delivered_after(sub_id, after, MORE_LOOKAHEAD)
    shown, more = (
        articles[: subscription_text.DIGEST_CAP],
        max(0, len(articles) - subscription_text.DIGEST_CAP),
    )
    if not shown:
        await usage(update, _("Nothing more in that digest."))
        return
    lines = first_lines(shown)
    text = subscription_text.digest(_("More new articles"), shown, lines, more)
    markup = subscription_text.digest_keyboard(shown, more, sub_id, shown[-1].id)
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
