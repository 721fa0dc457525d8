"""Turn raw article text into a ParsedArticle: date line, boilerplate, title."""

from __future__ import annotations

import re
from datetime import date

from engine.lang.en import MONTH_PATTERN, MONTHS
from engine.models import ParsedArticle
from engine.sentences import split_sentences
from engine.text import clean_whitespace, words
from engine.titles import DATELINE, TITLE_CHARS, headline, quoted_title

__all__ = ["TITLE_CHARS", "derive_title", "parse_text_article", "strip_boilerplate"]

_DATE_LINE = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\s*")
# Page furniture that is a whole line on its own.
_BOILERPLATE_LINES = frozenset(
    s.casefold()
    for s in (
        "Connect with us",
        "Hi, what are you looking for?",
        "Advertisement",
        "Skip to content",
        "Subscribe to our newsletter",
    )
)
# Markers after which nothing belongs to the article (share boxes, disclaimers, teasers).
_TAIL_MARKERS = (
    re.compile(r"^share this article:?$", re.I),
    re.compile(r"^you may also like$", re.I),
    re.compile(r"^related (articles|posts|stories):?$", re.I),
    re.compile(r"^read more:?$", re.I),
)
# 'A discussion titled "Prospects for Peace" was held': the quoted name is the better title.
_TITLED = re.compile(r"\b(?:titled|entitled|headlined)\s+[\"“]([^\"”]{12,160})[\"”]")
_YEAR = r"(?:19|20)\d\d"
# A full date the text gives itself in its dateline or lede: "July 3, 2025", "3 July 2025",
# "2025-07-03". A day without a year ("On September 25,") is no date: the year is a guess.
_STATED_DATE = re.compile(
    rf"\b(?P<m1>{MONTH_PATTERN})\s+(?P<d1>\d{{1,2}}),\s*(?P<y1>{_YEAR})\b"
    rf"|\b(?P<d2>\d{{1,2}})\s+(?P<m2>{MONTH_PATTERN})\s+(?P<y2>{_YEAR})\b"
    rf"|\b(?P<iso>{_YEAR}-\d\d-\d\d)\b"
)
_STATED_DATE_CHARS = 300
_HEADING_MAX_CHARS = 100
_HEADING_MIN_WORDS = 4
# Article text has at least this many words...
MIN_ARTICLE_WORDS = 3
# ...and, below this many, at least one sentence: a page of menu links ("Home", "News",
# "Contact us") has words but no sentence.
MIN_UNPUNCTUATED_WORDS = 30
_SENTENCE_END = re.compile(r"[^\W_][\"'”’»)]*[.!?…。！？؟](\s|$)")


def too_little_text(body: str) -> bool:
    """Whether `body` holds no article text: a few words, or short lines without a sentence.

    Shared by every way articles arrive (files, /add, feeds), so a page whose main text is only
    its navigation ("Home") is refused everywhere alike.
    """
    count = len(words(body))
    if count < MIN_ARTICLE_WORDS:
        return True
    return count < MIN_UNPUNCTUATED_WORDS and not _SENTENCE_END.search(body)


def strip_boilerplate(text: str) -> str:
    """Drop page furniture lines and everything after a share box or teaser list."""
    kept: list[str] = []
    for line in text.splitlines():
        stripped = clean_whitespace(line)
        if any(marker.match(stripped) for marker in _TAIL_MARKERS):
            break
        if stripped.casefold() in _BOILERPLATE_LINES:
            continue
        kept.append(stripped)
    return "\n".join(kept).strip()


def _is_heading(line: str) -> bool:
    return 0 < len(line) <= _HEADING_MAX_CHARS and not line.endswith((".", "!", "?", ":", ";", ","))


def derive_title(body: str) -> tuple[str, str]:
    """Pick a title and return (title, body without the lines used up as title or labels).

    A short leading line of four or more words without closing punctuation is a headline; short
    label lines above it ("European Union") are section labels and dropped. Otherwise a name
    quoted after "titled" in the first sentence, else a headline made from the lede
    (engine/titles.py): at most TITLE_CHARS characters, never cut mid-phrase.
    """
    lines = body.splitlines()
    for index, line in enumerate(lines[:4]):
        if not line.strip():
            continue
        if not _is_heading(line):
            break
        if len(line.split()) >= _HEADING_MIN_WORDS:
            return quoted_title(line), "\n".join(lines[index + 1 :]).strip()
    sentences = split_sentences(body)
    lede = next((s for s in sentences if DATELINE.sub("", s + " ").strip()), "")
    titled = _TITLED.search(lede)
    if titled:
        return quoted_title(titled.group(1)), body
    return headline(body, lede), body


def stated_date(body: str) -> date | None:
    """The date the article states for itself in its opening (dateline or lede), if it does."""
    opening = body[:_STATED_DATE_CHARS].split("\n\n", 1)[0]
    m = _STATED_DATE.search(opening)
    if not m:
        return None
    try:
        if m.group("iso"):
            return date.fromisoformat(m.group("iso"))
        month = MONTHS.index(m.group("m1") or m.group("m2")) + 1
        return date(int(m.group("y1") or m.group("y2")), month, int(m.group("d1") or m.group("d2")))
    except ValueError:
        return None


def parse_text_article(
    raw: str, *, source: str | None = None, url: str | None = None
) -> ParsedArticle:
    """Parse a plain-text article: optional leading ` date YYYY-MM-DD` (else a full date stated
    in the dateline or lede), boilerplate, title."""
    published: date | None = None
    m = _DATE_LINE.match(raw)
    if m:
        try:
            published = date.fromisoformat(m.group(1))
        except ValueError:
            published = None
        raw = raw[m.end() :]
    body = strip_boilerplate(raw)
    title, body = derive_title(body)
    published = published or stated_date(body)
    return ParsedArticle(title=title, body=body, published=published, source=source, url=url)
