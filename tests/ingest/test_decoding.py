"""Bounded decoding: a body never inflates past the limit, whatever its coding says."""

from __future__ import annotations

import gzip
import zlib

import pytest

from ingest.decoding import Inflater, TooMuch, codings, inflater_for
from ingest.errors import FetchRefused

LIMIT = 1024 * 1024


def _chunks(data: bytes, size: int = 16 * 1024) -> list[bytes]:
    return [data[i : i + size] for i in range(0, len(data), size)]


def _feed(inflater: Inflater, data: bytes) -> bytes:
    return b"".join(inflater.feed(chunk) for chunk in _chunks(data))


@pytest.mark.parametrize(
    ("coding", "encode"),
    [
        ("gzip", gzip.compress),
        ("x-gzip", gzip.compress),
        ("deflate", zlib.compress),  # zlib-wrapped, as the standard says
        ("deflate", lambda d: zlib.compress(d, wbits=-zlib.MAX_WBITS)),  # raw, as some send
    ],
)
def test_a_body_within_the_limit_decodes_whole(coding: str, encode: object) -> None:
    body = b"<rss>" + b"news item " * 20_000 + b"</rss>"
    assert callable(encode)
    assert _feed(inflater_for(coding, LIMIT, "x"), encode(body)) == body


def test_concatenated_gzip_members_decode_in_order() -> None:
    body = gzip.compress(b"first part, ") + gzip.compress(b"second part")
    assert _feed(inflater_for("gzip", LIMIT, "x"), body) == b"first part, second part"


def test_a_bomb_stops_at_the_limit_without_inflating_the_rest() -> None:
    bomb = gzip.compress(b"\0" * (64 * LIMIT))  # 64 MiB of zeros in ~64 KB
    inflater = inflater_for("gzip", LIMIT, "x")
    with pytest.raises(TooMuch) as stopped:
        _feed(inflater, bomb)
    assert stopped.value.decoded <= LIMIT + 1 and inflater.decoded <= LIMIT + 1


def test_an_uncompressed_body_is_counted_too() -> None:
    with pytest.raises(TooMuch):
        _feed(inflater_for("", LIMIT, "x"), b"x" * (LIMIT + 1))
    assert _feed(inflater_for("identity", LIMIT, "x"), b"x" * LIMIT) == b"x" * LIMIT


@pytest.mark.parametrize("header", ["gzip, gzip", "deflate,gzip", "br", "zstd", "compress"])
def test_stacked_or_unknown_codings_are_refused_in_one_line(header: str) -> None:
    with pytest.raises(FetchRefused) as refused:
        inflater_for(header, LIMIT, "feed.example/rss")
    assert "feed.example/rss" in str(refused.value) and "\n" not in str(refused.value)


def test_codings_are_read_as_listed() -> None:
    assert codings(" GZIP , identity,deflate ") == ["gzip", "deflate"]
    assert codings("") == []


def test_a_body_that_is_not_what_its_coding_says_fails_as_zlib_does() -> None:
    with pytest.raises(zlib.error):
        _feed(inflater_for("gzip", LIMIT, "x"), b"plain text, not gzip")
