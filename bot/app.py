"""Build the Application: defaults, rate limiter, typed context, handlers, start-up and shutdown."""

from __future__ import annotations

import asyncio
import gc
import logging
from typing import Any

from telegram import BotCommand, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.error import InvalidToken, NetworkError, TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    ExtBot,
    InlineQueryHandler,
    JobQueue,
    MessageHandler,
    filters,
)
from telegram.request import BaseRequest
from tornado.httpserver import HTTPServer

import i18n
from bot import jobs
from bot.container import Services, open_services
from bot.health import Health, serve
from bot.metrics import Metrics
from bot.ratelimit import NewsRateLimiter
from bot.settings import Settings
from bot.updates import PerChatOrder
from bot.webhook import serve_webhook
from handlers import commands, errors, feeds, inline, language, search, subscriptions
from handlers.context import BotData, NewsContext
from handlers.render import callbacks
from i18n import _

log = logging.getLogger(__name__)

# Edited messages and channel posts are not commands to answer.
NEW_MESSAGES = filters.UpdateType.MESSAGE
OFFLINE_TOKEN = "0:offline"

NewsApp = Application[
    ExtBot[Any], NewsContext, dict[Any, Any], dict[Any, Any], BotData, JobQueue[Any]
]

YOUNG_COLLECTION_ALLOCATIONS = 10_000  # the collector's first threshold (Python's: 700)


def register_handlers(app: NewsApp) -> None:
    """Wire the registry's commands and buttons, then Telegram's notices and the catch-alls
    (first match wins: catch-alls last); one error handler."""
    for command in commands.COMMANDS:
        app.add_handler(CommandHandler(command.name, command.handler, filters=NEW_MESSAGES))
    for kind, handler in commands.BUTTON_HANDLERS.items():
        app.add_handler(CallbackQueryHandler(handler, pattern=callbacks.BUTTONS[kind].pattern))
    app.add_handler(InlineQueryHandler(inline.inline_query))
    app.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, subscriptions.chat_migrated))
    app.add_handler(
        ChatMemberHandler(subscriptions.bot_membership, ChatMemberHandler.MY_CHAT_MEMBER)
    )
    opml_files = filters.Document.FileExtension("opml") | filters.Document.MimeType("text/x-opml")
    app.add_handler(MessageHandler(NEW_MESSAGES & opml_files, feeds.opml_document))
    private_text = NEW_MESSAGES & filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND
    app.add_handler(MessageHandler(private_text, search.private_text))
    app.add_handler(MessageHandler(NEW_MESSAGES & filters.COMMAND, commands.unknown))
    app.add_handler(CallbackQueryHandler(stale_button))
    app.add_error_handler(errors.on_error)


async def stale_button(update: Update, context: NewsContext) -> None:
    """Any button whose data is not ours (forged or from an old version): a polite answer."""
    if update.callback_query:
        await update.callback_query.answer(_("That button is no longer valid."))


def _builder(
    settings: Settings, metrics: Metrics, request: BaseRequest | None, rate_limit: bool
) -> ApplicationBuilder[Any, Any, Any, Any, Any, Any]:
    """Token, typed context, HTML defaults, per-chat ordering, the rate limiter, the API."""
    token = settings.bot_token.get_secret_value() if settings.bot_token else OFFLINE_TOKEN
    builder = (
        ApplicationBuilder()
        .token(token)
        .context_types(ContextTypes(context=NewsContext, bot_data=BotData))
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True)
            )
        )
    )
    known = frozenset(c.name for c in commands.COMMANDS)
    builder.concurrent_updates(PerChatOrder(metrics=metrics, commands=known))
    if rate_limit:
        # ~30 messages/s overall, 20/min per group; a 429 holds back only its chat.
        builder.rate_limiter(NewsRateLimiter(metrics=metrics))
    if settings.bot_api_url:
        builder.base_url(settings.bot_api_url)
    if request is not None:
        builder.request(request).get_updates_request(request)
    return builder


def build_application(
    settings: Settings,
    services: Services | None = None,
    *,
    request: BaseRequest | None = None,
    rate_limit: bool = True,
    schedule_jobs: bool = True,
) -> NewsApp:
    """The Application, with services opened at start-up unless given (tests give them)."""
    metrics = Metrics()
    builder = _builder(settings, metrics, request, rate_limit)
    servers: list[HTTPServer] = []

    async def post_init(app: NewsApp) -> None:
        """Open the stores, register commands, schedule jobs."""
        nonlocal services
        if services is None:
            services = await open_services(settings)
        attach(app, services, settings)
        if schedule_jobs:
            jobs.schedule(app, settings, services, metrics)
        if settings.health_port:
            health = Health(services, settings.feed_poll_minutes, schedule_jobs)
            servers.append(serve(health, metrics, settings.health_host, settings.health_port))
        await register_commands(app)
        await log_start(settings, services)
        warn_if_open(settings)
        settle_collector()

    async def post_shutdown(app: NewsApp) -> None:
        """Stop the health endpoint, hand job leases over, close database connections."""
        for server in servers:
            server.stop()
        if services is not None:
            if schedule_jobs:
                await jobs.release_leases(services)
            await services.close()

    app = builder.post_init(post_init).post_shutdown(post_shutdown).build()
    register_handlers(app)
    return app


