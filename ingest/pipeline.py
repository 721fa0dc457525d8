"""Ingest files into the store in batches, counting what was new, duplicate or unreadable."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from engine.errors import IngestError
from engine.models import ParsedArticle
from ingest.files import BadRecord, iter_sources, load_file
from storage.articles import ArticleStore

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


async def ingest_articles(store: ArticleStore, articles: Iterable[ParsedArticle]) -> IngestReport:
    """Add already-parsed articles in batches."""
    report = IngestReport()
    batch: list[ParsedArticle] = []
    for article in articles:
        batch.append(article)
        if len(batch) >= BATCH:
            await _flush(store, batch, report)
    await _flush(store, batch, report)
    return report


async def _flush(store: ArticleStore, batch: list[ParsedArticle], report: IngestReport) -> None:
    if batch:
        result = await store.add(batch)
        report.added.extend(result.added)
        report.duplicates += result.duplicates
        batch.clear()


def _read(path: Path, source: str) -> list[ParsedArticle | BadRecord]:
    """A file's articles and bad records, read whole (in a worker thread)."""
    return list(load_file(path, source))


async def ingest_paths(
    store: ArticleStore,
    paths: list[Path],
    progress: Callable[[list[Path]], Iterable[Path]] = lambda files: files,
    root: Path | None = None,
) -> IngestReport:
    """Ingest files and folders; a bad file is reported and the rest still goes in. Articles
    name their file by its path within the folder it came from (or within `root`)."""
    report = IngestReport()
    batch: list[ParsedArticle] = []
    sources = dict(iter_sources(paths, root))
    for path in progress(list(sources)):
        try:  # parsing is CPU work: in a worker thread, never on the bot's event loop
            items = await asyncio.to_thread(_read, path, sources[path])
        except IngestError as exc:
            report.failures.append(Failure(path, str(exc)))
            continue
        for item in items:
            if isinstance(item, BadRecord):
                report.failures.append(Failure(path, item.reason, item.line))
                continue
            batch.append(item)
            if len(batch) >= BATCH:  # a big file commits in batches, not one long transaction
                await _flush(store, batch, report)
    await _flush(store, batch, report)
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
