"""A fresh database on the local PostgreSQL server (NEWSBOT_TEST_PG_URL), dropped afterwards."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

PG_URL = os.environ.get("NEWSBOT_TEST_PG_URL")
NO_SERVER = "NEWSBOT_TEST_PG_URL is not set (a PostgreSQL server for these tests)"


async def _admin(statement: str) -> None:
    assert PG_URL
    admin = create_async_engine(PG_URL, isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(text(statement))
    await admin.dispose()


@asynccontextmanager
async def fresh_database() -> AsyncIterator[str]:
    """The URL of a new, empty database (the test is skipped when there is no server)."""
    if not PG_URL:
        pytest.skip(NO_SERVER)
    name = f"newsbot_{uuid.uuid4().hex[:12]}"
    await _admin(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(PG_URL).set(database=name).render_as_string(False)
    finally:
        await _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def fresh_database_sync() -> Iterator[str]:
    """`fresh_database` for tests that run outside an event loop."""
    if not PG_URL:
        pytest.skip(NO_SERVER)
    name = f"newsbot_{uuid.uuid4().hex[:12]}"
    asyncio.run(_admin(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(PG_URL).set(database=name).render_as_string(False)
    finally:
        asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
