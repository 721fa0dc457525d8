"""The stores bench/scale.py measures: a SQLite file or a database of its own on a PostgreSQL
server, built through the ingest pipeline (in a child process) and removed afterwards."""

from __future__ import annotations

import asyncio
import multiprocessing
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from bench import bbc

DAYS = 365  # the copies arrive over a year, as a team's news does
SQLITE = "sqlite"


def build(size: int, url: str, days: int) -> float:
    """Ingest `size` articles (dated over `days` days) into the new, empty store at `url`;
    articles per second."""
    from ingest.pipeline import ingest_articles
    from storage.articles import ArticleStore
    from storage.db import make_db_engine, make_sessionmaker, migrate

    async def go() -> float:
        db_engine = make_db_engine(url)
        await migrate(db_engine)
        t0 = time.perf_counter()
        store = ArticleStore(make_sessionmaker(db_engine))
        await ingest_articles(store, bbc.corpus(size, days), bulk=True)
        seconds = time.perf_counter() - t0
        await db_engine.dispose()
        return size / seconds

    return asyncio.run(go())


def child(function: Any, *args: Any) -> Any:
    """`function(*args)` in a fresh process (not a pool's daemon: a bulk ingest starts a
    process of its own)."""
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(function, *args).result()


def _pg_admin(server: str, statement: str) -> None:
    """Run CREATE/DROP/ALTER DATABASE on the server's own database (outside a transaction)."""

    async def go() -> None:
        admin = create_async_engine(server, isolation_level="AUTOCOMMIT")
        async with admin.connect() as conn:
            await conn.execute(text(statement))
        await admin.dispose()

    asyncio.run(go())


def _pg_exists(server: str, name: str) -> bool:
    async def go() -> bool:
        admin = create_async_engine(server)
        async with admin.connect() as conn:
            found = await conn.scalar(
                text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}
            )
        await admin.dispose()
        return found is not None

    return asyncio.run(go())


class Store:
    """One size's store on one database kind: where it lives, how it is built and removed.
    A store is built under another name and renamed when complete, so a run cut short never
    leaves a partial store for `--keep` to measure."""

    def __init__(self, url: str, size: int, days: int, folder: str) -> None:
        self.server, self.size, self.days = url, size, days
        name = f"scale_{size}" if days == DAYS else f"scale_{size}_{days}d"
        self.kind = "SQLite" if url == SQLITE else "PostgreSQL"
        self.path = Path(folder) / f"{name}.db"  # SQLite's file
        self.name = f"newsbot_{name}"  # PostgreSQL's database
        if url == SQLITE:
            self.url = f"sqlite+aiosqlite:///{self.path}"
        else:
            self.url = make_url(url).set(database=self.name).render_as_string(False)

    def exists(self) -> bool:
        if self.kind == "SQLite":
            return self.path.exists()
        return _pg_exists(self.server, self.name)

    def build(self) -> float:
        if self.kind == "SQLite":
            file = Path(str(self.path) + ".building")
            file.unlink(missing_ok=True)
            rate = child(build, self.size, f"sqlite+aiosqlite:///{file}", self.days)
            file.rename(self.path)
            return float(rate)
        database = self.name + "_building"
        _pg_admin(self.server, f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        _pg_admin(self.server, f"CREATE DATABASE {database}")
        url = make_url(self.server).set(database=database).render_as_string(False)
        rate = child(build, self.size, url, self.days)
        _pg_admin(self.server, f"ALTER DATABASE {database} RENAME TO {self.name}")
        return float(rate)

    def remove(self) -> None:
        if self.kind == "SQLite":
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        else:
            _pg_admin(self.server, f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")
