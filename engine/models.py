"""Plain data passed between the layers (storage returns these, never ORM rows)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True, slots=True)
class ParsedArticle:
    """An article as read from a file or feed, before it has an id."""

    title: str
    body: str
    published: date | None = None
    source: str | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Article:
    """A stored article."""

    id: int
    title: str
    body: str
    published: date | None
    source: str | None
    url: str | None
    added_at: datetime

    @property
    def day(self) -> date:
        """The date a reader cares about: publication date, else the day it was added."""
        return self.published or self.added_at.date()

    @property
    def date_label(self) -> str:
        """How the date is shown: the publication date, or when it was added if it has none."""
        if self.published:
            return self.published.isoformat()
        return f"added {self.added_at.date().isoformat()}"


@dataclass(frozen=True, slots=True)
class Snippet:
    """A short excerpt with the matched words marked as (start, end) offsets into `text`."""

    text: str
    marks: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True, slots=True)
class Hit:
    """One search result, in rank order."""

    article: Article
    snippet: Snippet
    matched_words: int
    typos: int


@dataclass(frozen=True, slots=True)
class SearchPage:
    """One page of search results and whether more follow."""

    query: str
    hits: tuple[Hit, ...]
    offset: int
    has_more: bool
    corrected: tuple[str, ...] = field(default=())
