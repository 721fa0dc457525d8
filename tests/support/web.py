"""One local web server for every test that fetches: routes by path (some misbehave on
purpose), a record of the requests it got. `news_site` makes it the small news site of the
feed, /add and fetcher tests; `feed_site` a site whose pages link feeds."""

from __future__ import annotations

import threading
from collections.abc import Callable
from email.message import Message
from http.server import BaseHTTPRequestHandler

from tests.support import net
from tests.support.samples import ATOM, NAVIGATION, PAGE, RSS, home_page, local_feed

Route = Callable[[BaseHTTPRequestHandler, "LocalWeb"], None]


class LocalWeb:
    """One server on `host`: `routes` by path (404 elsewhere); `requests` holds (path,
    headers) of every GET, in order; `sent` counts the bytes `endless` streamed."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, Message]] = []
        self.sent = 0
        self.stop = threading.Event()
        web = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                web.requests.append((self.path, self.headers))
                route = web.routes.get(self.path.split("?")[0])
                if route is None:
                    self.send_error(404)
                    return
                route(self, web)

            def log_message(self, *args: object) -> None:
                pass

        self.server = net.serve(Handler, host)
        self.port = self.server.server_address[1]
        self.base = f"http://{host}:{self.port}"

    def close(self) -> None:
        self.stop.set()
        net.stop(self.server)


def news_site(web: LocalWeb) -> LocalWeb:
    """A feed at /feed.xml (ETag "v1", answers 304 to it), a full article page at /grain."""
    web.routes["/feed.xml"] = feed_with_etag
    web.routes["/grain"] = page(PAGE)
    return web


def feed_site(web: LocalWeb) -> LocalWeb:
    """Feeds to discover: RSS at /rss.xml, Atom at /blog/atom, pages that link them (/home;
    /blog/ relatively; /dead to a missing feed first), and /portal that links none."""
    web.routes["/rss.xml"] = page(RSS, "application/rss+xml")
    web.routes["/blog/atom"] = page(ATOM, "application/atom+xml")
    web.routes["/home"] = page(home_page("/rss.xml"))
    web.routes["/blog/"] = page(home_page("atom", "application/atom+xml; charset=utf-8"))
    web.routes["/portal"] = page(NAVIGATION)
    web.routes["/dead"] = page(home_page("/missing.xml") + home_page("/rss.xml"))
    return web


def feed_with_etag(handler: BaseHTTPRequestHandler, web: LocalWeb) -> None:
    if handler.headers.get("If-None-Match") == '"v1"':
        handler.send_response(304)
        handler.end_headers()
        return
    _answer(
        handler,
        local_feed(web.base),
        "application/rss+xml",
        {"ETag": '"v1"', "Last-Modified": "Tue, 03 Nov 2026 10:00:00 GMT"},
    )


def _answer(
    handler: BaseHTTPRequestHandler, body: str, kind: str, headers: dict[str, str] | None = None
) -> None:
    data = body.encode()
    handler.send_response(200)
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.send_header("Content-Type", kind)
    handler.send_header("Content-Length", str(len(data)))
    handler.end_headers()
    handler.wfile.write(data)


def page(body: str, kind: str = "text/html") -> Route:
    """A route answering 200 with `body`."""
    return lambda handler, web: _answer(handler, body, kind)


def raw(body: bytes, kind: str, headers: dict[str, str] | None = None) -> Route:
    """A route answering 200 with these bytes as they are, and these headers (a declared
    Content-Encoding, an ETag): what a hostile or careless server sends."""

    def route(handler: BaseHTTPRequestHandler, web: LocalWeb) -> None:
        handler.send_response(200)
        for name, value in {"Content-Type": kind, **(headers or {})}.items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    return route


def redirect(location: Callable[[LocalWeb], str]) -> Route:
    """A route answering 302 to `location(web)`."""

    def route(handler: BaseHTTPRequestHandler, web: LocalWeb) -> None:
        handler.send_response(302)
        handler.send_header("Location", location(web))
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    return route


def drip(count: int, every: float) -> Route:
    """A route that sends a 200 and then one byte every `every` seconds, `count` times."""

    def route(handler: BaseHTTPRequestHandler, web: LocalWeb) -> None:
        handler.send_response(200)
        handler.send_header("Content-Length", str(count))
        handler.end_headers()
        for _ in range(count):
            if web.stop.wait(every):  # the server's pace, not the test's: stops on teardown
                return
            handler.wfile.write(b".")
            handler.wfile.flush()

    return route


def endless(chunk: int = 64 * 1024, cap: int = 256 * 1024 * 1024) -> Route:
    """A route that streams a body with no Content-Length until the client hangs up (or cap)."""

    def route(handler: BaseHTTPRequestHandler, web: LocalWeb) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.end_headers()  # HTTP/1.0: the body ends when the connection closes
        data = b"<p>" + b"x" * (chunk - 3)
        try:
            while web.sent < cap and not web.stop.is_set():
                handler.wfile.write(data)
                web.sent += len(data)
        except OSError:
            pass

    return route


def declares(length: int) -> Route:
    """A route that declares a huge Content-Length and sends nothing."""

    def route(handler: BaseHTTPRequestHandler, web: LocalWeb) -> None:
        handler.send_response(200)
        handler.send_header("Content-Length", str(length))
        handler.end_headers()

    return route
