"""A hostile server cannot inflate a response past the size limit: stacked codings are refused
before a byte is decoded, one coding is inflated only up to the limit, and the process that
fetches a 2.6 KB gzip(gzip(1.5 GiB of zeros)) page stays at its normal size."""

from __future__ import annotations

import gzip
import os
import resource
import subprocess
import sys
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

from ingest.errors import FetchFailed, FetchRefused, FetchTooLarge
from ingest.web import FetchPolicy, http_client
from tests.support.web import LocalWeb, Route, raw

ROOT = Path(__file__).resolve().parents[2]
MiB = 1024 * 1024


def gzip_of_zeros(mib: int) -> bytes:
    """gzip of `mib` MiB of zeros, built a MiB at a time (never holding the zeros whole)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = b"\0" * MiB
    return b"".join([*(packer.compress(zeros) for _ in range(mib)), packer.flush()])


def encoded(body: bytes, coding: str) -> Route:
    return raw(body, "application/rss+xml", {"Content-Encoding": coding})


@pytest.fixture
def hostile(serve: Callable[..., LocalWeb]) -> LocalWeb:
    web = serve()
    bomb = gzip_of_zeros(64)  # 64 MiB of zeros in ~65 KB
    web.routes["/double"] = encoded(gzip.compress(bomb), "gzip, gzip")
    web.routes["/bomb"] = encoded(bomb, "gzip")
    web.routes["/br"] = encoded(b"\x1b\x00", "br")
    web.routes["/liar"] = encoded(b"<rss>not gzip at all</rss>", "gzip")
    web.routes["/fine"] = encoded(gzip.compress(b"<rss>" + b"item " * 1000 + b"</rss>"), "gzip")
    return web


LOCAL = FetchPolicy(allow_private_hosts=True, max_bytes=5 * MiB)


async def test_stacked_codings_are_refused_before_decoding(hostile: LocalWeb) -> None:
    async with http_client(LOCAL) as client:
        with pytest.raises(FetchRefused, match="stacks content encodings"):
            await client.get(f"{hostile.base}/double")


async def test_one_coding_inflates_only_up_to_the_limit(hostile: LocalWeb) -> None:
    async with http_client(LOCAL) as client:
        with pytest.raises(FetchTooLarge) as stopped:
            await client.get(f"{hostile.base}/bomb")
    assert stopped.value.received <= LOCAL.max_bytes + 1


async def test_unknown_codings_and_lying_bodies_are_one_line(hostile: LocalWeb) -> None:
    async with http_client(LOCAL) as client:
        with pytest.raises(FetchRefused, match="does not read"):
            await client.get(f"{hostile.base}/br")
        with pytest.raises(FetchFailed, match="not gzip as it says"):
            await client.get(f"{hostile.base}/liar")
        fine = await client.get(f"{hostile.base}/fine")
    assert fine.content.startswith(b"<rss>item ") and len(fine.content) == 5011


@pytest.mark.slow
def test_a_double_gzip_page_never_takes_the_process_past_its_normal_size(
    serve: Callable[..., LocalWeb], tmp_path: Path
) -> None:
    """`python -m bot feeds add` of the issue's page (gzip(gzip(1.5 GiB))), measured by the
    child's peak resident size; the fetcher used to reach about 3 GiB."""
    web = serve()
    bomb = gzip_of_zeros(1536)
    web.routes["/double"] = encoded(gzip.compress(bomb), "gzip, gzip")
    web.routes["/single"] = encoded(bomb, "gzip")
    env = {**os.environ, "ALLOW_PRIVATE_HOSTS": "true", "SEED": "false", "LOG_LEVEL": "ERROR"}
    env["DATABASE_URL"] = f"sqlite+aiosqlite:///{tmp_path}/bomb.db"
    peaks = []
    for path in ("/double", "/single"):
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        done = subprocess.run(
            [sys.executable, "-m", "bot", "feeds", "add", f"{web.base}{path}"],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        assert done.returncode == 2 and done.stderr.startswith("error: "), done.stderr
        peaks.append(max(before, after) // 1024)  # KiB -> MiB (Linux)
    assert max(peaks) < 400, f"peak resident size {peaks} MiB"
