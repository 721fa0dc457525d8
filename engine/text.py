"""Normalisation shared by indexing, querying and snippets.

`fold` is length-preserving (one character in, one character out), so offsets found in folded
text are valid in the original: snippets and highlight marks never need re-alignment.
"""

from __future__ import annotations

import re
import unicodedata

WORD_RE = re.compile(r"[^\W_]+")


class _FoldTable(dict[int, str]):
    """A lazily filled str.translate table: lower case, diacritics removed, one char per char."""

    def __missing__(self, codepoint: int) -> str:
        char = chr(codepoint)
        stripped = "".join(
            c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
        ).lower()
        if len(stripped) == 1:
            folded = stripped
        elif len(char.lower()) == 1:
            folded = char.lower()
        else:
            folded = char
        self[codepoint] = folded
        return folded


_FOLD = _FoldTable()


def fold(text: str) -> str:
    """Lower-case and strip diacritics, keeping every character's offset."""
    return text.translate(_FOLD)


def is_latin(word: str) -> bool:
    """Whether a word is all Latin letters (its typos are looked for among them)."""
    return word.isascii() and word.isalpha()


def words(text: str) -> list[str]:
    """The folded words of `text`, in order (letters and digits; punctuation splits words)."""
    return WORD_RE.findall(fold(text))


_SPACE_RE = re.compile(r"[ \t\u00a0]+")
_INVISIBLE_RE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")


def clean_whitespace(text: str) -> str:
    """Collapse runs of spaces and drop zero-width and direction-control characters."""
    return _SPACE_RE.sub(" ", _INVISIBLE_RE.sub("", text)).strip()


def shorten(text: str, limit: int, ellipsis: str = "…") -> str:
    """Cut `text` to at most `limit` characters at a word boundary, marking the cut."""
    text = text.strip()
    if len(text) <= limit:
        return text
    cut = text[: max(limit - len(ellipsis), 1)]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:-–—(") + ellipsis
