"""Each domain error's sentence is written once, as its message id. English replies are the
error's own sentence; other languages translate the id and fill in the same placeholders, so
a sentence reworded in the code without `make messages` loses its translation here."""

from __future__ import annotations

import pytest

import i18n
from engine import errors as engine_errors
from engine.opml import InvalidOpml
from i18n.errors import explain
from ingest import errors as ingest_errors
from services import corpus, subscriptions
from services.feeds import FeedListFull
from storage.db import StoreFailed, StoreReadOnly
from storage.feeds import BadFeedUrl, FeedUrlTooLong
from storage.subscriptions import AlreadySubscribed, TooManySubscriptions

URL = "https://news.example/story"
SAMPLES: list[engine_errors.NewsbotError] = [
    engine_errors.EmptyQuery(),
    engine_errors.QueryTooLong(200),
    engine_errors.ArticleNotFound(99999),
    engine_errors.StoryNotFound(99999),
    engine_errors.NoMatch("caspian <ferry> & co"),
    engine_errors.NotANumber("²"),
    engine_errors.NoArticleText("Home · About · Contact"),
    TooManySubscriptions(),
    AlreadySubscribed(2),
    FeedListFull(1000),
    InvalidOpml("its root element is not {root}", root="<opml>"),
    InvalidOpml("it is not well-formed XML ({problem})", problem="mismatched tag: line 1"),
    BadFeedUrl(),
    FeedUrlTooLong(2000),
    ingest_errors.NotHttp("ftp://news.example/"),
    ingest_errors.NotWebAddress("http://[news"),
    ingest_errors.NotPublic("news.example (127.0.0.1)", "loopback"),
    ingest_errors.TooManyRedirects(URL, 5),
    ingest_errors.EncodingRefused(URL, "br"),
    ingest_errors.StackedEncodings(URL, "gzip, gzip"),
    ingest_errors.NoConnection(URL, "connect"),
    ingest_errors.BadStatus(URL, 404),
    ingest_errors.BadBody(URL, "gzip"),
    ingest_errors.FeedAnswered(503),
    ingest_errors.FeedGone(),
    ingest_errors.FeedTooSlow(60),
    ingest_errors.FeedUnreadable("MemoryError"),
    corpus.NoIds(),
    corpus.NotAnId("abc"),
    corpus.TooManyIds(100),
    subscriptions.NotClockTime("9am"),
    subscriptions.HourOutOfRange("25:00"),
    subscriptions.MinuteOutOfRange("09:75"),
    subscriptions.NotQuietRange("22-07 late"),
    subscriptions.EmptyQuietRange("07:00-07:00"),
    ingest_errors.FetchTooLarge(URL, 5_000_000, 6_000_000),
    ingest_errors.FetchTimeout(URL, 20),
    ingest_errors.NoArticleOnPage(URL),
    ingest_errors.NotAFeed(URL),
    # A free-form detail: English shows it alone, other languages lead in.
    ingest_errors.FetchRefused("a local socket is not a web address"),
    ingest_errors.FetchFailed("news.example answered 404 Not Found"),
    engine_errors.IngestError("file is empty"),
    StoreFailed("database or disk is full"),
    StoreReadOnly("attempt to write a readonly database"),
]
TRANSLATED = i18n.languages()[1:]


@pytest.mark.parametrize("error", SAMPLES, ids=lambda e: type(e).__qualname__)
def test_english_replies_are_the_errors_own_sentence(error: engine_errors.NewsbotError) -> None:
    with i18n.using("en"):
        assert explain(error) == str(error)
    assert "{" not in str(error), "every placeholder is filled"


@pytest.mark.parametrize("language", TRANSLATED)
@pytest.mark.parametrize("error", SAMPLES, ids=lambda e: type(e).__qualname__)
def test_other_languages_translate_the_sentence_and_keep_its_values(
    language: str, error: engine_errors.NewsbotError
) -> None:
    with i18n.using(language):
        reply = explain(error)
    assert reply != str(error), f"no {language} translation of {error.message_id!r}"
    for name, value in error.placeholders.items():
        if name in error.translated:  # a message id itself: translated too, never English
            assert str(value).split("{")[0] not in reply
        else:
            assert str(value) in reply


def test_a_free_form_detail_is_the_whole_english_sentence() -> None:
    refused = ingest_errors.FetchRefused("ftp://x is not http")
    assert str(refused) == "ftp://x is not http"
    with i18n.using("de"):
        assert explain(refused) == "Nicht abgerufen: ftp://x is not http"


def _kinds(kind: type[engine_errors.NewsbotError]) -> list[type[engine_errors.NewsbotError]]:
    return [kind, *(k for sub in kind.__subclasses__() for k in _kinds(sub))]


def test_every_error_with_a_sentence_of_its_own_has_a_sample() -> None:
    kinds = _kinds(engine_errors.NewsbotError)[1:]  # the base has no sentence, only a detail
    own = {k for k in kinds if {"message", "lead_in"} & set(vars(k))}
    unsampled = own - {type(e) for e in SAMPLES}
    assert not unsampled, f"add a sample of each: {unsampled}"
