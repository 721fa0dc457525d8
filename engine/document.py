"""Turn raw article text into a ParsedArticle: date line, boilerplate, title."""

from __future__ import annotations

import re
from datetime import date

from engine.models import ParsedArticle
from engine.text import clean_whitespace, shorten, words

TITLE_CHARS = 110

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
# "BAKU, Azerbaijan, July 3." : a news-agency dateline before the first sentence.
_DATELINE = re.compile(r"^[A-Z][A-Z .'-]+,\s+[^.]{0,40}?\b\d{1,2}\.\s+")
# "On September 25, …": a date phrase that opens the first sentence says nothing as a title.
_LEADING_DATE = re.compile(
    r"^(On|In)\s+(January|February|March|April|May|June|July|August|September|October|"
    r"November|December)\s+\d{1,2}(,\s*\d{4})?,\s+",
)
# 'A discussion titled "Prospects for Peace" was held': the quoted name is the better title.
_TITLED = re.compile(r"\b(?:titled|entitled|headlined)\s+[\"“]([^\"”]{12,160})[\"”]")
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
    label lines above it ("European Union") are section labels and dropped. Otherwise the first
    sentence, without a news-agency dateline, shortened at a word boundary.
    """
    lines = body.splitlines()
    for index, line in enumerate(lines[:4]):
        if not line.strip():
            continue
        if not _is_heading(line):
            break
        if len(line.split()) >= _HEADING_MIN_WORDS:
            return line, "\n".join(lines[index + 1 :]).strip()
    first = next((ln for ln in lines if ln.strip()), "")
    first = _DATELINE.sub("", first)
    sentence_end = re.search(r"(?<=[a-z0-9)”\"])[.!?](\s|$)", first)
    sentence = first[: sentence_end.start() + 1] if sentence_end else first
    titled = _TITLED.search(sentence)
    if titled:
        return shorten(titled.group(1), TITLE_CHARS), body
    sentence = _LEADING_DATE.sub("", sentence)
    sentence = sentence[:1].upper() + sentence[1:]
    return shorten(sentence.rstrip("."), TITLE_CHARS) or "Untitled", body


def parse_text_article(
    raw: str, *, source: str | None = None, url: str | None = None
) -> ParsedArticle:
    """Parse a plain-text article: optional leading ` date YYYY-MM-DD`, boilerplate, title."""
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
    return ParsedArticle(title=title, body=body, published=published, source=source, url=url)
