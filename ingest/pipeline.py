"""Ingest files into the store in batches, counting what was new, duplicate or unreadable."""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from engine.errors import IngestError
from engine.models import ParsedArticle
from ingest.files import BadRecord, iter_sources, load_file
from storage.articles import ArticleStore, Prepared, prepare_batch, prepared

log = logging.getLogger(__name__)

BATCH = 500


@dataclass(frozen=True, slots=True)
class Failure:
    """A file, or one line of it, that did not become an article, and why."""

    path: Path
    reason: str
    line: int | None = None  # the line of a many-record file (JSONL); None: the whole file

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else str(self.path)
        return f"{where}: {self.reason}"


@dataclass(slots=True)
class IngestReport:
    """Totals of one ingest run."""

    added: list[int] = field(default_factory=list)
    duplicates: int = 0
    failures: list[Failure] = field(default_factory=list)


async def ingest_articles(
    store: ArticleStore, articles: Iterable[ParsedArticle], bulk: bool = False
) -> IngestReport:
    """Add already-parsed articles in batches (`bulk`: see _Writer)."""
    report = IngestReport()
    async with _Writer(store, report, bulk) as writer:
        for article in articles:
            await writer.add(article)
    return report


class _Writer:
    """Adds articles in batches of BATCH, in order, each batch prepared (summaries and story
    features: CPU work) while the one before it is written. `bulk` (a command, not the bot):
    from the second batch on the preparing runs in a worker process, on another core (4,000
    articles into a store of 100,000: 371-379 a second instead of 295-305,
    bench/ingest_rate.py); else in a worker thread, as one batch's add does, which Python's
    lock keeps from gaining by running ahead (the bot's ingests are small, and a process
    would cost it memory). Leaving the block writes what is left; the worker process stops
    however it is left."""

    def __init__(self, store: ArticleStore, report: IngestReport, bulk: bool = False) -> None:
        self._store, self._report, self._bulk = store, report, bulk
        self._batch: list[ParsedArticle] = []
        self._ready: asyncio.Future[Prepared] | None = None
        self._pool: ProcessPoolExecutor | None = None

    async def __aenter__(self) -> _Writer:
        return self

    async def __aexit__(self, kind: type[BaseException] | None, *_: object) -> None:
        try:
            if kind is None:
                await self._push()
                await self._write()
        finally:
            if self._ready is not None:
                self._ready.cancel()
            if self._pool is not None:
                self._pool.shutdown(cancel_futures=True)

    async def add(self, article: ParsedArticle) -> None:
        """Queue an article; a full batch starts being prepared (and the one before it is
        written)."""
        self._batch.append(article)
        if len(self._batch) >= BATCH:  # a big file commits in batches, not one transaction
            await self._push()

    def _prepare(self, batch: list[ParsedArticle]) -> asyncio.Future[Prepared]:
        if not (self._bulk and self._ready is not None):
            return asyncio.ensure_future(prepare_batch(batch))
        if self._pool is None:
            self._pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
        return asyncio.get_running_loop().run_in_executor(self._pool, prepared, batch)

    async def _push(self) -> None:
        """Start preparing the queued batch, then write the one prepared before it."""
        if not self._batch:
            return
        batch, self._batch = self._batch, []
        ready = self._prepare(batch)
        try:
            await self._write()
        except BaseException:
            ready.cancel()
            raise
        self._ready = ready

    async def _write(self) -> None:
        if self._ready is None:
            return
        ready, self._ready = self._ready, None
        result = await self._store.add(await ready)
        self._report.added.extend(result.added)
        self._report.duplicates += result.duplicates


def _read(path: Path, source: str) -> list[ParsedArticle | BadRecord]:
    """A file's articles and bad records, read whole (in a worker thread)."""
    return list(load_file(path, source))


async def ingest_paths(
    store: ArticleStore,
    paths: list[Path],
    progress: Callable[[list[Path]], Iterable[Path]] = lambda files: files,
    root: Path | None = None,
    bulk: bool = False,
) -> IngestReport:
    """Ingest files and folders; a bad file is reported and the rest still goes in. Articles
    name their file by its path within the folder it came from (or within `root`)."""
    report = IngestReport()
    sources = dict(iter_sources(paths, root))
    async with _Writer(store, report, bulk) as writer:
        for path in progress(list(sources)):
            try:  # parsing is CPU work: in a worker thread, never on the bot's event loop
                items = await asyncio.to_thread(_read, path, sources[path])
            except IngestError as exc:
                report.failures.append(Failure(path, str(exc)))
                continue
            for item in items:
                if isinstance(item, BadRecord):
                    report.failures.append(Failure(path, item.reason, item.line))
                else:
                    await writer.add(item)
    return report


SEEDS_DIR = Path(__file__).resolve().parent.parent / "seeds"


async def seed_if_empty(store: ArticleStore, seeds_dir: Path = SEEDS_DIR) -> IngestReport | None:
    """Load the seed corpus into an empty store; leave a store with articles alone."""
    if await store.count():
        return None
    seed_files = sorted(seeds_dir.glob("*.txt"))  # noqa: ASYNC240 (five files, once at start)
    if not seed_files:
        # An install that left seeds/ behind (a wheel, an image without it) starts empty: say so.
        log.warning("SEED is on but %s holds no seed articles: the store stays empty", seeds_dir)
        return None
    return await ingest_paths(store, seed_files)
