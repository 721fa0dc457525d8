"""Search and the newest articles, with the paging rules the chat's buttons and the CLI share:
one entry per story (its best-matching or newest source; pages count stories), how deep a
list may be paged, and when a query gets a paging key (only when a neighbour page exists, so
a one-page answer never writes)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from engine.models import Article, SearchPage, StoryBrief
from storage.articles import ArticleStore
from storage.paging import PagingKeys
from storage.story_store import StoryStore

MAX_LATEST = 10  # articles one /latest or `python -m bot latest` may ask for
MAX_OFFSET = 200  # how deep a result list may be paged
# /latest shows one entry per story: it reads FOLD_READ articles for each entry it needs, more
# while stories repeat, but never more than MAX_READ articles (search folds while ranking).
FOLD_READ = 2
MAX_READ = 1000
T = TypeVar("T")


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


def fold(items: Sequence[T], article: Callable[[T], Article]) -> list[T]:
    """One entry per story: the first item (the best ranked, or the newest) of each story; an
    article without a story is an entry of its own."""
    seen: set[int] = set()
    entries = []
    for item in items:
        story = article(item).story_id
        if story is not None:
            if story in seen:
                continue
            seen.add(story)
        entries.append(item)
    return entries


async def ranked_stories(
    articles: ArticleStore, query: str, *, limit: int, offset: int
) -> SearchPage:
    """A page of the ranking for `query` with one entry per story (its best-matching article,
    kept before snippets are cut): `offset` and `limit` count stories."""
    return await articles.search(query, limit=limit, offset=offset, one_per_story=True)


async def newest_stories(
    articles: ArticleStore, *, limit: int, offset: int
) -> tuple[list[Article], bool]:
    """The newest articles, one per story (its newest source), `offset` and `limit` counting
    stories; and whether more follow."""
    wanted = offset + limit + 1
    read = min(wanted * FOLD_READ, MAX_READ)
    while True:
        found, more = await articles.latest(read, 0)
        entries = fold(found, lambda article: article)
        if len(entries) >= wanted or not more or read >= MAX_READ:
            break
        read = min(2 * read, MAX_READ)
    return entries[offset : offset + limit], len(entries) > offset + limit


async def briefs(stories: StoryStore | None, shown: Sequence[Article]) -> dict[int, StoryBrief]:
    """The stories with several sources among those of the articles shown (size, outlets);
    read only for articles whose read did not bring their story's (search brings them)."""
    known = {a.story.id: a.story for a in shown if a.story is not None and a.story.size > 1}
    wanted = [a.story_id for a in shown if a.story is None and a.story_id is not None]
    if stories is None or not wanted:
        return known
    return known | await stories.briefs(wanted)


@dataclass(frozen=True, slots=True)
class ResultPage:
    """One page of search results (one per story), its neighbours, the key that pages them
    (if any), and the results' stories that have several sources."""

    page: SearchPage
    pages: Neighbours
    key: str | None
    stories: Mapping[int, StoryBrief] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class LatestPage:
    """One page of the newest articles (one per story), its neighbours, and their stories
    that have several sources."""

    articles: tuple[Article, ...]
    pages: Neighbours
    stories: Mapping[int, StoryBrief] = field(default_factory=dict)


async def search(
    articles: ArticleStore,
    paging: PagingKeys | None,
    query: str,
    *,
    limit: int,
    offset: int = 0,
    stories: StoryStore | None = None,
) -> ResultPage:
    """A page of the ranking for `query`, one entry per story (EmptyQuery, QueryTooLong for
    unusable queries); with `paging`, a key for its neighbour pages when it has any; with
    `stories`, what the results' stories hold."""
    offset = clamp(offset)
    page = await ranked_stories(articles, query, limit=limit, offset=offset)
    pages = neighbours(offset, limit, page.has_more)
    has_neighbours = pages.previous is not None or pages.next is not None
    key = await paging.remember(query) if paging is not None and has_neighbours else None
    found = await briefs(stories, [hit.article for hit in page.hits])
    return ResultPage(page, pages, key, found)


async def recall(paging: PagingKeys, key: str) -> str | None:
    """The query behind a paging key, or None once it has expired."""
    return await paging.recall(key)


async def latest(
    articles: ArticleStore, *, limit: int, offset: int = 0, stories: StoryStore | None = None
) -> LatestPage:
    """A page of the newest articles (by publication date, else when they were added), one
    entry per story."""
    offset = clamp(offset)
    found, more = await newest_stories(articles, limit=limit, offset=offset)
    return LatestPage(tuple(found), neighbours(offset, limit, more), await briefs(stories, found))
