"""/add URL: an admin adds one web page to the corpus (subscribers get it as new)."""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

from telegram import Update

from handlers import render
from handlers.chat import require_admin
from handlers.context import NewsContext
from handlers.replies import usage
from ingest.web import fetch_page, http_client

USAGE = "Usage: /add https://example.com/article"
# One label of a host name: letters and digits, hyphens only inside.
_HOST_LABEL = re.compile(r"[^\W_]([\w-]*[^\W_])?")


def is_web_url(text: str) -> bool:
    """Whether `text` is an http(s) URL with a well-formed host and port.

    What cannot be parsed gets the usage line here, before any fetch: `http://[::1` made the
    HTTP client raise InvalidURL, which is not a fetch error.
    """
    try:
        parts = urlsplit(text)
        host = parts.hostname or ""
        _ = parts.port  # a port that is not a number from 0 to 65535 raises ValueError
        if "[" in parts.netloc:
            ipaddress.IPv6Address(host)
        elif not all(_HOST_LABEL.fullmatch(label) for label in host.removesuffix(".").split(".")):
            return False
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(host)


async def add(update: Update, context: NewsContext) -> None:
    """/add URL: fetch the page, keep its main text, add it to the corpus."""
    args = context.args or []
    if len(args) != 1 or not is_web_url(args[0]):
        await usage(update, USAGE)
        return
    if not await require_admin(update, context):
        return
    async with http_client(context.fetch_policy) as client:
        article = await fetch_page(client, args[0])
    result = await context.articles.add([article])
    if result.added:
        await usage(update, f"Added #{result.added[0]}: {render.esc(article.title[:200])}")
    else:
        await usage(update, "That article is already in the corpus.")
