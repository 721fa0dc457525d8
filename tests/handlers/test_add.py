"""/add as an admin meets it: the fetcher's refusals arrive as one plain line each."""

from __future__ import annotations

from tests.support.app import MakeHarness
from tests.support.samples import NAVIGATION, PAGE
from tests.support.web import LocalWeb, page

ADMIN = {"admin_user_ids": "1001"}


async def test_a_private_address_is_refused_in_one_line(
    make_harness: MakeHarness, site: LocalWeb
) -> None:
    h = await make_harness(**ADMIN)  # ALLOW_PRIVATE_HOSTS left at false
    assert await h.text(f"/add {site.base}/grain") == [
        "127.0.0.1 is a loopback address; only public web addresses are fetched"
    ]
    assert site.requests == [] and await h.services.articles.count() == 5


async def test_a_page_without_article_text_is_refused_in_one_line(
    make_harness: MakeHarness, site: LocalWeb
) -> None:
    h = await make_harness(allow_private_hosts=True, **ADMIN)
    site.routes["/portal"] = page(NAVIGATION)
    [reply] = await h.text(f"/add {site.base}/portal")
    assert reply.startswith(f"no article text on {site.base}/portal") and "\n" not in reply
    [call] = [c for c in h.request.calls if c.method == "sendMessage"]
    assert call.params.get("parse_mode") is None, "the URL is shown as typed, not as HTML"


async def test_the_added_title_is_escaped(make_harness: MakeHarness, site: LocalWeb) -> None:
    h = await make_harness(allow_private_hosts=True, **ADMIN)
    site.routes["/tags"] = page(
        PAGE.replace("Grain corridor reopens", "Grain &amp; &lt;corridor&gt;")
    )
    [reply] = await h.text(f"/add {site.base}/tags")
    assert reply == "Added #6: Grain &amp; &lt;corridor&gt;"  # the reply is HTML
