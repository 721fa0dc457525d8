"""Subscriptions in chat, and delivery through the outbox with 429 and 403 injected."""

from __future__ import annotations

from datetime import datetime

import pytest

from bot import offline
from bot.ratelimit import NewsRateLimiter
from engine.models import ParsedArticle
from handlers.render import utf16_len
from tests.support.app import Harness, MakeHarness, add_articles, deliver
from tests.support.stories import distinct_events
from tests.support.web import LocalWeb

GROUP = {"chat_id": -100500, "chat_type": "supergroup"}


async def test_subscribe_lists_and_unsubscribes(harness: Harness) -> None:
    [reply] = await harness.text("/subscribe peace talks daily 9:30")
    assert "Subscribed: “peace talks” · daily at 09:30 (UTC)" in reply
    await harness.text("/subscribe")
    [listing] = await harness.text("/subscriptions")
    assert "1. “peace talks” · daily at 09:30 (UTC)" in listing
    assert "2. all new articles · as they arrive" in listing
    labels = [label for label, _ in harness.buttons()]
    assert labels == ["Unsubscribe 1", "Unsubscribe 2"]
    assert await harness.text("/unsubscribe 1") == [
        "Stopped subscription 1: “peace talks” · daily at 09:30 (UTC)."
    ]
    [listing] = await harness.text("/subscriptions")
    assert "peace talks" not in listing and "1. all new articles" in listing
    assert await harness.text("/unsubscribe all") == ["Stopped 1 subscription."]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/subscribe peace daily 25:00", "“25:00” has no such hour: hours run from 00 to 23."),
        ("/subscribe peace daily 9am", "Write the time as HH:MM on a 24-hour clock"),
        ("/subscribe peace daily 09:75", "“09:75” has no such minute"),
        ("/subscribe 🙂 daily 09:00", "Give me some words"),
        ("/unsubscribe", "Usage: /unsubscribe"),
        ("/unsubscribe 7", "There is no subscription number 7"),
        ("/timezone Mars/Olympus", "Unknown time zone"),
        ("/timezone ../../etc/passwd", "Unknown time zone"),
        ("/timezone Asia Baku", "Usage: /timezone"),
    ],
)
async def test_bad_subscription_input_gets_one_line(
    harness: Harness, text: str, expected: str
) -> None:
    [reply] = await harness.text(text)
    assert expected in reply and "\n" not in reply


async def test_unsubscribe_button_cannot_touch_another_chats_subscription(harness: Harness) -> None:
    await harness.text("/subscribe", chat_id=2002, user_id=2002)
    [theirs] = await harness.services.subscriptions.for_chat(2002)
    calls = await harness.send(offline.callback_update(f"u|{theirs.id}"))
    answers = [c.params.get("text") for c in calls if c.method == "answerCallbackQuery"]
    assert answers == ["That subscription was already stopped."]
    assert len(await harness.services.subscriptions.for_chat(2002)) == 1


async def test_a_forged_digest_button_from_another_chat_gets_nothing(harness: Harness) -> None:
    await harness.text("/subscribe", chat_id=2002, user_id=2002)
    await add_articles(harness, "Private ferry story for chat 2002. Only that chat subscribed.")
    assert (await deliver(harness)).sent == 1
    [theirs] = await harness.services.subscriptions.for_chat(2002)
    forged = f"d|{theirs.id}|0"
    calls = await harness.send(offline.callback_update(forged))
    answers = [c.params.get("text") for c in calls if c.method == "answerCallbackQuery"]
    assert answers == ["That digest is no longer available."]
    assert harness.texts() == []
    # The same button in the chat the digest went to shows the article: the data was real.
    await harness.send(offline.callback_update(forged, chat_id=2002, user_id=2002))
    [more] = harness.texts()
    assert "Private ferry story" in more


async def test_only_group_admins_change_subscriptions(harness: Harness) -> None:
    [reply] = await harness.text("/subscribe", user_id=42, **GROUP)
    assert reply == "Only this group's admins can do that here."
    harness.request.admins.add(42)
    [reply] = await harness.text("/subscribe economy", user_id=42, **GROUP)
    assert reply.startswith("🔔 Subscribed")


async def test_instant_digest_delivers_new_matching_articles_once(harness: Harness) -> None:
    await harness.text("/subscribe khojaly")
    await harness.text("/subscribe", chat_id=3003, user_id=3003)
    await add_articles(
        harness,
        "Khojaly memorial opened. Leaders laid flowers.",
        "Wheat prices rose. Farmers smiled.",
    )
    report = await deliver(harness)
    sent = harness.request.sent("sendMessage")
    by_chat = {m["chat_id"]: m["text"] for m in sent}
    assert report.sent == 2 and set(by_chat) == {1001, 3003}
    assert "Khojaly memorial" in by_chat[1001] and "Wheat" not in by_chat[1001]
    assert "Khojaly memorial" in by_chat[3003] and "Wheat" in by_chat[3003]
    await deliver(harness)
    assert harness.request.sent("sendMessage") == [], "nothing is delivered twice"


