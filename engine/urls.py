"""Whether a text is a web address worth fetching or storing: pure text, no I/O.

Used before any fetch (/add, /feed add) and where nothing is fetched at all (OPML import), so a
malformed address gets a clear line instead of an HTTP client's exception.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

# One label of a host name: letters and digits, hyphens only inside.
_HOST_LABEL = re.compile(r"[^\W_]([\w-]*[^\W_])?")


def is_web_url(text: str) -> bool:
    """Whether `text` is an http(s) URL with a well-formed host and port.

    What cannot be parsed is refused here, before any fetch: `http://[::1` made the HTTP client
    raise InvalidURL, which is not a fetch error.
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
