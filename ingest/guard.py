"""Which addresses the fetcher may connect to, decided at connect time.

The fetcher's connection pool runs on GuardedBackend: it resolves the host once, checks every
address the name resolves to, and connects to a checked address, never to the name again, so
DNS rebinding between the check and the connect cannot slip a private address in. Every hop of
a redirect opens its connection here too. Decimal, hex and short IPv4 forms (`2130706433`,
`0x7f000001`, `127.1`) are whatever the system resolver makes of them, and that is what is
checked.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Iterable

import httpcore

from ingest.errors import NotPublic, NotWebAddress

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def _site_local(address: IPAddress) -> bool:
    """fec0::/10, IPv6's deprecated site-local block (RFC 3879): still routed inside some
    networks, and Python's `is_private` and `is_global` let it pass as public."""
    return isinstance(address, ipaddress.IPv6Address) and address.is_site_local


def refusal(address: IPAddress) -> str | None:
    """What kind of non-public address this is ("loopback", "private" …), or None if public."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is not None and (reason := refusal(embedded)):
            return reason
        if address.ipv4_mapped is not None:
            return None  # ::ffff:a.b.c.d is a.b.c.d, checked above
    kinds = (
        ("loopback", address.is_loopback),
        ("link-local", address.is_link_local),
        ("multicast", address.is_multicast),
        ("unspecified", address.is_unspecified),
        ("reserved", address.is_reserved),
        ("private", address.is_private or _site_local(address)),
        ("non-public", not address.is_global),
    )
    return next((kind for kind, flag in kinds if flag), None)


async def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address `host` resolves to, in the resolver's order (an IP resolves to itself)."""
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise httpcore.ConnectError(f"cannot resolve {host}: {exc.strerror}") from None
    return list(dict.fromkeys(ipaddress.ip_address(info[4][0]) for info in infos))


def check(host: str, addresses: Iterable[IPAddress]) -> None:
    """Refuse the host if any address it resolves to is not public."""
    for address in addresses:
        reason = refusal(address)
        if reason is not None:
            shown = host if host == str(address) else f"{host} ({address})"
            raise NotPublic(shown, reason)


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """A network backend that connects only to checked addresses (all of them, unless private
    hosts are allowed), and to exactly the address it checked."""

    def __init__(
        self, *, allow_private: bool, inner: httpcore.AsyncNetworkBackend | None = None
    ) -> None:
        self._allow_private = allow_private
        self._inner = inner or httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109 (httpcore's backend interface)
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        """Resolve once, check, then connect to the checked addresses in order."""
        addresses = await resolve(host, port)
        if not self._allow_private:
            check(host, addresses)
        failure: Exception = httpcore.ConnectError(f"{host} has no address")
        for address in addresses:
            try:
                return await self._inner.connect_tcp(
                    str(address), port, timeout, local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
        raise failure

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,  # noqa: ASYNC109 (httpcore's backend interface)
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        """Never: a local socket is not a web address."""
        raise NotWebAddress(f"unix:{path}")

    async def sleep(self, seconds: float) -> None:
        """The inner backend's sleep (the pool uses it between retries)."""
        await self._inner.sleep(seconds)
