"""Sentences that lean on another: a summary must not show one without what it leans on.

A sentence leans on the one before it when it opens with a pronoun or a connective ("He
said", "But that has not stopped", "Its leader"; "I", "we" in a quote whose speaker it does
not name): it may follow only that sentence. A sentence
opening with a title and surname ("Mr Knapman rejected the idea") leans on the first sentence
that names that person ("UKIP leader Roger Knapman said"): some sentence before it in the
summary must name them. `leans_on` tells a summariser what to bring in; `dangling` checks any
summary against its article, so the benchmark judges every system with the same rule.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from engine.lang.en import (
    CONNECTIVES,
    LEANING_PHRASES,
    LEANING_WORDS,
    PERSON_TITLES,
    SPEAKER_WORDS,
    SPEECH_VERBS,
)

# Quote marks and brackets before the first word do not change what it leans on.
_OPENING = re.compile(r"^[\s\"'“‘«(\[]*([A-Za-z]+(?![A-Za-z-])(?:\s+[A-Za-z]+){0,4})")
_LEANING_PHRASE = re.compile(r"^(?:" + "|".join(LEANING_PHRASES) + r")\b")
# '…," said Mr Knapman', '…, Mr Knapman told BBC Radio 4': the speaker is named.
_SPEAKER_NAMED = re.compile(
    r"\b(?:" + "|".join(SPEECH_VERBS) + r")\s+(?:[A-Z]|the\s)"
    r"|[A-Z][\w'’-]+\s+(?:" + "|".join(SPEECH_VERBS) + r")\b"
)
# "Mr Knapman rejected": a title and one capitalised word (a surname), not a full name
# ("Sir Alex Ferguson" introduces himself).
_TITLED = re.compile(
    r"^[\s\"'“‘«(\[]*(?:" + "|".join(PERSON_TITLES) + r")\.?\s+"
    r"([A-Z][\w'’]*(?:-[A-Z][\w'’]*)*)(?![\w'’-]|\s+[A-Z])"
)

# The first word of a sentence that may lean at all (a pronoun, a connective, the start of a
# leaning phrase, a title): any other opening stands alone, without the full rules' regexes.
_FIRST_WORD = re.compile(r"[\s\"'“‘«(\[]*([A-Za-z]+)")
_STARTERS = (
    SPEAKER_WORDS
    | LEANING_WORDS
    | {phrase.split()[0] for phrase in LEANING_PHRASES}
    | {title.casefold() for title in PERSON_TITLES}
)


def may_lean(sentence: str) -> bool:
    """False when `sentence` surely leans on nothing (`leans_back` and `titled_surname` find
    nothing); a quick test for the many sentences that open with anything else."""
    first = _FIRST_WORD.match(sentence)
    return first is not None and first.group(1).casefold() in _STARTERS


def leans_back(sentence: str) -> bool:
    """Whether `sentence` opens with a pronoun or a connective, leaning on the one before."""
    opening = _OPENING.match(sentence)
    if not opening:
        return False
    typed = opening.group(1).split()[0]
    if len(typed) > 1 and typed.isupper():
        return False  # an acronym: "US politicians", "IT firms", not "us", "it"
    head = opening.group(1).casefold()
    first = head.split()[0]
    if first in SPEAKER_WORDS:
        return _SPEAKER_NAMED.search(sentence) is None
    return first in LEANING_WORDS or bool(_LEANING_PHRASE.match(head))


def opens_with_connective(text: str) -> bool:
    """Whether `text` opens with a connective ("However, ...", "So - is ...", "In addition")."""
    opening = _OPENING.match(text)
    if not opening:
        return False
    head = opening.group(1).casefold()
    return head.split()[0] in CONNECTIVES or bool(_LEANING_PHRASE.match(head))


def titled_surname(sentence: str) -> str | None:
    """The surname of a person the sentence opens with by title ("Mr Knapman" -> Knapman)."""
    found = _TITLED.match(sentence)
    return found.group(1) if found else None


def names(sentence: str, surname: str) -> bool:
    """Whether `sentence` holds `surname` as a word of its own ("Knapman", not "Knapmans" or
    "Knapman-Smith"). A string search, not a regular expression: surnames are many, and
    compiling one each would overflow the re module's cache."""
    start = sentence.find(surname)
    while start >= 0:
        end = start + len(surname)
        before = sentence[start - 1 : start] if start else ""
        after = sentence[end : end + 1]
        if not _word_char(before) and not _word_char(after):
            return True
        start = sentence.find(surname, start + 1)
    return False


def _word_char(char: str) -> bool:
    return char.isalnum() or char in ("_", "-")


def leans_on(sentences: Sequence[str], index: int) -> int | None:
    """The sentence that sentence `index` of an article leans on, or None if it stands alone.

    For a title and surname that is the first sentence naming the person; the first mention
    itself stands alone (the article introduces them no better).
    """
    sentence = sentences[index]
    if index > 0 and leans_back(sentence):
        return index - 1
    surname = titled_surname(sentence)
    if surname is None:
        return None
    return next((i for i in range(index) if names(sentences[i], surname)), None)


def introduced(sentence: str, before: Sequence[str]) -> bool:
    """Whether a title-and-surname opener names someone one of `before` already named."""
    surname = titled_surname(sentence)
    return surname is None or any(names(s, surname) for s in before)


def dangling(summary: Sequence[str], article: Sequence[str]) -> list[str]:
    """The sentences of `summary` (in document order) that lean on one it left out.

    `article` is the article's sentences; a summary sentence not among them (cut, rewritten)
    is judged by its opening alone.
    """
    position = {s: i for i, s in reversed(list(enumerate(article)))}
    out = []
    for k, sentence in enumerate(summary):
        index = position.get(sentence)
        if index is None:
            if k and (leans_back(sentence) or not introduced(sentence, summary[:k])):
                out.append(sentence)
            continue
        target = leans_on(article, index)
        if target is None:
            continue
        if leans_back(sentence) and index > 0:
            ok = k > 0 and summary[k - 1] == article[index - 1]
        else:
            ok = introduced(sentence, summary[:k])
        if not ok:
            out.append(sentence)
    return out
