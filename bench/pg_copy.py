"""Copy a kept SQLite store of bench/scale.py into a new PostgreSQL database of the same size,
to measure PostgreSQL's reads at a size whose build through the ingest pipeline takes hours.

    python -m bench.pg_copy SQLITE_FILE POSTGRESQL_URL
    python -m bench.scale --sizes 1000000 --keep DIR --url sqlite --url POSTGRESQL_URL

The second command then finds both stores kept (`newsbot_scale_SIZE` on the server, named
after the file) and probes them side by side; its ingest column says "kept".
The copy is made by the database, not the pipeline: articles (ids, stories' ids, summaries,
dates) and stories' rows go in by COPY; the tsvector column is computed by PostgreSQL as the
rows arrive; article_days by its trigger; search_terms from ts_stat over every article, as
migration 0005 fills it; the GIN index of words and day is built after the rows (as
migration 0015 defines it). Story grouping's own tables (keys, documents, terms) are not
copied: the copy answers every read the probe times, and is not for ingesting into.
Prints each step's time (at a million articles, about half an hour on 2 cores).
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import time
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

CHUNK = 20_000
ARTICLE_COLUMNS = (
    "id, title, body, published, source, url, content_hash, added_at, summary, story_id"
)
STORY_COLUMNS = "id, state, size, first_day, last_day, updated_at, outlets"
WORDS_AND_DAY = (
    "CREATE INDEX ix_articles_words_day ON articles "
    "USING gin (search_vector, (CAST(coalesce(published, added_at) AS date)))"
)


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value[:10]) if value else None


def _moment(value: str) -> datetime:
    return datetime.fromisoformat(value)


def _article(row: tuple[Any, ...]) -> tuple[Any, ...]:
    i, title, body, published, source, url, digest, added_at, summary, story = row
    return (i, title, body, _day(published), source, url, digest, _moment(added_at), summary, story)


def _story(row: tuple[Any, ...]) -> tuple[Any, ...]:
    i, state, size, first_day, last_day, updated_at, outlets = row
    return (i, state, size, _day(first_day), _day(last_day), _moment(updated_at), outlets)


async def _copy(source: str, url: str) -> None:
    import asyncpg  # type: ignore[import-untyped]

    from storage.db import make_db_engine, migrate

    lite = sqlite3.connect(source)
    size = int(lite.execute("SELECT count(*) FROM articles").fetchone()[0])
    base = make_url(url)
    name = f"newsbot_{Path(source).stem}"  # as bench.scale names the store of that size
    dsn = base.set(drivername="postgresql").render_as_string(False)
    admin = await asyncpg.connect(dsn)
    await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    await admin.execute(f'CREATE DATABASE "{name}"')
    await admin.close()
    target = base.set(database=name).render_as_string(False)
    db_engine = make_db_engine(target)
    await migrate(db_engine)
    await db_engine.dispose()
    con = await asyncpg.connect(
        base.set(drivername="postgresql", database=name).render_as_string(False)
    )
    await con.execute("SET maintenance_work_mem = '1GB'")
    await con.execute("DROP INDEX ix_articles_words_day")
    t0 = time.perf_counter()
    rows = lite.execute(f"SELECT {ARTICLE_COLUMNS} FROM articles ORDER BY id")
    copied = 0
    while chunk := rows.fetchmany(CHUNK):
        await con.copy_records_to_table(
            "articles", records=[_article(r) for r in chunk], columns=ARTICLE_COLUMNS.split(", ")
        )
        copied += len(chunk)
        if copied % 200_000 < CHUNK:
            print(f"  {copied:,} articles in {time.perf_counter() - t0:.0f} s", flush=True)
    print(f"articles: {copied:,} in {time.perf_counter() - t0:.0f} s", flush=True)
    stories = [_story(r) for r in lite.execute(f"SELECT {STORY_COLUMNS} FROM stories")]
    await con.copy_records_to_table("stories", records=stories, columns=STORY_COLUMNS.split(", "))
    for table in ("articles", "stories"):
        await con.execute(
            f"SELECT setval('{table}_id_seq', (SELECT coalesce(max(id), 1) FROM {table}))"
        )
    await con.execute("UPDATE article_days_fill SET done = last")
    t1 = time.perf_counter()
    await con.execute(
        "INSERT INTO search_terms (term, docs, version) "
        "SELECT word, ndoc, 1 FROM ts_stat('SELECT search_vector FROM articles')"
    )
    await con.execute("UPDATE search_version SET version = 1")
    print(f"search_terms: {time.perf_counter() - t1:.0f} s", flush=True)
    t2 = time.perf_counter()
    await con.execute(WORDS_AND_DAY)
    print(f"index of words and day: {time.perf_counter() - t2:.0f} s", flush=True)
    t3 = time.perf_counter()
    await con.execute("VACUUM ANALYZE")
    print(f"vacuum analyze: {time.perf_counter() - t3:.0f} s", flush=True)
    await con.close()
    print(f"{name}: {size:,} articles, {len(stories):,} stories", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sqlite_file")
    parser.add_argument("postgresql_url", help="postgresql+asyncpg://USER:PW@HOST:PORT/DB")
    args = parser.parse_args()
    asyncio.run(_copy(args.sqlite_file, args.postgresql_url))


if __name__ == "__main__":
    main()
