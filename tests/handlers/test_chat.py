"""The one gate (handlers/access.py): the team allow-list, admins for writes, groups' admins."""

from __future__ import annotations

from typing import Any

from telegram import Update

from bot import offline
from handlers.access import NOT_TEAM_ADMIN, OUTSIDER
from services.access import REFUSAL_BURST
from tests.support.app import Harness, MakeHarness
from tests.support.web import LocalWeb

STRANGER = 666
TEAM_GROUP = {"chat_id": -100500, "chat_type": "supergroup"}
OTHER_GROUP = {"chat_id": -100999, "chat_type": "supergroup"}
GROUP_ADMIN_ONLY = "Only this group's admins can do that here."


def _said(calls: list[offline.Call]) -> list[tuple[str, Any]]:
    """What the bot did, as (method, text) pairs."""
    return [(c.method, c.params.get("text")) for c in calls]


async def _from(h: Harness, text: str, user_id: int, **chat: Any) -> list[offline.Call]:
    chat.setdefault("chat_id", user_id)
    return await h.send(offline.message_update(text, user_id=user_id, **chat))


async def test_without_an_allow_list_anyone_may_read(harness: Harness) -> None:
    [reply] = await harness.text("/search Bayramov ECO", user_id=STRANGER, chat_id=STRANGER)
    assert "Bayramov" in reply


async def test_an_outsider_gets_one_polite_line_and_nothing_else(
    make_harness: MakeHarness,
) -> None:
    h = await make_harness(allowed_user_ids="1001, 1002")
    for text in ("/start", "/search Bayramov", "/latest", "Bayramov", "/subscribe", "/nope"):
        calls = await _from(h, text, STRANGER)
        assert _said(calls) == [("sendMessage", OUTSIDER)], text
    assert await h.services.subscriptions.for_chat(STRANGER) == []


async def test_a_crowd_of_outsiders_gets_a_few_refusals_and_a_member_is_still_answered(
    make_harness: MakeHarness,
) -> None:
    """200 outsiders at once used to get 200 refusals, spending the team's share of Telegram's
    30 messages a second (a member's reply waited 6 s): refusals have a small budget of their
    own, beyond which outsiders get no answer."""
    h = await make_harness(allowed_user_ids="1001")
    h.request.clear()
    for stranger in range(5000, 5200):
        update = offline.message_update("/search Bayramov", user_id=stranger, chat_id=stranger)
        await h.app.process_update(Update.de_json(update, h.app.bot))
    refusals = [c for c in h.request.calls if c.params.get("text") == OUTSIDER]
    assert 0 < len(refusals) <= REFUSAL_BURST + 2, len(refusals)
    [reply] = await h.text("/search Bayramov ECO", user_id=1001)
    assert "Bayramov" in reply


async def test_allowed_users_and_members_of_allowed_chats_may_read(
    make_harness: MakeHarness,
) -> None:
    h = await make_harness(allowed_user_ids="1001", allowed_chat_ids=str(TEAM_GROUP["chat_id"]))
    [reply] = await h.text("/search Bayramov ECO", user_id=1001)
    assert "Bayramov" in reply
    [reply] = await h.text("/search Bayramov ECO", user_id=77, **TEAM_GROUP)
    assert "Bayramov" in reply, "anyone in an allowed chat"
    [reply] = await h.text("/search Bayramov ECO", user_id=1001, **OTHER_GROUP)
    assert "Bayramov" in reply, "an allowed user, in any chat"
    assert _said(await _from(h, "/latest", 77)) == [("sendMessage", OUTSIDER)]


async def test_team_admins_are_let_in_without_being_on_the_allow_list(
    make_harness: MakeHarness,
) -> None:
    h = await make_harness(allowed_user_ids="1001", admin_user_ids="9")
    [reply] = await h.text("/latest 1", user_id=9, chat_id=9)
    assert reply.startswith("🗞 Latest articles")


async def test_in_an_outside_group_only_commands_to_this_bot_get_the_line(
    make_harness: MakeHarness,
) -> None:
    h = await make_harness(allowed_user_ids="1001")
    for text in ("/search Bayramov", "/search@newsbot_test_bot Bayramov"):
        assert _said(await _from(h, text, STRANGER, **OTHER_GROUP)) == [("sendMessage", OUTSIDER)]
    for text in ("/search@some_other_bot Bayramov", "good morning", "Bayramov"):
        assert await _from(h, text, STRANGER, **OTHER_GROUP) == [], text