async def test_keywords_are_typo_tolerant(harness: Harness) -> None:
    await harness.text("/subscribe Khojalyy")
    await add_articles(harness, "Khojaly anniversary marked in Belgrade. Diplomats spoke.")
    assert (await deliver(harness)).sent == 1


async def test_seed_articles_are_not_new_for_a_subscription(harness: Harness) -> None:
    await harness.text("/subscribe")
    assert (await deliver(harness)).sent == 0


async def test_near_duplicates_are_not_delivered_twice(harness: Harness) -> None:
    await harness.text("/subscribe")
    body = "The port of Alat opened a new terminal for containers this week, officials said. " * 3
    await harness.services.articles.add(
        [ParsedArticle("Alat opens terminal", body, url="https://news.example/alat?utm_source=x")]
    )
    await deliver(harness)
    await harness.services.articles.add(
        [
            ParsedArticle(
                "Alat port opens new terminal",
                body + " Updated.",
                url="https://news.example/alat-2",
            ),
            ParsedArticle(
                "Other", "Unrelated story.", url="https://www.news.example/alat/?fbclid=1"
            ),
        ]
    )
    await deliver(harness)
    assert harness.request.sent("sendMessage") == []


async def test_big_digest_is_capped_with_a_more_button(harness: Harness) -> None:
    await harness.text("/subscribe")
    events = distinct_events(13)  # thirteen different stories
    await harness.services.articles.add(events)
    await deliver(harness)
    [digest] = harness.request.sent("sendMessage")
    assert "…and 3 more." in digest["text"]
    more = [
        b for row in digest["reply_markup"]["inline_keyboard"] for b in row if b["text"] == "3 more"
    ]
    await harness.send(offline.callback_update(more[0]["callback_data"]))
    [rest] = harness.texts()
    assert all(event.title in rest for event in events[-3:]) and events[0].title not in rest


async def test_daily_digest_waits_for_its_local_time_and_goes_once_a_day(harness: Harness) -> None:
    await harness.text("/timezone Asia/Baku")  # UTC+4
    await harness.text("/subscribe daily 09:00")
    await add_articles(harness, "Bakery opens on Nizami street. Bread sold out early.")
    assert (await deliver(harness, datetime(2026, 3, 1, 4, 59))).sent == 0  # 08:59 in Baku
    assert (await deliver(harness, datetime(2026, 3, 1, 5, 0))).sent == 1  # 09:00 in Baku
    await add_articles(harness, "Metro line closes for repairs. Trains resume late.")
    assert (await deliver(harness, datetime(2026, 3, 1, 18, 0))).sent == 0  # same local day
    assert (await deliver(harness, datetime(2026, 3, 2, 5, 1))).sent == 1


async def test_429_postpones_the_digest_and_it_survives_a_restart(harness: Harness) -> None:
    await harness.text("/subscribe")
    await add_articles(harness, "Rate limited story. More text here.")
    harness.request.fail_next(
        "sendMessage", 429, "Too Many Requests: retry after 30", retry_after=30
    )
    report = await deliver(harness)
    assert report.postponed == 1 and report.sent == 0
    assert (await harness.services.outbox.reclaim_expired()) == 0  # still held, not lost
    assert (await deliver(harness)).sent == 0
    later = datetime.utcnow().replace(microsecond=0)
    from datetime import timedelta

    # A restart 31 s later: the wait is in the database, the new process's limiter is fresh.
    harness.app.bot._rate_limiter = NewsRateLimiter()
    assert (await deliver(harness, later + timedelta(seconds=31))).sent == 1


async def test_403_deactivates_the_chats_subscriptions(harness: Harness) -> None:
    await harness.text("/subscribe")
    await add_articles(harness, "Blocked story. Nobody reads it.")
    harness.request.fail_next("sendMessage", 403, "Forbidden: bot was blocked by the user")
    report = await deliver(harness)
    assert report.blocked == 1
    assert await harness.services.subscriptions.for_chat(1001) == []
    await add_articles(harness, "Another story. Still nobody.")
    assert (await deliver(harness)).sent == 0


async def test_group_migrated_to_supergroup_keeps_its_subscriptions(harness: Harness) -> None:
    harness.request.admins.add(1001)
    await harness.text("/subscribe", chat_id=-500, chat_type="group")
    migrate = offline.message_update("x", chat_id=-500, chat_type="group")
    del migrate["message"]["text"]
    migrate["message"]["migrate_to_chat_id"] = -100777
    await harness.send(migrate)
    assert await harness.services.subscriptions.for_chat(-500) == []
    assert len(await harness.services.subscriptions.for_chat(-100777)) == 1


