"""Story grouping: is a new article another outlet's report of a story already stored?

A story is kept as a small state (`StoryState`): the summed weights of its sources' top terms
(its centroid), and how many of its sources name each title word, name and number. The
state fits in a database row as JSON and grows as sources join. An arriving article is
compared with a bounded set of candidate stories (fetched by shared distinctive keys within a
time window: `StoryState.index_keys`, `Features.query_keys`), and joins the best one only when
the evidence agrees (`decide`); otherwise it starts a new story.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from engine.story_features import Features, Frequencies, idf

STORY_TERMS = 60  # centroid terms kept per story (by weight)
STORY_NAMES = 40  # names, title words and numbers kept per story
INDEX_KEYS = 12  # distinctive keys a story is found by
QUERY_KEYS = 12  # distinctive keys of an article looked up
WINDOW_DAYS = 7  # a story takes sources dated within this many days of its own dates


@dataclass(slots=True)
class StoryState:
    """What a story keeps (a database row): size, centroid, title/name/number counts, dates."""

    size: int = 0
    terms: dict[str, float] = field(default_factory=dict)
    title: dict[str, int] = field(default_factory=dict)
    names: dict[str, int] = field(default_factory=dict)
    numbers: dict[str, int] = field(default_factory=dict)
    when: dict[str, int] = field(default_factory=dict)
    phrases: dict[str, int] = field(default_factory=dict)
    first: date | None = None
    last: date | None = None

    def add(self, article: Features) -> None:
        """Take a new source in: sum its weights, count its words, widen the date range."""
        self.size += 1
        self.terms = _top(_summed(self.terms, article.terms), STORY_TERMS)
        for counts, keys in (
            (self.title, article.title),
            (self.names, article.names),
            (self.numbers, article.numbers),
            (self.when, article.when),
            (self.phrases, article.phrases),
        ):
            for key in keys:
                counts[key] = counts.get(key, 0) + 1
            if len(counts) > STORY_NAMES:
                kept = _top({k: float(v) for k, v in counts.items()}, STORY_NAMES)
                for key in set(counts) - kept.keys():
                    del counts[key]
        if article.day is not None:
            self.first = min(self.first or article.day, article.day)
            self.last = max(self.last or article.day, article.day)

    def index_keys(self, limit: int = INDEX_KEYS) -> list[str]:
        """The keys the story is found by: its heaviest centroid terms."""
        return list(_top(self.terms, limit))

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (dates as ISO strings)."""
        return {
            "size": self.size,
            "terms": {k: round(v, 5) for k, v in self.terms.items()},
            "title": self.title,
            "names": self.names,
            "numbers": self.numbers,
            "when": self.when,
            "phrases": self.phrases,
            "first": self.first.isoformat() if self.first else None,
            "last": self.last.isoformat() if self.last else None,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> StoryState:
        """The state `to_json` wrote."""
        return cls(
            size=int(data["size"]),
            terms={str(k): float(v) for k, v in data["terms"].items()},
            title={str(k): int(v) for k, v in data["title"].items()},
            names={str(k): int(v) for k, v in data["names"].items()},
            numbers={str(k): int(v) for k, v in data["numbers"].items()},
            when={str(k): int(v) for k, v in data["when"].items()},
            phrases={str(k): int(v) for k, v in data["phrases"].items()},
            first=date.fromisoformat(data["first"]) if data.get("first") else None,
            last=date.fromisoformat(data["last"]) if data.get("last") else None,
        )


def _summed(a: dict[str, float], b: dict[str, float]) -> dict[str, float]:
    out = dict(a)
    for key, weight in b.items():
        out[key] = out.get(key, 0.0) + weight
    return out


def _top(weights: dict[str, float], limit: int) -> dict[str, float]:
    if len(weights) <= limit:
        return weights
    kept = sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
    return dict(kept)


def query_keys(article: Features, limit: int = QUERY_KEYS) -> list[str]:
    """The keys an article looks candidate stories up by: its heaviest terms."""
    return list(_top(article.terms, limit))


@dataclass(frozen=True, slots=True)
class Evidence:
    """How an article and a story agree: centroid cosine, the share of the article's title
    (idf-weighted) in the story's titles, the share of the fewer names that both name, and
    how many numbers both give."""

    cosine: float
    title: float
    names: float
    numbers: int
    when: int
    phrases: int


def evidence(article: Features, story: StoryState, frequencies: Frequencies) -> Evidence:
    """Compare an article with a story."""
    norm = math.sqrt(sum(w * w for w in story.terms.values())) or 1.0
    cosine = sum(w * story.terms.get(k, 0.0) for k, w in article.terms.items()) / norm
    title_idf = sum(idf(frequencies, k) for k in article.title) or 1.0
    title = sum(idf(frequencies, k) for k in article.title if k in story.title) / title_idf
    mine = sum(idf(frequencies, k) for k in article.names)
    theirs = sum(idf(frequencies, k) for k in story.names)
    shared = sum(idf(frequencies, k) for k in article.names if k in story.names)
    names = shared / (min(mine, theirs) or 1.0)
    numbers = sum(1 for n in article.numbers if n in story.numbers)
    when = 0 if not article.when or not story.when else 1 if article.when & story.when.keys() else -1
    phrases = sum(1 for p in article.phrases if p in story.phrases)
    return Evidence(cosine, title, names, numbers, when, phrases)


@dataclass(frozen=True, slots=True)
class Rule:
    """The decision's parameters (tuned on the development set; see docs/stories.md)."""

    threshold: float = 0.30
    title_weight: float = 0.0
    names_weight: float = 0.0
    numbers_weight: float = 0.0
    when_weight: float = 0.0


def score(e: Evidence, rule: Rule) -> float:
    """One figure from the evidence: the cosine, raised by agreeing titles, names, numbers."""
    return (
        e.cosine
        + rule.title_weight * e.title
        + rule.names_weight * e.names
        + rule.numbers_weight * min(e.numbers, 2)
        + rule.when_weight * e.when
    )


def in_window(article: Features, story: StoryState, days: int = WINDOW_DAYS) -> bool:
    """Whether the article's day is near the story's days (always, when either has none)."""
    if article.day is None or story.first is None or story.last is None:
        return True
    return (story.first - article.day).days <= days and (article.day - story.last).days <= days


def decide(
    article: Features,
    candidates: Iterable[tuple[int, StoryState]],
    frequencies: Frequencies,
    rule: Rule = Rule(),
) -> int | None:
    """The id of the story the article joins, or None for a new story."""
    best: tuple[float, int] | None = None
    for story_id, story in candidates:
        if not in_window(article, story):
            continue
        value = score(evidence(article, story, frequencies), rule)
        if value >= rule.threshold and (best is None or value > best[0]):
            best = (value, story_id)
    return best[1] if best else None


def ranked(ids: Sequence[int]) -> list[int]:
    """Placeholder kept small: ids in order."""
    return list(ids)
