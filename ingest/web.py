"""The one web fetcher: /add and feed polls fetch every web address through it.

- only http:// and https://, also on every redirect hop, and at most `max_redirects` hops;
- private, loopback, link-local, multicast, unspecified and reserved addresses are refused
  at connect time, for the name and for everything it resolves to (ingest.guard), unless the
  policy allows private hosts (ALLOW_PRIVATE_HOSTS, for teams that ingest from an intranet);
- a total time limit over the whole fetch (connect, redirects, body), not only per read;
- a size limit enforced while the body streams in, never after reading it whole.

Each refusal is a named one-line error (ingest.errors) that the edges show as it is.
"""

from __future__ import annotations

import asyncio
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from types import TracebackType

import httpcore
import httpx

from engine.errors import IngestError
from engine.models import ParsedArticle
from engine.sentences import split_sentences
from engine.urls import UrlProblem, url_problem
from ingest.decoding import TooMuch, inflater_for
from ingest.errors import (
    BadBody,
    BadStatus,
    FetchTimeout,
    FetchTooLarge,
    NoArticleOnPage,
    NoConnection,
    NotHttp,
    NotWebAddress,
    TooManyRedirects,
    short_url,
)
from ingest.extract import shared_extractor
from ingest.guard import GuardedBackend

USER_AGENT = "newsbot/0.1 (+feed reader)"
# A page is an article when it has this much prose: sentences of some length that end like
# sentences. Navigation, tag clouds and link lists have none.
MIN_PROSE_CHARS = 200
MIN_SENTENCE_CHARS = 40
_SENTENCE_ENDS = (".", "!", "?", "…", "。", "！", "？")


@dataclass(frozen=True, slots=True)
class FetchPolicy:
    """The fetcher's limits (the defaults are what the bot uses)."""

    allow_private_hosts: bool = False
    max_bytes: int = 5 * 1024 * 1024
    total_seconds: float = 20.0
    read_seconds: float = 10.0
    max_redirects: int = 5


@dataclass(frozen=True, slots=True)
class Fetched:
    """A fetched response: final URL, status, headers and the body (empty unless 200)."""

    url: str
    status: int
    headers: httpx.Headers
    content: bytes
    encoding: str

    @property
    def text(self) -> str:
        """The body as text (the declared charset, else UTF-8; undecodable bytes replaced)."""
        return self.content.decode(self.encoding, errors="replace")


class GuardedTransport(httpx.AsyncHTTPTransport):
    """httpx's transport with its connection pool on a GuardedBackend."""

    def __init__(self, *, allow_private: bool) -> None:
        super().__init__(trust_env=False)
        # httpx has no public hook for the network backend, so the pool it wraps is replaced
        # by the same httpcore pool on the guarded backend (tests/ingest go red if this ever
        # stops taking effect).
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            network_backend=GuardedBackend(allow_private=allow_private),
        )


