"""Who may do what: the one gate every handler relies on (like Home Assistant's telegram_bot
`authorize_update`).

- The team allow-list (ALLOWED_USER_IDS, ALLOWED_CHAT_IDS; both empty: open to everyone): an
  update from anyone else gets one polite line and reaches no handler. `gate` runs before every
  handler (a TypeHandler in group -1) and stops outsiders' updates there. Refusals have a
  small budget of their own (services.access.RefusalBudget), so a crowd of outsiders never
  spends the team's share of Telegram's 30 messages a second; beyond it they get no answer.
- Writes to the shared corpus and feed list (/add, /feed add|remove, OPML imports):
  `require_admin`. The team's admins (ADMIN_USER_IDS) anywhere; with none configured, nobody
  (a stranger who creates a group administers it), and the reply says how to set
  ADMIN_USER_IDS.
- A chat's own subscriptions: `may_change`. Anyone let in, in a private chat; a group's
  administrators in groups.
"""

from __future__ import annotations

from typing import Any

from telegram import ChatFullInfo, Message, Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import TelegramError
from telegram.ext import Application, ApplicationHandlerStop, TypeHandler

from handlers import render
from handlers.context import NewsContext, is_group
from handlers.replies import usage
from i18n import N_, _

ADMIN_STATUSES = (ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER)
GATE_GROUP = -1
OUTSIDER = N_("Sorry, this bot belongs to a team and only answers its members.")
NOT_TEAM_ADMIN = N_("Only the team's admins can add to the shared corpus.")
NO_TEAM_ADMINS = N_(
    "Changing the shared corpus or the feed list is for the team's admins, and none is "
    "configured: set ADMIN_USER_IDS={user_id} (comma-separated Telegram user ids) in the bot's "
    "settings."
)


def _is_notice(update: Update) -> bool:
    """Telegram's own notices (the bot's membership, a group's migration), not a request:
    they keep subscriptions pointed at live chats and are let through."""
    if update.my_chat_member is not None or update.chat_member is not None:
        return True
    message = update.message
    return message is not None and bool(message.migrate_to_chat_id or message.migrate_from_chat_id)


def asks_me(message: Message, username: str) -> bool:
    """A private message, or a command addressed to this bot in a group (not other chatter)."""
    if message.chat.type == ChatType.PRIVATE:
        return True
    command = (message.text or "").split(maxsplit=1)[0] if message.text else ""
    if not command.startswith("/"):
        return False
    return "@" not in command or command.lower().endswith(f"@{username.lower()}")


async def gate(update: Update, context: NewsContext) -> None:
    """Before every handler: an outsider gets one polite line, and the update goes no further."""
    if _is_notice(update):
        return
    user, chat = update.effective_user, update.effective_chat
    if context.access.lets_in(user.id if user else None, chat.id if chat else None):
        return
    if not context.refusals.take():  # outsiders' small budget is spent: no answer at all
        raise ApplicationHandlerStop
    if update.inline_query is not None:
        await update.inline_query.answer([], cache_time=0, is_personal=True)
    elif update.callback_query is not None:
        await update.callback_query.answer(_(OUTSIDER))
    elif update.message is not None and asks_me(update.message, context.bot.username):
        await update.message.reply_text(_(OUTSIDER))
    raise ApplicationHandlerStop


def install_gate(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Put the gate in front of every handler (once)."""
    installed = app.handlers.get(GATE_GROUP, [])
    if not any(isinstance(h, TypeHandler) and h.callback is gate for h in installed):
        app.add_handler(TypeHandler(Update, gate), group=GATE_GROUP)


async def _refuse(update: Update, text: str) -> None:
    if update.callback_query:
        await update.callback_query.answer(text)
    else:
        await usage(update, text)


async def require_admin(update: Update, context: NewsContext) -> bool:
    """Writes to the shared corpus and feed list: the team's admins only. With none configured
    nobody, not even a group's administrators (anyone can create a group); the reply says how
    to configure them. Others are told why, in one line."""
    admins, user = context.access.admins, update.effective_user
    if not admins:
        await _refuse(update, _(NO_TEAM_ADMINS).format(user_id=user.id if user else "YOUR_ID"))
        return False
    if user is not None and user.id in admins:
        return True
    await _refuse(update, _(NOT_TEAM_ADMIN))
    return False


async def may_change(update: Update, context: NewsContext) -> bool:
    """Anyone in a private chat; only administrators in groups (members are told politely)."""
    if not is_group(update):
        return True
    chat, user, message = update.effective_chat, update.effective_user, update.effective_message
    if chat is None:
        return False
    if (
        message is not None
        and message.sender_chat is not None
        and message.sender_chat.id == chat.id
    ):
        return True  # an anonymous administrator, posting as the group
    if user is None:
        return False
    try:
        member = await context.bot.get_chat_member(chat.id, user.id)
    except TelegramError:
        await usage(update, _("I couldn't check who the admins are here; please try again later."))
        return False
    if member.status in ADMIN_STATUSES:
        return True
    await _refuse(update, _("Only this group's admins can do that here."))
    return False


async def channel_target(update: Update, context: NewsContext, name: str) -> ChatFullInfo | None:
    """The channel `name` (@username or -100… id) if digests may go there: the bot posts in
    it as an administrator and the asking user administers it too (nobody points the bot at
    someone else's channel). Otherwise the user is told why, and None."""
    user, shown = update.effective_user, render.esc(name)
    if user is None:
        return None
    try:
        channel = await context.bot.get_chat(name)
        if channel.type != ChatType.CHANNEL:
            await usage(update, _("{channel} is not a channel.").format(channel=shown))
            return None
        me = await context.bot.get_chat_member(channel.id, context.bot.id)
        them = await context.bot.get_chat_member(channel.id, user.id)
    except TelegramError:
        text = _(
            "I can't reach {channel}: add me to the channel as an administrator "
            "who may post messages, then try again."
        )
        await usage(update, text.format(channel=shown))
        return None
    if me.status not in ADMIN_STATUSES or getattr(me, "can_post_messages", True) is False:
        text = _("I can't post in {channel}: make me an administrator there.")
        await usage(update, text.format(channel=shown))
        return None
    if them.status not in ADMIN_STATUSES:
        text = _("Only {channel}'s administrators can send digests there.")
        await _refuse(update, text.format(channel=shown))
        return None
    return channel