async def test_an_outsiders_inline_query_gets_an_empty_list(make_harness: MakeHarness) -> None:
    h = await make_harness(allowed_user_ids="1001")
    [answer] = await h.send(offline.inline_update("Bayramov", user_id=STRANGER))
    assert answer.method == "answerInlineQuery"
    assert answer.params["results"] == [] and answer.params["is_personal"] is True
    await h.send(offline.inline_update("Bayramov", user_id=1001))
    [answer] = h.request.sent("answerInlineQuery")
    assert answer["results"], "a member gets the articles"
    assert answer["is_personal"] is True, "Telegram must not hand them on to an outsider"


async def test_inline_results_are_personal_because_dates_follow_each_readers_language(
    harness: Harness,
) -> None:
    await harness.send(offline.inline_update("Bayramov"))
    [answer] = harness.request.sent("answerInlineQuery")
    assert answer["results"] and answer["is_personal"] is True, "no German dates for English"


async def test_an_outsiders_button_press_gets_a_polite_answer(make_harness: MakeHarness) -> None:
    h = await make_harness(allowed_user_ids="1001")
    await h.text("/search Bayramov ECO", user_id=1001)
    data = h.buttons()[0][1]
    calls = await h.send(offline.callback_update(data, user_id=STRANGER, chat_id=STRANGER))
    assert _said(calls) == [("answerCallbackQuery", OUTSIDER)]


async def test_membership_and_migration_notices_pass_the_gate(
    make_harness: MakeHarness,
) -> None:
    h = await make_harness(allowed_user_ids="1001")
    h.request.admins.add(1001)
    await h.text("/subscribe", user_id=1001, chat_id=-500, chat_type="group")
    migrate = offline.message_update("x", chat_id=-500, chat_type="group", user_id=STRANGER)
    del migrate["message"]["text"]
    migrate["message"]["migrate_to_chat_id"] = -100777
    assert await h.send(migrate) == []
    assert len(await h.services.subscriptions.for_chat(-100777)) == 1


async def test_add_is_for_team_admins_when_they_are_configured(
    make_harness: MakeHarness, site: LocalWeb
) -> None:
    h = await make_harness(admin_user_ids="9", allow_private_hosts=True)
    h.request.admins.add(1001)  # administers the group, but is not a team admin
    url = f"{site.base}/grain"
    assert await h.text(f"/add {url}", user_id=1001) == [NOT_TEAM_ADMIN]
    assert await h.text(f"/add {url}", user_id=1001, **TEAM_GROUP) == [NOT_TEAM_ADMIN]
    anonymous = offline.message_update(f"/add {url}", user_id=1087968824, **TEAM_GROUP)
    anonymous["message"]["sender_chat"] = offline.chat(TEAM_GROUP["chat_id"], "supergroup")
    await h.send(anonymous)
    assert h.texts() == [NOT_TEAM_ADMIN], "an anonymous admin cannot be told from anyone"
    assert site.requests == [], "nothing was fetched for them"
    [reply] = await h.text(f"/add {url}", user_id=9, chat_id=9)
    assert reply.startswith("Added #6: Grain corridor reopens")


async def test_add_in_a_private_chat_without_team_admins_says_how_to_configure_them(
    harness: Harness, site: LocalWeb
) -> None:
    [reply] = await harness.text(f"/add {site.base}/grain", user_id=1001)
    assert "ADMIN_USER_IDS=1001" in reply and "\n" not in reply
    assert site.requests == [] and await harness.services.articles.count() == 5


async def test_group_subscriptions_are_for_its_administrators_within_the_allow_list(
    make_harness: MakeHarness,
) -> None:
    h = await make_harness(allowed_chat_ids=str(TEAM_GROUP["chat_id"]))
    h.request.admins.update({1001, 2002})
    assert await h.text("/subscribe", user_id=77, **TEAM_GROUP) == [GROUP_ADMIN_ONLY]
    [reply] = await h.text("/subscribe", user_id=1001, **TEAM_GROUP)
    assert reply.startswith("🔔 Subscribed")
    calls = await _from(h, "/subscribe", 2002, **OTHER_GROUP)
    assert _said(calls) == [("sendMessage", OUTSIDER)], "an admin of a group outside the team"
    assert await h.services.subscriptions.for_chat(OTHER_GROUP["chat_id"]) == []
