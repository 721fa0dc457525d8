"""What an article says for story grouping: its lead's weighted terms, its title's terms, the
names and numbers it mentions, and its day.

Only the title and the lead (the first LEAD_WORDS words of the body) count. News is written
as an inverted pyramid: the lead says who did what, where and when, and it is what every
outlet's version and every aggregator's excerpt share. A full-length article therefore looks
like its own excerpt here, and thresholds tuned on excerpts hold on full texts.

Document frequencies are counted incrementally (`DocumentFrequencies`: every grouped article
adds its distinct keys once); the storage layer may keep the same counts in a table.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from typing import Protocol

from engine.lang.en import DATE_WORDS, DEMONYMS, FUNCTION_WORDS, MONTH_DAY, stem
from engine.text import fold

LEAD_WORDS = 90  # about the first three sentences: an aggregator's excerpt
TITLE_WEIGHT = 2.0  # a title word counts as two lead words
NAME_WEIGHT = 1.5  # a capitalised name counts as one and a half words
NUMBER_WEIGHT = 1.5
PRIOR_DOCUMENTS = 100
MIN_NUMBER_DIGITS = 2  # "3" is everywhere; "737", "17th" and "2.5" are not
TOKEN_RE = re.compile(r"[^\W_]+(?:[.,][0-9]+)*")
_SENTENCE_END = frozenset(".!?")
_YEAR = re.compile(r"(?:19|20)[0-9]{2}")


class Frequencies(Protocol):
    """How many grouped articles hold each key (a term, a name or a number)."""

    @property
    def documents(self) -> int:
        """How many articles were counted."""
        ...

    def docs(self, key: str) -> int:
        """How many of them hold `key`."""
        ...


class DocumentFrequencies:
    """Document frequencies counted as articles arrive (the incremental choice: no fixed
    vocabulary; a new name is rare until many articles carry it)."""

    def __init__(self, counts: Mapping[str, int] | None = None, documents: int = 0) -> None:
        self._counts: Counter[str] = Counter(counts or {})
        self._documents = documents

    @property
    def documents(self) -> int:
        """How many articles were counted."""
        return self._documents

    def docs(self, key: str) -> int:
        """How many counted articles hold `key`."""
        return self._counts.get(key, 0)

    def add(self, keys: Iterable[str]) -> None:
        """Count one article holding these keys (each distinct key once)."""
        self._counts.update(set(keys))
        self._documents += 1


def idf(frequencies: Frequencies, key: str) -> float:
    """Inverse document frequency, smoothed as if PRIOR_DOCUMENTS more articles had none of
    the keys: in a store of a handful of articles every key weighs about the same (the few
    articles say nothing of what is common), in a large one the prior fades away."""
    return math.log((frequencies.documents + PRIOR_DOCUMENTS) / (frequencies.docs(key) + 1))


@dataclass(frozen=True, slots=True)
class Features:
    """One article's evidence. `terms` are L2-normalised tf-idf weights of keys (stemmed lead
    and title words; names and numbers are keys too); `title` the title's keys; `names` the
    capitalised names of the title and lead; `numbers` its numbers; `day` its publication date,
    else the day it was added (None when neither is known)."""

    terms: dict[str, float]
    title: frozenset[str]
    names: frozenset[str]
    numbers: frozenset[str]
    when: frozenset[str] = frozenset()
    day: date | None = None

    def keys(self) -> set[str]:
        """Every distinct key, as counted in the document frequencies."""
        return set(self.terms)


@lru_cache(maxsize=1 << 16)
def key_of(word: str) -> str:
    """The key of a folded word: a place's adjective is the place, else the word's stem."""
    return DEMONYMS.get(word) or DEMONYMS.get(stem(word)) or stem(word)


def _tokens(text: str) -> list[tuple[str, str, bool]]:
    """(as written, folded, opens a sentence) for each word or number of `text`."""
    folded = fold(text)
    out: list[tuple[str, str, bool]] = []
    last = 0
    for m in TOKEN_RE.finditer(text):
        gap = text[last : m.start()]
        opens = not out or any(c in _SENTENCE_END for c in gap)
        out.append((m.group(), folded[m.start() : m.end()], opens))
        last = m.end()
    return out


def _number(token: str) -> str | None:
    """The number a token writes ("17th" -> "17", "1,200" -> "1200"), if it is a number."""
    digits = token.replace(",", "").rstrip("abcdefghijklmnopqrstuvwxyz")
    plain = digits.replace(".", "")
    if len(plain) < MIN_NUMBER_DIGITS or not plain.isdigit() or not digits[0].isdigit():
        return None
    return digits


def _names(lead: list[tuple[str, str, bool]], title: list[tuple[str, str, bool]]) -> set[str]:
    """Capitalised words of the lead that neither open a sentence nor appear in lower case,
    and the title's and lead's words written in capitals (acronyms: "ECO", "NATO")."""
    lowered = {f for w, f, _ in lead if w[0].islower()}
    found: set[str] = set()
    for word, folded, opens in lead:
        if folded in FUNCTION_WORDS or folded in DATE_WORDS or not word[0].isupper():
            continue
        if (not opens and folded not in lowered) or (word.isupper() and len(word) > 1):
            found.add(key_of(folded))
    for word, folded, _ in title:
        if word.isupper() and len(word) > 1 and word.isalpha() and folded not in FUNCTION_WORDS:
            found.add(key_of(folded))
    return found


def lead_of(body: str) -> str:
    """The first LEAD_WORDS words of the body (runs of whitespace become one space)."""
    return " ".join(body.split(maxsplit=LEAD_WORDS)[:LEAD_WORDS])


def features(title: str, body: str, day: date | None, frequencies: Frequencies) -> Features:
    """The evidence of one article, weighted with the given document frequencies."""
    text = lead_of(body)
    parts = (_tokens(title), _tokens(text))
    names = _names(parts[1], parts[0])
    when = {f"{m.group(1).casefold()} {int(m.group(2))}" for m in MONTH_DAY.finditer(text)}
    counts: defaultdict[str, float] = defaultdict(float)
    title_keys: set[str] = set()
    numbers: set[str] = set()
    for tokens, weight, in_title in ((parts[0], TITLE_WEIGHT, True), (parts[1], 1.0, False)):
        for word, folded, _ in tokens:
            if folded in DATE_WORDS:
                when.add(folded)
                continue
            number = _number(folded) if folded[0].isdigit() else None
            if number is not None:
                if not _YEAR.fullmatch(number):
                    numbers.add(number)
                counts[number] += weight * NUMBER_WEIGHT
                continue
            if folded in FUNCTION_WORDS or len(folded) < 2 or not word[0].isalpha():
                continue
            key = key_of(folded)
            counts[key] += weight * (NAME_WEIGHT if key in names else 1.0)
            if in_title:
                title_keys.add(key)
    weights = {k: (1.0 + math.log(c)) * idf(frequencies, k) for k, c in counts.items()}
    norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
    return Features(
        terms={k: w / norm for k, w in weights.items()},
        title=frozenset(title_keys),
        names=frozenset(names & counts.keys()),
        numbers=frozenset(numbers),
        when=frozenset(when),
        day=day,
    )


def reweighed(article: Features, before: Frequencies, after: Frequencies) -> Features:
    """The features `features` would give with the frequencies `after`, from those it gave
    with `before`: each key's weight is its tf times its idf, so the idf is swapped and the
    vector normalised again (tokenising once when the frequencies are only known later)."""
    weights = {k: w * idf(after, k) / idf(before, k) for k, w in article.terms.items()}
    norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
    return replace(article, terms={k: w / norm for k, w in weights.items()})
