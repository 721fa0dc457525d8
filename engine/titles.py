"""Headline-like titles for articles that have none: at most 90 characters, ending at a word or
clause boundary (never cut mid-phrase with "…"), naming who or what and, where it can, where.

The title is the lede's main clause, tidied the way a sub-editor would: a dateline, an opening
date or framing phrase ("In a significant diplomatic move,"), a connective ("However,"),
parentheses and appositives ("Hikmat Hajiyev, Assistant to the President of Azerbaijan, held"
-> "Hikmat Hajiyev held") go, and the lede ends at its first clause boundary. If that is still
too long, a description before a person's name goes ("Ex-chat show host Robert Kilroy-Silk"
-> "Robert Kilroy-Silk"), then the subject's relative or participle clause ("A US claim
accusing … of covering up … has been thrown out" -> "A US claim has been thrown out"), then
the text ends at the last phrase boundary that fits (before a condition, a preposition, "and",
"that" or a comma), never on a function word, a possessive or inside a name ("Tory leader
Michael"). Later sentences are never the title: they are side details.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from engine.dangling import opens_with_connective
from engine.lang.en import FUNCTION_WORDS, MONTH_PATTERN
from engine.sentences import split_sentences
from engine.summary import content_words

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
# "Parmalat, the Italian food group at the centre of …, has": a description after a name.
_DESCRIPTION = re.compile(
    r"^([A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+)*),\s+(?:the|a|an)\s[^,]{3,90},\s+(?=[a-z])"
)
# "Hikmat Hajiyev, Assistant to the President of Azerbaijan, held": the role after a name.
_ROLE_APPOSITIVE = re.compile(rf"({_NAME}),\s+[A-Z][^,]{{3,60}},(?=\s+[a-z])")
# Where a clause ends: a dash, semicolon or colon, or a comma before a new clause.
_CLAUSE_END = re.compile(r"\s*[—–;:]\s*|\s+-\s+|,\s+(?=(?:which|who|while|but|as|and|with)\s)")
# A phrase starts before a preposition or conjunction; the headline may end before it.
# Best first: before a clause ("dashed as UK stars failed"), then before a preposition, then
# before "and" (which may join two words of one phrase: "acting and directing prizes").
_PHRASE_STARTS = (
    re.compile(r",?\s+(?=(?:as|but|while|because|although|though|when|whereas|until|if|unless)\s)"),
    re.compile(
        r",?\s+(?=(?:in|on|at|for|with|during|after|before|to|by|from|amid|over|under|into|"
        r"through|despite|since|following)\s)"
    ),
    re.compile(r",?\s+(?=and\s)"),
    # Before reported speech ("has told a court that fraud charges…") or an attribution
    # after a comma ("…Jordan Bratman, the singer's agent has confirmed").
    re.compile(r"\s+(?=that\s)|,\s+(?=\S)"),
)
_AUXILIARIES = "is|are|was|were|has|have|had|will|would|could|can|may|might|should|must|did|does|do"
# "A US government claim accusing the country's biggest tobacco companies of covering up the
# effects of smoking has been thrown out": the subject's relative or participle clause goes
# when the lede is too long ("A US government claim has been thrown out by an appeal court").
_SUBJECT_CLAUSE = re.compile(
    rf"^(?P<head>(?:(?!\b(?:{_AUXILIARIES})\b)[^,])+?)"
    rf"\s(?:who|which|(?<=\w\s)[a-z]{{3,}}ing)\s[^,]{{4,}}?\s(?P<verb>(?:{_AUXILIARIES})\s.+)$"
)
# "Ex-BBC chat show host and East Midlands MEP Robert Kilroy-Silk has said": a description
# (with a lower-case word in it) before a person's name, which alone is the subject.
# Not "Shares in UK drinks firm Allied Domecq have risen": there the name is no subject.
_DESCRIBED_NAME = re.compile(
    r"^(?=[^,]*?\b[a-z])(?:(?!\b(?:in|of|at|for|from|on|by|with|to)\s)[^,]){8,80}?"
    r"\s((?:[A-Z][a-z][\w'’-]*\s){1,2}[A-Z][a-z][\w'’-]*)\s(?=[a-z])"
)
# A connective opening the lede ("However, ", "But ", "So - ").
_CONNECTIVE = re.compile(r"^[A-Za-z]+(?:\s+[a-z]+){0,3}\s*(?:,|\s+-|\s)\s*")


def tidy(sentence: str) -> str:
    """The sentence without dateline, opener, parentheses, appositives or final full stop."""
    text = DATELINE.sub("", sentence.strip())
    text = _OPENER.sub("", text)
    text = _PARENS.sub("", text)
    text = _ROLE_THEN_SUBJECT.sub(r"\1 ", text)
    text = _NAME_APPOSITIVE.sub("", text)
    text = _ROLE_APPOSITIVE.sub(r"\1", text)
    text = _DESCRIPTION.sub(r"\1 ", text)
    text = text.strip().rstrip(".!?").rstrip()
    return text[:1].upper() + text[1:]


def _fits(length: int) -> bool:
    return _MIN_CHARS <= length <= TITLE_CHARS


def _ends_well(text: str) -> bool:
    """Not on a function word ("…of the", "…he wants to"): a headline ends on content."""
    last = text.rstrip(' ,;:-–—"“(').rsplit(None, 1)[-1].casefold()
    return last.strip("\"'“”‘’") not in FUNCTION_WORDS


def _last_boundary(text: str) -> str:
    """The text ended at the last phrase boundary that fits; failing that at the last word
    that fits and is not a function word. Never "…"."""
    for boundary in _PHRASE_STARTS:
        fits = [m.start() for m in boundary.finditer(text) if _fits(m.start())]
        for end in reversed(fits):
            if _ends_well(text[:end]):
                return text[:end].rstrip(" ,")
    spaces = [
        i
        for i, c in enumerate(text[: TITLE_CHARS + 1])
        if c == " " and i >= _MIN_CHARS and _ends_well(text[:i]) and not _inside_phrase(text, i)
    ]
    # Best before a function word ("…more | than a hostile bid"): a noun phrase ends there.
    for end in reversed(spaces):
        if _next_word(text, end) in FUNCTION_WORDS:
            return text[:end].rstrip(" ,;:-–—(")
    if spaces:
        return text[: spaces[-1]].rstrip(" ,;:-–—(")
    return text[: text.rfind(" ", 0, TITLE_CHARS + 1)].rstrip(" ,;:-–—(")


def _next_word(text: str, end: int) -> str:
    rest = text[end + 1 :].split(maxsplit=1)
    return rest[0].casefold() if rest else ""


def _inside_phrase(text: str, end: int) -> bool:
    """Whether the space at `end` parts two capitalised words ("Tory leader Michael | Howard",
    "His Dark | Materials": a name or title goes on) or follows a possessive ("rugby's |
    club-versus-country debate")."""
    last = text[text.rfind(" ", 0, end) + 1 : end]
    if last.endswith(("'s", "’s", "s'", "s’")):
        return True
    return last[:1].isupper() and text[end + 1 : end + 2].isupper()


def _without_subject_clause(text: str) -> str:
    """The text without its subject's relative or participle clause, if it has one."""
    found = _SUBJECT_CLAUSE.match(text)
    if not found or not _ends_well(found["head"]):
        return text
    return f"{found['head']} {found['verb']}"


def _cut(text: str) -> str:
    """The main clause (the text up to its first clause boundary), then, if still too long,
    the subject without its description, then the last phrase boundary that fits."""
    clause = _CLAUSE_END.search(text)
    if clause and clause.start() >= _MIN_CHARS:
        text = text[: clause.start()]
    if len(text) <= TITLE_CHARS:
        return text
    described = _DESCRIBED_NAME.match(text)
    if described:
        text = text[described.start(1) :]
        if len(text) <= TITLE_CHARS:
            return text
    shorter = _without_subject_clause(text)
    if _fits(len(shorter)):
        return shorter
    return _last_boundary(text)


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
    """A title of at most TITLE_CHARS characters for an article whose first sentence is
    `lede`: the lede's main clause, never opening with a connective. (`body` is the text the
    lede opens; a lede is the article's point, a later sentence is a side detail.)"""
    first = tidy(lede)
    without = _CONNECTIVE.match(first)
    if without and opens_with_connective(first) and len(first) > without.end():
        rest = first[without.end() :]
        first = rest[:1].upper() + rest[1:]
    if not first:
        first = tidy(next(iter(split_sentences(body)), ""))
    return _cut(first) if first else "Untitled"


def beyond_title(title: str, sentences: Sequence[str]) -> str:
    """The first sentence that does not restate the title (holds under half of its content
    words), for a one-line description under the title; "" if every one restates it."""
    said = set(content_words(title))
    for sentence in sentences:
        if len(said & set(content_words(sentence))) * 2 < len(said):
            return sentence
    return ""
