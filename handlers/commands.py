"""The one command registry: each command's name, usage, description and handler, and each
button kind's handler. Handler registration, /help, the command menu (setMyCommands), the
per-chat ordering and the docs' meta-tests all read it; a new command is one entry here."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from telegram import Update

from handlers import (
    add,
    corpus,
    feeds,
    language,
    latest,
    search,
    story,
    subscriptions,
    summary,
    trend,
)
from handlers.context import NewsContext, is_group
from i18n import N_, _

Handler = Callable[[Update, NewsContext], Coroutine[Any, Any, None]]


@dataclass(frozen=True, slots=True)
class Command:
    """A chat command: its name, usage line, short description and handler."""

    name: str
    usage: str  # marked with N_: its placeholders (WORDS, N) are translated where it is shown
    description: str  # marked with N_: translated where it is shown
    handler: Handler


INTRO = N_(
    "🗞 <b>newsbot</b> keeps your team's news searchable and summarised.\n"
    "Search with typos, read short summaries, and subscribe to what is new. "
    "In any chat you can also type <code>@{username} words</code> to share an article."
)


def help_text(username: str) -> str:
    """The /help message: every registered command with its usage."""
    lines = [_(INTRO).format(username=username), ""]
    lines += [f"{_(c.usage).replace('<', '&lt;')} — {_(c.description)}" for c in COMMANDS]
    return "\n".join(lines)


async def start(update: Update, context: NewsContext) -> None:
    """/start and /help: what the bot does and how to use it."""
    if update.effective_message:
        await update.effective_message.reply_text(help_text(context.bot.username))


async def unknown(update: Update, context: NewsContext) -> None:
    """Unknown commands in private chats get a pointer to /help (groups: other bots' business)."""
    if update.effective_message and not is_group(update):
        await update.effective_message.reply_text(_("I don't know that command. Try /help."))


COMMANDS: tuple[Command, ...] = (
    Command("start", "/start", N_("what this bot does"), start),
    Command("help", "/help", N_("how to use it"), start),
    Command("search", N_("/search WORDS"), N_("find articles (typos are fine)"), search.search),
    Command("latest", N_("/latest [N]"), N_("the newest articles"), latest.latest),
    Command(
        "summary", N_("/summary ID|WORDS [N]"), N_("a summary of N sentences"), summary.summary
    ),
    Command(
        "story", N_("/story N"), N_("a story: every outlet's report and one summary"), story.story
    ),
    Command(
        "subscribe",
        N_("/subscribe [WORDS] [-NOT] [instant|daily HH:MM] [silent] [to @channel]"),
        N_("get new articles here (or in a channel)"),
        subscriptions.subscribe,
    ),
    Command(
        "subscriptions",
        "/subscriptions",
        N_("list this chat's subscriptions"),
        subscriptions.subscriptions,
    ),
    Command(
        "unsubscribe",
        N_("/unsubscribe N|all"),
        N_("stop a subscription"),
        subscriptions.unsubscribe,
    ),
    Command(
        "timezone",
        N_("/timezone Area/City"),
        N_("this chat's zone for daily digests"),
        subscriptions.timezone,
    ),
    Command(
        "quiet",
        N_("/quiet HH:MM-HH:MM|off"),
        N_("hold instant digests during those hours"),
        subscriptions.quiet,
    ),
    Command(
        "language",
        N_("/language [xx|auto]"),
        N_("the language of replies and digests here"),
        language.language,
    ),
    Command("add", N_("/add URL"), N_("add a web article to the corpus (admins)"), add.add),
    Command(
        "delete",
        N_("/delete ID…"),
        N_("remove articles from search and pending digests (admins)"),
        corpus.delete,
    ),
    Command("feeds", "/feeds", N_("the team's feeds and how their polls are going"), feeds.feeds),
    Command(
        "feed",
        N_("/feed add URL | remove N"),
        N_("add a feed or a site's feed, or remove one (admins)"),
        feeds.feed,
    ),
    Command(
        "trend",
        N_("/trend WORDS [days]"),
        N_("a chart of articles mentioning the words per day"),
        trend.trend,
    ),
    Command(
        "export",
        "/export",
        N_("the team's feeds as an OPML file (send one back to import)"),
        feeds.export,
    ),
)

# Each kind of button (handlers.render.callbacks.BUTTONS) and the handler its presses reach.
BUTTON_HANDLERS: dict[str, Handler] = {
    "search": search.search_page,
    "latest": latest.latest_page,
    "summary": summary.summary_button,
    "story": story.story_button,
    "unsubscribe": subscriptions.unsubscribe_button,
    "digest": subscriptions.digest_more,
    "feeds": feeds.feeds_page,
}
