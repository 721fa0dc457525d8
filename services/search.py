"""Search and the newest articles, with the paging rules the chat's buttons and the CLI share:
how deep a list may be paged, and when a query gets a paging key (only when a neighbour page
exists, so a one-page answer never writes)."""

from __future__ import annotations

from dataclasses import dataclass

from engine.models import Article, SearchPage
from storage.articles import ArticleStore
from storage.paging import PagingKeys

MAX_LATEST = 10  # articles one /latest or `python -m bot latest` may ask for
MAX_OFFSET = 200  # how deep a result list may be paged


@dataclass(frozen=True, slots=True)
class Neighbours:
    """Where the previous and next pages of a list start (None: no such page)."""

    offset: int
    previous: int | None
    next: int | None


def neighbours(offset: int, limit: int, has_more: bool) -> Neighbours:
    """The pages around [offset, offset + limit): never past MAX_OFFSET, never below 0."""
    previous = max(0, offset - limit) if offset else None
    following = offset + limit if has_more and offset + limit <= MAX_OFFSET else None
    return Neighbours(offset, previous, following)


def clamp(offset: int) -> int:
    """An offset from a button (or a forged one) within the pages a list may have."""
    return max(0, min(offset, MAX_OFFSET))


@dataclass(frozen=True, slots=True)
class ResultPage:
    """One page of search results, its neighbours, and the key that pages them (if any)."""

    page: SearchPage
    pages: Neighbours
    key: str | None


@dataclass(frozen=True, slots=True)
class LatestPage:
    """One page of the newest articles and its neighbours."""

    articles: tuple[Article, ...]
    pages: Neighbours


async def search(
    articles: ArticleStore,
    paging: PagingKeys | None,
    query: str,
    *,
    limit: int,
    offset: int = 0,
) -> ResultPage:
    """A page of the ranking for `query` (EmptyQuery, QueryTooLong for unusable queries); with
    `paging`, a key for its neighbour pages when it has any."""
    offset = clamp(offset)
    page = await articles.search(query, limit=limit, offset=offset)
    pages = neighbours(offset, limit, page.has_more)
    has_neighbours = pages.previous is not None or pages.next is not None
    key = await paging.remember(query) if paging is not None and has_neighbours else None
    return ResultPage(page, pages, key)


async def recall(paging: PagingKeys, key: str) -> str | None:
    """The query behind a paging key, or None once it has expired."""
    return await paging.recall(key)


async def latest(articles: ArticleStore, *, limit: int, offset: int = 0) -> LatestPage:
    """A page of the newest articles (by publication date, else when they were added)."""
    offset = clamp(offset)
    found, more = await articles.latest(limit, offset)
    return LatestPage(tuple(found), neighbours(offset, limit, more))
