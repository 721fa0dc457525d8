"""A reproducible synthetic news corpus: seed vocabulary plus invented words, Zipf-distributed."""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator
from datetime import date, timedelta

from engine.models import ParsedArticle
from engine.text import words
from ingest.pipeline import SEEDS_DIR

_SYLLABLES = ["ka", "ro", "mi", "tan", "bel", "gor", "shi", "va", "lun", "dra", "pe", "zo", "quin"]


def vocabulary(seed: int = 7, invented: int = 30_000) -> list[str]:
    """Seed-article words first (the common ones), then invented names and terms."""
    rng = random.Random(seed)
    seen: dict[str, None] = {}
    for path in sorted(SEEDS_DIR.glob("*.txt")):
        for word in words(path.read_text(encoding="utf-8")):
            if not word.isdigit():
                seen.setdefault(word, None)
    out = list(seen)
    while len(out) < len(seen) + invented:
        out.append("".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))))
    return out


def articles(n: int, seed: int = 11, words_per_article: int = 300) -> Iterator[ParsedArticle]:
    """`n` articles of about `words_per_article` words, titles from their first sentence."""
    rng = random.Random(seed)
    vocab = vocabulary()
    weights = list(itertools.accumulate(1 / (rank + 1) ** 1.05 for rank in range(len(vocab))))
    start = date(2024, 1, 1)
    for i in range(n):
        picked = rng.choices(vocab, cum_weights=weights, k=words_per_article)
        sentences, pos = [], 0
        while pos < len(picked):
            length = rng.randint(8, 22)
            chunk = picked[pos : pos + length]
            sentences.append(" ".join(chunk).capitalize() + ".")
            pos += length
        body = "\n".join(" ".join(sentences[j : j + 4]) for j in range(0, len(sentences), 4))
        yield ParsedArticle(
            title=sentences[0][:-1][:100] + f" ({i})",
            body=body + f" Ref {i}.",
            published=start + timedelta(days=rng.randint(0, 700)),
            source="bench",
        )
