"""Feeds polled from a local HTTP server the test runs on 127.0.0.1."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from storage.articles import ArticleStore
from storage.feeds import FeedStore, http_client, poll_feed
from storage.ingest import ingest_articles

FULL = "The Caspian ferry line between Alat and Turkmenbashi carried a record load this month. " * 6
PAGE = (
    "<html><head><title>Teaser story</title></head><body><nav>Home | World | Share</nav>"
    "<article><h1>Grain corridor reopens</h1><p>"
    + "The grain corridor through Baku reopened on Monday after repairs to the rail link. " * 6
    + "</p></article><footer>Share this article</footer></body></html>"
)


def _feed(base: str) -> str:
    return f"""<?xml version="1.0"?>
<rss version="2.0"><channel><title>Local Wire</title><link>{base}</link>
<item><title>Ferry record</title><link>{base}/ferry?utm_source=rss</link>
<pubDate>Mon, 02 Nov 2026 10:00:00 GMT</pubDate><description>{FULL}</description></item>
<item><title>Grain corridor reopens</title><link>{base}/grain</link>
<pubDate>Tue, 03 Nov 2026 10:00:00 GMT</pubDate><description>Short teaser…</description></item>
</channel></rss>"""


class Site:
    def __init__(self) -> None:
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.base = ""


@pytest.fixture
def site() -> Iterator[Site]:
    state = Site()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state.requests.append((self.path, dict(self.headers)))
            if self.path.startswith("/feed"):
                if self.headers.get("If-None-Match") == '"v1"':
                    self.send_response(304)
                    self.end_headers()
                    return
                body, kind = _feed(state.base).encode(), "application/rss+xml"
                self.send_response(200)
                self.send_header("ETag", '"v1"')
                self.send_header("Last-Modified", "Tue, 03 Nov 2026 10:00:00 GMT")
            elif self.path == "/grain":
                body, kind = PAGE.encode(), "text/html"
                self.send_response(200)
            else:
                body, kind = b"not here", "text/plain"
                self.send_response(404)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()


async def test_feed_poll_takes_full_text_and_uses_conditional_get(
    store: ArticleStore, site: Site
) -> None:
    feeds = FeedStore(store._sessions)
    feed = await feeds.add(f"{site.base}/feed.xml")
    assert (await feeds.add(f"{site.base}/feed.xml")).id == feed.id  # adding twice is a no-op
    async with http_client() as client:
        poll = await poll_feed(client, feed)
        report = await ingest_articles(store, poll.articles)
        await feeds.record(feed, poll)
        assert len(report.added) == 2 and poll.errors == []
        titles = {a.title: a for a in (await store.latest(5))[0]}
        assert "Ferry record" in titles and "Grain corridor reopens" in titles
        grain = titles["Grain corridor reopens"]
        assert "reopened on Monday" in grain.body and "Home | World" not in grain.body
        assert grain.published is not None and grain.published.isoformat() == "2026-11-03"

        [feed] = await feeds.all()
        again = await poll_feed(client, feed)
        assert again.not_modified and again.articles == []
    feed_requests = [h for path, h in site.requests if path.startswith("/feed")]
    assert feed_requests[-1].get("If-None-Match") == '"v1"'
    assert feed_requests[-1].get("If-Modified-Since") == "Tue, 03 Nov 2026 10:00:00 GMT"


async def test_broken_feeds_are_reported_not_raised(store: ArticleStore, site: Site) -> None:
    feeds = FeedStore(store._sessions)
    async with http_client() as client:
        missing = await poll_feed(client, await feeds.add(f"{site.base}/nothing"))
        refused = await poll_feed(client, await feeds.add("http://127.0.0.1:9/feed"))
    assert missing.errors == ["HTTP 404"] and missing.articles == []
    assert refused.errors and refused.errors[0].startswith("fetch failed")


async def test_feed_urls_must_be_http(store: ArticleStore) -> None:
    from engine.errors import IngestError

    with pytest.raises(IngestError):
        await FeedStore(store._sessions).add("file:///etc/passwd")
