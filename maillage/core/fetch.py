"""The only way the server reaches the network: GET over http(s), guarded against SSRF.

    result = fetch(url, etag=source.etag, last_modified=source.last_modified)
    if not result.not_modified:
        parse(result.text)

Every connection goes to an address resolved once and checked (public internet only), so
neither a redirect nor a DNS answer that changes between check and use (rebinding) can
reach this machine or the private network it sits in.
"""

from __future__ import annotations

import codecs
import ipaddress
import logging
import re
import socket
import ssl
import time
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any, TypeAlias
from urllib.parse import urlsplit

import httpcore
import httpx
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

IPAddress: TypeAlias = ipaddress.IPv4Address | ipaddress.IPv6Address

MAX_REDIRECTS = 5
ALLOWED_SCHEMES = frozenset({"http", "https"})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
# A slow server can stay under the read timeout forever by dripping bytes; this bounds the
# whole fetch (redirects included) unless settings.FETCH_TOTAL_TIMEOUT says otherwise.
DEFAULT_TOTAL_TIMEOUT = 60.0
# Addresses tried in turn when a name resolves to several (each within the connect timeout).
MAX_CONNECT_ATTEMPTS = 3

_LOOPBACK_NETWORKS = (
    ipaddress.ip_network("127.0.0.0/8"),
    ipaddress.ip_network("::1/128"),
)
_NAT64_WELL_KNOWN = ipaddress.ip_network("64:ff9b::/96")
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")

REFUSAL_REASONS: dict[str, Promise] = {
    "loopback": _("a loopback address (the server itself)"),
    "unspecified": _("an unspecified address"),
    "private": _("an address in a private network"),
    "link-local": _("a link-local address"),
    "multicast": _("a multicast address"),
    "reserved": _("a reserved address"),
    "not-global": _("an address that is not on the public internet"),
}


# --- errors ---------------------------------------------------------------------------------


class FetchError(Exception):
    """Fetching `url` did not work; str(error) is a sentence a person can read."""

    def __init__(self, message: str, *, url: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.url = url


class BlockedAddress(FetchError):
    """The address is not on the public internet (or resolves to such an address)."""

    def __init__(self, *, host: str, address: str, reason: str, url: str = "") -> None:
        description = REFUSAL_REASONS.get(reason, reason)
        if host == address:
            message = gettext(
                "Refused to fetch from %(address)s: it is %(reason)s. "
                "Only addresses on the public internet can be fetched."
            ) % {"address": address, "reason": description}
        else:
            message = gettext(
                "Refused to fetch from %(host)s: it leads to %(address)s, %(reason)s. "
                "Only addresses on the public internet can be fetched."
            ) % {"host": host, "address": address, "reason": description}
        super().__init__(message, url=url)
        self.host = host
        self.address = address
        self.reason = reason


class TooLarge(FetchError):
    def __init__(self, *, limit: int, url: str = "") -> None:
        super().__init__(
            gettext("The document is larger than %(limit)s, the most we accept.")
            % {"limit": filesizeformat(limit)},
            url=url,
        )
        self.limit = limit


class TooManyRedirects(FetchError):
    pass


class UnsupportedScheme(FetchError):
    pass


class FetchFailed(FetchError):
    """The address could not be reached, or the server answered with an error."""

    def __init__(self, message: str, *, url: str = "", status: int | None = None) -> None:
        super().__init__(message, url=url)
        self.status = status


class FetchTimedOut(FetchFailed):
    pass


# --- the address check ----------------------------------------------------------------------


def _embedded_ipv4(address: ipaddress.IPv6Address) -> tuple[ipaddress.IPv4Address, bool] | None:
    """The IPv4 address an IPv6 form carries, and whether the IPv6 form reaches it directly.

    IPv4-mapped, NAT64 (64:ff9b::/96) and 6to4 addresses deliver to the embedded IPv4 host, so
    that host decides; Teredo and IPv4-compatible forms are only checked for what they embed.
    """
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped, True
    if address in _NAT64_WELL_KNOWN:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF), True
    if address.sixtofour is not None:
        return address.sixtofour, True
    if address.teredo is not None:
        server, client = address.teredo
        return (server if refusal_reason(server) else client), False
    if address in _IPV4_COMPATIBLE and int(address) > 1:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF), False
    return None


