"""Hostile input to the feed and zone commands (issue 18, item 10): each gets one line, and no
reply that echoes what a user typed or an OPML file held passes Telegram's 4096 characters."""

from __future__ import annotations

import pytest

from bot import offline
from tests.support.app import Harness, MakeHarness
from tests.support.checks import MESSAGE_LIMIT, message_problems
from tests.support.samples import home_page
from tests.support.web import LocalWeb, page

ADMIN = {"admin_user_ids": "1001", "allow_private_hosts": True}
OUTLINE = '<outline type="rss" text="x" xmlUrl="{url}"/>'


def _opml(*urls: str, encoding: str = "UTF-8") -> bytes:
    outlines = "".join(OUTLINE.format(url=url) for url in urls)
    return (
        f'<?xml version="1.0" encoding="{encoding}"?>\n'
        f'<opml version="2.0"><body>{outlines}</body></opml>'
    ).encode()


async def _send_opml(h: Harness, data: bytes) -> list[str]:
    h.request.downloads["opml1"] = data
    await h.send(offline.document_update("opml1", "f.opml", len(data)))
    return h.texts()


def _fits(h: Harness) -> None:
    """Every message the bot sent fits Telegram's limit (and is valid HTML where it is HTML)."""
    for call in h.request.calls:
        if call.method == "sendMessage":
            assert message_problems(call.params) == [], call.params["text"][:100]


@pytest.mark.parametrize("folder", ["America", "Europe", "Etc", "America/", "America/Argentina"])
async def test_a_zone_folder_is_an_unknown_time_zone(harness: Harness, folder: str) -> None:
    [reply] = await harness.text(f"/timezone {folder}")
    assert reply.startswith("Unknown time zone") and "\n" not in reply


async def test_a_huge_article_id_is_echoed_short(harness: Harness) -> None:
    [reply] = await harness.text("/summary " + "9" * 4087)
    assert reply.startswith("No article with id 999") and len(reply) < 200
    _fits(harness)


async def test_a_huge_feed_number_is_echoed_short(make_harness: MakeHarness) -> None:
    h = await make_harness(**ADMIN)
    [reply] = await h.text("/feed remove " + "7" * 4080)
    assert reply.startswith("There is no feed #777") and len(reply) < 200
    _fits(h)


async def test_a_feed_address_longer_than_the_list_keeps_is_refused_in_one_line(
    make_harness: MakeHarness, feeds_web: LocalWeb
) -> None:
    h = await make_harness(**ADMIN)
    feeds_web.routes["/long"] = page(home_page("/rss.xml?" + "a" * 4500))
    [reply] = await h.text(f"/feed add {feeds_web.base}/long")
    assert len(reply) < 300 and "\n" not in reply, reply[:300]
    assert await h.services.feeds.all() == []
    _fits(h)


async def test_a_long_feed_address_is_confirmed_short(
    make_harness: MakeHarness, feeds_web: LocalWeb
) -> None:
    h = await make_harness(**ADMIN)
    long = f"{feeds_web.base}/rss.xml?" + "b" * 1900
    feeds_web.routes["/long"] = page(home_page(long))
    for _ in range(2):  # added, then already on the list
        [reply] = await h.text(f"/feed add {feeds_web.base}/long")
        assert reply.startswith(("Added feed #1", "Feed #1 is already")) and len(reply) < 400
    assert [f.url for f in await h.services.feeds.all()] == [long]


async def test_an_import_report_names_long_invalid_addresses_short(
    make_harness: MakeHarness,
) -> None:
    h = await make_harness(**ADMIN)
    invalid = [f"ftp://{n}.example/" + "c" * 3000 for n in range(8)]
    [reply] = await _send_opml(h, _opml("https://ok.example/rss", *invalid))
    assert reply.startswith("OPML import: 1 added, 0 already there, 8 invalid.")
    assert "ftp://0.example/ccc" in reply and "and 3 more" in reply
    assert len(reply) < MESSAGE_LIMIT // 2
    _fits(h)


async def test_an_opml_file_in_an_unknown_encoding_gets_one_line(make_harness: MakeHarness) -> None:
    h = await make_harness(**ADMIN)
    [reply] = await _send_opml(h, _opml("https://ok.example/rss", encoding="bogus-8"))
    assert reply.startswith("That file is not a readable OPML feed list:") and "\n" not in reply
    assert "bogus-8" in reply
    assert await h.services.feeds.all() == []
