"""Why a web address gave no article: one line each, for a chat reply or a feed's last error.

Hierarchy::

    IngestError (engine.errors)      nothing usable came in
    ├── FetchError                   a web address could not be fetched
    │   ├── FetchRefused             refused before or while fetching:
    │   │   ├── NotHttp              not http:// or https://
    │   │   ├── NotWebAddress        no well-formed web address
    │   │   ├── NotPublic            a loopback, private … address (ingest.guard)
    │   │   ├── TooManyRedirects     more redirects than the policy follows
    │   │   └── EncodingRefused      a content encoding it does not read
    │   │       └── StackedEncodings more than one
    │   ├── FetchTooLarge            the body is larger than the size limit
    │   ├── FetchTimeout             the whole fetch took longer than the time limit
    │   └── FetchFailed              a network error, or an HTTP status other than 200:
    │       ├── NoConnection         the network failed (in words: NETWORK_FAILURES)
    │       ├── BadStatus            an HTTP status other than 200
    │       └── BadBody              a body that is not in the encoding it claims
    ├── NoArticleText (engine.errors)  no article text
    │   └── NoArticleOnPage          a fetched page with none (navigation only, too short)
    ├── NotAFeed                     neither an RSS/Atom feed nor a page that links to one
    └── FeedFailure                  a feed's poll failed (kept as the feed's last problem):
        ├── FeedGone                 the address no longer serves a feed
        ├── FeedTooSlow              the feed and its pages took too long
        └── FeedUnreadable           anything else went wrong with it

Sentences that name a kind of thing (`NotPublic`'s "loopback", `NoConnection`'s failure) take
it as a message id of its own, translated with the sentence (engine.errors.fill).

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


class NotHttp(FetchRefused):
    """Only http:// and https:// addresses are fetched."""

    message = N_("only http:// and https:// addresses are fetched, not {url}")

    def __init__(self, url: str) -> None:
        super().__init__(url=short_url(url))


class NotWebAddress(FetchRefused):
    """Not a well-formed web address (or a local socket)."""

    message = N_("{url} is not a web address")

    def __init__(self, url: str) -> None:
        super().__init__(url=short_url(url))


# The kinds of address the guard refuses (ingest.guard.refusal), each a message id.
ADDRESS_KINDS = {
    "loopback": N_("loopback"),
    "link-local": N_("link-local"),
    "multicast": N_("multicast"),
    "unspecified": N_("unspecified"),
    "reserved": N_("reserved"),
    "private": N_("private"),
    "non-public": N_("non-public"),
}


class NotPublic(FetchRefused):
    """The host resolves to an address that is not public (checked at connect time)."""

    message = N_("{host} is a {kind} address; only public web addresses are fetched")
    translated = ("kind",)

    def __init__(self, host: str, kind: str) -> None:
        super().__init__(host=host, kind=ADDRESS_KINDS.get(kind, kind))


class TooManyRedirects(FetchRefused):
    """More redirects than the policy follows."""

    message = N_("{url} redirects more than {count} times")

    def __init__(self, url: str, count: int) -> None:
        super().__init__(url=short_url(url), count=count)


class EncodingRefused(FetchRefused):
    """A content coding the fetcher does not read (a decompression bomb's favourite shapes)."""

    message = N_("{url} uses a content encoding newsbot does not read ({codings})")

    def __init__(self, url: str, codings: str) -> None:
        super().__init__(url=short_url(url), codings=codings)


class StackedEncodings(EncodingRefused):
    """More than one content coding on one body."""

    message = N_("{url} stacks content encodings ({codings}): refused")


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


# What a network failure means, in words a chat can show (each a message id).
NETWORK_FAILURES = {
    "connect": N_("no connection (the server is down, unknown or refuses it)"),
    "broken": N_("the connection broke off"),
    "protocol": N_("the server's answer was not valid HTTP"),
    "request": N_("the request could not be sent"),
    "scheme": N_("not a web address"),
    "other": N_("a network error"),
}


class NoConnection(FetchFailed):
    """The network failed: `failure` is a key of NETWORK_FAILURES."""

    message = N_("could not fetch {url}: {failure}")
    translated = ("failure",)

    def __init__(self, url: str, failure: str) -> None:
        words = NETWORK_FAILURES.get(failure, NETWORK_FAILURES["other"])
        super().__init__(url=short_url(url), failure=words)


class BadStatus(FetchFailed):
    """The server answered with an HTTP status other than 200."""

    message = N_("{url} answered {status}")

    def __init__(self, url: str, status: int) -> None:
        super().__init__(url=short_url(url), status=status_words(status))


class BadBody(FetchFailed):
    """A body that does not inflate as its Content-Encoding says."""

    message = N_("{url} sent a body that is not {coding} as it says")

    def __init__(self, url: str, coding: str) -> None:
        super().__init__(url=short_url(url), coding=coding)


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


class FeedFailure(IngestError):
    """A feed's poll failed as a whole (kept as the feed's last problem, shown in /feeds)."""


class FeedAnswered(FeedFailure):
    """The feed's server answered with a status other than 200 or 304."""

    message = N_("the server answered {status}")

    def __init__(self, status: int) -> None:
        super().__init__(status=status_words(status))


class FeedGone(FeedFailure):
    """The address answers, but no longer with an RSS or Atom feed."""

    message = N_("the address no longer serves an RSS or Atom feed")


class FeedTooSlow(FeedFailure):
    """The feed and the pages of its teasers took longer than a feed may."""

    message = N_("the feed and its pages took over {seconds} s")

    def __init__(self, seconds: float) -> None:
        super().__init__(seconds=f"{seconds:g}")


class FeedUnreadable(FeedFailure):
    """Anything else that went wrong with one feed (its parser, the database): `kind` is the
    exception's class name."""

    message = N_("the feed could not be read ({kind})")

    def __init__(self, kind: str) -> None:
        super().__init__(kind=kind)
