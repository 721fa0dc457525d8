"""The nearest-neighbour index of one instance: usearch's HNSW graph over the model's stored
vectors (8-bit, about 400 bytes an article), kept in step with article_vectors through its
change mark.

Why in-process on SQLite too: sqlite-vec is a loadable extension, and the Python sqlite3
module here (and aiosqlite over it) is built without extension loading; PostgreSQL 15 has no
pgvector package. One path serves both databases, and the table stays the source of truth.

Every search first reads the rows past the last position this index has seen, so another
instance's new vectors are found by the next search. The first fill (every stored vector)
runs in a worker thread at start-up; until it is done searches go by words alone. A vector
whose article was removed is dropped when a search meets it (the article no longer loads).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable, Sequence

import numpy as np
import numpy.typing as npt
from usearch.index import Index

from engine.embedding import from_bytes
from storage.vectors import START, Position, VectorStore

log = logging.getLogger(__name__)

READ_CHUNK = 5_000  # rows read per statement while following the table
CONNECTIVITY = 16  # HNSW edges per node (usearch's default); recall 1.0 on the bench
EXPANSION_SEARCH = 128  # candidates a search keeps: depth 50 results stay exact in practice


class NearestIndex:
    """Nearest articles to a query vector, by cosine, among the model's stored vectors."""

    def __init__(self, vectors: VectorStore, dim: int) -> None:
        self._vectors = vectors
        self._dim = dim
        self._index = self._empty()
        self._after: Position = START
        self._lock = asyncio.Lock()
        self._filled = False
        self._gone: set[int] = set()

    def _empty(self) -> Index:
        return Index(
            ndim=self._dim,
            metric="cos",
            dtype="i8",
            connectivity=CONNECTIVITY,
            expansion_search=EXPANSION_SEARCH,
        )

    @property
    def vectors(self) -> VectorStore:
        """The table this index follows."""
        return self._vectors

    @property
    def ready(self) -> bool:
        """Whether the first fill is done (searches by meaning are possible)."""
        return self._filled

    def __len__(self) -> int:
        return len(self._index)

    async def fill(self) -> int:
        """Read every stored vector (the first time; later calls follow new rows); how many
        vectors the index holds."""
        async with self._lock:
            await self._follow()
            self._filled = True
            return len(self._index)

    async def nearest(self, query: npt.NDArray[np.float32], depth: int) -> list[tuple[int, float]]:
        """Up to `depth` (article id, cosine similarity), nearest first, after following the
        table (an empty list until the first fill is done)."""
        if not self._filled:
            return []
        async with self._lock:
            await self._follow()
            if not len(self._index):
                return []
            found = self._index.search(query, min(depth, len(self._index)))
        return [(int(k), 1.0 - float(d)) for k, d in zip(found.keys, found.distances, strict=True)]

    def drop(self, ids: Iterable[int]) -> None:
        """Forget these articles' vectors (they were removed from the store) at the next
        search: the graph is only changed under the lock, never beside a worker's add."""
        self._gone.update(ids)

    async def _follow(self) -> None:
        """Drop the removed articles met since the last search, then add the rows written
        since our position (replacing a re-embedded article's)."""
        gone = [i for i in self._gone if self._index.contains(i)]
        self._gone.clear()
        if gone:
            self._index.remove(gone)
        while True:
            rows = await self._vectors.since(self._after, READ_CHUNK)
            if not rows:
                return
            keys = np.array([i for i, _, _ in rows], dtype=np.uint64)
            matrix = np.vstack([from_bytes(v) for _, v, _ in rows])
            await asyncio.to_thread(self._add, keys, matrix)
            self._after = rows[-1][2]
            if len(rows) < READ_CHUNK:
                return

    def _add(self, keys: npt.NDArray[np.uint64], matrix: npt.NDArray[np.float32]) -> None:
        held = np.atleast_1d(np.asarray(self._index.contains(keys), dtype=bool))
        present = [int(k) for k, there in zip(keys, held, strict=True) if there]
        if present:
            self._index.remove(present)
        self._index.add(keys, matrix, threads=1)


def ranked_ids(found: Sequence[tuple[int, float]], floor: float) -> list[int]:
    """The ids of neighbours at least `floor` similar, nearest first."""
    return [i for i, similarity in found if similarity >= floor]
