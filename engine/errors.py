"""Domain errors, translated into friendly one-line replies at the edges (chat, CLI).

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

from engine.text import shorten


class NewsbotError(Exception):
    """Base class for every error that should reach a user as a sentence, not a traceback."""


class QueryError(NewsbotError):
    """The user's query cannot be used as it is."""


class EmptyQuery(QueryError):
    """The query holds no word to search for."""

    def __init__(self) -> None:
        super().__init__("Give me some words to search for.")


class QueryTooLong(QueryError):
    """The query is longer than the engine accepts."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        super().__init__(f"That query is too long: keep it under {limit} characters.")


class ArticleNotFound(NewsbotError):
    """No article has the given id."""

    def __init__(self, article_id: object) -> None:
        self.article_id = article_id
        super().__init__(f"No article with id {article_id}.")


class NoMatch(NewsbotError):
    """A search found nothing where a single best match was needed."""

    def __init__(self, query: str) -> None:
        self.query = query
        super().__init__(f"Nothing matches “{query}”.")


class NotANumber(NewsbotError):
    """Something that looks like a number ("²" is a digit to str.isdigit()) but is not 0-9."""

    def __init__(self, text: str) -> None:
        self.text = text
        super().__init__(f"“{text}” is not a number: write ids and counts with the digits 0-9.")


class IngestError(NewsbotError):
    """A file could not be turned into an article."""


class NoArticleText(IngestError):
    """A page or file whose text is too little to be an article (navigation links only)."""

    def __init__(self, body: str) -> None:
        self.body = body
        super().__init__(f"no article text, only “{shorten(' '.join(body.split()), 60)}”")
