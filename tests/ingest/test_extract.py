"""Extraction cannot stall the bot: trafilatura runs in a worker process with a time limit, so
a huge page of links costs its own fetch a "no article text", and the event loop keeps
answering meanwhile."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable

import pytest

from ingest.errors import NoArticleOnPage
from ingest.extract import ExtractionTimeout, Extractor
from ingest.web import FetchPolicy, fetch_page, http_client
from tests.support.web import LocalWeb, page

ARTICLE = (
    "<html><body><article><h1>Ferry line reopens</h1><p>"
    + "The ferry line across the Caspian reopened on Monday after a long winter. " * 12
    + "</p></article></body></html>"
)
LINKS = "".join(f'<a href="/p/{i}">link number {i}</a><br>\n' for i in range(120_000))


@pytest.fixture
async def extractor() -> AsyncIterator[Extractor]:
    worker = Extractor(seconds=2.0)
    yield worker
    worker.close()


async def _widest_gap(work: asyncio.Future[object] | asyncio.Task[object]) -> float:
    """The longest the event loop went without running a 20 ms timer while `work` ran."""
    widest, last = 0.0, time.monotonic()
    while not work.done():
        await asyncio.sleep(0.02)
        now = time.monotonic()
        widest, last = max(widest, now - last), now
    return widest


async def test_a_page_of_links_times_out_without_stalling_the_loop(extractor: Extractor) -> None:
    task = asyncio.ensure_future(extractor.article(f"<html><body>{LINKS}</body></html>"))
    gap = await _widest_gap(task)
    with pytest.raises(ExtractionTimeout):
        await task
    assert gap < 0.5, f"the event loop stalled {gap:.2f} s"
    article = await extractor.article(ARTICLE)  # a new worker takes the next page
    assert article.title == "Ferry line reopens"


async def test_fetch_page_reads_articles_in_the_worker(serve: Callable[..., LocalWeb]) -> None:
    web = serve()
    web.routes["/ferry"] = page(ARTICLE)
    web.routes["/links"] = page("<html><body><p>Menu</p></body></html>")
    async with http_client(FetchPolicy(allow_private_hosts=True)) as client:
        article = await fetch_page(client, f"{web.base}/ferry")
        with pytest.raises(NoArticleOnPage):
            await fetch_page(client, f"{web.base}/links")
    assert article.title == "Ferry line reopens" and "Caspian" in article.body


COMMENTED = (
    "<html><body><article><h1>Ferry line reopens</h1>"
    + "<p>The ferry line across the Caspian reopened on Monday after a long winter.</p>" * 6
    + '</article><section id="comments" class="comments"><h2>Have your say</h2>'
    '<div class="comment"><p>The ferry is the beginning of the end for the old port.</p>'
    '<p class="author">John, London</p></div></section></body></html>'
)


async def test_a_reader_comment_at_the_end_of_a_page_is_not_article_text(
    extractor: Extractor,
) -> None:
    article = await extractor.article(COMMENTED, url="https://news.example/ferry")
    assert "reopened on Monday" in article.body
    assert "beginning of the end" not in article.body
    assert "Have your say" not in article.body
