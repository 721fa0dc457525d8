"""Domain errors in the reader's language. English replies are the errors' own sentences (the
CLI prints the same); other languages build theirs from each error's fields. Free-form details
from the network or an XML parser (`detail`) stay as the library wrote them."""

from __future__ import annotations

from collections.abc import Callable

import i18n
from engine import errors as engine_errors
from engine.opml import InvalidOpml
from engine.text import shorten
from i18n import _
from ingest import errors as ingest_errors
from storage.subscriptions import MAX_SUBSCRIPTIONS_PER_CHAT, TooManySubscriptions

Explain = Callable[[Exception], str]


def _too_many(_error: Exception) -> str:
    limit = MAX_SUBSCRIPTIONS_PER_CHAT
    return _("This chat already has {count} subscriptions.").format(count=limit)


def _fields(error: Exception, template: str, **names: str) -> str:
    """`template` filled with the error's attributes (`names` maps placeholder → attribute)."""
    return template.format(**{key: getattr(error, attr) for key, attr in names.items()})


# Most specific first: the first class the error is an instance of explains it.
_EXPLAIN: tuple[tuple[type[Exception], Explain], ...] = (
    (engine_errors.EmptyQuery, lambda e: _("Give me some words to search for.")),
    (
        engine_errors.QueryTooLong,
        lambda e: _fields(
            e, _("That query is too long: keep it under {limit} characters."), limit="limit"
        ),
    ),
    (
        engine_errors.ArticleNotFound,
        lambda e: _fields(e, _("No article with id {id}."), id="article_id"),
    ),
    (engine_errors.NoMatch, lambda e: _fields(e, _("Nothing matches “{query}”."), query="query")),
    (
        engine_errors.NotANumber,
        lambda e: _fields(
            e, _("“{text}” is not a number: write ids and counts with the digits 0-9."), text="text"
        ),
    ),
    (TooManySubscriptions, _too_many),
    (
        InvalidOpml,
        lambda e: _fields(
            e, _("That file is not a readable OPML feed list: {reason}."), reason="reason"
        ),
    ),
    (
        ingest_errors.FetchTooLarge,
        lambda e: _("{url} is larger than {size}").format(
            url=getattr(e, "url", ""), size=ingest_errors.size_words(getattr(e, "limit", 0))
        ),
    ),
    (
        ingest_errors.FetchTimeout,
        lambda e: _("{url} took longer than {seconds} s to download").format(
            url=getattr(e, "url", ""), seconds=f"{getattr(e, 'seconds', 0):g}"
        ),
    ),
    (
        ingest_errors.NoArticleText,
        lambda e: _fields(
            e,
            _("no article text on {url} (only navigation or links, or too short to be an article)"),
            url="url",
        ),
    ),
    (
        engine_errors.NoArticleText,
        lambda e: _("no article text, only “{text}”").format(
            text=shorten(" ".join(str(getattr(e, "body", "")).split()), 60)
        ),
    ),
    (
        ingest_errors.NotAFeed,
        lambda e: _fields(
            e, _("{url} is neither an RSS/Atom feed nor a page that links to one"), url="url"
        ),
    ),
    (ingest_errors.FetchRefused, lambda e: _("Not fetched: {detail}").format(detail=e)),
    (ingest_errors.FetchFailed, lambda e: _("The download failed: {detail}").format(detail=e)),
    (engine_errors.IngestError, lambda e: _("Nothing could be added: {detail}").format(detail=e)),
)


def explain(error: engine_errors.NewsbotError) -> str:
    """The error's sentence in the current reply's language, as plain text."""
    if i18n.current().language == i18n.SOURCE_LANGUAGE:
        return str(error)
    for kind, sentence in _EXPLAIN:
        if isinstance(error, kind):
            return sentence(error)
    return str(error)
