"""Webhook mode: updates Telegram posts to WEBHOOK_URL, served by our own tornado handler so
that what a stranger can send is bounded before it costs anything.

python-telegram-bot's built-in server reads up to 100 MB of an unauthenticated body before it
checks the secret (8 x 90 MiB took a bot from 107 to 792 MiB; trickling connections stayed
open). Here the secret and the declared length are checked as soon as the headers arrive
(403 / 413, the body never read), a body may be at most MAX_BODY_BYTES and must arrive within
BODY_SECONDS, and idle connections close after IDLE_SECONDS. An accepted update goes on the
Application's update queue, as the built-in server does. A TLS proxy in front should limit
bodies and time as well (docs/deploy.md).
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import signal
from http import HTTPStatus
from typing import Any
from urllib.parse import urlsplit

import tornado.web
from telegram import Update
from tornado.httpserver import HTTPServer

log = logging.getLogger(__name__)
MAX_BODY_BYTES = 1024 * 1024  # an update is a few KB; the Bot API's largest fit easily
BODY_SECONDS = 10.0
IDLE_SECONDS = 30.0
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


@tornado.web.stream_request_body
class _Updates(tornado.web.RequestHandler):
    """POSTs of updates: the secret first, then a bounded body, then the update queue."""

    def initialize(self, app: Any, secret: str) -> None:
        self.app, self.secret = app, secret
        self.body = bytearray()

    def prepare(self) -> None:
        """Runs when the headers are in, before any of the body is read."""
        given = self.request.headers.get(SECRET_HEADER, "")
        if self.request.method != "POST":
            raise tornado.web.HTTPError(HTTPStatus.METHOD_NOT_ALLOWED)
        if not hmac.compare_digest(given.encode(), self.secret.encode()):
            raise tornado.web.HTTPError(HTTPStatus.FORBIDDEN)
        declared = self.request.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
            raise tornado.web.HTTPError(HTTPStatus.REQUEST_ENTITY_TOO_LARGE)

    def data_received(self, chunk: bytes) -> None:
        """A piece of the body (chunked bodies are counted as they come)."""
        self.body += chunk
        if len(self.body) > MAX_BODY_BYTES:
            raise tornado.web.HTTPError(HTTPStatus.REQUEST_ENTITY_TOO_LARGE)

    async def post(self) -> None:
        """Queue the update; answer 200 at once (Telegram retries anything else)."""
        try:
            data = json.loads(self.body)
            update = Update.de_json(data, self.app.bot)
        except (ValueError, TypeError, KeyError):
            raise tornado.web.HTTPError(HTTPStatus.BAD_REQUEST) from None
        await self.app.update_queue.put(update)
        self.set_status(HTTPStatus.OK)

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        """A bare status line, never tornado's HTML page or a traceback."""
        self.finish()

    def log_exception(self, *args: Any) -> None:
        """Refusals are expected traffic: logged at debug level, never with a traceback."""
        log.debug("webhook request refused: %s", self._status_code)


def webhook_server(app: Any, url: str, secret: str) -> HTTPServer:
    """The HTTP server for updates at `url`'s path, with the body and time limits."""
    path = urlsplit(url).path or "/"
    routes = tornado.web.Application([(path, _Updates, {"app": app, "secret": secret})])
    return HTTPServer(
        routes,
        max_body_size=MAX_BODY_BYTES,
        body_timeout=BODY_SECONDS,
        idle_connection_timeout=IDLE_SECONDS,
        max_header_size=16 * 1024,
    )


async def serve_webhook(app: Any, url: str, secret: str, listen: str, port: int) -> None:
    """Start the Application, register the webhook, serve updates until SIGINT or SIGTERM."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    await app.initialize()
    try:
        if app.post_init:
            await app.post_init(app)
        await app.bot.set_webhook(url, secret_token=secret, allowed_updates=Update.ALL_TYPES)
        server = webhook_server(app, url, secret)
        server.listen(port, listen)
        await app.start()
        log.info("serving webhook updates on %s:%s", listen, port)
        await stop.wait()
        server.stop()
        await app.stop()
    finally:
        await app.shutdown()
        if app.post_shutdown:
            await app.post_shutdown(app)
