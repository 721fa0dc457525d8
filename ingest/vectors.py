"""The catch-up that gives new articles their vectors (search by meaning), off the event loop:
the newest articles without a vector are read in small batches, embedded in a worker thread
(the model's C code runs without the GIL, so replies keep flowing), and stored once each.

Ingest never waits for it: an article is findable by its words at once and by its meaning
after the next catch-up (the bot runs one every CATCH_UP_SECONDS).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass

from engine.embedding import LEDE_CHARS, Embedder, article_vectors, to_bytes
from storage.vectors import VectorStore

BATCH = 8  # articles embedded per worker-thread call (about 1-3 s on a busy 2-core machine)
CATCH_UP_SECONDS = 15.0  # how often the bot looks for articles without a vector
RUN_SECONDS = 10.0  # how long one look may embed (then the next run goes on: runs never overlap)


@dataclass(frozen=True, slots=True)
class CatchUp:
    """What a catch-up did: vectors stored, seconds spent, and whether articles remain."""

    stored: int
    seconds: float
    more: bool

    @property
    def per_second(self) -> float:
        """Articles embedded and stored per second."""
        return self.stored / self.seconds if self.seconds else 0.0


async def catch_up(
    vectors: VectorStore,
    embedder: Embedder,
    *,
    seconds: float | None = None,
    batch: int = BATCH,
    progress: Callable[[int], None] | None = None,
) -> CatchUp:
    """Embed and store the articles that have no vector of the embedder's model, newest
    first, for up to `seconds` (None: until none is left)."""
    start = time.monotonic()
    stored = 0
    while True:
        pending = await vectors.pending(batch, LEDE_CHARS)
        if not pending:
            return CatchUp(stored, time.monotonic() - start, more=False)
        texts = [(p.title, p.lede) for p in pending]
        matrix = await asyncio.to_thread(article_vectors, embedder, texts)
        found = {p.id: to_bytes(v) for p, v in zip(pending, matrix, strict=True)}
        saved = await vectors.save(found)
        stored += saved
        if progress is not None:
            progress(stored)
        if not saved or (seconds is not None and time.monotonic() - start >= seconds):
            return CatchUp(stored, time.monotonic() - start, more=True)
