"""/add as an admin meets it: the fetcher's refusals arrive as one plain line each."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import PAGE, Site
from tests.handlers.conftest import MakeHarness
from tests.ingest.conftest import NAVIGATION, LocalWeb, page

ADMIN = {"admin_user_ids": "1001"}


@pytest.fixture
def web() -> Iterator[LocalWeb]:
    server = LocalWeb("127.0.0.1")
    yield server
    server.close()


async def test_a_private_address_is_refused_in_one_line(
    make_harness: MakeHarness, site: Site
) -> None:
    h = await make_harness(**ADMIN)  # ALLOW_PRIVATE_HOSTS left at false
    assert await h.text(f"/add {site.base}/grain") == [
        "127.0.0.1 is a loopback address; only public web addresses are fetched"
    ]
    assert site.requests == [] and await h.services.articles.count() == 5


async def test_a_page_without_article_text_is_refused_in_one_line(
    make_harness: MakeHarness, web: LocalWeb
) -> None:
    h = await make_harness(allow_private_hosts=True, **ADMIN)
    web.routes["/portal"] = page(NAVIGATION)
    [reply] = await h.text(f"/add {web.base}/portal")
    assert reply.startswith(f"no article text on {web.base}/portal") and "\n" not in reply
    [call] = [c for c in h.request.calls if c.method == "sendMessage"]
    assert call.params.get("parse_mode") is None, "the URL is shown as typed, not as HTML"


async def test_the_added_title_is_escaped(make_harness: MakeHarness, web: LocalWeb) -> None:
    h = await make_harness(allow_private_hosts=True, **ADMIN)
    web.routes["/tags"] = page(
        PAGE.replace("Grain corridor reopens", "Grain &amp; &lt;corridor&gt;")
    )
    [reply] = await h.text(f"/add {web.base}/tags")
    assert reply == "Added #6: Grain &amp; &lt;corridor&gt;"  # the reply is HTML
