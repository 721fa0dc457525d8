"""Typo-tolerant search, following Meilisearch's rules.

1. A query word of 5+ characters may have 1 typo, 9+ may have 2; shorter words must be exact.
2. The last query word also matches as a prefix ("bayr" finds "bayramov").
3. Results rank by: matched words, then typos, then proximity, then matches in the title,
   then exact (non-prefix, non-typo) matches, then recency.

`Vocabulary` maps query words onto the index's terms (rapidfuzz, length-bucketed), giving a
`QueryPlan`. The store uses the plan to fetch a small candidate set from its full-text index;
`rank` orders those candidates and cuts a marked snippet for each.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from rapidfuzz import process
from rapidfuzz.distance import OSA

from engine.errors import EmptyQuery, QueryTooLong
from engine.models import Article, Hit, Snippet
from engine.text import WORD_RE, fold

MAX_QUERY_CHARS = 200
MAX_QUERY_WORDS = 10
MAX_VARIANTS_PER_WORD = 16
MAX_PREFIX_TERMS = 32
SNIPPET_CHARS = 220
MIN_PREFIX_CHARS = 2  # a single letter as a prefix matches nearly everything


def parse_query(query: str) -> list[str]:
    """Fold a raw query into distinct words; search syntax and punctuation are just separators."""
    if len(query) > MAX_QUERY_CHARS:
        raise QueryTooLong(MAX_QUERY_CHARS)
    found: list[str] = []
    for word in WORD_RE.findall(fold(query)):
        if word not in found:
            found.append(word)
    if not found:
        raise EmptyQuery()
    return found[:MAX_QUERY_WORDS]


def allowed_typos(word: str) -> int:
    """Typos tolerated in a query word of this length (Meilisearch's defaults)."""
    if len(word) >= 9:
        return 2
    if len(word) >= 5:
        return 1
    return 0


@dataclass(frozen=True, slots=True)
class WordPlan:
    """What one query word may match: whole terms and (last word only) prefixes, with typos."""

    word: str
    terms: dict[str, int] = field(default_factory=dict)
    prefixes: dict[str, int] = field(default_factory=dict)

    @property
    def matchable(self) -> bool:
        """Whether any indexed term can match this word."""
        return bool(self.terms or self.prefixes)

    @property
    def best(self) -> str | None:
        """The closest indexed term (what the user probably meant)."""
        if self.word in self.terms or self.word in self.prefixes:
            return self.word
        if not self.terms:
            return None
        return min(self.terms.items(), key=lambda item: (item[1], item[0]))[0]


@dataclass(frozen=True)
class QueryPlan:
    """A parsed query mapped onto the index vocabulary."""

    words: tuple[WordPlan, ...]

    @property
    def matchable(self) -> tuple[WordPlan, ...]:
        """The words that can match something."""
        return tuple(w for w in self.words if w.matchable)

    @property
    def corrections(self) -> tuple[str, ...]:
        """The query as the engine understood it, when a word was corrected."""
        best = [w.best for w in self.words]
        if all(b == w.word for b, w in zip(best, self.words, strict=True)):
            return ()
        return tuple(b for b in best if b)

    @cached_property
    def _index(self) -> tuple[dict[str, list[tuple[int, int]]], dict[str, list[tuple[int, int]]]]:
        terms: dict[str, list[tuple[int, int]]] = {}
        prefixes: dict[str, list[tuple[int, int]]] = {}
        for i, plan in enumerate(self.words):
            for term, typos in plan.terms.items():
                terms.setdefault(term, []).append((i, typos))
            for stem, typos in plan.prefixes.items():
                prefixes.setdefault(stem, []).append((i, typos))
        return terms, prefixes

    @cached_property
    def pattern(self) -> re.Pattern[str] | None:
        """One regex finding every variant in folded text: group t = term, p = prefix stem."""
        terms, prefixes = self._index
        if not terms and not prefixes:
            return None
        parts = []
        if terms:
            alt = "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
            parts.append(rf"(?P<t>{alt})(?![^\W_])")
        if prefixes:
            alt = "|".join(re.escape(p) for p in sorted(prefixes, key=len, reverse=True))
            parts.append(rf"(?P<p>{alt})[^\W_]*")
        # A look-ahead on the first letters lets the scanner skip most positions cheaply.
        firsts = "".join(sorted({w[0] for w in (*terms, *prefixes)}))
        return re.compile(rf"(?=[{re.escape(firsts)}])(?<![^\W_])(?:" + "|".join(parts) + ")")


class Vocabulary:
    """The index's distinct terms, bucketed by length for fast typo look-ups."""

    def __init__(self, terms: Iterable[str]) -> None:
        self._sorted = sorted(set(terms))
        self._set = set(self._sorted)
        self._by_len: dict[int, list[str]] = {}
        for term in self._sorted:
            self._bucket(term)

    def _bucket(self, term: str) -> None:
        # Numbers match exactly: "2024" must not find "2025" as a typo.
        if not term.isdigit():
            self._by_len.setdefault(len(term), []).append(term)

    def add(self, terms: Iterable[str]) -> None:
        """Take in the terms of newly indexed articles (cheaper than rebuilding)."""
        for term in terms:
            if term not in self._set:
                self._set.add(term)
                bisect.insort(self._sorted, term)
                self._bucket(term)

    def __len__(self) -> int:
        return len(self._sorted)

    def plan(self, words: Sequence[str]) -> QueryPlan:
        """Map each query word onto indexed terms; the last word also matches as a prefix."""
        last = len(words) - 1
        return QueryPlan(tuple(self._plan_word(w, i == last) for i, w in enumerate(words)))

    def _plan_word(self, word: str, as_prefix: bool) -> WordPlan:
        terms: dict[str, int] = {}
        if word in self._set:
            terms[word] = 0
        k = allowed_typos(word)
        if k and not word.isdigit():
            found: list[tuple[str, int]] = []
            for length in range(len(word) - k, len(word) + k + 1):
                bucket = self._by_len.get(length)
                if bucket:
                    for term, dist, _ in process.extract(
                        word, bucket, scorer=OSA.distance, score_cutoff=k, limit=None
                    ):
                        found.append((term, int(dist)))
            found.sort(key=lambda item: (item[1], item[0]))
            for term, dist in found[:MAX_VARIANTS_PER_WORD]:
                terms.setdefault(term, dist)
        prefixes: dict[str, int] = {}
        if as_prefix and len(word) >= MIN_PREFIX_CHARS and self._has_longer_term_with_prefix(word):
            prefixes[word] = 0
        return WordPlan(word, terms, prefixes)

    def _has_longer_term_with_prefix(self, stem: str) -> bool:
        i = bisect.bisect_right(self._sorted, stem)
        return i < len(self._sorted) and self._sorted[i].startswith(stem)


@dataclass(slots=True)
class _Match:
    word_count: int = 0
    typos: int = 0
    title_words: int = 0
    exact_words: int = 0
    window: tuple[int, int] = (0, 0)
    spans: list[tuple[int, int]] = field(default_factory=list)


def _match(plan: QueryPlan, text: str, title_len: int) -> _Match:
    pattern = plan.pattern
    result = _Match()
    if pattern is None:
        return result
    terms, prefixes = plan._index
    best: dict[int, tuple[int, bool]] = {}
    in_title: set[int] = set()
    hits: list[tuple[int, int]] = []
    for m in pattern.finditer(fold(text)):
        term = m.group("t") if "t" in pattern.groupindex else None
        if term is not None:
            owners, exact_len = terms[term], True
        else:
            owners, exact_len = prefixes[m.group("p")], m.end() - m.start() == len(m.group("p"))
        result.spans.append(m.span())
        for word_index, typos in owners:
            exact = typos == 0 and exact_len
            old = best.get(word_index)
            if old is None or (typos, not exact) < (old[0], not old[1]):
                best[word_index] = (typos, exact)
            hits.append((m.start(), word_index))
            if m.start() < title_len:
                in_title.add(word_index)
    result.word_count = len(best)
    result.typos = sum(t for t, _ in best.values())
    result.exact_words = sum(1 for _, e in best.values() if e)
    result.title_words = len(in_title)
    result.window = _smallest_window(hits, len(best))
    return result


def _smallest_window(hits: list[tuple[int, int]], wanted: int) -> tuple[int, int]:
    """The shortest (start, end) offsets covering one occurrence of each matched word."""
    if not hits:
        return (0, 0)
    counts: dict[int, int] = {}
    best = (hits[0][0], hits[-1][0])
    left = 0
    for pos, word in hits:
        counts[word] = counts.get(word, 0) + 1
        while len(counts) == wanted:
            start = hits[left][0]
            if pos - start < best[1] - best[0]:
                best = (start, pos)
            lw = hits[left][1]
            counts[lw] -= 1
            if not counts[lw]:
                del counts[lw]
            left += 1
    return best


def _proximity_bucket(text: str, window: tuple[int, int]) -> int:
    gap_words = text.count(" ", window[0], window[1])
    return 0 if gap_words <= 8 else 1 if gap_words <= 16 else 2 if gap_words <= 40 else 3


def snippet(
    text: str, spans: Sequence[tuple[int, int]], centre: int, size: int = SNIPPET_CHARS
) -> Snippet:
    """An excerpt of about `size` characters around `centre`, cut at spaces, with marks."""
    start = max(0, centre - size // 4)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < centre else start
    end = min(len(text), start + size)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > centre else end
    excerpt = text[start:end]
    lead = "…" if start > 0 else ""
    tail = "…" if end < len(text) else ""
    shift = len(lead) - start
    marks = [(a + shift, b + shift) for a, b in spans if a >= start and b <= end]
    return _one_line(lead + excerpt + tail, marks)


_SPACES = re.compile(r"\s{2,}|[^\S ]")


def _one_line(text: str, marks: list[tuple[int, int]]) -> Snippet:
    """Collapse line breaks and runs of spaces to one space, moving the marks along."""
    pieces: list[str] = []
    last = removed = 0
    cuts: list[tuple[int, int]] = []  # (position in the old text, characters removed so far)
    for m in _SPACES.finditer(text):
        pieces += [text[last : m.start()], " "]
        removed += m.end() - m.start() - 1
        cuts.append((m.end(), removed))
        last = m.end()
    if not cuts:
        return Snippet(text, tuple(marks))
    pieces.append(text[last:])

    def moved(offset: int) -> int:
        before = [r for end, r in cuts if end <= offset]
        return offset - (before[-1] if before else 0)

    return Snippet("".join(pieces), tuple((moved(a), moved(b)) for a, b in marks))


def rank(plan: QueryPlan, articles: Iterable[Article]) -> list[Hit]:
    """Order candidate articles by Meilisearch's rules and cut a marked snippet for each."""
    scored = []
    for article in articles:
        text = article.title + "\n" + article.body
        title_len = len(article.title) + 1
        m = _match(plan, text, title_len)
        if not m.word_count:
            continue
        key = (
            -m.word_count,
            m.typos,
            _proximity_bucket(text, m.window),
            -m.title_words,
            -m.exact_words,
            -article.day.toordinal(),
            article.id,
        )
        body_spans = [(a - title_len, b - title_len) for a, b in m.spans if a >= title_len]
        centre = max(m.window[0] - title_len, body_spans[0][0] if body_spans else 0)
        hit = Hit(article, snippet(article.body, body_spans, centre), m.word_count, m.typos)
        scored.append((key, hit))
    scored.sort(key=lambda item: item[0])
    return [hit for _, hit in scored]
