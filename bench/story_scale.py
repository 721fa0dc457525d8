"""Grouping speed and memory with many stored articles: the store is first filled with unrelated
news (the BBC set), then the development stream is grouped against it.

The BBC set has 2,225 articles; beyond them come copies in which every word outside the
3,000 most common BBC words (names, places, rare terms) carries a suffix of its own copy
("Brown" -> "Brownqc"), so a copy reads like another day's news about other people: it shares
the everyday vocabulary (long posting lists for "government", "market") but not the names,
and does not merge with its original. Each measurement runs in its own process (spawned), so
its peak RSS is its own.
"""

from __future__ import annotations

import multiprocessing
import re
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from typing import Any

from bench import bbc
from bench.search import peak_rss_mib
from bench.story_baselines import minhash_lsh_stream, scores, text_of
from engine.story_index import Grouper
from engine.text import words

COMMON_WORDS = 3_000
_WORD = re.compile(r"[A-Za-z]{3,}")
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _suffix(copy: int) -> str:
    out = ""
    while True:
        copy, digit = divmod(copy, 26)
        out += _LETTERS[digit]
        if not copy:
            return "q" + out


def distractors(size: int) -> Iterator[tuple[str, str]]:
    """`size` (title, body) pairs: the BBC articles, then renamed copies of them."""
    real = [(a.title, a.body) for a in bbc.articles()]
    counts: Counter[str] = Counter()
    for title, body in real:
        counts.update(set(words(title + " " + body)))
    common = {w for w, _ in counts.most_common(COMMON_WORDS)}
    yield from real[:size]
    for n in range(max(0, size - len(real))):
        suffix = _suffix(n // len(real))

        def rename(m: re.Match[str], suffix: str = suffix) -> str:
            word = m.group()
            return word if word.lower() in common else word + suffix

        title, body = real[n % len(real)]
        yield _WORD.sub(rename, title), _WORD.sub(rename, body)


def _newsbot(size: int, stream: Sequence[dict[str, Any]]) -> dict[str, Any]:
    grouper = Grouper()
    start = time.perf_counter()
    for title, body in distractors(size):
        grouper.add(title, body)
    fill = time.perf_counter() - start
    start = time.perf_counter()
    labels = [grouper.add(a["title"] or "", a["text"] or "") for a in stream]
    took = time.perf_counter() - start
    return {"fill_s": fill, "took_s": took, "labels": labels}


def _minhash(size: int, stream: Sequence[dict[str, Any]], threshold: float) -> dict[str, Any]:
    texts = [text_of({"title": t, "text": b}) for t, b in distractors(size)]
    texts += [text_of(a) for a in stream]
    return minhash_lsh_stream(texts, size, threshold)


def _child(
    system: str, size: int, stream: Sequence[dict[str, Any]], threshold: float
) -> dict[str, Any]:
    result = _newsbot(size, stream) if system == "newsbot" else _minhash(size, stream, threshold)
    gold = [a["cluster"] for a in stream]
    labels = result.pop("labels")[-len(stream) :]
    return {**result, **scores(gold, labels), "rss_mib": peak_rss_mib()}


def measure(
    system: str, size: int, stream: Sequence[dict[str, Any]], threshold: float = 0.0
) -> dict[str, Any]:
    """Fill a store of `size` distractors, group `stream` against it; figures of that run
    (`threshold`: MinHash-LSH's)."""
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        found: dict[str, Any] = pool.apply(_child, (system, size, stream, threshold))
    return found
