"""Why a web address gave no article: one line each, for a chat reply or a feed's last error.

Hierarchy::

    IngestError (engine.errors)      nothing usable came in
    ├── FetchError                   a web address could not be fetched
    │   ├── FetchRefused             not http(s), a private or local address, too many redirects
    │   ├── FetchTooLarge            the body is larger than the size limit
    │   ├── FetchTimeout             the whole fetch took longer than the time limit
    │   └── FetchFailed              a network error, or an HTTP status other than 200
    ├── NoArticleText (engine.errors)  no article text
    │   └── NoArticleOnPage          a fetched page with none (navigation only, too short)
    └── NotAFeed                     neither an RSS/Atom feed nor a page that links to one

They are NewsbotErrors: each carries its message id and placeholders (engine.errors).
"""

from __future__ import annotations

from http import HTTPStatus

from engine.errors import N_, IngestError, NoArticleText
from engine.text import shorten

URL_CHARS = 120


def short_url(url: str) -> str:
    """A URL cut to a length that fits a one-line message."""
    return shorten(url, URL_CHARS)


class FetchError(IngestError):
    """A web address could not be fetched."""


class FetchRefused(FetchError):
    """The fetcher will not fetch this address (scheme, private address, redirect loop)."""

    lead_in = N_("Not fetched: {detail}")


class FetchTooLarge(FetchError):
    """The body grew past the size limit; `received` is how much had been read by then."""

    message = N_("{url} is larger than {size}")

    def __init__(self, url: str, limit: int, received: int) -> None:
        self.received = received
        super().__init__(url=short_url(url), size=size_words(limit))


class FetchTimeout(FetchError):
    """The whole fetch (connect, redirects, body) took longer than the time limit."""

    message = N_("{url} took longer than {seconds} s to download")

    def __init__(self, url: str, seconds: float) -> None:
        super().__init__(url=short_url(url), seconds=f"{seconds:g}")


class FetchFailed(FetchError):
    """The network failed, or the server answered with something other than 200."""

    lead_in = N_("The download failed: {detail}")


class NoArticleOnPage(NoArticleText):
    """The page has no article text: navigation and link lists only, or too little prose."""

    message = N_(
        "no article text on {url} (only navigation or links, or too short to be an article)"
    )

    def __init__(self, url: str) -> None:
        IngestError.__init__(self, url=short_url(url))


def status_words(status: int) -> str:
    """An HTTP status with its reason ("404 Not Found"), the number alone if it has none."""
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)


def size_words(limit: int) -> str:
    """A byte count as "5 MiB" or "512 KiB"."""
    return f"{limit / 2**20:g} MiB" if limit >= 2**20 else f"{limit / 1024:g} KiB"


class NotAFeed(IngestError):
    """The address is neither an RSS/Atom feed nor a web page that links to one."""

    message = N_("{url} is neither an RSS/Atom feed nor a page that links to one")

    def __init__(self, url: str) -> None:
        super().__init__(url=short_url(url))
