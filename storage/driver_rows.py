"""A search's reads in one trip to the database driver, past SQLAlchemy's result machinery.

Search is latency-bound, and its term reads return thousands of short rows (a long word's
two-typo bucket: every term of its first letter and length range). Through SQLAlchemy each
statement costs several trips to aiosqlite's thread, and each row a Python-level fetch
(asyncpg: 4 ms of a 13 ms search at 100,000 articles, bench/scale.py --url). The drivers'
own calls return every row at once. Only reads run here: no transaction is begun or ended.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

# Reads run on a session or, for search, a bare connection (no transaction to begin and end).
Reader = AsyncSession | AsyncConnection


async def _connection(reader: Reader) -> AsyncConnection:
    return reader if isinstance(reader, AsyncConnection) else await reader.connection()


async def sqlite_rows(reader: Reader, sql: str, params: dict[str, Any]) -> list[Any]:
    """Rows of a read on the reader's SQLite connection: aiosqlite's execute_fetchall, one
    trip to its thread instead of begin, execute, fetch and close."""
    driver = (await (await _connection(reader)).get_raw_connection()).driver_connection
    if driver is not None and hasattr(driver, "execute_fetchall"):
        return list(await driver.execute_fetchall(sql, params))
    return list(await reader.execute(text(sql), params))


async def postgres_rows(reader: Reader, sql: str, params: dict[str, Any]) -> list[Any]:
    """Rows of a read on the reader's PostgreSQL connection: asyncpg's fetch (its own
    prepared statement cache; the JSON codecs SQLAlchemy set up on the connection apply).
    `sql` takes :name parameters, compiled to $n by the connection's dialect."""
    connection = await _connection(reader)
    driver = (await connection.get_raw_connection()).driver_connection
    if driver is None or not hasattr(driver, "fetch"):
        return list(await reader.execute(text(sql), params))
    compiled = text(sql).compile(dialect=connection.dialect)
    names = compiled.positiontup or []
    try:
        return list(await driver.fetch(compiled.string, *(params[name] for name in names)))
    except Exception as exc:  # the server's or the driver's: SQLAlchemy's kind, as any read's
        # The bot and the CLI turn a DBAPIError into one line (storage.db.store_failure); a
        # connection the server dropped is found by the pool's check at the next checkout.
        raise DBAPIError(compiled.string, None, exc, hide_parameters=True) from exc
