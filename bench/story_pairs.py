"""Evidence for "article A joins story S", for bench.story_fit: a pair of (article, candidate)
described by more features than engine.stories.decide uses, and a single-pass grouping whose
decision is a fitted combination of them.

The candidates, the window, the guards (two shared keys; dates said that disagree only for a
near copy) and the state are newsbot's own (engine.story_index, engine.stories); only the
score differs. Beside each story the bench keeps what the engine's state does not (each
source's vector, for the best single-source cosine; the sources' capitalised names), to learn
whether they would be worth storing.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from engine.lang.en import DEMONYMS
from engine.stories import Evidence, Rule, StoryState, evidence, in_window
from engine.story_features import DocumentFrequencies, Features, features, idf
from engine.story_index import CANDIDATES, StoryIndex

PLACES = frozenset(DEMONYMS.values())

# Every feature the bench can compute for a pair; a model uses a subset (FEATURE_SETS).
FEATURES = (
    "cosine",  # mean cosine with the story's sources (the engine's evidence)
    "cosine_max",  # best cosine with one source (needs each source's vector: not in the state)
    "title",  # idf-weighted share of the article's title keys in the story's titles
    "title_jaccard",  # title keys: |A and S| / |A or S|
    "name_share",  # idf-weighted share of the article's names among the sources' names
    "names",  # names shared, at most 4
    "numbers",  # numbers shared, at most 2
    "when",  # dates said agree (1), differ (-1), not both given (0)
    "places",  # places (a country or its adjective) shared, at most 2
    "shared",  # keys shared with the story's centroid, at most 20, / 20
    "size",  # ln(story size): every dev story has exactly 3 sources (see bench.story_fit)
    "rival",  # mean cosine of the best OTHER candidate
    "top",  # 1 when this candidate has the best mean cosine
    "retrieval",  # 1 - rank / CANDIDATES in the index's order (summed idf of shared keys)
)

FEATURE_SETS = {
    # what the shipped rule combines (its weights came from a fit like this one)
    "shipped evidence": ("cosine", "title", "numbers", "when", "rival"),
    # computable from the stored state and the candidate order, no new columns
    "state only": (
        *("cosine", "title", "title_jaccard", "numbers", "when", "places", "shared"),
        *("rival", "top", "retrieval"),
    ),
    # everything but the story's size
    "all but size": tuple(f for f in FEATURES if f != "size"),
}

Article = dict[str, Any]
Scorer = Callable[[list[tuple[float, ...]]], Sequence[float]]  # a score per candidate


@dataclass
class Side:
    """What the bench keeps per story beside the engine's state."""

    vectors: list[dict[str, float]] = field(default_factory=list)
    names: Counter[str] = field(default_factory=Counter)


@dataclass(frozen=True, slots=True)
class Pair:
    """One candidate of one article: its story id, the feature values, the engine's evidence."""

    story: int
    values: tuple[float, ...]
    evidence: Evidence


class Stream:
    """newsbot's index and frequencies, with the bench's side data, fed one article at a time."""

    def __init__(self) -> None:
        self.index = StoryIndex()
        self.frequencies = DocumentFrequencies()
        self.side: dict[int, Side] = {}

    def features(self, article: Article) -> Features:
        return features(article["title"] or "", article["text"] or "", None, self.frequencies)

    def pairs(self, article: Features) -> list[Pair]:
        """Every candidate the index returns, in its order, with its feature values."""
        found = [
            (s, st)
            for s, st in self.index.candidates(article, self.frequencies)
            if in_window(article, st)
        ]
        title_idf = {k: idf(self.frequencies, k) for k in article.title}
        seen = [evidence(article, st, title_idf) for _, st in found]
        cosines = sorted((e.cosine for e in seen), reverse=True)
        out = []
        for rank, ((story, state), e) in enumerate(zip(found, seen, strict=True)):
            best = e.cosine == cosines[0]
            rival = (cosines[1] if len(cosines) > 1 else 0.0) if best else cosines[0]
            values = self._values(article, state, self.side[story], e)
            values["rival"], values["top"] = rival, float(best)
            values["retrieval"] = 1.0 - rank / CANDIDATES
            out.append(Pair(story, tuple(values[f] for f in FEATURES), e))
        return out

    def _values(
        self, article: Features, state: StoryState, side: Side, e: Evidence
    ) -> dict[str, float]:
        terms = article.terms
        cosine_max = max(
            (sum(w * v.get(k, 0.0) for k, w in terms.items()) for v in side.vectors), default=0.0
        )
        union = article.title | state.title.keys()
        weights = {n: idf(self.frequencies, n) for n in article.names}
        total = sum(weights.values()) or 1.0
        return {
            "cosine": e.cosine,
            "cosine_max": cosine_max,
            "title": e.title,
            "title_jaccard": len(article.title & state.title.keys()) / (len(union) or 1),
            "name_share": sum(w for n, w in weights.items() if n in side.names) / total,
            "names": min(sum(1 for n in article.names if n in side.names), 4),
            "numbers": min(e.numbers, 2),
            "when": e.when,
            "places": min(sum(1 for k in terms if k in PLACES and k in state.terms), 2),
            "shared": min(e.shared, 20) / 20,
            "size": math.log(state.size),
        }

    def put(self, story: int, article: Features) -> None:
        """The article joins `story` (a new one when the id is not stored yet)."""
        state = self.index.stories.get(story) or StoryState()
        state.add(article)
        self.index.put(story, state)
        side = self.side.setdefault(story, Side())
        side.vectors.append(article.terms)
        side.names.update(article.names)
        self.frequencies.add(article.keys())


RULE = Rule()


def allowed(e: Evidence, rule: Rule = RULE) -> bool:
    """The engine's guards: two shared keys; dates said that disagree only for a near copy."""
    return e.shared >= rule.min_shared and not (e.when < 0 and e.cosine < rule.conflict_cosine)


def training_pairs(articles: Sequence[Article]) -> tuple[list[tuple[float, ...]], list[int]]:
    """Each article against the candidates the index returns while the gold stories grow as
    the stream goes: positive = its own story, negative = every other candidate."""
    stream, ids = Stream(), dict[str, int]()
    rows: list[tuple[float, ...]] = []
    labels: list[int] = []
    for article in articles:
        gold = ids.setdefault(article["cluster"], len(ids))
        found = stream.features(article)
        for pair in stream.pairs(found):
            if allowed(pair.evidence):
                rows.append(pair.values)
                labels.append(int(pair.story == gold))
        stream.put(gold, found)
    return rows, labels


def grouped(articles: Sequence[Article], scorer: Scorer, threshold: float) -> list[int]:
    """Single pass: each article joins its best-scoring allowed candidate when the score
    reaches `threshold`, else starts a story."""
    stream, labels, made = Stream(), list[int](), 0
    for article in articles:
        found = stream.features(article)
        best: tuple[float, int] | None = None
        pairs = [p for p in stream.pairs(found) if allowed(p.evidence)]
        values = scorer([p.values for p in pairs]) if pairs else []
        for pair, value in zip(pairs, values, strict=True):
            if value >= threshold and (best is None or value > best[0]):
                best = (float(value), pair.story)
        if best is None:
            story, made = made, made + 1
        else:
            story = best[1]
        stream.put(story, found)
        labels.append(story)
    return labels
