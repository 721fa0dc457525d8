"""/feeds, /feed add|remove, /export and OPML documents through the real Application; feeds are
served by a local server on 127.0.0.1 (ALLOW_PRIVATE_HOSTS for the test)."""

from __future__ import annotations

import pytest

from bot import offline
from engine.opml import parse_opml
from handlers.access import NOT_TEAM_ADMIN
from ingest.errors import FeedAnswered
from storage.feeds import FeedPoll
from tests.support.app import MakeHarness
from tests.support.samples import FEEDLY, OLDSTYLE
from tests.support.web import LocalWeb

ADMIN = {"admin_user_ids": "1001", "allow_private_hosts": True}
OUTSIDER_ID = 2002


async def test_an_admin_adds_a_sites_feed_and_everyone_sees_it(
    make_harness: MakeHarness, feeds_web: LocalWeb
) -> None:
    h = await make_harness(**ADMIN)
    assert await h.text("/feeds") == [
        "No feeds yet. An admin adds one with /feed add URL (a feed or a site that has one)."
    ]
    assert await h.text(f"/feed add {feeds_web.base}/home") == [
        f"Added feed #1: Harbour News ({feeds_web.base}/rss.xml). It is polled on schedule."
    ]
    assert await h.text(f"/feed add {feeds_web.base}/rss.xml") == [
        f"Feed #1 is already on the list: {feeds_web.base}/rss.xml"
    ]
    [listing] = await h.text("/feeds", user_id=OUTSIDER_ID, chat_id=OUTSIDER_ID)
    assert f"#1 <b>Harbour News</b> — {feeds_web.base}/rss.xml\n   not polled yet" in listing


async def test_an_address_that_is_no_feed_gets_one_line_and_nothing_is_added(
    make_harness: MakeHarness, feeds_web: LocalWeb
) -> None:
    h = await make_harness(**ADMIN)
    assert await h.text(f"/feed add {feeds_web.base}/portal") == [
        f"{feeds_web.base}/portal is neither an RSS/Atom feed nor a page that links to one"
    ]
    assert await h.services.feeds.all() == []


@pytest.mark.parametrize("typed", ["/feed", "/feed add", "/feed add ftp://x", "/feed drop 1"])
async def test_bad_feed_commands_get_the_usage_line(make_harness: MakeHarness, typed: str) -> None:
    h = await make_harness(**ADMIN)
    [reply] = await h.text(typed)
    assert reply.startswith("Usage: /feed add URL")


async def test_only_team_admins_change_feeds(
    make_harness: MakeHarness, feeds_web: LocalWeb
) -> None:
    h = await make_harness(**ADMIN)
    await h.services.feeds.add(f"{feeds_web.base}/rss.xml")
    for command in (f"/feed add {feeds_web.base}/home", "/feed remove 1"):
        assert await h.text(command, user_id=OUTSIDER_ID, chat_id=OUTSIDER_ID) == [NOT_TEAM_ADMIN]
    assert feeds_web.requests == [] and len(await h.services.feeds.all()) == 1


async def test_removed_ids_are_not_reused_and_a_failing_feed_says_it_backs_off(
    make_harness: MakeHarness,
) -> None:
    h = await make_harness(**ADMIN)
    feeds = h.services.feeds
    one = await feeds.add("https://one.example/rss")
    two = await feeds.add("https://two.example/rss")
    assert await h.text(f"/feed remove {two.id}") == [
        "Removed feed #2; its articles stay in the corpus."
    ]
    assert await h.text("/feed remove 2") == ["There is no feed #2; /feeds lists them."]
    assert (await feeds.add("https://three.example/rss")).id == 3
    await feeds.record(one, FeedPoll(errors=[FeedAnswered(404)], failed=True))
    [listing] = await h.text("/feeds")
    assert "#1 https://one.example/rss\n   polled " in listing
    assert "⚠️ failing (1 in a row): the server answered 404 Not Found; backing off, next try" in (
        listing
    )
    assert "#3 https://three.example/rss\n   not polled yet" in listing


async def test_export_sends_an_opml_document_of_the_teams_feeds(make_harness: MakeHarness) -> None:
    h = await make_harness(**ADMIN)
    assert await h.text("/export") == [
        "No feeds yet. An admin adds one with /feed add URL (a feed or a site that has one)."
    ]
    await h.services.feeds.add_many(
        [("https://a.example/rss", "A & B"), ("https://b.example/x", None)]
    )
    await h.send(offline.message_update("/export", user_id=OUTSIDER_ID, chat_id=OUTSIDER_ID))
    [call] = [c for c in h.request.calls if c.method == "sendDocument"]
    assert call.params["caption"] == "2 feeds as OPML"
    assert [(f.url, f.title) for f in parse_opml(call.files["document"])] == [
        ("https://a.example/rss", "A & B"),
        ("https://b.example/x", None),
    ]


async def _send_opml(h: object, data: bytes, *, user_id: int = 1001, name: str = "f.opml") -> str:
    from tests.support.app import Harness

    assert isinstance(h, Harness)
    h.request.downloads["opml1"] = data
    await h.send(
        offline.document_update("opml1", name, len(data), user_id=user_id, chat_id=user_id)
    )
    [reply] = h.texts()
    return reply


async def test_an_admins_opml_file_is_imported_and_reported(make_harness: MakeHarness) -> None:
    h = await make_harness(**ADMIN)
    assert await _send_opml(h, FEEDLY) == (
        "OPML import: 3 added, 0 already there, 0 invalid.\n"
        "New feeds are polled on the normal schedule."
    )
    assert [c.method for c in h.request.calls] == ["getFile", "sendMessage"]
    assert await _send_opml(h, FEEDLY, name="again.OPML") == (
        "OPML import: 0 added, 3 already there, 0 invalid."
    )
    assert await _send_opml(h, OLDSTYLE) == (
        "OPML import: 2 added, 0 already there, 2 invalid.\n"
        "Not web addresses: ftp://files.example/feed, (an outline without an address)\n"
        "New feeds are polled on the normal schedule."
    )
    titles = {f.url: f.title for f in await h.services.feeds.all()}
    assert titles["https://oc-media.org/feed/"] == "OC Media" and len(titles) == 5


async def test_an_opml_file_in_a_group_is_answered_in_the_groups_language(
    make_harness: MakeHarness,
) -> None:
    h = await make_harness(**ADMIN)
    group = -100700
    await h.services.subscriptions.set_language(group, "de")  # the group's /language de
    h.request.downloads["opml1"] = FEEDLY
    update = offline.document_update("opml1", "f.opml", len(FEEDLY), chat_id=group, user_id=1001)
    update["message"]["chat"]["type"] = "supergroup"
    await h.send(update)
    [reply] = h.texts()
    assert reply.startswith("OPML-Import: 3 hinzugefügt"), reply


async def test_opml_files_from_others_or_broken_ones_get_one_line(
    make_harness: MakeHarness,
) -> None:
    h = await make_harness(**ADMIN)
    assert await _send_opml(h, FEEDLY, user_id=OUTSIDER_ID) == NOT_TEAM_ADMIN
    assert [c.method for c in h.request.calls] == ["sendMessage"], "nothing downloaded"
    reply = await _send_opml(h, b"<html><body>not a list</body></html>")
    assert reply == "That file is not a readable OPML feed list: its root element is not <opml>."
    assert await h.services.feeds.all() == []
