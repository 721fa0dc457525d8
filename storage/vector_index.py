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
import threading
from collections.abc import Iterable

import numpy as np
import numpy.typing as npt
from usearch.compiled import MetricKind
from usearch.index import Index, search

from engine.embedding import from_bytes
from storage.vectors import START, Position, VectorStore

log = logging.getLogger(__name__)

READ_CHUNK = 5_000  # rows read per statement while following the table
CONNECTIVITY = 16  # HNSW edges per node (usearch's default); recall 1.0 on the bench
EXPANSION_SEARCH = 128  # candidates a search keeps: depth 50 results stay exact in practice


class NearestIndex:
    """Nearest articles to a query vector, by cosine, among the model's stored vectors."""

    def __init__(self, vectors: VectorStore, dim: int, *, exact: bool = False) -> None:
        self._vectors = vectors
        self._dim = dim
        # exact: no graph, a plain matrix searched whole (usearch's exact search): for a
        # one-shot command, which would spend longer building the graph than searching.
        self._exact: Exact | None = Exact() if exact else None
        self._index = self._empty()
        self._after: Position = START
        self._lock = asyncio.Lock()
        self._filled = False
        self._gone: set[int] = set()
        self._graph = threading.Lock()  # the graph changes in worker threads, one at a time

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
        return len(self._exact) if self._exact is not None else len(self._index)

    async def fill(self) -> int:
        """Read every stored vector (the first time; later calls follow new rows); how many
        vectors the index holds."""
        async with self._lock:
            await self._follow(chunks=None)
            self._filled = True
            return len(self)

    async def nearest(self, query: npt.NDArray[np.float32], depth: int) -> list[tuple[int, float]]:
        """Up to `depth` (article id, cosine similarity), nearest first, after following the
        table by one chunk at most (a large batch of another instance's vectors is taken in
        over the next searches, none waits for all of it); an empty list until filled."""
        if not self._filled:
            return []
        async with self._lock:
            await self._follow(chunks=1)
            found = await asyncio.to_thread(self._search, query, depth)
        return [(int(k), 1.0 - float(d)) for k, d in found]

    def drop(self, ids: Iterable[int]) -> None:
        """Forget these articles' vectors (they were removed from the store) at the next
        search, in the graph's own thread-side lock."""
        self._gone.update(ids)

    async def _follow(self, chunks: int | None) -> None:
        """Drop the removed articles met since the last search, then add up to `chunks`
        chunks (None: all) of the rows written since our position (replacing a re-embedded
        article's). The graph changes in a worker thread under the graph lock, and the
        position moves there too: a cancelled search never leaves the two apart."""
        gone, self._gone = self._gone, set()
        while chunks is None or chunks > 0:
            rows = await self._vectors.since(self._after, READ_CHUNK)
            if not rows and not gone:
                return
            keys = np.array([i for i, _, _ in rows], dtype=np.uint64)
            matrix = np.vstack([from_bytes(v) for _, v, _ in rows]) if rows else None
            position = rows[-1][2] if rows else self._after
            await asyncio.shield(asyncio.to_thread(self._change, gone, keys, matrix, position))
            gone = set()
            chunks = None if chunks is None else chunks - 1
            if len(rows) < READ_CHUNK:
                return

    def _change(
        self,
        gone: set[int],
        keys: npt.NDArray[np.uint64],
        matrix: npt.NDArray[np.float32] | None,
        position: Position,
    ) -> None:
        """In a worker thread: drop `gone`, add (or replace) `keys`, move to `position`."""
        with self._graph:
            if self._exact is not None:
                self._exact.add(keys, matrix)
                self._after = position
                return
            held = np.atleast_1d(np.asarray(self._index.contains(keys), dtype=bool))
            stale = [int(k) for k, there in zip(keys, held, strict=True) if there]
            stale += [i for i in gone if self._index.contains(i)]
            if stale:
                self._index.remove(stale)
            if matrix is not None:
                self._index.add(keys, matrix, threads=1)
            self._after = position

    def _search(self, query: npt.NDArray[np.float32], depth: int) -> list[tuple[int, float]]:
        """In a worker thread: the graph's nearest keys and cosine distances."""
        with self._graph:
            if self._exact is not None:
                return self._exact.search(query, depth)
            if not len(self._index):
                return []
            found = self._index.search(query, min(depth, len(self._index)))
            return list(zip(found.keys.tolist(), found.distances.tolist(), strict=True))


class Exact:
    """Vectors as rows of one matrix, searched whole (no graph to build)."""

    def __init__(self) -> None:
        self._keys: list[int] = []
        self._parts: list[npt.NDArray[np.float32]] = []
        self._matrix: npt.NDArray[np.float32] | None = None

    def __len__(self) -> int:
        return len(self._keys)

    def add(self, keys: npt.NDArray[np.uint64], matrix: npt.NDArray[np.float32] | None) -> None:
        """Append these rows (a one-shot command reads each article's vector once)."""
        if matrix is not None:
            self._keys += [int(k) for k in keys]
            self._parts.append(matrix)
            self._matrix = None

    def search(self, query: npt.NDArray[np.float32], depth: int) -> list[tuple[int, float]]:
        """The nearest rows' keys and cosine distances, nearest first."""
        if not self._keys:
            return []
        if self._matrix is None:
            self._matrix = np.vstack(self._parts)
            self._parts = [self._matrix]
        found = search(self._matrix, query, min(depth, len(self._keys)), MetricKind.Cos, exact=True)
        rows = np.atleast_1d(found.keys).tolist()
        distances = np.atleast_1d(found.distances).tolist()
        return [(self._keys[r], d) for r, d in zip(rows, distances, strict=True)]
