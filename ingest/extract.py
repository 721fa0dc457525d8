"""Main-text extraction where it cannot stall the bot: trafilatura in a worker process, with
a time limit and a size cap.

trafilatura is pure Python: a 5 MiB page of plain links took it 15-35 s, and in a thread it
held the GIL, so every chat's replies waited (one teaser held `/latest` up to 12.9 s). In a
worker process it shares no interpreter with the bot; a page that takes longer than
EXTRACT_SECONDS ends the worker (a new one starts for the next page) and is "no article
text"; only the first EXTRACT_BYTES characters of a page are read (measured on this machine:
about 3 s a MiB of links).
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import threading
from multiprocessing.pool import Pool

from engine.errors import IngestError
from engine.models import ParsedArticle
from ingest.files import html_to_article

log = logging.getLogger(__name__)
EXTRACT_SECONDS = 10.0
EXTRACT_BYTES = 2 * 1024 * 1024


class ExtractionTimeout(IngestError):
    """The extractor took longer than its limit on one page."""


def _extract(html: str, source: str | None, url: str | None) -> ParsedArticle | None:
    """In the worker: the article, or None when the page has none (only plain data crosses
    back: an exception with its own constructor may not survive the trip)."""
    try:
        return html_to_article(html, source=source, url=url)
    except IngestError:
        return None


class Extractor:
    """One worker process, started on first use and replaced after a page that timed out."""

    def __init__(self, seconds: float = EXTRACT_SECONDS, max_chars: int = EXTRACT_BYTES) -> None:
        self.seconds, self.max_chars = seconds, max_chars
        self._pool: Pool | None = None
        self._lock = threading.Lock()

    def _worker(self) -> Pool:
        with self._lock:
            if self._pool is None:
                # spawn: a clean interpreter (forking a process with an event loop and
                # database connections is not safe).
                self._pool = multiprocessing.get_context("spawn").Pool(processes=1)
            return self._pool

    def _run(self, html: str, source: str | None, url: str | None) -> ParsedArticle:
        pending = self._worker().apply_async(_extract, (html[: self.max_chars], source, url))
        try:
            article = pending.get(self.seconds)
        except multiprocessing.TimeoutError:
            self.close()  # the worker is still at it: end it, the next page gets a new one
            raise ExtractionTimeout(f"extracting {url or 'a page'} took too long") from None
        if article is None:
            raise IngestError("no article text found in the page")
        return article

    async def article(
        self, html: str, *, source: str | None = None, url: str | None = None
    ) -> ParsedArticle:
        """The page's main text as an article (IngestError when it has none, or when the
        extractor runs out of time); waits in a thread, never on the event loop."""
        return await asyncio.to_thread(self._run, html, source, url)

    def close(self) -> None:
        """End the worker (it is started again when needed)."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.terminate()
            pool.join()


_shared: Extractor | None = None


def shared_extractor() -> Extractor:
    """The process's extractor (created on first use, never at import)."""
    global _shared
    if _shared is None:
        _shared = Extractor()
    return _shared
