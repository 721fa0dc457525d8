"""Why a web address gave no article: one line each, for a chat reply or a feed's last error.

Hierarchy::

    IngestError (engine.errors)      nothing usable came in
    ├── FetchError                   a web address could not be fetched
    │   ├── FetchRefused             not http(s), a private or local address, too many redirects
    │   ├── FetchTooLarge            the body is larger than the size limit
    │   ├── FetchTimeout             the whole fetch took longer than the time limit
    │   └── FetchFailed              a network error, or an HTTP status other than 200
    ├── NoArticleText                the page has no article text (navigation only, too short)
    └── NotAFeed                     neither an RSS/Atom feed nor a page that links to one

They are NewsbotErrors, so the chat's error handler and the CLI show the sentence as it is.
"""

from __future__ import annotations

from http import HTTPStatus

from engine.errors import IngestError
from engine.text import shorten

URL_CHARS = 120


def short_url(url: str) -> str:
    """A URL cut to a length that fits a one-line message."""
    return shorten(url, URL_CHARS)


class FetchError(IngestError):
    """A web address could not be fetched."""


class FetchRefused(FetchError):
    """The fetcher will not fetch this address (scheme, private address, redirect loop)."""


class FetchTooLarge(FetchError):
    """The body grew past the size limit; `received` is how much had been read by then."""

    def __init__(self, url: str, limit: int, received: int) -> None:
        self.url, self.limit, self.received = short_url(url), limit, received
        super().__init__(f"{self.url} is larger than {size_words(limit)}")


class FetchTimeout(FetchError):
    """The whole fetch (connect, redirects, body) took longer than the time limit."""

    def __init__(self, url: str, seconds: float) -> None:
        self.url, self.seconds = short_url(url), seconds
        super().__init__(f"{self.url} took longer than {seconds:g} s to download")


class FetchFailed(FetchError):
    """The network failed, or the server answered with something other than 200."""


class NoArticleText(IngestError):
    """The page has no article text: navigation and link lists only, or too little prose."""

    def __init__(self, url: str) -> None:
        self.url = short_url(url)
        super().__init__(
            f"no article text on {self.url} "
            "(only navigation or links, or too short to be an article)"
        )


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

    def __init__(self, url: str) -> None:
        self.url = short_url(url)
        super().__init__(f"{self.url} is neither an RSS/Atom feed nor a page that links to one")
