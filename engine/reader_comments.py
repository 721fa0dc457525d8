"""Readers' comments below a plain-text article ("Veritas? It's the BNP in an expensive
suit!"): some saved pages carry them after the story with nothing marking where they begin,
and a summary or a focused summary then quotes a reader as if the article said it.

The rule, measured on the 2,225 BBC articles of ../shared/eval/bbc: the comments are a run of
at least five paragraphs at the end, the first of them a reader's voice (I, we, you, "!" or
"?") and without reporting (no quote marks, "said", "told", "according to", a spokesman), at
most a tenth of the run reporting and at least half of it in a reader's voice, after at least
three paragraphs of which half report. It cuts four BBC files, each at a comment section
(politics/111 one paragraph late), and no article text; comment sections that quote
and attribute as much as an article does (entertainment/131, politics/380) are kept whole.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_REPORTING = re.compile(
    r"[\"“”]|\b(?:said|says|saying|told|according to|announced|spokesman|spokeswoman|reported)\b",
    re.IGNORECASE,
)
_READER = re.compile(r"\b(?:i|i'm|i've|i'd|my|me|we|we're|our|you|your|us|let's)\b|[!?]", re.I)
MIN_ARTICLE = 3  # paragraphs of article before any comment
MIN_COMMENTS = 5  # a few remarks at the end of a column are not a comment section


def comments_start(paragraphs: Sequence[str]) -> int | None:
    """The index of the paragraph where readers' comments begin, or None if there are none."""
    n = len(paragraphs)
    reports = [bool(_REPORTING.search(p)) for p in paragraphs]
    readers = [bool(_READER.search(p)) for p in paragraphs]
    # Counts over each paragraph and all after it, so every start is judged in one pass.
    after_reports, after_readers = [0] * (n + 1), [0] * (n + 1)
    for i in range(n - 1, -1, -1):
        after_reports[i] = after_reports[i + 1] + reports[i]
        after_readers[i] = after_readers[i + 1] + readers[i]
    before_reports = 0
    for k in range(n):
        if k >= MIN_ARTICLE and n - k >= MIN_COMMENTS and readers[k] and not reports[k]:
            run = n - k
            if (
                after_reports[k] * 10 <= run
                and after_readers[k] * 2 >= run
                and before_reports * 2 >= k
            ):
                return k
        before_reports += reports[k]
    return None


def without_reader_comments(text: str) -> str:
    """`text` without the readers' comments at its end (paragraphs are its non-blank lines)."""
    lines = text.splitlines()
    numbers = [i for i, line in enumerate(lines) if line.strip()]
    start = comments_start([lines[i].strip() for i in numbers])
    if start is None:
        return text
    return "\n".join(lines[: numbers[start]]).rstrip()
