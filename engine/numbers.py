"""Numbers people type (counts, ids, offsets), read strictly: ASCII digits within a range.

`str.isdigit()` is true for "²" (which `int()` rejects with ValueError) and for "٣" (which
`int()` reads as 3), so every number from a chat, an inline offset or the command line is read
here instead.
"""

from __future__ import annotations

import re

from engine.errors import ArticleNotFound, StoryNotFound

# The largest id SQLite's INTEGER and PostgreSQL's BIGINT hold: a larger one names no article.
MAX_ID = 2**63 - 1
# The largest story id: the stories table's INTEGER (32 bits on PostgreSQL).
MAX_STORY_ID = 2**31 - 1
_ASCII_DIGITS = re.compile(r"[0-9]+")


def is_ascii_int(text: str) -> bool:
    """Whether `text` is a whole number written with the digits 0-9 only (no sign, no spaces)."""
    return _ASCII_DIGITS.fullmatch(text) is not None


def parse_int(text: str, low: int, high: int) -> int | None:
    """`text` as an integer from `low` to `high` (0 ≤ low ≤ high), or None for anything else."""
    if not is_ascii_int(text):
        return None
    significant = text.lstrip("0") or "0"
    if len(significant) > len(str(high)):
        return None  # out of range, and int() of thousands of digits would refuse anyway
    value = int(significant)
    return value if low <= value <= high else None


def article_id(text: str) -> int | None:
    """The article id typed as `text`; None when it is not a number.

    A number no article can have (0, or beyond 64 bits) raises ArticleNotFound naming the id
    as typed, so the reply is the same as for any unknown id.
    """
    if not is_ascii_int(text):
        return None
    value = parse_int(text, 1, MAX_ID)
    if value is None:
        raise ArticleNotFound(text)
    return value


def story_id(text: str) -> int | None:
    """The story id typed as `text` ("12" or "#12"); None when it is not a number. A number no
    story can have raises StoryNotFound naming it as typed."""
    text = text.removeprefix("#")
    if not is_ascii_int(text):
        return None
    value = parse_int(text, 1, MAX_STORY_ID)
    if value is None:
        raise StoryNotFound(text)
    return value
