"""Domain errors in the reader's language: the error's message id translated, then filled with
its placeholders (engine.errors). English replies are the error's own sentence, as the CLI
prints it; a free-form detail (a library's or the network's words) stays as it was written,
with a lead-in in the reader's language."""

from __future__ import annotations

from engine.errors import NewsbotError, Problem, fill
from i18n import SOURCE_LANGUAGE, _, current


def explain(error: NewsbotError | Problem) -> str:
    """The error's sentence in the current reply's language, as plain text: its message id
    translated, filled with its placeholders (those that are message ids translated too)."""
    if current().language == SOURCE_LANGUAGE:
        return str(error)
    return fill(error.message_id, error.placeholders, error.translated, _)
