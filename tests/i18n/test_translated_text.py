"""German and Russian replies hold no English: the placeholders of /help's usage lines and the
project's own error sentences inside translated text (a feed's failure in /feeds, an OPML
file's reason, a schedule's mistake) are translated too."""

from __future__ import annotations

import re

import pytest

from bot import offline
from ingest.errors import FeedAnswered, NoConnection, NotPublic
from storage.feeds import FeedPoll
from tests.support.app import MakeHarness

LANGUAGES = ["de", "ru"]
# /help's English placeholders (command names, "add", "remove", "auto", "daily" and URL are
# what users type, in every language; HH:MM reads the same in German). An HTTP status keeps
# its standard reason phrase ("404 Not Found").
PLACEHOLDERS = re.compile(r"\b(WORDS|NOT|Area|City|days|ID|N)\b")
ENGLISH = [
    "is a loopback address",
    "only public web addresses",
    "the server answered",
    "could not fetch",
    "no connection",
    "its root element",
    "Write the time",
]


@pytest.mark.parametrize("language", LANGUAGES)
async def test_help_has_no_english_placeholders(make_harness: MakeHarness, language: str) -> None:
    h = await make_harness()
    [text] = await h.text("/help", language=language)
    usages = [line.split(" — ")[0] for line in text.splitlines() if line.startswith("/")]
    assert len(usages) > 10
    leftovers = [u for u in usages if PLACEHOLDERS.search(u)]
    assert not leftovers, f"English placeholders in {language} /help: {leftovers}"


@pytest.mark.parametrize("language", LANGUAGES)
async def test_feed_failures_in_feeds_are_in_the_readers_language(
    make_harness: MakeHarness, language: str
) -> None:
    h = await make_harness()
    refused = await h.services.feeds.add("https://intranet.example/rss")
    down = await h.services.feeds.add("https://down.example/rss")
    gone = await h.services.feeds.add("https://gone.example/rss")
    feeds = h.services.feeds
    await feeds.record(refused, FeedPoll(errors=[NotPublic("127.0.0.1", "loopback")], failed=True))
    await feeds.record(
        down, FeedPoll(errors=[NoConnection("https://down.example/rss", "connect")], failed=True)
    )
    await feeds.record(gone, FeedPoll(errors=[FeedAnswered(404)], failed=True))
    [text] = await h.text("/feeds", language=language)
    assert "127.0.0.1" in text and "https://down.example/rss" in text and "404" in text
    english = [e for e in ENGLISH if e in text]
    assert not english, f"English inside {language} /feeds: {english}\n{text}"
    with_english = await h.text("/feeds", language="en")
    assert "127.0.0.1 is a loopback address" in with_english[0]


@pytest.mark.parametrize("language", LANGUAGES)
async def test_schedule_and_opml_reasons_are_in_the_readers_language(
    make_harness: MakeHarness, language: str
) -> None:
    h = await make_harness(admin_user_ids="1001")
    [schedule] = await h.text("/subscribe peace daily 9am", language=language)
    assert "9am" in schedule and not [e for e in ENGLISH if e in schedule], schedule
    h.request.downloads["bad"] = b"<html><body>not a list</body></html>"
    update = offline.document_update("bad", "f.opml", 40, user_id=1001)
    update["message"]["from"]["language_code"] = language
    await h.send(update)
    [reply] = h.texts()
    assert "<opml>" in reply and not [e for e in ENGLISH if e in reply], reply
