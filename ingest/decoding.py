"""Bounded content decoding: a response body inflated under the size limit, as it streams.

httpx applies every content coding a server lists (`Content-Encoding: gzip, gzip`) and yields
a raw chunk's whole inflation at once, so 2.4 KB of gzip(gzip(zeros)) became 1.5 GB in one
step, before any limit could count it. Here the fetcher reads the raw bytes and inflates them
itself: at most one coding (gzip or deflate; anything else is refused), never more output
than the limit allows from one call (zlib's `max_length`), and the inflating runs in a worker
thread, never on the event loop.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence

from ingest.errors import EncodingRefused, StackedEncodings

READ_CODINGS = ("gzip", "x-gzip", "deflate")  # what the fetcher asks for and inflates


class TooMuch(Exception):
    """The decoded body passed the limit (the fetcher turns it into FetchTooLarge)."""

    def __init__(self, decoded: int) -> None:
        super().__init__(decoded)
        self.decoded = decoded


def codings(header: str) -> list[str]:
    """The content codings a Content-Encoding header lists, in order (identity dropped)."""
    found = [c.strip().lower() for c in header.split(",")]
    return [c for c in found if c and c != "identity"]


class Inflater:
    """Decodes one body's raw chunks under `limit` decoded bytes (no coding: passes through)."""

    def __init__(self, coding: str | None, limit: int) -> None:
        self.coding, self.limit = coding, limit
        self.decoded = 0
        self._raw_deflate = False
        self._inflate = self._new() if coding else None

    def _new(self) -> zlib._Decompress:
        if self.coding in ("gzip", "x-gzip"):
            return zlib.decompressobj(16 + zlib.MAX_WBITS)
        return zlib.decompressobj(-zlib.MAX_WBITS if self._raw_deflate else zlib.MAX_WBITS)

    def feed(self, raw: bytes) -> bytes:
        """The decoded bytes of one raw chunk; TooMuch once past the limit; zlib.error for
        a body that is not what its coding says."""
        if self._inflate is None:
            return self._count(raw)
        out = []
        data = raw
        while data:
            room = self.limit - self.decoded + 1  # one byte more than allowed: proof of excess
            try:
                piece = self._inflate.decompress(data, room)
            except zlib.error:
                if self.coding != "deflate" or self.decoded or self._raw_deflate:
                    raise
                # "deflate" is zlib-wrapped by the standard, raw by some servers: retry raw.
                self._raw_deflate = True
                self._inflate = self._new()
                continue
            out.append(self._count(piece))
            if self._inflate.unconsumed_tail:
                raise TooMuch(self.decoded + 1)  # more output waits than the limit allows
            data = self._inflate.unused_data  # a second gzip member (concatenated files)
            if data:
                self._inflate = self._new()
        return b"".join(out)

    def _count(self, piece: bytes) -> bytes:
        self.decoded += len(piece)
        if self.decoded > self.limit:
            raise TooMuch(self.decoded)
        return piece


def inflater_for(header: str, limit: int, short: str) -> Inflater:
    """The Inflater for a response's Content-Encoding: at most one coding the fetcher reads;
    FetchRefused for stacked or unknown codings (a decompression bomb's favourite shapes)."""
    listed: Sequence[str] = codings(header)
    if len(listed) > 1:
        raise StackedEncodings(short, ", ".join(listed))
    if listed and listed[0] not in READ_CODINGS:
        raise EncodingRefused(short, listed[0])
    return Inflater(listed[0] if listed else None, limit)
