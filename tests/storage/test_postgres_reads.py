"""Search's reads on PostgreSQL go past SQLAlchemy to asyncpg (storage/driver_rows.py); a
failing read still reaches the bot and the CLI as SQLAlchemy's error, which they turn into
one line. Runs when NEWSBOT_TEST_PG_URL is set."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from storage.db import store_failure
from tests.support.pg import PG_URL, fresh_database
from tests.support.stores import open_store

pytestmark = pytest.mark.skipif(
    not PG_URL, reason="NEWSBOT_TEST_PG_URL is not set (a PostgreSQL server for these tests)"
)


async def test_a_failed_search_read_is_a_store_failure_of_one_line() -> None:
    async with fresh_database() as url:
        team = await open_store(url)
        try:
            assert (await team.articles.search("summit")).hits
            async with team.db_engine.begin() as conn:  # a table the candidate read joins
                await conn.execute(text("DROP TABLE stories CASCADE"))
            with pytest.raises(DBAPIError) as raised:
                await team.articles.search("summit")
        finally:
            await team.close()
    failure = store_failure(raised.value)
    assert failure is not None and 'relation "stories" does not exist' in str(failure)
