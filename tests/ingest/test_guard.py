"""Which addresses the guard calls non-public (issue 18, item 10: fec0::/10, the deprecated
IPv6 site-local block, is private, as RFC 3879 left it)."""

from __future__ import annotations

import ipaddress

import pytest

from ingest.errors import FetchRefused
from ingest.guard import refusal
from ingest.web import FetchPolicy, http_client


@pytest.mark.parametrize("address", ["fec0::1", "fec0::", "feff:ffff::1", "fed0:1:2::3"])
def test_site_local_ipv6_is_private(address: str) -> None:
    assert refusal(ipaddress.ip_address(address)) == "private"


@pytest.mark.parametrize("address", ["2001:4860:4860::8888", "fe00::1", "ff00::1"])
def test_neighbours_of_the_site_local_block_keep_their_kind(address: str) -> None:
    assert refusal(ipaddress.ip_address(address)) != "private"


async def test_the_fetcher_refuses_a_site_local_address() -> None:
    async with http_client(FetchPolicy()) as client:
        with pytest.raises(FetchRefused, match="is a private address"):
            await client.get("http://[fec0::1]:8080/grain")
