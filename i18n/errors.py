"""Domain errors in the reader's language: the error's message id translated, then filled with
its placeholders (engine.errors). English replies are the error's own sentence, as the CLI
prints it; a free-form detail (a library's or the network's words) stays as it was written,
with a lead-in in the reader's language."""

from __future__ import annotations

from engine.errors import NewsbotError
from i18n import SOURCE_LANGUAGE, _, current


def explain(error: NewsbotError) -> str:
    """The error's sentence in the current reply's language, as plain text."""
    if current().language == SOURCE_LANGUAGE:
        return str(error)
    return _(error.message_id).format(**error.placeholders)