def refusal_reason(address: IPAddress, *, allow_loopback: bool = False) -> str | None:
    """Why the fetcher must not connect to this address (a key of REFUSAL_REASONS), or None."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.scope_id:
            address = ipaddress.IPv6Address(str(address).split("%", 1)[0])
        embedded = _embedded_ipv4(address)
        if embedded is not None:
            # Only the plain forms of loopback are allowed for tests, never these disguises.
            reason = refusal_reason(embedded[0])
            if reason is not None or embedded[1]:
                return reason
    if allow_loopback and any(address in network for network in _LOOPBACK_NETWORKS):
        return None
    # Order matters: the most telling description first (127.0.0.1 is also "private").
    if address.is_loopback:
        return "loopback"
    if address.is_unspecified:
        return "unspecified"
    if address.is_link_local:
        return "link-local"
    if address.is_multicast:
        return "multicast"
    if address.is_private:
        return "private"
    if address.is_reserved:
        return "reserved"
    if not address.is_global or (
        isinstance(address, ipaddress.IPv6Address) and address.is_site_local
    ):
        # 100.64.0.0/10 (carrier-grade NAT) and the like.
        return "not-global"
    return None


def _allow_loopback() -> bool:
    return bool(getattr(settings, "FETCH_ALLOW_LOOPBACK", False))


def _literal_address(host: str) -> IPAddress | None:
    """The address a host names by itself, in any spelling the system resolver accepts."""
    host = host.strip("[]")
    try:
        return ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        pass
    # inet_aton is what getaddrinfo uses for IPv4: 2130706433, 0x7f.1, 0177.0.0.1, 127.1…
    if re.fullmatch(r"[0-9a-fA-Fx.]+", host):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    return None


def _is_odd_spelling(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return True
    return False


def resolve_checked(host: str, port: int) -> list[IPAddress]:
    """Resolve `host` once and return its addresses, refusing all if any one is not public."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise FetchFailed(
            gettext("The name %(host)s could not be found.") % {"host": host}
        ) from error
    addresses: list[IPAddress] = []
    for _family, _type, _proto, _canonname, sockaddr in infos:
        address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        if address not in addresses:
            addresses.append(address)
    allow_loopback = _allow_loopback()
    for address in addresses:
        reason = refusal_reason(address, allow_loopback=allow_loopback)
        if reason is not None:
            raise BlockedAddress(host=host, address=str(address), reason=reason)
    if not addresses:
        raise FetchFailed(gettext("The name %(host)s could not be found.") % {"host": host})
    return addresses


