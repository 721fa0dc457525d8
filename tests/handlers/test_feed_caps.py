"""A bounded feed list (issue 18, item 4): one OPML import adds at most 200 new feeds, the list
holds at most 1,000, and the reply says how many were left out; /feed add on a full list is
refused in one line, before anything is fetched."""

from __future__ import annotations

from bot import offline
from tests.support.app import Harness, MakeHarness
from tests.support.web import LocalWeb

ADMIN = {"admin_user_ids": "1001", "allow_private_hosts": True}


def _opml(urls: list[str]) -> bytes:
    outlines = "".join(f'<outline type="rss" text="x" xmlUrl="{url}"/>' for url in urls)
    return f'<opml version="2.0"><body>{outlines}</body></opml>'.encode()


async def _import(h: Harness, urls: list[str]) -> str:
    data = _opml(urls)
    h.request.downloads["opml1"] = data
    await h.send(offline.document_update("opml1", "f.opml", len(data)))
    [reply] = h.texts()
    return reply


def _urls(start: int, stop: int) -> list[str]:
    return [f"https://feed{n}.example/rss" for n in range(start, stop)]


async def test_one_import_adds_at_most_200_and_says_how_many_were_left_out(
    make_harness: MakeHarness,
) -> None:
    h = await make_harness(**ADMIN)
    reply = await _import(h, _urls(0, 250))
    assert reply == (
        "OPML import: 200 added, 0 already there, 0 invalid.\n"
        "50 new feeds were left out: one import adds at most 200, and the list holds at most "
        "1000.\n"
        "New feeds are polled on the normal schedule."
    )
    assert await h.services.feeds.count() == 200
    reply = await _import(h, _urls(0, 250))  # the same file again brings the rest
    assert reply.startswith("OPML import: 50 added, 200 already there, 0 invalid.\nNew feeds")


async def test_the_list_holds_at_most_1000_feeds(
    make_harness: MakeHarness, feeds_web: LocalWeb
) -> None:
    h = await make_harness(**ADMIN)
    await h.services.feeds.add_many([(url, None) for url in _urls(0, 990)])
    reply = await _import(h, _urls(985, 1100))
    assert reply.startswith(
        "OPML import: 10 added, 5 already there, 0 invalid.\n"
        "100 new feeds were left out: one import adds at most 200"
    )
    assert await h.services.feeds.count() == 1000
    [reply] = await h.text(f"/feed add {feeds_web.base}/rss.xml")
    assert reply == "The feed list is full (1000 feeds); remove one before adding another."
    assert feeds_web.requests == [], "nothing fetched for a full list"
    await h.text("/feed remove 1")
    [reply] = await h.text(f"/feed add {feeds_web.base}/rss.xml")
    assert reply.startswith("Added feed #")
