"""The index's distinct terms, and the mapping of query words onto them (`QueryPlan`).

A word of 5-8 letters may be one edit (optimal string alignment) from a term: those terms are
found by generating the word's edits and looking them up in a set (Norvig's method: a few
hundred set look-ups, whatever the vocabulary's size). A word of 9+ letters may be two edits
away: the second edit is searched with rapidfuzz among terms of a near length that start with
the same letter (as in Meilisearch, a typo on the first letter is costly: there it counts
twice, here it must be the word's only typo). Plural and singular forms ("gain" / "gains",
"battles" / "battle") match without a typo, so a slip onto another real word still finds what
was meant.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import OSA

from engine.lang.en import inflections
from engine.query import QueryPlan, WordPlan, allowed_typos
from engine.text import is_latin

MAX_VARIANTS_PER_WORD = 8
RARE_VARIANT_RATIO = 20  # a typo variant in 20x fewer articles than the word typed is dropped
MIN_PREFIX_CHARS = 2  # a single letter as a prefix matches nearly everything
ALPHABET_SIZE = 40  # the most frequent letters of the vocabulary, for generated edits
_LATIN = "abcdefghijklmnopqrstuvwxyz"
_RESORT_AT = 2_000  # more new terms than this: sort again rather than insert one by one
SMALL_VOCABULARY = 3_000  # terms: scanning them beats generating a word's ~500 edits
PLANNED_WORDS_KEPT = 4_096  # words whose plan is kept until the vocabulary changes
PREFIX_FREQUENCY_TERMS = 500  # terms summed to estimate how common a prefix is
# A prefix with at most PREFIX_FREQUENCY_TERMS completions is searched as its most common
# MAX_COMPLETIONS terms (WordPlan.completions); one with more, as the prefix itself. A
# completion in COMPLETION_RATIO times fewer articles than the most common one is a
# misspelling in the corpus ("bidget" beside "bid"), left out as a typo variant far rarer
# than the word is (RARE_VARIANT_RATIO).
MAX_COMPLETIONS = 64
COMPLETION_RATIO = 1_000
SHORT_PREFIX_FREQUENCY = 10**9  # a prefix of 1-2 letters counts as the most common word
LONG_TERM_CHARS = 7  # terms this long or longer may be a two-typo word's neighbour


def edits1(word: str, alphabet: str) -> set[str]:
    """Every string one edit (delete, swap of neighbours, replace, insert) from `word`."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = [a + b[1:] for a, b in splits if b]
    swaps = [a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1]
    replaces = [a + c + b[1:] for a, b in splits if b for c in alphabet if c != b[0]]
    inserts = [a + c + b for a, b in splits for c in alphabet]
    return {*deletes, *swaps, *replaces, *inserts}


def alphabet_of(terms: Iterable[str]) -> str:
    """The ALPHABET_SIZE most frequent letters of these terms (the first 5,000 of them)."""
    letters: Counter[str] = Counter()
    for n, term in enumerate(terms):
        if n >= 5_000:
            break
        letters.update(term)
    return "".join(c for c, _ in letters.most_common(ALPHABET_SIZE))


@dataclass(frozen=True, slots=True)
class TermLookups:
    """Every term a plan of some words can touch, for a store to read from its term table:
    the words, their inflections and one-edit variants (`exact`), long words' two-typo
    neighbourhoods as (first letter, shortest, longest) buckets, and the prefix words (each
    with the PREFIX_FREQUENCY_TERMS terms after it in sorted order). A Vocabulary of just
    those terms, with the store's `alphabet`, plans the words as the whole vocabulary would."""

    exact: frozenset[str]
    buckets: tuple[tuple[str, int, int], ...]
    prefixes: tuple[str, ...]
    long_words: tuple[str, ...] = ()  # the word of each bucket, in order


def needs_alphabet(words: Sequence[str]) -> bool:
    """Whether planning `words` needs the store's alphabet: a word with typos allowed that
    is not all Latin letters (its one-edit variants use the letters the store's terms use)."""
    return any(allowed_typos(w) and not w.isdigit() and not is_latin(w) for w in words)


def lookups(words: Sequence[str], alphabet: str) -> TermLookups:
    """The TermLookups of planning `words` (the last also as a prefix, as `Vocabulary.plan`)."""
    last = len(words) - 1 if getattr(words, "last_is_prefix", True) else -1
    exact: set[str] = set()
    buckets: list[tuple[str, int, int]] = []
    long_words: list[str] = []
    prefixes: list[str] = []
    for i, word in enumerate(words):
        exact.add(word)
        exact.update(inflections(word))
        k = allowed_typos(word)
        if k and not word.isdigit():
            letters = _LATIN if is_latin(word) else "".join(dict.fromkeys(alphabet + word))
            exact.update(edits1(word, letters))
            if k >= 2:
                buckets.append((word[0], max(LONG_TERM_CHARS, len(word) - k), len(word) + k))
                long_words.append(word)
        if i == last and len(word) >= MIN_PREFIX_CHARS:
            prefixes.append(word)
    return TermLookups(frozenset(exact), tuple(buckets), tuple(prefixes), tuple(long_words))


