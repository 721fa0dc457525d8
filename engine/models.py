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
class StoryBrief:
    """What a list says of a result's story: how many sources, and their outlets (the one
    that gave the most sources first)."""

    id: int
    size: int
    outlets: tuple[str, ...]


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
    # The default summary stored when the article was added (its sentences), carried with the
    # article so a digest or a list never reads it again; empty when not loaded or none.
    summary: tuple[str, ...] = ()
    # The story (reports of one event from several outlets) it belongs to; None until grouped.
    story_id: int | None = None
    # That story's size and outlets, when the read that made the article knew them (search).
    story: StoryBrief | None = None

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
class Story:
    """Reports of one event from several outlets: its sources, newest first."""

    id: int
    sources: tuple[Article, ...]

    @property
    def size(self) -> int:
        """How many sources report it."""
        return len(self.sources)

    @property
    def outlets(self) -> tuple[str, ...]:
        """The sources' outlets (their source names), each once, newest first."""
        return tuple(dict.fromkeys(a.source for a in self.sources if a.source))

    @property
    def last_day(self) -> date | None:
        """The newest source's day."""
        return max((a.day for a in self.sources), default=None)


@dataclass(frozen=True, slots=True)
class Snippet:
    """A short excerpt with the matched words marked as (start, end) offsets into `text`."""

    text: str
    marks: tuple[tuple[int, int], ...] = ()

    def pieces(self) -> list[tuple[str, bool]]:
        """The text cut at its marks, in order: (piece, whether it is a matched word)."""
        out: list[tuple[str, bool]] = []
        last = 0
        for start, end in self.marks:
            out += [(self.text[last:start], False), (self.text[start:end], True)]
            last = end
        out.append((self.text[last:], False))
        return [(piece, mark) for piece, mark in out if piece]


@dataclass(frozen=True, slots=True)
class Hit:
    """One search result, in rank order."""

    article: Article
    snippet: Snippet
    matched_words: int
    typos: int
    # Found by meaning alone (none of the query's words, or their typos, is in it): the reply
    # says so, rather than pretend a word matched.
    by_meaning: bool = False


@dataclass(frozen=True, slots=True)
class SearchPage:
    """One page of search results and whether more follow."""

    query: str
    hits: tuple[Hit, ...]
    offset: int
    has_more: bool
    corrected: tuple[str, ...] = field(default=())
    # The indexed words the query stands for ("Brusels" -> brussels), for a focused summary
    # of a result without planning the query again.
    focus: frozenset[str] = field(default=frozenset())
    # How many words the query was planned with (a hit's matched_words out of these).
    words: int = 0
