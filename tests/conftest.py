"""Fixtures every folder may use: real SQLite stores under tmp_path, the bot over a recording
request, and a local web site on 127.0.0.1. What they are built from is in tests/support/."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from bot import offline
from bot.app import NewsApp
from bot.container import Services
from bot.settings import Settings
from ingest.pipeline import seed_if_empty
from ingest.web import FetchPolicy
from storage.articles import ArticleStore
from storage.db import make_db_engine, make_sessionmaker, migrate, sqlite_url
from tests.support.app import Harness, MakeHarness, start_app
from tests.support.pg import fresh_database_sync
from tests.support.stores import open_store
from tests.support.web import LocalWeb, feed_site, news_site


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[ArticleStore]:
    """An empty, migrated store in a real SQLite file."""
    db_engine = make_db_engine(sqlite_url(tmp_path / "test.db"))
    await migrate(db_engine)
    yield ArticleStore(make_sessionmaker(db_engine))
    await db_engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A new, empty database of each kind: a SQLite file, and a new database on the local
    PostgreSQL server (skipped when NEWSBOT_TEST_PG_URL is not set)."""
    if request.param == "sqlite":
        yield sqlite_url(tmp_path / "fresh.db")
        return
    with fresh_database_sync() as url:
        yield url


@pytest.fixture
async def seeded(store: ArticleStore) -> ArticleStore:
    """The store with the five seed articles."""
    await seed_if_empty(store)
    return store


# ---- the bot over a recording request ------------------------------------------------------


@pytest.fixture
async def services(tmp_path: Path) -> AsyncIterator[Services]:
    """The bot's repositories over a seeded SQLite file."""
    svc = await open_store(sqlite_url(tmp_path / "bot.db"))
    yield svc
    await svc.close()


@pytest.fixture
async def make_harness(services: Services) -> AsyncIterator[MakeHarness]:
    """Build the bot with settings of the test's choosing (`make_harness(page_size=3)`)."""
    apps: list[NewsApp] = []

    async def make(**settings: Any) -> Harness:
        request = offline.RecordingRequest()
        apps.append(await start_app(services, request, **settings))
        return Harness(apps[-1], request, services)

    yield make
    for app in apps:
        await app.shutdown()


@pytest.fixture
async def harness(make_harness: MakeHarness) -> Harness:
    """The bot with default settings."""
    return await make_harness()


# ---- a small web site on 127.0.0.1 (feeds, pages for /add) ------------------------------


@pytest.fixture
def intranet() -> FetchPolicy:
    """ALLOW_PRIVATE_HOSTS=true: how tests reach their own web server on 127.0.0.1 (a private
    address the fetcher refuses by default)."""
    return Settings(_env_file=None, allow_private_hosts=True).fetch_policy()  # type: ignore[call-arg]


@pytest.fixture
def serve() -> Iterator[Callable[..., LocalWeb]]:
    """Start servers on the given loopback addresses; all are stopped after the test."""
    started: list[LocalWeb] = []

    def start(host: str = "127.0.0.1") -> LocalWeb:
        started.append(LocalWeb(host))
        return started[-1]

    yield start
    for web in started:
        web.close()


@pytest.fixture
def site(serve: Callable[..., LocalWeb]) -> LocalWeb:
    """A feed at /feed.xml (ETag v1), a full page at /grain; tests add `routes`; 404 elsewhere."""
    return news_site(serve())


@pytest.fixture
def feeds_web(serve: Callable[..., LocalWeb]) -> LocalWeb:
    """Pages that link RSS and Atom feeds, for discovery (see `tests.support.web.feed_site`)."""
    return feed_site(serve())