def deletes(word: str) -> set[str]:
    """Every string one deleted letter from `word`."""
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


class Vocabulary:
    """The index's distinct terms with how many articles hold each: a dict for exact and
    generated look-ups, a sorted list for prefixes, and (first letter, length) buckets of long
    terms for two-typo words."""

    def __init__(
        self, terms: Iterable[str] | Mapping[str, int] = (), *, alphabet: str | None = None
    ) -> None:
        # A vocabulary of a store's TermLookups (not the whole index) is given the store's
        # alphabet, and finds one-edit variants the way the whole vocabulary would.
        self._store_alphabet = alphabet
        self._docs: dict[str, int] = {}
        self._sorted: list[str] = []
        self._long: dict[tuple[str, int], list[str]] = {}
        self._letters: Counter[str] = Counter()
        self._alphabet = ""
        # Plans of words seen since the vocabulary last changed: search as you type (inline
        # queries) and paging plan the same words again. A plan depends on nothing but the
        # vocabulary, so any change empties this (a top-up from another process's articles
        # included): a kept plan is never older than the terms it was made from.
        self._planned: dict[tuple[str, bool], WordPlan] = {}
        self._deletes: dict[str, set[str]] | None = None  # built on first use, small only
        self.add(terms)

    def add(self, terms: Iterable[str] | Mapping[str, int]) -> None:
        """Count newly indexed articles' terms in: a mapping gives how many new articles hold
        each term; a plain list of words counts one article for each distinct word."""
        counts = terms if isinstance(terms, Mapping) else dict.fromkeys(terms, 1)
        self._planned.clear()
        self._deletes = None
        self._take_new([t for t in counts if t not in self._docs])
        for term, n in counts.items():
            self._docs[term] = self._docs.get(term, 0) + n

    def set_frequencies(self, frequencies: Mapping[str, int]) -> None:
        """Replace the article counts of these terms (adding the terms that are new, dropping
        those no article holds any more: removed articles' words)."""
        self._planned.clear()
        self._deletes = None
        held = {t: n for t, n in frequencies.items() if n > 0}
        self._drop([t for t, n in frequencies.items() if n <= 0 and t in self._docs])
        self._take_new([t for t in held if t not in self._docs])
        self._docs.update(held)

    def _drop(self, gone: list[str]) -> None:
        for term in gone:
            del self._docs[term]
            at = bisect.bisect_left(self._sorted, term)
            if at < len(self._sorted) and self._sorted[at] == term:
                del self._sorted[at]
            bucket = self._long.get((term[0], len(term)))
            if bucket and term in bucket:
                bucket.remove(term)

    def _take_new(self, new: list[str]) -> None:
        if not new:
            return
        if len(new) > _RESORT_AT:
            self._sorted = sorted([*self._sorted, *new])
        else:
            for term in new:
                bisect.insort(self._sorted, term)
        for term in new:
            # Numbers match exactly: "2024" must not find "2025" as a typo.
            if len(term) >= LONG_TERM_CHARS and not term.isdigit():
                self._long.setdefault((term[0], len(term)), []).append(term)
        if len(self._letters) < ALPHABET_SIZE * 4:
            self._letters.update("".join(new[:5_000]))
            self._alphabet = "".join(c for c, _ in self._letters.most_common(ALPHABET_SIZE))

    def frequency(self, word: WordPlan) -> int:
        """About how many articles hold the word (any of its terms; a prefix's first terms)."""
        terms = set(word.terms)
        for stem in word.prefixes:
            if len(stem) < 3:
                return SHORT_PREFIX_FREQUENCY
            i = bisect.bisect_left(self._sorted, stem)
            for term in self._sorted[i : i + PREFIX_FREQUENCY_TERMS]:
                if not term.startswith(stem):
                    break
                terms.add(term)
        return sum(self._docs.get(t, 0) for t in terms)

    def __len__(self) -> int:
        return len(self._docs)

    def __contains__(self, term: object) -> bool:
        return term in self._docs

    def plan(self, words: Sequence[str]) -> QueryPlan:
        """Map each query word onto indexed terms; the last word also matches as a prefix."""
        last = len(words) - 1 if getattr(words, "last_is_prefix", True) else -1
        return QueryPlan(tuple(self._planned_word(w, i == last) for i, w in enumerate(words)))

    def _planned_word(self, word: str, as_prefix: bool) -> WordPlan:
        """The word's plan, made once per vocabulary state."""
        key = (word, as_prefix)
        found = self._planned.get(key)
        if found is None:
            if len(self._planned) >= PLANNED_WORDS_KEPT:
                del self._planned[next(iter(self._planned))]  # the oldest goes
            found = self._planned[key] = self._plan_word(word, as_prefix)
        return found

    def _plan_word(self, word: str, as_prefix: bool) -> WordPlan:
        terms: dict[str, int] = {}
        if word in self._docs:
            terms[word] = 0
        for form in sorted(inflections(word)):
            if form in self._docs:
                terms.setdefault(form, 0)
        k = allowed_typos(word)
        if k and not word.isdigit():
            docs = self._docs
            found = sorted(
                self._typo_terms(word, k).items(),
                key=lambda item: (item[1], -docs[item[0]], item[0]),
            )
            # A variant far rarer than the word as typed (or its plural) is a misspelling in
            # the corpus (an article that misspelled "britain" as "britan"), not what the user
            # meant: it would only slow the index down and bring noise.
            top = max([docs[t] for t in terms], default=0)
            for term, dist in found[:MAX_VARIANTS_PER_WORD]:
                if docs[term] * RARE_VARIANT_RATIO >= top:
                    terms.setdefault(term, dist)
        prefixes: dict[str, int] = {}
        completions = None
        if as_prefix and len(word) >= MIN_PREFIX_CHARS and self._has_longer_term_with_prefix(word):
            prefixes[word] = 0
            completions = self._completions(word)
        return WordPlan(word, terms, prefixes, completions)

    def _completions(self, stem: str) -> tuple[str, ...] | None:
        """The MAX_COMPLETIONS terms starting with `stem` that most articles hold, when it has
        no more than PREFIX_FREQUENCY_TERMS (all of which a vocabulary read per search holds
        too); None when it has more."""
        found: list[str] = []
        i = bisect.bisect_left(self._sorted, stem)
        for term in self._sorted[i : i + 2 * PREFIX_FREQUENCY_TERMS]:
            if not term.startswith(stem):
                break
            if self._docs.get(term, 0) > 0:
                found.append(term)
                if len(found) > PREFIX_FREQUENCY_TERMS:
                    return None
        else:
            if len(self._sorted) > i + 2 * PREFIX_FREQUENCY_TERMS:
                return None  # the slice ended before the stem's terms did
        docs = self._docs
        most = max((docs[t] for t in found), default=0)
        kept = [t for t in found if docs[t] * COMPLETION_RATIO >= most]
        return tuple(sorted(kept, key=lambda t: (-docs[t], t))[:MAX_COMPLETIONS])

    def _one_edit_terms(self, word: str, latin: bool) -> set[str]:
        """The terms one edit from `word`. A small vocabulary (one article's words, as
        fan-out matches keywords against) is scanned in C; a large one (the corpus) is
        looked up with the word's generated edits, far fewer than its terms."""
        if self._store_alphabet is None and len(self._docs) <= SMALL_VOCABULARY:
            return self._near_by_deletes(word)
        # A Latin word's slips are Latin letters: a third fewer edits than the full alphabet.
        letters = self._alphabet if self._store_alphabet is None else self._store_alphabet
        alphabet = _LATIN if latin else "".join(dict.fromkeys(letters + word))
        return self._docs.keys() & edits1(word, alphabet)  # a set intersection, in C

    def _near_by_deletes(self, word: str) -> set[str]:
        """Terms one edit from `word`, found through deletions (SymSpell's idea): a term one
        edit away is the word less a letter, has the word as itself less a letter, or shares
        a one-letter deletion with it (a replaced or swapped letter); candidates are checked
        with OSA distance. A few dict look-ups a word instead of ~500 generated edits."""
        if self._deletes is None:
            self._deletes = {}
            for term in self._docs:
                for variant in deletes(term):
                    self._deletes.setdefault(variant, set()).add(term)
        mine = deletes(word)
        candidates = {d for d in mine if d in self._docs}
        candidates |= self._deletes.get(word, set())
        for variant in mine:
            candidates |= self._deletes.get(variant, set())
        return {t for t in candidates if t != word and OSA.distance(word, t, score_cutoff=1) == 1}

    def _typo_terms(self, word: str, k: int) -> dict[str, int]:
        latin = is_latin(word)
        known = self._one_edit_terms(word, latin)
        found = dict.fromkeys((t for t in known if latin or not t.isdigit()), 1)
        if k >= 2:
            for length in range(len(word) - k, len(word) + k + 1):
                bucket = self._long.get((word[0], length))
                if bucket:
                    for term, dist, _ in process.extract(
                        word, bucket, scorer=OSA.distance, score_cutoff=k, limit=None
                    ):
                        if term != word:
                            found.setdefault(term, int(dist))
        return found

    def _has_longer_term_with_prefix(self, stem: str) -> bool:
        i = bisect.bisect_right(self._sorted, stem)
        return i < len(self._sorted) and self._sorted[i].startswith(stem)
