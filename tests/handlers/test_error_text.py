"""Errors in other languages are built from message ids that repeat each error's English
sentence (English replies print the error itself). If one side is reworded alone, the other
languages silently drift: here each message id, filled in English, must be the error's own
sentence."""

from __future__ import annotations

import pytest

import i18n
from engine import errors as engine_errors
from engine.opml import InvalidOpml
from handlers import error_text
from ingest import errors as ingest_errors
from storage.subscriptions import TooManySubscriptions

URL = "https://news.example/story"
SAMPLES: list[engine_errors.NewsbotError] = [
    engine_errors.EmptyQuery(),
    engine_errors.QueryTooLong(200),
    engine_errors.ArticleNotFound(99999),
    engine_errors.NoMatch("caspian <ferry> & co"),
    engine_errors.NotANumber("²"),
    engine_errors.NoArticleText("Home · About · Contact"),
    TooManySubscriptions(),
    InvalidOpml("its root element is not <opml>"),
    ingest_errors.FetchTooLarge(URL, 5_000_000, 6_000_000),
    ingest_errors.FetchTimeout(URL, 20),
    ingest_errors.NoArticleText(URL),
    ingest_errors.NotAFeed(URL),
]
# These add a lead-in to a free-form detail in other languages; English shows the detail alone.
WRAPPERS = (ingest_errors.FetchRefused, ingest_errors.FetchFailed, engine_errors.IngestError)


def _explainer(error: Exception) -> error_text.Explain:
    return next(sentence for kind, sentence in error_text._EXPLAIN if isinstance(error, kind))


@pytest.mark.parametrize("error", SAMPLES, ids=lambda e: type(e).__qualname__)
def test_each_message_id_is_the_errors_own_english_sentence(
    error: engine_errors.NewsbotError,
) -> None:
    with i18n.using("en"):
        assert _explainer(error)(error) == str(error)


def test_every_explained_kind_has_a_sample() -> None:
    kinds = [kind for kind, _sentence in error_text._EXPLAIN]
    unsampled = [k for k in kinds if k not in WRAPPERS and not any(type(e) is k for e in SAMPLES)]
    assert not unsampled, f"add a sample of each: {unsampled}"
