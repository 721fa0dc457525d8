"""Bad input in chat gets one clear line, never the apology for a crash."""

from __future__ import annotations

import html

import pytest

from bot import offline
from tests.support.app import Harness, MakeHarness
from tests.support.checks import message_problems, no_crash_logged
from tests.support.samples import PAGE
from tests.support.web import LocalWeb, page


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/latest ²", "Usage: /latest"),
        ("/latest ٣", "Usage: /latest"),
        ("/summary ²", "Usage: /summary"),
        ("/summary bayramov ²", "Usage: /summary"),
        ("/summary 3 ٣", "Usage: /summary"),
        ("/unsubscribe ²", "Usage: /unsubscribe"),
    ],
)
async def test_unicode_digits_get_a_usage_line(
    harness: Harness, caplog: pytest.LogCaptureFixture, text: str, expected: str
) -> None:
    [reply] = await harness.text(text)
    assert reply.startswith(expected) and "\n" not in reply
    no_crash_logged(caplog)


async def test_an_inline_offset_in_unicode_digits_starts_from_the_top(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    await harness.send(offline.inline_update(""))
    [first] = harness.request.sent("answerInlineQuery")
    await harness.send(offline.inline_update("", offset="²"))
    [answer] = harness.request.sent("answerInlineQuery")
    assert [r["id"] for r in answer["results"]] == [r["id"] for r in first["results"]]
    no_crash_logged(caplog)


@pytest.mark.parametrize("typed", ["99999999999999999999999", "9223372036854775808", "0"])
async def test_an_id_no_article_can_have_is_no_such_article(
    harness: Harness, caplog: pytest.LogCaptureFixture, typed: str
) -> None:
    [reply] = await harness.text(f"/summary {typed}")
    assert reply == f"No article with id {typed}."
    no_crash_logged(caplog)


@pytest.mark.parametrize("data", ["m|٣", "l|٥", "u|٣"])
async def test_buttons_forged_with_unicode_digits_are_not_valid(
    harness: Harness, data: str
) -> None:
    await harness.send(offline.callback_update(data))
    assert [a.get("text") for a in harness.answers()] == ["That button is no longer valid."]
    assert harness.texts() == []


def _replies(harness: Harness) -> list[dict[str, object]]:
    return harness.request.sent("sendMessage")


@pytest.mark.parametrize(
    "url",
    [
        "http://[::1",
        "https://[::1]:x/",
        "http://[v1.x]/",
        "http://☃.-com/",
        "http://",
        "http:///path",
        "http://a:99999/",
        "ftp://example.com/x",
    ],
)
async def test_a_malformed_url_gets_the_add_usage_line(
    harness: Harness, caplog: pytest.LogCaptureFixture, url: str
) -> None:
    [reply] = await harness.text(f"/add {url}")
    assert reply.startswith("Usage: /add") and "\n" not in reply
    no_crash_logged(caplog)


@pytest.mark.parametrize("zone", ["<b>", "</a>", "a&b", "<i>x"])
async def test_an_unknown_time_zone_is_echoed_escaped(harness: Harness, zone: str) -> None:
    await harness.text(f"/timezone {zone}")
    [reply] = _replies(harness)
    assert message_problems(reply) == []
    assert zone in html.unescape(str(reply["text"]))


async def test_the_added_articles_title_is_escaped(
    make_harness: MakeHarness, site: LocalWeb
) -> None:
    harness = await make_harness(allow_private_hosts=True, admin_user_ids="1001")
    title = 'Tariffs <cut> & "quotas" </a> lifted'
    site.routes["/tariffs"] = page(PAGE.replace("Grain corridor reopens", html.escape(title)))
    await harness.text(f"/add {site.base}/tariffs")
    [reply] = _replies(harness)
    assert message_problems(reply) == []
    assert html.unescape(str(reply["text"])).startswith(f"Added #6: {title}")


async def test_adding_a_page_with_only_navigation_is_refused(
    make_harness: MakeHarness, site: LocalWeb
) -> None:
    harness = await make_harness(allow_private_hosts=True, admin_user_ids="1001")
    site.routes["/menu"] = page(
        "<html><head><title>Home</title></head><body><nav><a href='/'>Home</a></nav>"
        "<p>Home</p></body></html>"
    )
    [reply] = await harness.text(f"/add {site.base}/menu")
    assert reply.startswith("no article text") and "\n" not in reply
    assert await harness.services.articles.count() == 5
