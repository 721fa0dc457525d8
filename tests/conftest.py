"""Shared fixtures: a real SQLite store under tmp_path, seeded from seeds/."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from storage.articles import ArticleStore
from storage.db import make_db_engine, make_sessionmaker, migrate, sqlite_url
from storage.ingest import SEEDS_DIR, seed_if_empty

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
