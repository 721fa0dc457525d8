"""Shared fixtures: a real SQLite store under tmp_path, seeded from seeds/."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from bot.settings import Settings
from ingest.pipeline import SEEDS_DIR, seed_if_empty
from ingest.web import FetchPolicy
from storage.articles import ArticleStore
from storage.db import make_db_engine, make_sessionmaker, migrate, sqlite_url

SEED_FILES = sorted(SEEDS_DIR.glob("*.txt"))


def seed_id(prefix: str) -> int:
    """The store id of a seed file, by its number ("002"): seeds load in file order."""
    names = [p.name[:3] for p in SEED_FILES]
    return names.index(prefix) + 1


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[ArticleStore]:
    """An empty, migrated store in a real SQLite file."""
    db_engine = make_db_engine(sqlite_url(tmp_path / "test.db"))
    await migrate(db_engine)
    yield ArticleStore(make_sessionmaker(db_engine))
    await db_engine.dispose()


@pytest.fixture
async def seeded(store: ArticleStore) -> ArticleStore:
    """The store with the five seed articles."""
    await seed_if_empty(store)
    return store


# ---- a small web site on 127.0.0.1 (feeds, pages for /add) ------------------------------


@pytest.fixture
def intranet() -> FetchPolicy:
    """ALLOW_PRIVATE_HOSTS=true: how tests reach their own web server on 127.0.0.1 (a private
    address the fetcher refuses by default)."""
    return Settings(_env_file=None, allow_private_hosts=True).fetch_policy()  # type: ignore[call-arg]


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
        self.pages: dict[str, str] = {}  # more HTML pages a test serves, by path


@pytest.fixture
def site() -> Iterator[Site]:
    """A feed at /feed.xml (ETag v1), a full page at /grain, `pages`, 404 elsewhere."""
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
            elif self.path == "/grain" or self.path in state.pages:
                body, kind = state.pages.get(self.path, PAGE).encode(), "text/html"
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
    server.server_close()
