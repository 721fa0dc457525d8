"""The command list: one source for setMyCommands, /help and the README's meta-test."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import Update

from handlers.access import is_group as is_group  # who is where: the gate's business
from handlers.context import NewsContext
from i18n import N_, _


@dataclass(frozen=True, slots=True)
class Command:
    """A chat command, its usage line and a short description."""

    name: str
    usage: str
    description: str  # marked with N_: translated where it is shown


COMMANDS: tuple[Command, ...] = (
    Command("start", "/start", N_("what this bot does")),
    Command("help", "/help", N_("how to use it")),
    Command("search", "/search WORDS", N_("find articles (typos are fine)")),
    Command("latest", "/latest [N]", N_("the newest articles")),
    Command("summary", "/summary ID|WORDS [N]", N_("a summary of N sentences")),
    Command(
        "subscribe",
        "/subscribe [WORDS] [-NOT] [instant|daily HH:MM] [silent] [to @channel]",
        N_("get new articles here (or in a channel)"),
    ),
    Command("subscriptions", "/subscriptions", N_("list this chat's subscriptions")),
    Command("unsubscribe", "/unsubscribe N|all", N_("stop a subscription")),
    Command("timezone", "/timezone Area/City", N_("this chat's zone for daily digests")),
    Command("quiet", "/quiet HH:MM-HH:MM|off", N_("hold instant digests during those hours")),
    Command("language", "/language [xx|auto]", N_("the language of replies and digests here")),
    Command("add", "/add URL", N_("add a web article to the corpus (admins)")),
    Command("feeds", "/feeds", N_("the team's feeds and how their polls are going")),
    Command(
        "feed",
        "/feed add URL | remove N",
        N_("add a feed or a site's feed, or remove one (admins)"),
    ),
    Command("trend", "/trend WORDS [days]", N_("a chart of articles mentioning the words per day")),
    Command("export", "/export", N_("the team's feeds as an OPML file (send one back to import)")),
)

INTRO = N_(
    "🗞 <b>newsbot</b> keeps your team's news searchable and summarised.\n"
    "Search with typos, read short summaries, and subscribe to what is new. "
    "In any chat you can also type <code>@{username} words</code> to share an article."
)


def help_text(username: str) -> str:
    """The /help message: every registered command with its usage."""
    lines = [_(INTRO).format(username=username), ""]
    lines += [f"{c.usage.replace('<', '&lt;')} — {_(c.description)}" for c in COMMANDS]
    return "\n".join(lines)


async def start(update: Update, context: NewsContext) -> None:
    """/start and /help: what the bot does and how to use it."""
    if update.effective_message:
        await update.effective_message.reply_text(help_text(context.bot.username))


async def unknown(update: Update, context: NewsContext) -> None:
    """Unknown commands in private chats get a pointer to /help (groups: other bots' business)."""
    if update.effective_message and not is_group(update):
        await update.effective_message.reply_text(_("I don't know that command. Try /help."))
