"""A real HTTP server on 127.0.0.1 for tests, answering from a route table set by each test.

http_server.route("/feed.xml", body=b"<rss/>", headers={"Content-Type": "application/rss+xml"})
http_server.redirect("/old", "/feed.xml")
fetch(http_server.url("/old"))
assert http_server.requests[-1].path == "/feed.xml"
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    # Seconds to wait after the headers, before the body (to trip a read timeout).
    delay: float = 0.0
    # Stream this many bytes (in 64 KiB chunks) instead of `body`, without Content-Length.
    stream_bytes: int = 0
    # Answer 304 when the request's If-None-Match / If-Modified-Since matches these.
    etag: str | None = None
    last_modified: str | None = None
    # Full control when the fields above are not enough: (handler) -> None.
    handler: Callable[[BaseHTTPRequestHandler], None] | None = None


@dataclass(frozen=True)
class ReceivedRequest:
    method: str
    path: str
    headers: Message


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    # HTTP/1.0: one request per connection, and the end of the body is the end of the stream.
    protocol_version = "HTTP/1.0"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        owner = self.server.owner
        owner.requests.append(ReceivedRequest("GET", self.path, self.headers))
        route = owner.routes.get(self.path) or owner.routes.get(self.path.split("?", 1)[0])
        if route is None:
            self._send(404, {"Content-Type": "text/plain"}, b"not found")
            return
        if route.handler is not None:
            route.handler(self)
            return
        if self._not_modified(route):
            self.send_response(304)
            self._send_headers(route.headers, etag=route.etag, last_modified=route.last_modified)
            return
        try:
            self.send_response(route.status)
            headers = dict(route.headers)
            if not route.stream_bytes:
                headers.setdefault("Content-Length", str(len(route.body)))
            self._send_headers(headers, etag=route.etag, last_modified=route.last_modified)
            self.wfile.flush()
            if route.delay and owner.stopping.wait(route.delay):
                return
            if route.stream_bytes:
                chunk = b"x" * 65536
                remaining = route.stream_bytes
                while remaining > 0 and not owner.stopping.is_set():
                    self.wfile.write(chunk[:remaining])
                    remaining -= len(chunk)
            else:
                self.wfile.write(route.body)
        except (BrokenPipeError, ConnectionResetError):
            # The client stopped reading (size cap, timeout): what the test wanted.
            pass

    def do_POST(self) -> None:
        """POST goes to routes with a `handler` (an API a client library calls); the handler
        reads the body itself."""
        owner = self.server.owner
        owner.requests.append(ReceivedRequest("POST", self.path, self.headers))
        route = owner.routes.get(self.path) or owner.routes.get(self.path.split("?", 1)[0])
        if route is None or route.handler is None:
            self._send(404, {"Content-Type": "text/plain"}, b"not found")
            return
        route.handler(self)

    def _not_modified(self, route: Route) -> bool:
        if route.etag is not None and self.headers.get("If-None-Match") == route.etag:
            return True
        return (
            route.last_modified is not None
            and self.headers.get("If-Modified-Since") == route.last_modified
        )

    def _send_headers(
        self, headers: dict[str, str], *, etag: str | None, last_modified: str | None
    ) -> None:
        for name, value in headers.items():
            self.send_header(name, value)
        if etag is not None:
            self.send_header("ETag", etag)
        if last_modified is not None:
            self.send_header("Last-Modified", last_modified)
        self.end_headers()

    def _send(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.send_response(status)
        self._send_headers(
            {**headers, "Content-Length": str(len(body))}, etag=None, last_modified=None
        )
        self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # Handlers sleeping in a slow route must not hold up the end of the test.
    block_on_close = False
    owner: LocalHTTPServer


class LocalHTTPServer:
    """ThreadingHTTPServer on 127.0.0.1 (a free port) serving `routes`, in a daemon thread."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[ReceivedRequest] = []
        self.stopping = threading.Event()
        self._server = _Server((host, 0), _Handler)
        self._server.owner = self
        self.host = host
        self.port = int(self._server.server_address[1])
        self._thread = threading.Thread(
            # A short poll interval keeps shutdown (after every test) quick.
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="test-http-server",
            daemon=True,
        )

    def start(self) -> LocalHTTPServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def url(self, path: str = "/", *, host: str | None = None) -> str:
        return f"http://{host or self.host}:{self.port}{path}"

    def route(self, path: str, **options: object) -> Route:
        """Answer GET `path` as described (see Route); replaces any earlier route for it."""
        route = Route(**options)  # type: ignore[arg-type]
        self.routes[path] = route
        return route

    def redirect(self, path: str, location: str, *, status: int = 302) -> Route:
        return self.route(path, status=status, headers={"Location": location})

    def paths(self) -> list[str]:
        return [request.path for request in self.requests]


def running_server() -> Iterator[LocalHTTPServer]:
    """Start a server, yield it, stop it (the body of the `http_server` fixture)."""
    server = LocalHTTPServer().start()
    try:
        yield server
    finally:
        server.stop()
