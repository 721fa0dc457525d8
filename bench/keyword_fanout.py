"""Keyword matching at fan-out with many keyword subscriptions: what a burst of articles costs.

`python -m bench.keyword_fanout [SUBSCRIPTIONS] [ARTICLES] [SAMPLE]` (defaults 10,000, 500 and
300): that many subscriptions of 1-3 content words taken from the BBC corpus (some with an
excluded word), and that many BBC articles arriving, matched the way fan-out matches them
(engine.keyword_index: the subscriptions indexed once, each article's distinct words looked
up), with the typo rules of /search. Printed beside the peers of the same run: an exact-word
match (a set of the article's words), the floor any typo-tolerant matcher is measured against,
and the matcher fan-out used before (engine.matching's ArticleMatcher, a plan per pair) on the
first SAMPLE subscriptions only (at 37 µs a pair the whole run would take minutes), whose
matches must be the index's on the same pairs.
"""

from __future__ import annotations

import itertools
import random
import sys
import time
from datetime import datetime
from pathlib import Path

from engine.keyword_index import KeywordIndex
from engine.matching import ArticleMatcher, matching
from engine.models import Article
from engine.text import words

BBC = Path(__file__).resolve().parents[2] / "shared" / "eval" / "bbc"


def _articles(limit: int) -> list[Article]:
    files = sorted(BBC.glob("*/*.txt"))
    random.Random(7).shuffle(files)
    found = []
    for n, path in enumerate(files[:limit], 1):
        title, _, body = path.read_text(encoding="utf-8", errors="replace").partition("\n")
        found.append(Article(n, title.strip(), body.strip(), None, None, None, datetime.now()))
    return found


def _subscriptions(count: int, corpus: list[Article]) -> list[tuple[str, str]]:
    rng = random.Random(11)
    vocabulary = sorted({w for a in corpus for w in words(a.body) if len(w) > 4 and w.isalpha()})
    subs = []
    for _ in range(count):
        keywords = " ".join(rng.sample(vocabulary, rng.choice((1, 1, 2, 3))))
        excluded = rng.choice(vocabulary) if rng.random() < 0.2 else ""
        subs.append((keywords, excluded))
    return subs


def _indexed(
    subs: list[tuple[str, str]], new: list[Article]
) -> tuple[float, float, set[tuple[int, int]]]:
    """Seconds to index the subscriptions and match the articles, the longest single step
    (what fan-out cannot cut: it hands the event loop back between steps), the matches."""
    found: set[tuple[int, int]] = set()
    longest = 0.0
    started = step_started = time.perf_counter()
    index = KeywordIndex()
    building = index.build((n, k, x) for n, (k, x) in enumerate(subs))
    for step in itertools.chain(building, index.pairs(new)):
        found.update(step or ())
        now = time.perf_counter()
        longest, step_started = max(longest, now - step_started), now
    return time.perf_counter() - started, longest, found


def _exact(subs: list[tuple[str, str]], new: list[Article]) -> int:
    sets = [set(words(a.title + "\n" + a.body)) for a in new]
    return sum(
        1
        for k, x in subs
        for s in sets
        if all(w in s for w in k.split()) and not any(w in s for w in x.split())
    )


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    arriving = int(sys.argv[2]) if len(sys.argv) > 2 else 500
    sample = min(count, int(sys.argv[3]) if len(sys.argv) > 3 else 300)
    corpus = _articles(2_225)
    subs = _subscriptions(count, corpus)
    new = corpus[:arriving]
    indexed, longest, found = _indexed(subs, new)
    started = time.perf_counter()
    exact = _exact(subs, new)
    floor = time.perf_counter() - started
    started = time.perf_counter()
    matchers = [ArticleMatcher(a) for a in new]
    before = {(n, a.id) for n, (k, x) in enumerate(subs[:sample]) for a in matching(k, matchers, x)}
    old = time.perf_counter() - started
    same = before == {(n, a) for n, a in found if n < sample}
    pairs = count * arriving
    day = time.strftime("%Y-%m-%d")
    print(f"{count:,} subscriptions x {arriving} articles = {pairs:,} pairs (2 cores, {day})")
    for name, seconds, n_pairs, matches in (
        ("keyword index (newsbot)", indexed, pairs, len(found)),
        ("exact words (peer)", floor, pairs, exact),
        (f"ArticleMatcher, {sample} subs", old, sample * arriving, len(before)),
    ):
        per_pair = seconds / n_pairs * 1e6
        print(f"{name:28} {seconds:7.2f} s, {per_pair:6.2f} µs a pair, {matches:,} matches")
    print(
        f"index / exact words: {indexed / floor:.2f}x; longest single step {longest * 1e3:.1f} ms"
    )
    print(f"same matches as ArticleMatcher on the {sample} sampled subscriptions: {same}")


if __name__ == "__main__":
    main()
