"""Keyword matching at fan-out with many keyword subscriptions: what one new article costs.

`python -m bench.keyword_fanout [SUBSCRIPTIONS] [ARTICLES]` (defaults 2,000 and 60): that many
subscriptions of 1-3 content words taken from the BBC corpus (some with an excluded word), and
that many BBC articles arriving, matched the way fan-out matches them (engine.matching, the
same typo rules as /search). Printed beside the peer of the same run: an exact-word match
(a set of the article's words), the floor any typo-tolerant matcher is measured against.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

from engine.matching import ArticleMatcher, matching
from engine.models import Article
from engine.text import words

BBC = Path(__file__).resolve().parents[2] / "shared" / "eval" / "bbc"


def _articles(limit: int) -> list[Article]:
    from datetime import datetime

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


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 2_000
    arriving = int(sys.argv[2]) if len(sys.argv) > 2 else 60
    corpus = _articles(2_225)
    subs = _subscriptions(count, corpus)
    new = corpus[:arriving]
    started = time.perf_counter()
    matchers = [ArticleMatcher(a) for a in new]
    ours = sum(len(matching(k, matchers, x)) for k, x in subs)
    newsbot = time.perf_counter() - started
    started = time.perf_counter()
    sets = [set(words(a.title + "\n" + a.body)) for a in new]
    exact = sum(
        1
        for k, x in subs
        for s in sets
        if all(w in s for w in k.split()) and not any(w in s for w in x.split())
    )
    floor = time.perf_counter() - started
    pairs = count * arriving
    day = time.strftime("%Y-%m-%d")
    print(f"{count:,} subscriptions x {arriving} articles = {pairs:,} pairs (2 cores, {day})")
    for name, seconds, found in (
        ("newsbot (typo-tolerant)", newsbot, ours),
        ("exact words (peer)", floor, exact),
    ):
        per_pair = seconds / pairs * 1e6
        print(f"{name:24} {seconds:.2f} s, {per_pair:.1f} µs a pair, {found} matches")


if __name__ == "__main__":
    main()
