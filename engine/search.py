"""Typo-tolerant search, following Meilisearch's rules.

1. A query word of 5+ characters may have 1 typo, 9+ may have 2; shorter words must be exact.
   Plural and singular forms match without a typo. Stop words never decide a search.
2. The last query word also matches as a prefix ("bayr" finds "bayramov").
3. Results rank by: matched words (and, between equal counts, the rarer words matched),
   then typos, then proximity, then matches in the title, then in the lead, then exact
   (non-prefix, non-typo) matches, then the index's relevance (BM25), then recency.

`Vocabulary` (engine/vocabulary.py) maps query words onto the index's terms, giving a
`QueryPlan` (engine/query.py). The store uses the plan to fetch a small candidate set from its
full-text index, ranked there; `rank` orders those candidates and cuts a marked snippet for
each. A candidate may carry its text with the index's own match marks (SQLite's highlight()):
then no regex runs over the article here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from engine.models import Article, Hit
from engine.query import (
    MAX_QUERY_CHARS,
    MAX_QUERY_WORDS,
    QueryPlan,
    QueryWords,
    WordPlan,
    allowed_typos,
    parse_query,
)
from engine.snippets import snippet, unmark
from engine.text import WORD_RE, fold
from engine.vocabulary import MAX_VARIANTS_PER_WORD, Vocabulary

__all__ = [
    "MAX_QUERY_CHARS",
    "MAX_QUERY_WORDS",
    "MAX_VARIANTS_PER_WORD",
    "Candidate",
    "QueryPlan",
    "QueryWords",
    "Vocabulary",
    "WordPlan",
    "allowed_typos",
    "parse_query",
    "rank",
]


LEAD_CHARS = 300  # the start of the body: where a news story says what it is about


@dataclass(frozen=True, slots=True)
class Candidate:
    """An article found by the index; `marks` are the (start, end) offsets in "title\nbody" of
    the words the index matched (None: unknown, the engine finds them itself), `score` the
    index's relevance (lower is better)."""

    article: Article
    marks: tuple[tuple[int, int], ...] | None = None
    score: float = 0.0

    @classmethod
    def marked(cls, article: Article, title: str, body: str, score: float) -> Candidate:
        """From the index's highlighted title and body (MARK_START/END around matches); marks
        that do not fit the article's own text are ignored."""
        plain_title, title_spans = unmark(title)
        plain_body, body_spans = unmark(body)
        if plain_title != article.title or plain_body != article.body:
            return cls(article, None, score)
        shift = len(plain_title) + 1
        spans = title_spans + [(a + shift, b + shift) for a, b in body_spans]
        return cls(article, tuple(spans), score)

    def merged(self, other: Candidate) -> Candidate:
        """The same article with the marks of both (each found with some of the words)."""
        if self.marks is None or other.marks is None:
            return self
        marks = tuple(sorted(set(self.marks) | set(other.marks)))
        return Candidate(self.article, marks, min(self.score, other.score))


@dataclass(slots=True)
class _Match:
    word_count: int = 0
    matched: tuple[int, ...] = ()
    typos: int = 0
    title_words: int = 0
    lead_words: int = 0
    exact_words: int = 0
    window: tuple[int, int] = (0, 0)
    spans: list[tuple[int, int]] = field(default_factory=list)


# (start, end, folded token) of a matched token in "title\nbody".
_Token = tuple[int, int, str]


def _regex_tokens(plan: QueryPlan, text: str) -> list[_Token]:
    pattern = plan.pattern
    if pattern is None:
        return []
    folded = fold(text)
    return [(m.start(), m.end(), m.group()) for m in pattern.finditer(folded)]


def _marked_tokens(
    candidate: Candidate, words_of: dict[str, list[tuple[int, int, str]]]
) -> list[_Token] | None:
    """The folded words inside the index's marks, or None when there are no marks.
    `words_of` keeps each marked text's words (the same few recur in every candidate)."""
    if candidate.marks is None:
        return None
    text = candidate.article.title + "\n" + candidate.article.body
    tokens = []
    for a, b in candidate.marks:
        marked = text[a:b]
        words = words_of.get(marked)
        if words is None:
            words = [(m.start(), m.end(), m.group()) for m in WORD_RE.finditer(fold(marked))]
            words_of[marked] = words
        tokens += [(a + start, a + end, word) for start, end, word in words]
    return tokens


def _match(plan: QueryPlan, tokens: list[_Token], title_len: int) -> _Match:
    result = _Match()
    best: dict[int, tuple[int, bool]] = {}
    in_title: set[int] = set()
    in_lead: set[int] = set()
    hits: list[tuple[int, int]] = []
    for start, end, token in tokens:
        owners = plan.owners_of(token)
        if not owners:
            continue
        result.spans.append((start, end))
        for word_index, typos, exact in owners:
            old = best.get(word_index)
            if old is None or (typos, not exact) < (old[0], not old[1]):
                best[word_index] = (typos, exact)
            hits.append((start, word_index))
            if start < title_len:
                in_title.add(word_index)
            if start < title_len + LEAD_CHARS:
                in_lead.add(word_index)
    result.word_count = len(best)
    result.matched = tuple(best)
    result.typos = sum(t for t, _ in best.values())
    result.exact_words = sum(1 for _, e in best.values() if e)
    result.title_words = len(in_title)
    result.lead_words = len(in_lead)
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


def rank(
    plan: QueryPlan,
    candidates: Iterable[Candidate | Article],
    limit: int | None = None,
    rarity: Sequence[int] = (),
    one_per_story: bool = False,
) -> list[Hit]:
    """Order candidates by Meilisearch's rules; the first `limit` (all: None) get a snippet.

    `rarity` ranks the plan's words, 0 for the one in the fewest articles (default: the
    order typed): of two articles matching as many words, the one matching rarer words wins.
    `one_per_story` keeps only the best-ranked article of each story (before snippets are cut).
    """
    rarity = rarity or range(len(plan.words))
    scored = []
    words_of: dict[str, list[tuple[int, int, str]]] = {}
    for item in candidates:
        candidate = item if isinstance(item, Candidate) else Candidate(item)
        article = candidate.article
        text = article.title + "\n" + article.body
        tokens = _marked_tokens(candidate, words_of)
        if tokens is None:
            tokens = _regex_tokens(plan, text)
        m = _match(plan, tokens, len(article.title) + 1)
        if m.word_count:
            key = (
                -m.word_count,
                sorted(rarity[i] for i in m.matched),
                m.typos,
                _proximity_bucket(text, m.window),
                -m.title_words,
                -m.lead_words,
                -m.exact_words,
                candidate.score,
                -article.day.toordinal(),
                article.id,
            )
            scored.append((key, article, m))
    scored.sort(key=lambda item: item[0])
    if one_per_story:
        seen: set[int] = set()
        firsts = []
        for entry in scored:
            story = entry[1].story_id
            if story is not None:
                if story in seen:
                    continue
                seen.add(story)
            firsts.append(entry)
        scored = firsts
    return [_hit(article, m) for _, article, m in scored[:limit]]


def _hit(article: Article, m: _Match) -> Hit:
    title_len = len(article.title) + 1
    body_spans = [(a - title_len, b - title_len) for a, b in m.spans if a >= title_len]
    centre = max(m.window[0] - title_len, body_spans[0][0] if body_spans else 0)
    return Hit(article, snippet(article.body, body_spans, centre), m.word_count, m.typos)
