"""Whether a text is a web address worth fetching or storing: pure text, no I/O.

Used before any fetch (/add, /feed add), on every redirect hop (ingest.web), and where nothing
is fetched at all (OPML import), so a malformed address gets a clear line instead of an HTTP
client's exception. courlan's `validate_url` is not used: it refuses hosts under five
characters ("t.co") and upper-case schemes, and accepts hosts such as "-bad-.example".
"""

from __future__ import annotations

import ipaddress
import re
from enum import StrEnum
from urllib.parse import urlsplit

SCHEMES = ("http", "https")
# One label of a host name: letters and digits, hyphens only inside.
_HOST_LABEL = re.compile(r"[^\W_]([\w-]*[^\W_])?")


class UrlProblem(StrEnum):
    """Why a text is not a web address."""

    NOT_HTTP = "not http"  # another scheme (ftp:, file:, javascript:), or no host at all
    MALFORMED = "malformed"  # http(s), but the host or port cannot be parsed


def url_problem(text: str) -> UrlProblem | None:
    """Why `text` is not an http(s) URL with a well-formed host and port; None if it is.

    What cannot be parsed is refused here, before any fetch: `http://[::1` made the HTTP client
    raise InvalidURL, which is not a fetch error.
    """
    try:
        parts = urlsplit(text)
        host = parts.hostname or ""
    except ValueError:
        return UrlProblem.MALFORMED
    if parts.scheme.lower() not in SCHEMES or not host:
        return UrlProblem.NOT_HTTP
    try:
        _ = parts.port  # a port that is not a number from 0 to 65535 raises ValueError
        if "[" in parts.netloc:
            ipaddress.IPv6Address(host)
        elif not all(_HOST_LABEL.fullmatch(label) for label in host.removesuffix(".").split(".")):
            return UrlProblem.MALFORMED
    except ValueError:
        return UrlProblem.MALFORMED
    return None


def is_web_url(text: str) -> bool:
    """Whether `text` is an http(s) URL with a well-formed host and port."""
    return url_problem(text) is None
