"""Sentence splitting with pysbd, which handles abbreviations ("U.S.", "Feb. 25–26"), decimals
and quoted speech far better than a regex. Paragraphs (line breaks) always end a sentence."""

from __future__ import annotations

from functools import lru_cache

import pysbd


@lru_cache(maxsize=1)
def _segmenter() -> pysbd.Segmenter:
    return pysbd.Segmenter(language="en", clean=False)


def split_sentences(text: str) -> list[str]:
    """The sentences of `text` in order, stripped; blank lines and paragraph breaks split."""
    segmenter = _segmenter()
    out: list[str] = []
    for paragraph in text.splitlines():
        paragraph = paragraph.strip()
        if not paragraph:
            continue
        out.extend(s.strip() for s in segmenter.segment(paragraph) if s.strip())
    return out