def settle_collector() -> None:
    """Once a process, after start-up: collect, then freeze what start-up built (modules,
    handlers, the ORM's mappers: about a million references) out of the garbage collector's
    reach, and collect the youngest objects every 10,000 allocations rather than 700. A
    collection runs wherever an allocation triggers it and holds the event loop for all of
    it; during a fan-out burst the longest took 130-200 ms (a full collection walking that
    start-up heap), now 13-16 ms (docs/benchmarks.md). Frozen objects are still freed when
    nothing refers to them; only a reference cycle among them stays until the process ends."""
    if not gc.get_freeze_count():
        gc.collect()
        gc.freeze()
        gc.set_threshold(YOUNG_COLLECTION_ALLOCATIONS, *gc.get_threshold()[1:])


async def log_start(settings: Settings, services: Services) -> None:
    """One line with the effective settings that matter when something goes wrong (the token
    and the webhook secret are never in it)."""
    mode = "webhook mode" if settings.webhook_url else "long polling"
    health = f"{settings.health_host}:{settings.health_port}" if settings.health_port else "off"
    try:
        articles: object = await services.articles.count()
    except Exception:  # a log line never stops the start; health and replies will tell
        articles = "?"
    log.info(
        "newsbot started: store %s (%s articles), %s, health %s, instance %s",
        settings.store_label(),
        articles,
        mode,
        health,
        services.name,
    )


def warn_if_open(settings: Settings) -> None:
    """A warning at start when anyone who finds the bot may use it (no allow-list), and when
    nobody may change the corpus or feeds (no team admins); see docs/security.md."""
    access = settings.access()
    if access.is_open:
        log.warning(
            "the bot is open to everyone: ALLOWED_USER_IDS and ALLOWED_CHAT_IDS are empty, so "
            "anyone who finds it may search, read and subscribe (see docs/security.md)"
        )
    if not access.admins:
        log.warning(
            "ADMIN_USER_IDS is empty: /add, /feed add|remove and OPML imports are refused "
            "until the team's admins are configured"
        )


async def register_commands(app: NewsApp) -> None:
    """The command menu, in each shipped language (Telegram shows users theirs)."""
    for code in i18n.languages():
        with i18n.using(code):
            menu = [BotCommand(c.name, _(c.description)) for c in commands.COMMANDS]
        try:
            await app.bot.set_my_commands(
                menu, language_code=None if code == i18n.SOURCE_LANGUAGE else code
            )
        except TelegramError as exc:  # an emulator or a hiccup must not stop the bot
            log.warning("could not register the command list (%s): %s", code, exc)
            return


def attach(app: NewsApp, services: Services, settings: Settings) -> None:
    """Put the stores, the fetch policy and the access rules where the typed context finds them;
    the chat gate goes in front of every handler."""
    from handlers.access import install_gate

    data: BotData = app.bot_data
    data.articles = services.articles
    data.paging = services.paging
    data.stories = services.stories
    data.subscriptions = services.subscriptions
    data.feeds = services.feeds
    data.outbox = services.outbox
    data.page_size = settings.page_size
    data.fetch_policy = settings.fetch_policy()
    data.access = settings.access()
    install_gate(app)
    language.install(app)


def run(settings: Settings) -> int:
    """`python -m bot run`: long polling, or webhook mode when WEBHOOK_URL is set."""
    if settings.bot_token is None or not settings.bot_token.get_secret_value().strip():
        print(
            "error: BOT_TOKEN is not set. Put it in the environment or in a .env file "
            "(BOT_TOKEN=123:abc), or try the bot offline with `python -m bot console`."
        )
        return 2
    if settings.webhook_url and not settings.webhook_secret:
        print(
            "error: WEBHOOK_SECRET is not set. Webhook mode needs it, so that only Telegram "
            "can post updates to WEBHOOK_URL (1-256 characters: A-Z, a-z, 0-9, _ and -)."
        )
        return 2
    app = build_application(settings)
    try:
        if settings.webhook_url:
            _run_webhook(app, settings)
        else:
            app.run_polling(allowed_updates=Update.ALL_TYPES)
    except InvalidToken:  # its message quotes the token: never print it
        print("error: Telegram rejected BOT_TOKEN; check it with @BotFather.")
        return 2
    except NetworkError as exc:
        print(f"error: cannot reach the Bot API ({settings.bot_api_url or 'Telegram'}): {exc}")
        return 2
    return 0


def _run_webhook(app: NewsApp, settings: Settings) -> None:
    """Serve updates Telegram posts to WEBHOOK_URL (bot.webhook: the secret checked before the
    body is read, bodies and time bounded)."""
    assert settings.webhook_url and settings.webhook_secret
    secret = settings.webhook_secret.get_secret_value()
    listen, port = settings.webhook_listen, settings.webhook_port
    asyncio.run(serve_webhook(app, settings.webhook_url, secret, listen, port))