class WebClient:
    """Fetches web addresses under a FetchPolicy; use as `async with http_client() as c`."""

    def __init__(self, policy: FetchPolicy) -> None:
        self.policy = policy
        self._client = httpx.AsyncClient(
            transport=GuardedTransport(allow_private=policy.allow_private_hosts),
            timeout=httpx.Timeout(policy.read_seconds),
            # Only what ingest.decoding inflates under the size limit (no brotli, no zstd).
            headers={"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"},
            trust_env=False,
            follow_redirects=False,
        )

    async def __aenter__(self) -> WebClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connections."""
        await self._client.aclose()

    async def get(self, url: str, headers: Mapping[str, str] | None = None) -> Fetched:
        """GET `url` within the policy's limits; FetchError says why not."""
        try:
            async with asyncio.timeout(self.policy.total_seconds):
                return await self._follow(url, dict(headers or {}))
        except TimeoutError:  # the whole fetch
            raise FetchTimeout(url, self.policy.total_seconds) from None
        except httpx.TimeoutException:  # one connect or read that stalled
            raise FetchTimeout(url, self.policy.read_seconds) from None
        except httpx.HTTPError as exc:
            raise NoConnection(url, network_failure(exc)) from None

    async def _follow(self, url: str, headers: dict[str, str]) -> Fetched:
        request = self._client.build_request("GET", _web_url(url), headers=headers)
        for _ in range(self.policy.max_redirects + 1):
            response = await self._client.send(request, stream=True)
            try:
                if response.next_request is None:
                    return await self._read(response)
            finally:
                await response.aclose()  # a redirect's body is never read
            request = response.next_request
            _web_url(str(request.url))
        raise TooManyRedirects(url, self.policy.max_redirects)

    async def _read(self, response: httpx.Response) -> Fetched:
        """The body, streamed raw and decoded here under the size limit (ingest.decoding):
        at most one content coding, inflated in a worker thread, cut off as soon as either
        the raw or the decoded bytes pass the limit."""
        url, limit = str(response.url), self.policy.max_bytes
        chunks: list[bytes] = []
        if response.status_code == 200:
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > limit:
                raise FetchTooLarge(url, limit, 0)
            header = response.headers.get("Content-Encoding", "")
            inflater = inflater_for(header, limit, short_url(url))
            received = 0
            try:
                async for raw in response.aiter_raw():
                    received += len(raw)
                    if received > limit:
                        raise TooMuch(received)
                    # Inflating is CPU work: off the event loop (a plain body is only counted).
                    if inflater.coding:
                        chunks.append(await asyncio.to_thread(inflater.feed, raw))
                    else:
                        chunks.append(inflater.feed(raw))
            except TooMuch as exc:
                raise FetchTooLarge(url, limit, exc.decoded) from None
            except zlib.error:
                raise BadBody(url, header) from None
        encoding = response.charset_encoding or "utf-8"
        return Fetched(url, response.status_code, response.headers, b"".join(chunks), encoding)


# What a network failure means: a key of ingest.errors.NETWORK_FAILURES (words a chat can show).
_FAILURES: tuple[tuple[type[httpx.HTTPError], str], ...] = (
    (httpx.ConnectError, "connect"),
    (httpx.ReadError, "broken"),
    (httpx.WriteError, "broken"),
    (httpx.RemoteProtocolError, "protocol"),
    (httpx.LocalProtocolError, "request"),
    (httpx.UnsupportedProtocol, "scheme"),
)


def network_failure(exc: Exception) -> str:
    """The kind of a network error ("other" for the rare kinds not listed)."""
    for kind, words in _FAILURES:
        if isinstance(exc, kind):
            return words
    return "other"


def _web_url(url: str) -> httpx.URL:
    """`url` parsed, if it is an http(s) address with a well-formed host (engine.urls)."""
    problem = url_problem(url)
    if problem is UrlProblem.NOT_HTTP:
        raise NotHttp(url)
    try:
        parsed = None if problem else httpx.URL(url)
    except httpx.InvalidURL:
        parsed = None
    if parsed is None:
        raise NotWebAddress(url)
    return parsed


def http_client(policy: FetchPolicy | None = None) -> WebClient:
    """A fetcher under `policy` (default: the strict one, private hosts refused)."""
    return WebClient(policy or FetchPolicy())


def prose_chars(text: str) -> int:
    """Characters in sentence-like sentences: long enough and ending like a sentence."""
    return sum(
        len(s)
        for s in split_sentences(text)
        if len(s) >= MIN_SENTENCE_CHARS and s.rstrip("\"'”’»)").endswith(_SENTENCE_ENDS)
    )


async def fetch_page(client: WebClient, url: str) -> ParsedArticle:
    """One web page as an article (main text through trafilatura, in its worker process), or
    an IngestError."""
    fetched = await client.get(url)
    if fetched.status != 200:
        raise BadStatus(url, fetched.status)
    try:
        article = await shared_extractor().article(
            fetched.text, source=httpx.URL(url).host, url=url
        )
    except IngestError:
        raise NoArticleOnPage(url) from None
    if prose_chars(article.body) < MIN_PROSE_CHARS:
        raise NoArticleOnPage(url)
    return article
