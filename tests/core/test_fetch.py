"""core.fetch against a real HTTP server on 127.0.0.1; no traffic ever leaves 127.0.0.0/8."""

from __future__ import annotations

import gzip
import ipaddress
import logging
import socket
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler
from typing import Any

import pytest
from django.utils import translation

from maillage.core import fetch as fetch_module
from maillage.core.fetch import (
    BlockedAddress,
    FetchError,
    FetchFailed,
    FetchTimedOut,
    TooLarge,
    TooManyRedirects,
    UnsupportedScheme,
    decode_body,
    fetch,
    refusal_reason,
)
from tests.http_server import LocalHTTPServer

GetAddrInfo = Callable[..., list[tuple[Any, ...]]]


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    # Assertions read the English messages; the French catalogue must not change them.
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def connections(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every TCP connection made in this module, which fails the test unless it is loopback."""
    made: list[str] = []
    real_connect = socket.socket.connect

    def guarded_connect(sock: socket.socket, address: Any) -> None:
        host = str(address[0]) if isinstance(address, tuple) else str(address)
        made.append(host)
        ip = ipaddress.ip_address(host.split("%", 1)[0])
        if not ip.is_loopback or (ip.version == 6 and ip != ipaddress.IPv6Address("::1")):
            raise AssertionError(f"the test tried to connect to {host}")
        real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    yield made


def test_the_connection_guard_refuses_before_connecting(connections: list[str]) -> None:
    with socket.socket() as sock, pytest.raises(AssertionError):
        sock.connect(("10.0.0.1", 80))
    assert connections == ["10.0.0.1"]


def fake_resolver(monkeypatch: pytest.MonkeyPatch, names: dict[str, list[str]]) -> dict[str, int]:
    """Make getaddrinfo answer `names` with these addresses; return how often each was asked."""
    real_getaddrinfo: GetAddrInfo = socket.getaddrinfo
    asked: dict[str, int] = {}

    def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> list[tuple[Any, ...]]:
        name = host.decode() if isinstance(host, bytes) else str(host)
        if name not in names:
            return real_getaddrinfo(host, port, *args, **kwargs)
        asked[name] = asked.get(name, 0) + 1
        answers = names[name]
        address = answers[min(asked[name], len(answers)) - 1]
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        sockaddr = (address, int(port), 0, 0) if family == socket.AF_INET6 else (address, port)
        return [(family, socket.SOCK_STREAM, 6, "", sockaddr)]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return asked


# --- plain fetching -------------------------------------------------------------------------


def test_plain_fetch(http_server: LocalHTTPServer, settings: Any) -> None:
    settings.FETCH_USER_AGENT = "Maillage-test/1.0"
    http_server.route(
        "/feed.xml",
        body="<rss>Médiathèque</rss>".encode(),
        headers={"Content-Type": "application/rss+xml; charset=utf-8"},
    )

    result = fetch(http_server.url("/feed.xml"), accept="application/rss+xml")

    assert result.status == 200
    assert result.url == http_server.url("/feed.xml")
    assert result.content == "<rss>Médiathèque</rss>".encode()
    assert result.text == "<rss>Médiathèque</rss>"
    assert result.content_type == "application/rss+xml"
    assert result.charset == "utf-8"
    assert result.headers["content-type"] == "application/rss+xml; charset=utf-8"
    assert not result.not_modified
    request = http_server.requests[-1]
    assert request.headers["User-Agent"] == "Maillage-test/1.0"
    assert request.headers["Accept"] == "application/rss+xml"
    assert request.headers["Host"] == f"127.0.0.1:{http_server.port}"


def test_error_status_raises_fetch_failed_with_the_status(http_server: LocalHTTPServer) -> None:
    with pytest.raises(FetchFailed) as error:
        fetch(http_server.url("/missing"))
    assert error.value.status == 404
    assert "404" in str(error.value)
    assert error.value.url == http_server.url("/missing")


def test_server_error_raises_fetch_failed(http_server: LocalHTTPServer) -> None:
    http_server.route("/boom", status=503, body=b"down")
    with pytest.raises(FetchFailed) as error:
        fetch(http_server.url("/boom"))
    assert error.value.status == 503


def test_connection_refused_is_a_readable_fetch_failed(
    http_server: LocalHTTPServer, settings: Any
) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed_port = sock.getsockname()[1]
    with pytest.raises(FetchFailed) as error:
        fetch(f"http://127.0.0.1:{closed_port}/")
    assert "could not be reached" in str(error.value)


def test_proxy_variables_in_the_environment_are_ignored(
    http_server: LocalHTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A proxy would connect on our behalf, past the address check.
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "all_proxy"):
        monkeypatch.setenv(name, "http://10.9.9.9:3128")
    http_server.route("/", body=b"direct")
    assert fetch(http_server.url("/")).content == b"direct"


# --- redirects ------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_follows_a_redirect(http_server: LocalHTTPServer, status: int) -> None:
    http_server.redirect("/old", "/new", status=status)
    http_server.route("/new", body=b"here")

    result = fetch(http_server.url("/old"))

    assert result.content == b"here"
    assert result.url == http_server.url("/new")
    assert http_server.paths() == ["/old", "/new"]


def test_follows_an_absolute_redirect(http_server: LocalHTTPServer) -> None:
    http_server.redirect("/a", http_server.url("/b?x=1"))
    http_server.route("/b", body=b"b")
    assert fetch(http_server.url("/a")).url == http_server.url("/b?x=1")


def test_five_redirects_are_followed(http_server: LocalHTTPServer) -> None:
    for hop in range(5):
        http_server.redirect(f"/r{hop}", f"/r{hop + 1}")
    http_server.route("/r5", body=b"end")

    assert fetch(http_server.url("/r0")).content == b"end"
    assert len(http_server.requests) == 6


def test_a_sixth_redirect_is_refused(http_server: LocalHTTPServer) -> None:
    for hop in range(6):
        http_server.redirect(f"/r{hop}", f"/r{hop + 1}")
    http_server.route("/r6", body=b"never")

    with pytest.raises(TooManyRedirects):
        fetch(http_server.url("/r0"))
    assert "/r6" not in http_server.paths()


def test_a_redirect_loop_is_refused(http_server: LocalHTTPServer) -> None:
    http_server.redirect("/loop", "/loop")
    with pytest.raises(TooManyRedirects):
        fetch(http_server.url("/loop"))


@pytest.mark.parametrize(
    "target",
    [
        "http://10.0.0.1/admin",
        "http://169.254.169.254/latest/meta-data/",
        "http://192.168.1.1/",
        "http://[::ffff:10.0.0.1]/",
        "http://0xa000001/",
    ],
)
def test_a_redirect_to_a_private_address_is_refused(
    http_server: LocalHTTPServer, connections: list[str], settings: Any, target: str
) -> None:
    http_server.redirect("/go", target)

    with pytest.raises(BlockedAddress):
        fetch(http_server.url("/go"))
    assert all(host == "127.0.0.1" for host in connections)


def test_a_redirect_to_a_name_resolving_privately_is_refused(
    http_server: LocalHTTPServer, connections: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_resolver(monkeypatch, {"intranet.example.test": ["10.1.2.3"]})
    http_server.redirect("/go", "http://intranet.example.test/secret")

    with pytest.raises(BlockedAddress) as error:
        fetch(http_server.url("/go"))
    assert error.value.host == "intranet.example.test"
    assert error.value.address == "10.1.2.3"
    assert error.value.url == "http://intranet.example.test/secret"
    assert connections == ["127.0.0.1"]


@pytest.mark.parametrize(
    "location",
    ["ftp://example.org/file", "file:///etc/passwd", "gopher://example.org/", "dict://x:11211/"],
)
def test_a_redirect_to_another_scheme_is_refused(
    http_server: LocalHTTPServer, location: str
) -> None:
    http_server.redirect("/go", location)
    with pytest.raises(UnsupportedScheme):
        fetch(http_server.url("/go"))


@pytest.mark.parametrize("location", ["javascript:alert(1)", "http://exa mple.org/", "http://[::1"])
def test_a_redirect_to_an_invalid_address_fails(
    http_server: LocalHTTPServer, connections: list[str], location: str
) -> None:
    http_server.redirect("/go", location)
    with pytest.raises(FetchFailed):
        fetch(http_server.url("/go"))
    assert connections == ["127.0.0.1"]


def test_a_redirect_without_location_fails(http_server: LocalHTTPServer) -> None:
    http_server.route("/go", status=302)
    with pytest.raises(FetchFailed) as error:
        fetch(http_server.url("/go"))
    assert error.value.status == 302


# --- size and time limits -------------------------------------------------------------------


def test_a_declared_body_over_the_cap_is_refused_before_reading(
    http_server: LocalHTTPServer, settings: Any
) -> None:
    settings.FETCH_MAX_BYTES = 1000
    http_server.route("/big", body=b"x" * 1001)
    with pytest.raises(TooLarge) as error:
        fetch(http_server.url("/big"))
    assert error.value.limit == 1000
    assert "1000" in str(error.value)


def test_a_body_at_the_cap_is_accepted(http_server: LocalHTTPServer, settings: Any) -> None:
    settings.FETCH_MAX_BYTES = 1000
    http_server.route("/exact", body=b"x" * 1000)
    assert len(fetch(http_server.url("/exact")).content) == 1000


def test_a_streamed_body_is_cut_at_the_cap(http_server: LocalHTTPServer, settings: Any) -> None:
    settings.FETCH_MAX_BYTES = 256 * 1024
    # 1 GiB announced by nothing: reading must stop soon after the cap, not at the end.
    http_server.route("/endless", stream_bytes=1024**3)
    started = time.monotonic()
    with pytest.raises(TooLarge):
        fetch(http_server.url("/endless"))
    assert time.monotonic() - started < 5


def test_max_bytes_overrides_the_setting(http_server: LocalHTTPServer) -> None:
    http_server.route("/page", body=b"x" * 100)
    with pytest.raises(TooLarge):
        fetch(http_server.url("/page"), max_bytes=99)
    assert len(fetch(http_server.url("/page"), max_bytes=100).content) == 100


def test_the_cap_applies_to_the_decompressed_body(
    http_server: LocalHTTPServer, settings: Any
) -> None:
    settings.FETCH_MAX_BYTES = 100_000
    bomb = gzip.compress(b"\0" * 10_000_000)
    assert len(bomb) < settings.FETCH_MAX_BYTES
    http_server.route("/bomb", body=bomb, headers={"Content-Encoding": "gzip"})
    with pytest.raises(TooLarge):
        fetch(http_server.url("/bomb"))


def test_a_slow_server_trips_the_read_timeout(http_server: LocalHTTPServer, settings: Any) -> None:
    settings.FETCH_READ_TIMEOUT = 0.3
    http_server.route("/slow", body=b"late", delay=5)
    started = time.monotonic()
    with pytest.raises(FetchTimedOut) as error:
        fetch(http_server.url("/slow"))
    assert time.monotonic() - started < 3
    assert isinstance(error.value, FetchFailed)
    assert "too long" in str(error.value)


def test_a_dripping_server_trips_the_total_timeout(
    http_server: LocalHTTPServer, settings: Any
) -> None:
    settings.FETCH_READ_TIMEOUT = 2
    settings.FETCH_TOTAL_TIMEOUT = 0.5

    def drip(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.end_headers()
        try:
            for _ in range(50):
                handler.wfile.write(b"x" * 10)
                handler.wfile.flush()
                if http_server.stopping.wait(0.1):
                    return
        except (BrokenPipeError, ConnectionResetError):
            pass

    http_server.route("/drip", handler=drip)
    started = time.monotonic()
    with pytest.raises(FetchTimedOut):
        fetch(http_server.url("/drip"))
    assert time.monotonic() - started < 3


# --- conditional GET ------------------------------------------------------------------------


def test_conditional_get_with_etag(http_server: LocalHTTPServer) -> None:
    http_server.route("/feed", body=b"<feed/>", etag='"v1"')

    first = fetch(http_server.url("/feed"))
    assert first.etag == '"v1"'
    assert first.content == b"<feed/>"

    second = fetch(http_server.url("/feed"), etag=first.etag)
    assert second.not_modified
    assert second.status == 304
    assert second.content == b""
    assert second.text == ""
    assert second.etag == '"v1"'
    assert http_server.requests[-1].headers["If-None-Match"] == '"v1"'


def test_conditional_get_with_last_modified(http_server: LocalHTTPServer) -> None:
    stamp = "Wed, 26 Mar 2014 18:00:00 GMT"
    http_server.route("/feed", body=b"<feed/>", last_modified=stamp)

    first = fetch(http_server.url("/feed"))
    assert first.last_modified == stamp

    second = fetch(http_server.url("/feed"), last_modified=first.last_modified)
    assert second.not_modified
    assert second.last_modified == stamp
    assert http_server.requests[-1].headers["If-Modified-Since"] == stamp


def test_a_changed_document_is_fetched_again(http_server: LocalHTTPServer) -> None:
    http_server.route("/feed", body=b"<feed>new</feed>", etag='"v2"')
    result = fetch(http_server.url("/feed"), etag='"v1"')
    assert not result.not_modified
    assert result.content == b"<feed>new</feed>"
    assert result.etag == '"v2"'


# --- the address check ----------------------------------------------------------------------


def test_loopback_is_refused_when_the_setting_is_off(
    http_server: LocalHTTPServer, settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    settings.FETCH_ALLOW_LOOPBACK = False
    http_server.route("/", body=b"secret")

    with (
        caplog.at_level(logging.WARNING, logger="maillage.core.fetch"),
        pytest.raises(BlockedAddress) as error,
    ):
        fetch(http_server.url("/"))

    assert error.value.reason == "loopback"
    assert "public internet" in str(error.value)
    assert http_server.requests == []
    assert "fetch refused" in caplog.text
    assert "127.0.0.1" in caplog.text


def test_a_name_for_loopback_is_refused_when_the_setting_is_off(
    http_server: LocalHTTPServer, settings: Any, connections: list[str]
) -> None:
    settings.FETCH_ALLOW_LOOPBACK = False
    with pytest.raises(BlockedAddress) as error:
        fetch(http_server.url("/", host="localhost"))
    assert error.value.host == "localhost"
    assert http_server.requests == []
    assert connections == []


REFUSED_URLS = [
    "http://127.0.0.1/",
    "http://127.8.9.10/",
    "http://localhost/",
    "http://10.0.0.1/",
    "http://172.16.0.1/",
    "http://192.168.1.1/",
    "http://169.254.169.254/latest/meta-data/",
    "http://100.64.0.1/",
    "http://0.0.0.0/",
    "http://0/",
    "http://224.0.0.1/",
    "http://239.255.255.250/",
    "http://255.255.255.255/",
    "http://240.0.0.1/",
    "http://198.18.0.1/",
    "http://192.0.2.1/",
    "http://2130706433/",
    "http://0x7f000001/",
    "http://0x7f.1/",
    "http://0177.0.0.1/",
    "http://127.1/",
    "http://017700000001/",
    "http://0xa.0.0.1/",
    "http://[::1]/",
    "http://[::]/",
    "http://[::ffff:127.0.0.1]/",
    "http://[::ffff:7f00:1]/",
    "http://[::ffff:10.0.0.1]/",
    "http://[::ffff:169.254.169.254]/",
    "http://[::127.0.0.1]/",
    "http://[64:ff9b::127.0.0.1]/",
    "http://[64:ff9b::a9fe:a9fe]/",
    "http://[2002:7f00:1::]/",
    "http://[2002:c0a8:101::1]/",
    "http://[fe80::1]/",
    "http://[fc00::1]/",
    "http://[fd12:3456::1]/",
    "http://[fec0::1]/",
    "http://[ff02::1]/",
    "http://[2001:db8::1]/",
    "https://10.0.0.1:8443/",
]


@pytest.mark.parametrize("url", REFUSED_URLS)
def test_refused_addresses_are_never_contacted(
    url: str, settings: Any, connections: list[str]
) -> None:
    settings.FETCH_ALLOW_LOOPBACK = False
    with pytest.raises(BlockedAddress) as error:
        fetch(url)
    assert error.value.reason in fetch_module.REFUSAL_REASONS
    assert str(error.value).startswith("Refused to fetch from")
    assert connections == []


@pytest.mark.parametrize(
    "url",
    [
        "http://[::ffff:127.0.0.1]/",
        "http://[64:ff9b::127.0.0.1]/",
        "http://[2002:7f00:1::]/",
        "http://[::127.0.0.1]/",
        "http://10.0.0.1/",
        "http://169.254.169.254/",
    ],
)
def test_allowing_loopback_allows_only_its_plain_forms(
    url: str, settings: Any, connections: list[str]
) -> None:
    settings.FETCH_ALLOW_LOOPBACK = True
    with pytest.raises(BlockedAddress):
        fetch(url)
    assert connections == []


def test_the_check_happens_when_connecting(
    monkeypatch: pytest.MonkeyPatch, connections: list[str]
) -> None:
    # Nothing in the URL gives it away: only the resolved address does.
    asked = fake_resolver(monkeypatch, {"feeds.example.test": ["192.168.0.10"]})
    with pytest.raises(BlockedAddress) as error:
        fetch("https://feeds.example.test/rss")
    assert error.value.reason == "private"
    assert "feeds.example.test" in str(error.value)
    assert "192.168.0.10" in str(error.value)
    assert asked == {"feeds.example.test": 1}
    assert connections == []


def test_one_private_address_among_public_ones_refuses_the_name(
    monkeypatch: pytest.MonkeyPatch, connections: list[str]
) -> None:
    real_getaddrinfo: GetAddrInfo = socket.getaddrinfo

    def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> list[tuple[Any, ...]]:
        if host == "mixed.example.test":
            return [
                (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", port)),
                (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.7", port)),
            ]
        return real_getaddrinfo(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    with pytest.raises(BlockedAddress) as error:
        fetch("http://mixed.example.test/")
    assert error.value.address == "10.0.0.7"
    assert connections == []


def test_the_connection_goes_to_the_checked_address(
    http_server: LocalHTTPServer, monkeypatch: pytest.MonkeyPatch, connections: list[str]
) -> None:
    # A rebinding name: checked as 127.0.0.1 (allowed here), then it would answer 10.0.0.1.
    asked = fake_resolver(monkeypatch, {"rebind.example.test": ["127.0.0.1", "10.0.0.1"]})
    http_server.route("/", body=b"pinned")

    result = fetch(http_server.url("/", host="rebind.example.test"))

    assert result.content == b"pinned"
    assert asked == {"rebind.example.test": 1}
    assert connections == ["127.0.0.1"]
    # The name still travels in the Host header (and would be the TLS SNI).
    assert http_server.requests[-1].headers["Host"] == f"rebind.example.test:{http_server.port}"


def test_an_unknown_name_fails_readably(monkeypatch: pytest.MonkeyPatch) -> None:
    def getaddrinfo(*args: Any, **kwargs: Any) -> list[tuple[Any, ...]]:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    with pytest.raises(FetchFailed) as error:
        fetch("https://nowhere.example.test/")
    assert str(error.value) == "The name nowhere.example.test could not be found."


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.org/file",
        "file:///etc/passwd",
        "gopher://example.org/",
        "javascript:alert(1)",
        "data:text/plain,hello",
        "dict://127.0.0.1:11211/",
        "example.org/no-scheme",
        "",
    ],
)
def test_only_http_and_https(url: str, connections: list[str]) -> None:
    with pytest.raises(UnsupportedScheme):
        fetch(url)
    assert connections == []


@pytest.mark.parametrize("url", ["http:///path", "http://exa mple.org/", "https://[::1/"])
def test_malformed_addresses_fail_readably(url: str, connections: list[str]) -> None:
    with pytest.raises(FetchError) as error:
        fetch(url)
    assert str(error.value)
    assert connections == []


IP = ipaddress.ip_address


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", "loopback"),
        ("::1", "loopback"),
        ("0.0.0.0", "unspecified"),  # noqa: S104 - an address under test, not a bind
        ("::", "unspecified"),
        ("10.0.0.1", "private"),
        ("172.31.255.255", "private"),
        ("192.168.0.1", "private"),
        ("fc00::1", "private"),
        ("169.254.169.254", "link-local"),
        ("fe80::1", "link-local"),
        ("224.0.0.1", "multicast"),
        ("ff02::1", "multicast"),
        ("240.0.0.1", "private"),
        ("100.64.0.1", "not-global"),
        ("::ffff:127.0.0.1", "loopback"),
        ("::ffff:192.168.1.1", "private"),
        ("64:ff9b::10.0.0.1", "private"),
        ("2002:a00:1::", "private"),
        ("2001:0:4136:e378:8000:63bf:3fff:fdd2", "private"),  # Teredo
        ("::10.0.0.1", "private"),
        ("fec0::1", "not-global"),
    ],
)
def test_refusal_reason(address: str, reason: str) -> None:
    assert refusal_reason(IP(address)) == reason


@pytest.mark.parametrize(
    "address",
    ["93.184.215.14", "8.8.8.8", "2606:4700::1111", "::ffff:8.8.8.8", "64:ff9b::8.8.8.8"],
)
def test_public_addresses_are_allowed(address: str) -> None:
    assert refusal_reason(IP(address)) is None


def test_allow_loopback_covers_127_slash_8_and_ipv6_loopback_only() -> None:
    assert refusal_reason(IP("127.0.0.1"), allow_loopback=True) is None
    assert refusal_reason(IP("127.255.0.9"), allow_loopback=True) is None
    assert refusal_reason(IP("::1"), allow_loopback=True) is None
    assert refusal_reason(IP("::ffff:127.0.0.1"), allow_loopback=True) == "loopback"
    assert refusal_reason(IP("10.0.0.1"), allow_loopback=True) == "private"
    assert refusal_reason(IP("0.0.0.0"), allow_loopback=True) == "unspecified"  # noqa: S104


# --- decoding -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "declared", "expected"),
    [
        ("Médiathèque".encode(), None, "Médiathèque"),
        ("Médiathèque".encode("latin-1"), "iso-8859-1", "Médiathèque"),
        ("Œuvre".encode("cp1252"), "ISO-8859-1", "Œuvre"),
        ("Médiathèque".encode("latin-1"), None, "Médiathèque"),
        (
            '<html><head><meta charset="iso-8859-15"></head>€</html>'.encode("iso-8859-15"),
            None,
            '<html><head><meta charset="iso-8859-15"></head>€</html>',
        ),
        (
            "<?xml version='1.0' encoding='windows-1252'?><rss>é</rss>".encode("cp1252"),
            None,
            "<?xml version='1.0' encoding='windows-1252'?><rss>é</rss>",
        ),
        (b"\xef\xbb\xbfbonjour", "iso-8859-1", "bonjour"),
        ("été".encode("utf-16"), None, "été"),
        ("é".encode(), "no-such-charset", "é"),
    ],
)
def test_decode_body(content: bytes, declared: str | None, expected: str) -> None:
    assert decode_body(content, declared) == expected


def test_text_uses_the_declared_charset(http_server: LocalHTTPServer) -> None:
    http_server.route(
        "/latin",
        body="Bibliothèque".encode("latin-1"),
        headers={"Content-Type": "text/html; charset=ISO-8859-1"},
    )
    result = fetch(http_server.url("/latin"))
    assert result.charset == "ISO-8859-1"
    assert result.text == "Bibliothèque"
