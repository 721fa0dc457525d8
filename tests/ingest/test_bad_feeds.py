"""One bad feed never stops the others: a date no calendar has is no date, text longer than
its column is cut (an address too long to keep is left out), anything else that goes wrong is
that feed's recorded failure, and the pass goes on to every later feed, on SQLite and
PostgreSQL alike."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from http.server import BaseHTTPRequestHandler
from types import SimpleNamespace

import pytest

from bot.container import Services
from bot.jobs import poll_feeds
from ingest import feeds as feed_polling
from ingest.web import FetchPolicy
from storage.feeds import FeedState
from tests.support.stores import open_store
from tests.support.web import LocalWeb, Route, raw

BODY = "A full paragraph of news about the ferry line across the Caspian Sea. " * 8


def rss(title: str, items: list[tuple[str, str, str]]) -> str:
    """An RSS document; items are (title, link, pubDate)."""
    entries = "".join(
        f"<item><title>{t}</title><link>{link}</link><pubDate>{when}</pubDate>"
        f"<description>{t}. {BODY}</description></item>"
        for t, link, when in items
    )
    head = f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>'
    return f"{head}{entries}</channel></rss>"


def served(body: str, etag: str = "") -> Route:
    return raw(body.encode(), "application/rss+xml", {"ETag": etag} if etag else None)


@pytest.fixture
async def team(database_url: str) -> AsyncIterator[Services]:
    services = await open_store(database_url, seed=False)
    yield services
    await services.close()


async def test_bad_dates_long_values_and_a_crash_stop_no_later_feed(
    team: Services, serve: Callable[..., LocalWeb], monkeypatch: pytest.MonkeyPatch
) -> None:
    web = serve()
    long_link = f"{web.base}/story?" + "x" * 2100
    web.routes["/zero.xml"] = served(
        rss("Zero", [("Zero date story", f"{web.base}/z", "0000-00-00T00:00:00Z")])
    )
    web.routes["/year1.xml"] = served(
        rss("Year one", [("Year one story", f"{web.base}/y", "0001-01-01T00:00:00+14:00")])
    )
    web.routes["/long.xml"] = served(
        rss("T" * 700, [("Long link story", long_link, "Tue, 01 Dec 2026 10:00:00 GMT")]),
        etag='"' + "e" * 600 + '"',
    )
    web.routes["/crash.xml"] = served(rss("Crash", [("Crash story", f"{web.base}/c", "")]))
    web.routes["/good.xml"] = served(
        rss("Good", [("Good story", f"{web.base}/g", "Tue, 01 Dec 2026 10:00:00 GMT")])
    )
    for name in ("zero", "year1", "long", "crash", "good"):
        await team.feeds.add(f"{web.base}/{name}.xml")

    parse = feed_polling.parse_feed

    async def parse_or_run_out_of_memory(content: bytes) -> object:
        if b"<title>Crash</title>" in content:
            raise MemoryError
        return await parse(content)

    monkeypatch.setattr(feed_polling, "parse_feed", parse_or_run_out_of_memory)
    local = SimpleNamespace(
        articles=team.articles, feeds=team.feeds, fetch_policy=FetchPolicy(allow_private_hosts=True)
    )
    await poll_feeds(local)  # type: ignore[arg-type]

    titles = {a.title: a for a in (await team.articles.latest(10))[0]}
    assert set(titles) == {"Zero date story", "Year one story", "Long link story", "Good story"}
    assert titles["Zero date story"].published is None
    assert titles["Year one story"].published is None
    assert titles["Long link story"].url is None and titles["Good story"].url == f"{web.base}/g"
    state = {f.url.rsplit("/", 1)[1]: f for f in await team.feeds.all()}
    assert state["crash.xml"].state is FeedState.BACKING_OFF
    assert "could not be read (MemoryError)" in (state["crash.xml"].last_error or "")
    assert all(state[n].state is FeedState.OK for n in ("zero.xml", "year1.xml", "good.xml"))
    assert state["long.xml"].state is FeedState.OK and state["long.xml"].etag is None
    assert state["long.xml"].title == "T" * 300


async def test_slow_feeds_do_not_hold_up_the_ones_after_them(
    team: Services, serve: Callable[..., LocalWeb]
) -> None:
    """Feeds are polled a few at a time: a quick feed listed after three slow ones is done
    long before them (strictly in turn, it waited for all three)."""
    from tests.support.web import drip

    web = serve()
    for n in range(3):
        web.routes[f"/slow{n}.xml"] = drip(count=20, every=0.1)  # 2 s of a byte at a time
    web.routes["/quick.xml"] = served(
        rss("Quick", [("Quick story", f"{web.base}/q", "Tue, 01 Dec 2026 10:00:00 GMT")])
    )
    for name in ("slow0", "slow1", "slow2", "quick"):
        await team.feeds.add(f"{web.base}/{name}.xml")
    local = SimpleNamespace(
        articles=team.articles, feeds=team.feeds, fetch_policy=FetchPolicy(allow_private_hosts=True)
    )
    await poll_feeds(local)  # type: ignore[arg-type]
    polled = {f.url.rsplit("/", 1)[1]: f.last_polled_at for f in await team.feeds.all()}
    assert all(polled.values())
    assert polled["quick.xml"] < min(polled[f"slow{n}.xml"] for n in range(3))  # type: ignore[operator]


def slow(body: str, seconds: float) -> Route:
    """A valid feed that takes `seconds` to start answering."""
    answer = served(body)

    def route(handler: BaseHTTPRequestHandler, web: LocalWeb) -> None:
        if not web.stop.wait(seconds):
            answer(handler, web)

    return route


async def test_a_pass_is_bounded_and_the_next_one_takes_the_feeds_it_left_first(
    team: Services, serve: Callable[..., LocalWeb]
) -> None:
    """33,000 feeds of up to 90 s each made one pass take hours: a pass starts no feed after
    its time limit, and the feeds it did not reach are the first of the next pass."""
    web = serve()
    names = [f"f{n}" for n in range(2 * feed_polling.CONCURRENT_FEEDS)]
    for name in names:
        story = [(f"Story of {name}", f"{web.base}/{name}", "Tue, 01 Dec 2026 10:00:00 GMT")]
        web.routes[f"/{name}.xml"] = slow(rss(name, story), seconds=0.6)
        await team.feeds.add(f"{web.base}/{name}.xml")
    local = SimpleNamespace(
        articles=team.articles, feeds=team.feeds, fetch_policy=FetchPolicy(allow_private_hosts=True)
    )

    async def polled() -> set[str]:
        return {f.url.rsplit("/", 1)[1] for f in await team.feeds.all() if f.last_polled_at}

    await poll_feeds(local, pass_seconds=0.3)  # type: ignore[arg-type]
    first = await polled()
    assert len(first) == feed_polling.CONCURRENT_FEEDS, "the ones started before the limit"
    await poll_feeds(local, pass_seconds=0.3)  # type: ignore[arg-type]
    assert await polled() == {f"{name}.xml" for name in names}, "the rest came first next time"