class GuardedNetworkBackend(httpcore.SyncBackend):
    """Connects only to addresses that resolve_checked() approved, by IP, at connection time.

    httpcore still sends the original host name in the Host header and as TLS SNI (and checks
    the certificate against it); only the TCP connection is pinned to the checked address.
    """

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        addresses = resolve_checked(host, port)
        last_error: Exception | None = None
        for address in addresses[:MAX_CONNECT_ATTEMPTS]:
            try:
                return super().connect_tcp(
                    str(address),
                    port,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as error:
                last_error = error
        assert last_error is not None
        raise last_error


@cache
def _ssl_context() -> ssl.SSLContext:
    # Built once: loading the CA bundle costs more than a small fetch.
    return httpx.create_ssl_context(trust_env=False)


class GuardedTransport(httpx.HTTPTransport):
    """httpx's transport with its connection pool on the guarded network backend."""

    def __init__(self) -> None:
        super().__init__(verify=_ssl_context(), trust_env=False)
        self._pool = httpcore.ConnectionPool(
            ssl_context=_ssl_context(),
            max_connections=4,
            network_backend=GuardedNetworkBackend(),
        )


# --- fetching -------------------------------------------------------------------------------


@dataclass(frozen=True)
class FetchResult:
    url: str
    """The final address, after redirects."""
    status: int
    headers: httpx.Headers
    content: bytes
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False
    """True on 304: the document has not changed since the etag / last_modified given."""

    @property
    def content_type(self) -> str:
        """The media type without parameters, lowercase ("" if the server did not say)."""
        return self.headers.get("content-type", "").split(";", 1)[0].strip().lower()

    @property
    def charset(self) -> str | None:
        """The charset the Content-Type header declares, if any."""
        return _declared_charset(self.headers.get("content-type", ""))

    @property
    def text(self) -> str:
        return decode_body(self.content, self.charset)


_CHARSET_PARAMETER = re.compile(r";\s*charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
_SNIFFED_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?([\w.:-]+)|<\?xml[^>]+encoding\s*=\s*["']([\w.:-]+)""",
    re.IGNORECASE,
)
# Browsers read these labels as windows-1252 (WHATWG Encoding), and so do servers' authors.
_WINDOWS_1252_ALIASES = {"iso-8859-1", "iso8859-1", "latin1", "latin-1", "us-ascii", "ascii"}


def _declared_charset(content_type: str) -> str | None:
    match = _CHARSET_PARAMETER.search(content_type)
    return match.group(1) if match else None


def _codec_name(label: str | None) -> str | None:
    if not label:
        return None
    label = label.strip().lower()
    if label in _WINDOWS_1252_ALIASES:
        return "cp1252"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def decode_body(content: bytes, declared: str | None = None) -> str:
    """Bytes to text: byte order mark, then declared charset, then <meta>/<?xml?>, then UTF-8."""
    for bom, name in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if content.startswith(bom):
            return content.decode(name, errors="replace")
    sniffed = _SNIFFED_CHARSET.search(content[:2048])
    sniffed_label = (sniffed.group(1) or sniffed.group(2)).decode("ascii") if sniffed else None
    for label in (declared, sniffed_label):
        codec = _codec_name(label)
        if codec is not None:
            return content.decode(codec, errors="replace")
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace")


def _checked_url(url: str | httpx.URL) -> httpx.URL:
    """Parse and vet an address before any connection: scheme, host, literal IP addresses."""
    raw = str(url).strip()
    try:
        scheme = urlsplit(raw).scheme.lower()
    except ValueError:
        scheme = ""
    if scheme not in ALLOWED_SCHEMES:
        raise UnsupportedScheme(
            gettext("Only http and https addresses can be fetched, not “%(scheme)s”.")
            % {"scheme": scheme or raw[:40]},
            url=raw,
        )
    try:
        host = urlsplit(raw).hostname or ""
    except ValueError:
        host = ""
    literal = _literal_address(host)
    if literal is not None:
        # Refused early for a clearer message; the connection-time check would refuse it too.
        reason = refusal_reason(literal, allow_loopback=_allow_loopback())
        if reason is not None:
            # An odd spelling (0177.0.0.1) is shown beside the address it stands for.
            shown = host if _is_odd_spelling(host) else str(literal)
            raise BlockedAddress(host=shown, address=str(literal), reason=reason, url=raw)
    try:
        parsed = httpx.URL(raw)
    except httpx.InvalidURL as error:
        raise FetchFailed(
            gettext("“%(url)s” is not a valid web address.") % {"url": raw[:200]}, url=raw
        ) from error
    if not parsed.host:
        raise FetchFailed(
            gettext("“%(url)s” is not a valid web address.") % {"url": raw[:200]}, url=raw
        )
    return parsed


def _client() -> httpx.Client:
    return httpx.Client(
        transport=GuardedTransport(),
        timeout=httpx.Timeout(
            connect=settings.FETCH_CONNECT_TIMEOUT,
            read=settings.FETCH_READ_TIMEOUT,
            write=settings.FETCH_READ_TIMEOUT,
            pool=settings.FETCH_CONNECT_TIMEOUT,
        ),
        headers={"User-Agent": settings.FETCH_USER_AGENT},
        # Redirects are followed by fetch() itself so that each one is checked.
        follow_redirects=False,
        # Proxies from the environment would carry requests past the address check.
        trust_env=False,
    )


def _read_body(response: httpx.Response, *, limit: int, deadline: float, url: str) -> bytes:
    declared = response.headers.get("content-length", "")
    encoded = response.headers.get("content-encoding", "identity").lower() != "identity"
    if declared.isdigit() and not encoded and int(declared) > limit:
        raise TooLarge(limit=limit, url=url)
    chunks: list[bytes] = []
    size = 0
    # iter_bytes() decompresses, so the cap also holds against compression bombs.
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > limit:
            raise TooLarge(limit=limit, url=url)
        if time.monotonic() > deadline:
            raise FetchTimedOut(gettext("The server took too long to answer."), url=url)
        chunks.append(chunk)
    return b"".join(chunks)


def _result(
    response: httpx.Response,
    *,
    url: str,
    limit: int,
    deadline: float,
    etag: str | None,
    last_modified: str | None,
) -> FetchResult:
    status = response.status_code
    if status == 304:
        return FetchResult(
            url=url,
            status=status,
            headers=response.headers,
            content=b"",
            etag=response.headers.get("etag") or etag,
            last_modified=response.headers.get("last-modified") or last_modified,
            not_modified=True,
        )
    if status >= 400:
        raise FetchFailed(
            gettext("The server answered with an error (HTTP %(status)s).") % {"status": status},
            url=url,
            status=status,
        )
    content = _read_body(response, limit=limit, deadline=deadline, url=url)
    return FetchResult(
        url=url,
        status=status,
        headers=response.headers,
        content=content,
        etag=response.headers.get("etag"),
        last_modified=response.headers.get("last-modified"),
    )


def fetch(
    url: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    accept: str | None = None,
    max_bytes: int | None = None,
) -> FetchResult:
    """GET `url` (http or https, public addresses only), following up to 5 checked redirects.

    Pass the etag / last_modified of a previous result to ask only for changes; the result then
    has not_modified=True and no content when nothing changed. Raises a FetchError subclass
    (BlockedAddress, TooLarge, TooManyRedirects, UnsupportedScheme, FetchFailed, FetchTimedOut)
    whose message can be shown to the person who gave the address. Call it from a task, not a
    request: it may take up to the FETCH_* timeouts.
    """
    limit = settings.FETCH_MAX_BYTES if max_bytes is None else max_bytes
    total_timeout = float(getattr(settings, "FETCH_TOTAL_TIMEOUT", DEFAULT_TOTAL_TIMEOUT))
    deadline = time.monotonic() + total_timeout
    headers: dict[str, str] = {}
    if accept:
        headers["Accept"] = accept
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified

    current = str(url)
    try:
        target = _checked_url(current)
        with _client() as client:
            for hop in range(MAX_REDIRECTS + 1):
                current = str(target)
                with client.stream("GET", target, headers=headers) as response:
                    if response.status_code not in REDIRECT_STATUSES:
                        return _result(
                            response,
                            url=current,
                            limit=limit,
                            deadline=deadline,
                            etag=etag,
                            last_modified=last_modified,
                        )
                    location = response.headers.get("location")
                if not location:
                    raise FetchFailed(
                        gettext("The server redirected without saying where to."),
                        url=current,
                        status=response.status_code,
                    )
                if hop == MAX_REDIRECTS:
                    break
                if time.monotonic() > deadline:
                    raise FetchTimedOut(gettext("The server took too long to answer."))
                target = _checked_url(target.join(location))
            raise TooManyRedirects(
                gettext("More than %(count)s redirects: the address leads nowhere.")
                % {"count": MAX_REDIRECTS},
                url=current,
            )
    except FetchError as error:
        error.url = error.url or current
        _log_refusal(error)
        raise
    except httpx.InvalidURL as error:
        # httpx parses a redirect's Location even when it does not follow it.
        logger.warning("fetch refused: %s redirects to an invalid address (%s)", current, error)
        raise FetchFailed(
            gettext("The server redirected to an address that is not valid."), url=current
        ) from error
    except httpx.TimeoutException as error:
        raise FetchTimedOut(gettext("The server took too long to answer."), url=current) from error
    except httpx.HTTPError as error:
        logger.info("fetch failed for %s: %r", current, error)
        raise FetchFailed(
            gettext("Could not fetch %(url)s: the server could not be reached.")
            % {"url": current[:200]},
            url=current,
        ) from error


def _log_refusal(error: FetchError) -> None:
    """One line for the operator (in English, with the technical detail) per refusal."""
    if isinstance(error, BlockedAddress):
        logger.warning(
            "fetch refused: %s -> %s resolves to %s (%s)",
            error.url,
            error.host,
            error.address,
            error.reason,
        )
    elif isinstance(error, UnsupportedScheme | TooManyRedirects | TooLarge):
        logger.warning("fetch refused: %s (%s)", error.url, type(error).__name__)
