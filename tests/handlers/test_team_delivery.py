"""Exclusions, quiet hours, silent digests and channels, through the real delivery path."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from bot.ratelimit import NewsRateLimiter
from delivery.rounds import in_quiet_hours
from tests.support.app import Harness, add_articles, deliver

CHANNEL = {"id": -1001234567890, "type": "channel", "title": "Team news", "username": "teamnews"}
BOT_ID = 777000111


async def test_excluded_words_keep_matching_articles_out(harness: Harness) -> None:
    [reply] = await harness.text("/subscribe peace -sprot")  # a typo in the excluded word too
    assert "“peace” not “sprot”" in reply
    await add_articles(
        harness,
        "Peace talks resume in Vienna. Diplomats met for six hours on the new agreement.",
        "Peace cup sport final in Baku. The sport fans filled the stadium for the match.",
    )
    assert (await deliver(harness)).sent == 1
    [digest] = harness.texts()
    assert "Peace talks resume" in digest and "Peace cup" not in digest
    [listing] = await harness.text("/subscriptions")
    assert "1. “peace” not “sprot” · as they arrive" in listing


@pytest.mark.parametrize(
    ("clock", "overnight", "small_hours"),
    [
        ("00:30", True, False),
        ("01:00", True, True),
        ("04:59", True, True),
        ("05:00", True, False),
        ("06:59", True, False),
        ("07:00", False, False),
        ("21:59", False, False),
        ("22:00", True, False),
        ("23:00", True, False),
    ],
)
def test_quiet_hours_may_wrap_past_midnight(clock: str, overnight: bool, small_hours: bool) -> None:
    """22:00-07:00 wraps past midnight; 01:00-05:00 does not. Start included, end excluded."""
    assert in_quiet_hours(clock, "22:00", "07:00") is overnight
    assert in_quiet_hours(clock, "01:00", "05:00") is small_hours


async def test_quiet_hours_hold_digests_and_send_them_as_one_after_a_restart(
    harness: Harness,
) -> None:
    [reply] = await harness.text("/quiet 22:00-07:00")
    assert "Quiet hours 22:00–07:00" in reply
    await harness.text("/subscribe")
    await add_articles(harness, "Ferry strike halts crossings. Unions walked out at eleven.")
    assert (await deliver(harness, datetime(2026, 3, 1, 23, 0))).sent == 0
    await add_articles(harness, "Harvest festival opens in Quba. Stalls opened at three.")
    assert (await deliver(harness, datetime(2026, 3, 2, 3, 0))).sent == 0
    harness.app.bot._rate_limiter = NewsRateLimiter()  # a restart: only the database remembers
    assert (await deliver(harness, datetime(2026, 3, 2, 7, 0))).sent == 1
    [digest] = harness.texts()
    assert "Ferry strike halts crossings" in digest and "Harvest festival opens" in digest
    assert (await deliver(harness, datetime(2026, 3, 2, 7, 5))).sent == 0, "exactly once"
    [listing] = await harness.text("/subscriptions")
    assert "Quiet hours 22:00–07:00" in listing
    assert await harness.text("/quiet off") == [
        "🔔 No quiet hours here: digests arrive as they come."
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "/quiet 22:00",
            "Write quiet hours as HH:MM-HH:MM, e.g. /quiet 22:00-07:00 (not “22:00”).",
        ),
        ("/quiet 25:00-07:00", "“25:00” has no such hour: hours run from 00 to 23."),
        ("/quiet 22-07", "Write the time as HH:MM on a 24-hour clock"),
        ("/quiet 07:00-07:00", "Quiet hours “07:00-07:00” start when they end"),
    ],
)
async def test_bad_quiet_hours_name_the_part_that_is_wrong(
    harness: Harness, text: str, expected: str
) -> None:
    [reply] = await harness.text(text)
    assert reply.startswith(expected)


async def test_silent_digests_arrive_without_a_notification(harness: Harness) -> None:
    [reply] = await harness.text("/subscribe economy silent")
    assert "· silent" in reply
    await harness.text("/subscribe", chat_id=3003, user_id=3003)
    await add_articles(harness, "Economy grows again. The economy ministry said so.")
    await deliver(harness)
    by_chat = {m["chat_id"]: m for m in harness.request.sent("sendMessage")}
    assert by_chat[1001].get("disable_notification") is True
    assert not by_chat[3003].get("disable_notification")


@pytest.fixture
def channel(harness: Harness) -> dict[str, Any]:
    """A channel the Bot API knows: getChat answers it; admins decide getChatMember."""
    known = {**CHANNEL, "accent_color_id": 0, "max_reaction_count": 11}
    harness.request.chats.update({f"@{known['username']}": known, str(known["id"]): known})
    return known


async def test_digests_go_to_a_channel_both_administer(
    harness: Harness, channel: dict[str, Any]
) -> None:
    harness.request.admins.update({1001, BOT_ID})
    [reply] = await harness.text("/subscribe to @teamnews")
    assert reply.startswith("🔔 Subscribed: all new articles · as they arrive · to @teamnews")
    await harness.text("/subscribe")  # the chat's own subscription
    await add_articles(harness, "Port authority names director. The board met on Monday.")
    await deliver(harness)
    targets = sorted(m["chat_id"] for m in harness.request.sent("sendMessage"))
    assert targets == sorted([CHANNEL["id"], 1001])

    await add_articles(harness, "Airline adds Tbilisi route. Flights start in May.")
    request = harness.request
    send = request.do_request

    async def channel_says_403(url: str, method: str, request_data: Any = None, **kw: Any) -> Any:
        params = request_data.parameters if request_data else {}
        if url.endswith("/sendMessage") and params.get("chat_id") == CHANNEL["id"]:
            request.fail_next("sendMessage", 403, "Forbidden: bot is not a member of the channel")
        return await send(url, method, request_data, **kw)

    request.do_request = channel_says_403  # type: ignore[method-assign]
    report = await deliver(harness)
    assert report.blocked == 1
    subs = await harness.services.subscriptions.for_chat(1001)
    assert [s.deliver_to for s in subs] == [None], "only the channel's subscription stopped"


@pytest.mark.parametrize(
    ("admins", "kind", "expected"),
    [
        ({BOT_ID}, "channel", "Only @teamnews's administrators can send digests there."),
        ({1001}, "channel", "I can't post in @teamnews: make me an administrator there."),
        ({1001, BOT_ID}, "supergroup", "@teamnews is not a channel."),
    ],
)
async def test_a_channel_nobody_may_use_is_refused(
    harness: Harness, channel: dict[str, Any], admins: set[int], kind: str, expected: str
) -> None:
    harness.request.admins.update(admins)
    channel["type"] = kind
    assert await harness.text("/subscribe to @teamnews") == [expected]
    assert await harness.services.subscriptions.for_chat(1001) == []
