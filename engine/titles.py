"""Headline-like titles for articles that have none: at most 90 characters, ending at a word or
clause boundary (never cut mid-phrase with "…"), naming who or what and, where it can, where.

The lede is the first choice, tidied the way a sub-editor would: a dateline, an opening date or
framing phrase ("In a significant diplomatic move,"), parentheses and appositives ("Hikmat
Hajiyev, Assistant to the President of Azerbaijan, held" -> "Hikmat Hajiyev held") go. If the
lede is still too long, a short central sentence that names its subject is next; then the lede
cut at its first clause boundary, then at the last phrase boundary that fits.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from engine.lang.en import MONTH_PATTERN
from engine.summary import content_words, rank_sentences
from engine.text import shorten

TITLE_CHARS = 90
_MIN_CHARS = 25

# "BAKU, Azerbaijan, July 3." : a news-agency dateline before the first sentence.
DATELINE = re.compile(r"^[A-Z][A-Z .'-]+,\s+[^.]{0,40}?\b\d{1,2}\.\s+")
# "On September 25, …", "In a significant diplomatic move, …": framing before the subject.
_OPENER = re.compile(
    rf"^(?:(?:On|In)\s+{MONTH_PATTERN}\s+\d{{1,2}}(?:,\s*\d{{4}})?,\s+"
    r"|(?:In|On|At|After|During|Following|Amid|According to)\s[^,]{3,45},\s+)"
)
_PARENS = re.compile(r"\s*\([^()]{1,40}\)")
_NAME = r"[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){1,3}"
# "The Minister of Foreign Affairs, Jeyhun Bayramov, met": the name is the subject.
_ROLE_THEN_SUBJECT = re.compile(rf"^[^,]{{3,80}},\s+({_NAME}),\s+(?=[a-z])")
# "…of the ECO, Asad Majid Khan, during": a name after its role says little in a headline.
_NAME_APPOSITIVE = re.compile(rf",\s+{_NAME},(?=\s+[a-z])")
# "Hikmat Hajiyev, Assistant to the President of Azerbaijan, held": the role after a name.
_ROLE_APPOSITIVE = re.compile(rf"({_NAME}),\s+[A-Z][^,]{{3,60}},(?=\s+[a-z])")
# Where a clause ends: a dash, semicolon or colon, or a comma before a new clause.
_CLAUSE_END = re.compile(r"\s*[—–;:]\s*|\s+-\s+|,\s+(?=(?:which|who|while|but|as|and|with)\s)")
# A phrase starts before a preposition or conjunction; the headline may end before it.
_PHRASE_START = re.compile(
    r",?\s+(?=(?:in|on|at|for|with|during|after|before|to|by|from|as|and|but|while|amid|"
    r"over|under|into|through|despite|since|following)\s)"
)
# Sentences that open this way lean on the one before ("This summit", "He said").
_LEANING = re.compile(r"^(?:This|These|That|Those|It|Its|He|She|They|His|Her|Their|But|And)\b")


def tidy(sentence: str) -> str:
    """The sentence without dateline, opener, parentheses, appositives or final full stop."""
    text = DATELINE.sub("", sentence.strip())
    text = _OPENER.sub("", text)
    text = _PARENS.sub("", text)
    text = _ROLE_THEN_SUBJECT.sub(r"\1 ", text)
    text = _NAME_APPOSITIVE.sub("", text)
    text = _ROLE_APPOSITIVE.sub(r"\1", text)
    text = text.strip().rstrip(".!?").rstrip()
    return text[:1].upper() + text[1:]


def _names_subject(text: str) -> bool:
    """A capitalised word after the first: a name, a place, an organisation."""
    return any(w[:1].isupper() for w in text.split()[1:]) and not _LEANING.match(text)


def _fits(length: int) -> bool:
    return _MIN_CHARS <= length <= TITLE_CHARS


def _cut(text: str) -> str:
    """The text ended at its first clause boundary, then at the last phrase boundary that fits."""
    clause = _CLAUSE_END.search(text)
    if clause and clause.start() >= _MIN_CHARS:
        text = text[: clause.start()]
    if len(text) <= TITLE_CHARS:
        return text
    fits = [m.start() for m in _PHRASE_START.finditer(text) if _fits(m.start())]
    if fits:
        return text[: fits[-1]].rstrip(" ,")
    return shorten(text, TITLE_CHARS)


def quoted_title(name: str) -> str:
    """A quoted event or report name as a title: "Prospects for Peace…: Azerbaijan and Armenia
    after the Washington Summit" keeps the part after the colon when the whole is too long."""
    name = name.strip()
    if len(name) <= TITLE_CHARS:
        return name
    _, colon, after = name.partition(": ")
    if colon and _MIN_CHARS <= len(after) <= TITLE_CHARS:
        return after[:1].upper() + after[1:]
    return _cut(name)


def headline(body: str, lede: str) -> str:
    """A title of at most TITLE_CHARS characters for an article whose first sentence is `lede`."""
    first = tidy(lede)
    if 0 < len(first) <= TITLE_CHARS:
        return first
    ranked = rank_sentences(body)
    for sentence in ranked[: max(8, len(ranked) // 3)]:
        candidate = tidy(sentence)
        if _MIN_CHARS <= len(candidate) <= TITLE_CHARS and _names_subject(candidate):
            return candidate
    return _cut(first) if first else "Untitled"


def beyond_title(title: str, sentences: Sequence[str]) -> str:
    """The first sentence that does not restate the title (holds under half of its content
    words), for a one-line description under the title; "" if every one restates it."""
    said = set(content_words(title))
    for sentence in sentences:
        if len(said & set(content_words(sentence))) * 2 < len(said):
            return sentence
    return ""
