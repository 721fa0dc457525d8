"""The one web fetcher against servers on loopback: what it refuses, and its limits."""

from __future__ import annotations

import ipaddress
import time
from collections.abc import Callable

import pytest

from bot.settings import Settings
from engine.errors import NoArticleText
from ingest import guard
from ingest.errors import FetchRefused, FetchTimeout, FetchTooLarge
from ingest.web import FetchPolicy, fetch_page, http_client
from tests.support.samples import NAVIGATION, PAGE
from tests.support.web import LocalWeb, declares, drip, endless, page, redirect

# Short limits, so that a test whose guard was deleted fails quickly instead of hanging.
STRICT = FetchPolicy(total_seconds=3.0, read_seconds=3.0)
INTRANET = FetchPolicy(allow_private_hosts=True, total_seconds=3.0, read_seconds=3.0)
Serve = Callable[..., LocalWeb]
LOOPBACK = ipaddress.ip_address("127.0.0.1")


@pytest.fixture
def public_loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    """127.0.0.1 plays a public web site; every other address is judged by the real rules."""
    real = guard.refusal
    monkeypatch.setattr(guard, "refusal", lambda a: None if a == LOOPBACK else real(a))


def _resolver(monkeypatch: pytest.MonkeyPatch, answers: dict[str, list[list[str]]]) -> list[str]:
    """Replace DNS: each lookup of a name takes its next answer; returns the names looked up."""
    asked: list[str] = []

    async def resolve(host: str, port: int) -> list[guard.IPAddress]:
        asked.append(host)
        queue = answers[host]
        answer = queue.pop(0) if len(queue) > 1 else queue[0]
        return [ipaddress.ip_address(a) for a in answer]

    monkeypatch.setattr(guard, "resolve", resolve)
    return asked


@pytest.mark.parametrize(
    ("host", "kind"),
    [
        ("127.0.0.1", "loopback"),
        ("127.1", "loopback"),
        ("0x7f000001", "loopback"),
        ("2130706433", "loopback"),
        ("localhost", "loopback"),
        ("[::1]", "loopback"),
        ("[::ffff:127.0.0.1]", "loopback"),
        ("[::ffff:7f00:1]", "loopback"),
        ("10.0.0.1", "private"),
        ("192.168.1.10", "private"),
        ("[fc00::1]", "private"),
        ("169.254.169.254", "link-local"),
        ("[fe80::1]", "link-local"),
        ("224.0.0.1", "multicast"),
        ("[ff02::1]", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("[::]", "unspecified"),
        ("240.0.0.1", "reserved"),
        ("100.64.0.1", "non-public"),
    ],
)
async def test_private_and_local_addresses_are_refused_in_every_form(
    serve: Serve, host: str, kind: str
) -> None:
    site = serve("127.0.0.1")
    site.routes["/grain"] = page(PAGE)
    async with http_client(STRICT) as client:
        with pytest.raises(FetchRefused, match=f"is a {kind} address"):
            await client.get(f"http://{host}:{site.port}/grain")
    assert site.requests == [], "refused before any request reached the server"


async def test_a_name_resolving_to_a_private_address_is_refused(
    serve: Serve, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = serve("127.0.0.1")
    site.routes["/grain"] = page(PAGE)
    _resolver(monkeypatch, {"news.example": [["127.0.0.1"]]})
    async with http_client(STRICT) as client:
        with pytest.raises(FetchRefused) as refused:
            await client.get(f"http://news.example:{site.port}/grain")
    assert str(refused.value) == (
        "news.example (127.0.0.1) is a loopback address; only public web addresses are fetched"
    )
    assert site.requests == []


async def test_every_address_a_name_resolves_to_is_checked(
    serve: Serve, monkeypatch: pytest.MonkeyPatch, public_loopback: None
) -> None:
    site = serve("127.0.0.1")
    site.routes["/grain"] = page(PAGE)
    _resolver(monkeypatch, {"news.example": [["127.0.0.1", "10.0.0.7"]]})
    async with http_client(STRICT) as client:
        with pytest.raises(FetchRefused, match=r"news.example \(10.0.0.7\) is a private"):
            await client.get(f"http://news.example:{site.port}/grain")
    assert site.requests == []


async def test_the_connection_goes_to_the_address_that_was_checked(
    serve: Serve, monkeypatch: pytest.MonkeyPatch, public_loopback: None
) -> None:
    # DNS rebinding: the first answer is "public", later ones private. The fetcher resolves once
    # per connection and connects to that address; the system resolver never sees the name.
    site = serve("127.0.0.1")
    site.routes["/grain"] = page(PAGE)
    asked = _resolver(monkeypatch, {"rebind.example": [["127.0.0.1"], ["10.0.0.9"]]})
    async with http_client(STRICT) as client:
        fetched = await client.get(f"http://rebind.example:{site.port}/grain")
    assert fetched.status == 200 and b"Grain corridor" in fetched.content
    assert asked == ["rebind.example"]
    assert [(path, h["Host"]) for path, h in site.requests] == [
        ("/grain", f"rebind.example:{site.port}")
    ]


async def test_a_redirect_to_a_private_address_is_refused(
    serve: Serve, public_loopback: None
) -> None:
    inside = serve("127.0.0.2")
    inside.routes["/secret"] = page("the intranet")
    outside = serve("127.0.0.1")
    outside.routes["/go"] = redirect(lambda _: f"{inside.base}/secret")
    outside.routes["/file"] = redirect(lambda _: "file:///etc/passwd")
    async with http_client(STRICT) as client:
        with pytest.raises(FetchRefused, match=r"127\.0\.0\.2 is a loopback address"):
            await client.get(f"{outside.base}/go")
        with pytest.raises(FetchRefused, match="only http:// and https://"):
            await client.get(f"{outside.base}/file")
    assert [path for path, _ in outside.requests] == ["/go", "/file"]
    assert inside.requests == []


async def test_redirects_are_limited(serve: Serve) -> None:
    site = serve("127.0.0.1")
    site.routes["/loop"] = redirect(lambda web: f"/loop?{len(web.requests)}")
    site.routes["/twice"] = redirect(lambda _: "/once")
    site.routes["/once"] = redirect(lambda _: "/grain")
    site.routes["/grain"] = page(PAGE)
    async with http_client(INTRANET) as client:
        with pytest.raises(FetchRefused, match="redirects more than 5 times"):
            await client.get(f"{site.base}/loop")
        assert len(site.requests) == 6, "the first request and five redirects, then it stops"
        fetched = await client.get(f"{site.base}/twice")
    assert fetched.status == 200 and fetched.url == f"{site.base}/grain"


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://example.com/x", "only http:// and https://"),
        ("file:///etc/passwd", "only http:// and https://"),
        ("javascript:alert(1)", "only http:// and https://"),
        ("gopher://x/", "only http:// and https://"),
        ("http:///no-host", "only http:// and https://"),
        ("http://0177.0.0.1/", "is not a web address"),  # octal: httpx will not parse it
        ("http://[::1/", "is not a web address"),
    ],
)
async def test_only_http_and_https_addresses_are_fetched(url: str, reason: str) -> None:
    async with http_client(STRICT) as client:
        with pytest.raises(FetchRefused, match=reason):
            await client.get(url)


