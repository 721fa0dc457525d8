"""The BBC evaluation corpus and queries (../shared/eval), and perturbed copies to scale it up.

Nothing is copied into the repository: the files are read where they are. A copy of an article
has its sentences shuffled, a few percent of its words misspelled and its headline suffixed, so
the store grows (and its vocabulary with it, as real corpora do) without exact duplicates.
"""

from __future__ import annotations

import json
import os
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path

from engine.models import ParsedArticle

EVAL_DIR = Path(
    os.environ.get("NEWSBOT_EVAL_DIR", Path(__file__).resolve().parents[2] / "shared" / "eval")
)
MISSPELL_RATE = 0.02
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'])")
_WORD = re.compile(r"[A-Za-z]{4,}")
_KEYS = "qwertyuiop asdfghjkl zxcvbnm"


@dataclass(frozen=True, slots=True)
class Query:
    """One evaluation query: what is typed, its kind, and the file of the article it wants."""

    text: str
    kind: str
    source: str


def articles() -> list[ParsedArticle]:
    """Every BBC article: the first line is the headline, the rest the body; source = path."""
    found = []
    for path in sorted((EVAL_DIR / "bbc").glob("*/*.txt")):
        title, _, body = path.read_text(encoding="utf-8").strip().partition("\n")
        source = path.relative_to(EVAL_DIR).as_posix()
        found.append(ParsedArticle(title=title.strip(), body=body.strip(), source=source))
    return found


def queries() -> list[Query]:
    """The dev queries (exact, typo, prefix) and the natural ones, in file order."""
    found = []
    for name in ("queries-dev.jsonl", "queries-natural-dev.jsonl"):
        for line in (EVAL_DIR / "search" / name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                item = json.loads(line)
                found.append(Query(item["query"], item["kind"], item["source"]))
    return found


def _misspell(word: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(word) - 1)
    op = rng.randrange(4)
    if op == 0:  # two letters swapped
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if op == 1:  # a letter dropped
        return word[:i] + word[i + 1 :]
    if op == 2:  # a letter doubled
        return word[:i] + word[i] + word[i:]
    row = next((r for r in _KEYS.split() if word[i].lower() in r), "")
    j = row.find(word[i].lower())
    if j < 0:
        return word
    near = row[j - 1] if j and (j == len(row) - 1 or rng.random() < 0.5) else row[j + 1]
    return word[:i] + near + word[i + 1 :]


def perturbed(article: ParsedArticle, copy: int) -> ParsedArticle:
    """A copy: sentences shuffled, about MISSPELL_RATE of the longer words misspelled."""
    rng = random.Random(copy)
    sentences = _SENTENCE_END.split(article.body.replace("\n\n", " "))
    rng.shuffle(sentences)
    paragraphs = [" ".join(sentences[i : i + 3]) for i in range(0, len(sentences), 3)]

    def slip(m: re.Match[str]) -> str:
        return _misspell(m.group(), rng) if rng.random() < MISSPELL_RATE else m.group()

    body = _WORD.sub(slip, "\n\n".join(paragraphs))
    return ParsedArticle(title=f"{article.title} ({copy})", body=body, source=article.source)


def corpus(size: int, days: int = 0) -> Iterator[ParsedArticle]:
    """The real articles, then perturbed copies of them up to `size` articles (streamed).
    With `days`, the copies are dated as if they had arrived over that many days ending
    today, oldest first (a year of a team's news); without, they carry no date (each counts
    as added today)."""
    real = articles()
    yield from real[:size]
    copies = max(0, size - len(real))
    today = date.today()
    for copy in range(copies):
        article = perturbed(real[copy % len(real)], copy + 1)
        if days:
            dated = today - timedelta(days=days - 1 - copy * days // copies)
            article = replace(article, published=dated)
        yield article
