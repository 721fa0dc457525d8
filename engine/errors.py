"""Domain errors: each carries a message id and placeholders, and the edges (chat, CLI) turn it
into a one-line reply in the reader's language (i18n.errors.explain), the way Home Assistant's
errors carry `translation_key` and `translation_placeholders`.

A message id is the English sentence with {placeholders}, written once, in the class, and
marked with N_ so `make messages` extracts it into the catalogs. `str(error)` is that sentence
filled in: what the CLI prints and what English replies say.

Hierarchy::

    NewsbotError
    ├── QueryError            the user's query cannot be used
    │   ├── EmptyQuery        nothing searchable in it (empty, only punctuation or emoji)
    │   └── QueryTooLong      longer than MAX_QUERY_CHARS
    ├── ArticleNotFound       no article with that id
    ├── NoMatch               a search that found nothing where one result was needed
    ├── NotANumber            digits that are not 0-9 ("²", "٣") where a number was needed
    └── IngestError           a file that could not be read as an article
        └── NoArticleText     a page or file with no article text (only "Home", a menu)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import ClassVar

from engine.text import shorten

DETAIL = "{detail}"
ID_CHARS = 30  # an id as echoed back: longer than any id can be, short enough for one line


def N_(message: str) -> str:
    """Mark a message id for extraction (`make messages`); it is translated where it is shown."""
    return message


def fill(
    message: str,
    placeholders: dict[str, object],
    translated: tuple[str, ...] = (),
    translate: Callable[[str], str] = str,
) -> str:
    """`message` (through `translate`) filled with its placeholders; those named in
    `translated` are message ids themselves ("it is not well-formed XML ({problem})"),
    translated and filled from the same placeholders first."""
    values = dict(placeholders)
    for name in translated:
        values[name] = translate(str(values[name])).format(**placeholders)
    return translate(message).format(**values)


class NewsbotError(Exception):
    """Base class for every error that should reach a user as a sentence, not a traceback.

    Raised with a free-form `detail` (a library's, the network's or the operating system's own
    words), its sentence is the detail alone; other languages put `lead_in` around it.
    """

    # The message id: the English sentence, with {placeholders}.
    message: str = DETAIL
    # What other languages say around a free-form detail (which stays as it was written).
    lead_in: ClassVar[str] = DETAIL
    # Placeholders whose values are message ids themselves ("loopback"), translated too.
    translated: ClassVar[tuple[str, ...]] = ()

    def __init__(self, detail: object = "", **placeholders: object) -> None:
        self.placeholders: dict[str, object] = {"detail": detail, **placeholders}
        super().__init__(fill(self.message, self.placeholders, self.translated))

    @property
    def message_id(self) -> str:
        """The message the edges translate: the sentence, or the lead-in of a free detail."""
        return self.lead_in if self.message == DETAIL else self.message


@dataclass(frozen=True, slots=True)
class Problem:
    """An error kept for later (a feed's last poll): what it takes to say it again, in the
    reader's language, after the exception is gone. `str()` is the English sentence."""

    message_id: str
    placeholders: dict[str, object] = field(default_factory=dict)
    text: str = ""
    translated: tuple[str, ...] = ()

    def __str__(self) -> str:
        return self.text

    @classmethod
    def of(cls, error: NewsbotError) -> Problem:
        """The error as kept: placeholders as text."""
        placeholders: dict[str, object] = {k: str(v) for k, v in error.placeholders.items()}
        return cls(error.message_id, placeholders, str(error), error.translated)


class QueryError(NewsbotError):
    """The user's query cannot be used as it is."""


class EmptyQuery(QueryError):
    """The query holds no word to search for."""

    message = N_("Give me some words to search for.")


class QueryTooLong(QueryError):
    """The query is longer than the engine accepts."""

    message = N_("That query is too long: keep it under {limit} characters.")

    def __init__(self, limit: int) -> None:
        super().__init__(limit=limit)


class ArticleNotFound(NewsbotError):
    """No article has the given id."""

    message = N_("No article with id {id}.")

    def __init__(self, article_id: object) -> None:
        # An id is typed by users: thousands of digits are echoed cut (a reply fits Telegram).
        super().__init__(id=shorten(str(article_id), ID_CHARS))


class StoryNotFound(NewsbotError):
    """No story has the given id."""

    message = N_("No story with id {id}.")

    def __init__(self, story_id: object) -> None:
        super().__init__(id=shorten(str(story_id), ID_CHARS))


class NoMatch(NewsbotError):
    """A search found nothing where a single best match was needed."""

    message = N_("Nothing matches “{query}”.")

    def __init__(self, query: str) -> None:
        super().__init__(query=query)


class NotANumber(NewsbotError):
    """Something that looks like a number ("²" is a digit to str.isdigit()) but is not 0-9."""

    message = N_("“{text}” is not a number: write ids and counts with the digits 0-9.")

    def __init__(self, text: str) -> None:
        super().__init__(text=text)


class IngestError(NewsbotError):
    """A file could not be turned into an article."""

    lead_in = N_("Nothing could be added: {detail}")


class NoArticleText(IngestError):
    """A page or file whose text is too little to be an article (navigation links only)."""

    message = N_("no article text, only “{text}”")

    def __init__(self, body: str) -> None:
        super().__init__(text=shorten(" ".join(body.split()), 60))
