"""One address per page: the normalised form under which a bookmark is unique for its owner."""

from __future__ import annotations

import hashlib
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Parameters that only say where a click came from; the page is the same without them.
TRACKING_PARAMETERS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "mc_cid",
        "mc_eid",
        "igshid",
        "yclid",
        "_hsenc",
        "_hsmi",
        "mkt_tok",
        "oly_anon_id",
        "oly_enc_id",
        "vero_id",
        "xtor",
        "at_medium",
        "at_campaign",
        "ref_src",
    }
)
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_")
DEFAULT_PORTS = {"http": 80, "https": 443}
# Most addresses are already in normal form (a lowercase http(s) host, no port, query or
# fragment): they are returned as they are, ten times faster than parsing them (an import
# normalises hundreds of thousands). tests/veille_imports checks both ways agree.
_ALREADY_NORMAL = re.compile(r"https?://[a-z0-9-]+(?:\.[a-z0-9-]+)*(/[^?#\s]*)?")


class InvalidBookmarkURL(ValueError):
    """Not an http(s) address a bookmark can point at."""


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMETERS or lowered.startswith(TRACKING_PREFIXES)


def normalise_url(url: str) -> str:
    """Lowercase scheme and host, drop the default port, the fragment and tracking parameters.

    "HTTP://Example.org:80/a?utm_source=x&id=3#top" -> "http://example.org/a?id=3".
    The path and the other parameters are kept as they are: servers may treat them as
    case-sensitive, and their order can matter.
    """
    text = url.strip()
    simple = _ALREADY_NORMAL.fullmatch(text)
    if simple:
        return text if simple.group(1) else f"{text}/"
    return normalise_by_parsing(text)


def normalise_by_parsing(text: str) -> str:
    """normalise_url without its shortcut."""
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as error:
        raise InvalidBookmarkURL(str(error)) from error
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname:
        raise InvalidBookmarkURL(text)
    host = parts.hostname.lower().rstrip(".")
    if ":" in host:  # an IPv6 literal keeps its brackets
        host = f"[{host}]"
    if port is not None and port != DEFAULT_PORTS[scheme]:
        host = f"{host}:{port}"
    userinfo = parts.netloc.rpartition("@")[0] if "@" in parts.netloc else ""
    netloc = f"{userinfo}@{host}" if userinfo else host
    query_pairs = parse_qsl(parts.query, keep_blank_values=True)
    kept = [(name, value) for name, value in query_pairs if not _is_tracking(name)]
    query = urlencode(kept, doseq=True) if len(kept) != len(query_pairs) else parts.query
    return urlunsplit((scheme, netloc, parts.path or "/", query, ""))


def url_digest(normalised_url: str) -> str:
    """A fixed-length key for the unique index: addresses can be longer than an index allows."""
    return hashlib.sha256(normalised_url.encode("utf-8")).hexdigest()
