"""Paging rules the chat's buttons and the CLI share: how deep a list goes, and a paging key
only when a neighbour page exists (a one-page answer never writes)."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select

from services.search import MAX_OFFSET, latest, neighbours, recall, search
from storage.articles import ArticleStore
from storage.models import SearchKeyRow
from storage.paging import PagingKeys
from tests.support.stories import distinct_events


async def _keys(store: ArticleStore) -> int:
    async with store.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(SearchKeyRow)) or 0)


def test_neighbours_stop_at_the_deepest_page_and_at_the_top() -> None:
    assert neighbours(0, 5, has_more=True) == neighbours(0, 5, True)
    first = neighbours(0, 5, has_more=True)
    assert (first.previous, first.next) == (None, 5)
    middle = neighbours(10, 5, has_more=True)
    assert (middle.previous, middle.next) == (5, 15)
    deepest = neighbours(MAX_OFFSET - 2, 5, has_more=True)
    assert deepest.next is None and deepest.previous == MAX_OFFSET - 7
    last = neighbours(3, 5, has_more=False)
    assert (last.previous, last.next) == (0, None)


async def test_a_one_page_answer_writes_no_paging_key(seeded: ArticleStore) -> None:
    paging = PagingKeys(seeded.sessions)
    found = await search(seeded, paging, "Bayramov", limit=10)
    assert found.page.hits and found.key is None and found.pages.next is None
    assert await _keys(seeded) == 0


async def test_a_paged_answer_has_a_key_that_recalls_its_query(store: ArticleStore) -> None:
    await store.add(distinct_events(7, "The Caspian ferry"))
    paging = PagingKeys(store.sessions)
    first = await search(store, paging, "caspian ferry", limit=3)
    assert first.key is not None and first.pages.next == 3
    assert await recall(paging, first.key) == "caspian ferry"
    again = await search(store, paging, "caspian ferry", limit=3, offset=3)
    assert again.key == first.key and again.pages.previous == 0
    assert await _keys(store) == 1


async def test_a_forged_offset_is_kept_within_the_pages(seeded: ArticleStore) -> None:
    page = await latest(seeded, limit=2, offset=10**9)
    assert page.pages.offset == MAX_OFFSET and page.articles == ()
    newest = await latest(seeded, limit=2)
    assert len(newest.articles) == 2 and newest.pages.next == 2


async def test_paging_on_through_a_remembered_list_takes_no_write_lock(
    store: ArticleStore,
) -> None:
    await store.add(distinct_events(7, "Caspian ferry"))
    paging = PagingKeys(store.sessions)
    first = await search(store, paging, "caspian ferry", limit=3)
    async with store.sessions() as holder:  # another writer holds SQLite's write lock
        await holder.execute(SearchKeyRow.__table__.delete().where(SearchKeyRow.key == "none"))
        page_two = await asyncio.wait_for(
            search(store, paging, "caspian ferry", limit=3, offset=3), timeout=2
        )
        await holder.rollback()
    assert page_two.key == first.key and page_two.page.hits