async def test_forum_topic_subscription_is_delivered_to_that_topic(harness: Harness) -> None:
    harness.request.admins.add(1001)
    await harness.text("/subscribe", thread_id=77, **GROUP)
    await add_articles(harness, "Topic story. Goes to a thread.")
    await deliver(harness)
    [digest] = harness.request.sent("sendMessage")
    assert digest["chat_id"] == GROUP["chat_id"] and digest["message_thread_id"] == 77


async def test_add_url_puts_the_pages_main_text_in_the_corpus(
    make_harness: MakeHarness, site: LocalWeb
) -> None:
    harness = await make_harness(allow_private_hosts=True, admin_user_ids="1001")
    [reply] = await harness.text(f"/add {site.base}/grain")
    assert reply.startswith("Added #6: Grain corridor reopens")
    assert await harness.text(f"/add {site.base}/grain") == [
        "That article is already in the corpus."
    ]
    [reply] = await harness.text(f"/add {site.base}/missing")
    assert "answered 404 Not Found" in reply
    [reply] = await harness.text("/add ftp://example.com/x")
    assert reply.startswith("Usage: /add")


async def test_a_digest_of_long_titles_is_one_message_with_the_rest_behind_more(
    harness: Harness,
) -> None:
    await harness.text("/subscribe")
    # Ten different events, each under a headline of about 290 characters.
    stories = [
        ParsedArticle(
            " ".join([event.title] * 12)[:290],
            event.body[:-1] + " " + " ".join(event.title.lower().split() * 10) + ".",
        )
        for event in distinct_events(10)
    ]
    await harness.services.articles.add(stories)
    await deliver(harness)
    [digest] = harness.request.sent("sendMessage")
    assert utf16_len(digest["text"]) <= 4096
    buttons = [b["text"] for row in digest["reply_markup"]["inline_keyboard"] for b in row]
    assert buttons[-1].endswith("more")


async def test_daily_digests_waiting_for_their_hour_never_hold_back_instant_ones(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    from delivery import runner

    monkeypatch.setattr(runner, "ROUND_LIMIT", 1)  # one digest a round
    await harness.text("/subscribe daily 23:59")  # the older subscription, not due yet
    await harness.text("/subscribe", chat_id=3003, user_id=3003)
    await add_articles(harness, "Morning story. It is news.")
    report = await deliver(harness, datetime(2026, 3, 1, 9, 0))
    assert report.chats == [3003]
    assert (await deliver(harness, datetime(2026, 3, 1, 23, 59))).chats == [1001]


async def test_an_equal_subscription_is_refused_in_one_line(harness: Harness) -> None:
    [first] = await harness.text("/subscribe Azerbaijan -Armenia")
    assert first.startswith("🔔 Subscribed")
    assert await harness.text("/subscribe azerbaijan -ARMENIA") == [
        "Already subscribed: #1 (see /subscriptions)."
    ]
    assert len(await harness.services.subscriptions.for_chat(1001)) == 1


async def test_two_matching_subscriptions_bring_one_digest(harness: Harness) -> None:
    await harness.text("/subscribe Baku")
    await harness.text("/subscribe ferry")
    await add_articles(harness, "The Baku ferry sails again. It is news.")
    await deliver(harness)
    assert len(harness.texts()) == 1


async def test_timezone_alone_shows_the_zone_and_a_city_gets_a_suggestion(
    harness: Harness,
) -> None:
    assert await harness.text("/timezone") == [
        "Daily digests here follow UTC. Change it with /timezone Area/City."
    ]
    assert await harness.text("/timezone berlin") == [
        "Unknown time zone 'berlin'. Did you mean /timezone Europe/Berlin?"
    ]
    await harness.text("/timezone Asia/Baku")
    assert (await harness.text("/timezone"))[0].startswith("Daily digests here follow Asia/Baku.")


async def test_unsubscribe_says_what_it_stopped(harness: Harness) -> None:
    await harness.text("/subscribe Baku")
    await harness.text("/subscribe ferry -tanker")
    [reply] = await harness.text("/unsubscribe 2")
    assert reply.startswith("Stopped subscription 2: ") and "ferry" in reply and "tanker" in reply


async def test_to_a_channel_may_come_first(harness: Harness) -> None:
    # The stand-in Bot API knows no @mychannel: the reply proves it was read as a channel.
    [reply] = await harness.text("/subscribe to @mychannel ECO")
    assert reply.startswith("I can't reach @mychannel")