async def test_a_dripping_server_is_cut_off_at_the_total_time_limit(serve: Serve) -> None:
    site = serve("127.0.0.1")
    site.routes["/drip"] = drip(count=40, every=0.1)  # 4 s in all, a byte well within each read
    policy = FetchPolicy(allow_private_hosts=True, total_seconds=0.5, read_seconds=5.0)
    started = time.monotonic()
    async with http_client(policy) as client:
        with pytest.raises(FetchTimeout, match=r"took longer than 0\.5 s"):
            await client.get(f"{site.base}/drip")
    assert time.monotonic() - started < 2.0


async def test_a_server_that_stalls_is_cut_off_at_the_read_limit(serve: Serve) -> None:
    site = serve("127.0.0.1")
    site.routes["/stall"] = drip(count=1, every=5.0)  # headers, then nothing for 5 s
    policy = FetchPolicy(allow_private_hosts=True, total_seconds=4.0, read_seconds=0.3)
    async with http_client(policy) as client:
        with pytest.raises(FetchTimeout, match=r"took longer than 0\.3 s"):
            await client.get(f"{site.base}/stall")


async def test_a_huge_body_without_content_length_is_cut_off_while_streaming(
    serve: Serve,
) -> None:
    site = serve("127.0.0.1")
    site.routes["/huge"] = endless()
    limit = 256 * 1024
    policy = FetchPolicy(allow_private_hosts=True, max_bytes=limit, total_seconds=10.0)
    async with http_client(policy) as client:
        with pytest.raises(FetchTooLarge, match="is larger than 256 KiB") as too_large:
            await client.get(f"{site.base}/huge")
    # Memory stays bounded: reading stopped within one network chunk of the limit.
    assert limit < too_large.value.received <= limit + 64 * 1024


async def test_a_declared_length_over_the_limit_is_refused_without_reading(
    serve: Serve,
) -> None:
    site = serve("127.0.0.1")
    site.routes["/big"] = declares(10**9)
    async with http_client(INTRANET) as client:
        with pytest.raises(FetchTooLarge, match="is larger than 5 MiB") as too_large:
            await client.get(f"{site.base}/big")
    assert too_large.value.received == 0


async def test_allow_private_hosts_lets_the_fetcher_reach_the_local_server(serve: Serve) -> None:
    site = serve("127.0.0.1")
    site.routes["/grain"] = page(PAGE)
    intranet = Settings(_env_file=None, allow_private_hosts=True)  # type: ignore[call-arg]
    default = Settings(_env_file=None)  # type: ignore[call-arg]
    async with http_client(intranet.fetch_policy()) as client:
        article = await fetch_page(client, f"{site.base}/grain")
    assert article.title == "Grain corridor reopens" and "Home | World" not in article.body
    async with http_client(default.fetch_policy()) as client:
        with pytest.raises(FetchRefused):
            await fetch_page(client, f"{site.base}/grain")


async def test_a_page_without_article_text_is_refused_with_a_clear_line(serve: Serve) -> None:
    site = serve("127.0.0.1")
    site.routes["/nav"] = page(NAVIGATION)
    site.routes["/empty"] = page("<html><body></body></html>")
    async with http_client(INTRANET) as client:
        for path in ("/nav", "/empty"):
            with pytest.raises(NoArticleText) as refused:
                await fetch_page(client, f"{site.base}{path}")
            assert str(refused.value) == (
                f"no article text on {site.base}{path} "
                "(only navigation or links, or too short to be an article)"
            )
