"""/trend and `python -m bot trend`: one parser for "WORDS [days]", and the counts behind the
chart (the chart itself is drawn by whoever shows it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from engine.numbers import is_ascii_int, parse_int
from engine.trends import DEFAULT_DAYS, MAX_DAYS, Trend
from storage.articles import ArticleStore
from storage.trends import trend as count_mentions


@dataclass(frozen=True, slots=True)
class TrendRequest:
    """The words to count and over how many days."""

    words: str
    days: int = DEFAULT_DAYS


def parse_request(words: list[str], days: int | None = None) -> TrendRequest | None:
    """The request in `words` ("summit", "ECO summit 90"); a trailing ASCII number is the
    period unless `days` is given (the CLI's --days); None when it does not fit."""
    words = [w for w in words if w.strip()]
    if days is None and len(words) > 1 and is_ascii_int(words[-1]):
        days = parse_int(words.pop(), 1, MAX_DAYS)
        if days is None:
            return None
    return TrendRequest(" ".join(words), days or DEFAULT_DAYS) if words else None


async def mentions(
    articles: ArticleStore, request: TrendRequest, today: date | None = None
) -> Trend:
    """Articles mentioning every word per day or week, up to `today` (default: today, UTC);
    EmptyQuery and QueryTooLong as for search."""
    today = today or datetime.now(UTC).date()
    return await count_mentions(articles, request.words, request.days, today)
