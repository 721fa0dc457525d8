"""Snippets: a short excerpt around the matched words, on one line, with the marks kept.

A line break in the article (a heading, a paragraph end) stays a boundary: the excerpt starts
at a line start when one is near, and a break inside the excerpt becomes " · ", so a heading
never runs into the next sentence.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from engine.models import Snippet

SNIPPET_CHARS = 220
LINE_SEPARATOR = " · "
# The index's highlight marks (control characters never left in stored text by ingest).
MARK_START = "\x01"
MARK_END = "\x02"


def unmark(marked: str) -> tuple[str, list[tuple[int, int]]]:
    """Text without the index's marks, and the (start, end) offsets they enclosed."""
    if MARK_START not in marked:
        return marked, []
    pieces: list[str] = []
    spans: list[tuple[int, int]] = []
    length = 0
    for i, part in enumerate(marked.split(MARK_START)):
        if i == 0:
            inside, outside = "", part
        else:
            inside, _, outside = part.partition(MARK_END)
        if inside:
            spans.append((length, length + len(inside)))
            pieces.append(inside)
            length += len(inside)
        pieces.append(outside)
        length += len(outside)
    return "".join(pieces), spans


def snippet(
    text: str, spans: Sequence[tuple[int, int]], centre: int, size: int = SNIPPET_CHARS
) -> Snippet:
    """An excerpt of about `size` characters around `centre`, cut at spaces, with marks."""
    start = max(0, centre - size // 4)
    line_start = text.rfind("\n", 0, centre) + 1
    if start < line_start <= centre:
        start = line_start  # the line the match is on begins inside the window: start there
    elif start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < centre else start
    end = min(len(text), start + size)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > centre else end
    excerpt = text[start:end].rstrip()
    lead = "…" if start > 0 and line_start != start else ""
    tail = "…" if start + len(excerpt) < len(text) else ""
    shift = len(lead) - start
    marks = [(a + shift, b + shift) for a, b in spans if a >= start and b <= start + len(excerpt)]
    return _one_line(lead + excerpt + tail, marks)


_BREAKS = re.compile(r"\s*\n\s*|[ \t\r\f\v\u00a0]{2,}|[^\S \n]")


def _one_line(text: str, marks: list[tuple[int, int]]) -> Snippet:
    """Line breaks become LINE_SEPARATOR, other runs of spaces one space; marks move along."""
    pieces: list[str] = []
    last = 0
    cuts: list[tuple[int, int]] = []  # (end of a replaced run in the old text, shift so far)
    shift = 0
    for m in _BREAKS.finditer(text):
        new = LINE_SEPARATOR if "\n" in m.group() else " "
        pieces += [text[last : m.start()], new]
        shift += len(new) - (m.end() - m.start())
        cuts.append((m.end(), shift))
        last = m.end()
    if not cuts:
        return Snippet(text, tuple(marks))
    pieces.append(text[last:])

    def moved(offset: int) -> int:
        before = [s for end, s in cuts if end <= offset]
        return offset + (before[-1] if before else 0)

    return Snippet("".join(pieces), tuple((moved(a), moved(b)) for a, b in marks))
