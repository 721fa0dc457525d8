"""Web servers the ingest tests start on loopback, with routes that misbehave on purpose."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

Route = Callable[[BaseHTTPRequestHandler, "LocalWeb"], None]

# A portal page: navigation, a tag cloud and a footer, no article.
NAVIGATION = (
    "<html><head><title>Portal</title></head><body><nav><ul>"
    + "".join(f'<li><a href="/s{i}">Section {i} news and more</a></li>' for i in range(30))
    + "</ul></nav><div>"
    + " | ".join(f'<a href="/t{i}">Topic {i}</a>' for i in range(30))
    + "</div><footer>Share this page.</footer></body></html>"
)


class LocalWeb:
    """One server: routes by path, a record of requests (path, Host) and of bytes sent."""

    def __init__(self, host: str) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, str]] = []
        self.sent = 0
        self.stop = threading.Event()
        web = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                web.requests.append((self.path, self.headers.get("Host", "")))
                route = web.routes.get(self.path.split("?")[0])
                if route is None:
                    self.send_error(404)
                    return
                route(self, web)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer((host, 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.base = f"http://{host}:{self.port}"
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()

    def close(self) -> None:
        self.stop.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def serve() -> Iterator[Callable[[str], LocalWeb]]:
    """Start servers on the given loopback addresses; all are stopped after the test."""
    started: list[LocalWeb] = []

    def start(host: str = "127.0.0.1") -> LocalWeb:
        started.append(LocalWeb(host))
        return started[-1]

    yield start
    for web in started:
        web.close()


def page(body: str, kind: str = "text/html") -> Route:
    """A route answering 200 with `body`."""

    def route(handler: BaseHTTPRequestHandler, web: LocalWeb) -> None:
        data = body.encode()
        handler.send_response(200)
        handler.send_header("Content-Type", kind)
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

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
