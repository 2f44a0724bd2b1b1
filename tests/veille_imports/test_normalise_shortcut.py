"""normalise_url's shortcut for addresses already in normal form gives what parsing gives."""

from __future__ import annotations

import random
import time

import pytest

from maillage.veille.urls_normalise import (
    InvalidBookmarkURL,
    normalise_by_parsing,
    normalise_url,
)

ADDRESSES = [
    "https://example.org",
    "https://example.org/",
    "http://bib.example.fr/musée/collections",
    "https://a-b.c-d.example/x/y/z.html",
    "https://127.0.0.1/x",
    "https://localhost",
    "https://example.org/a@b/c",
    "https://example.org/a%20b",
    "https://example.org//double",
    "https://example.org/\x00x",
    "https://-weird.example/",
    "  https://example.org/padded  ",
    "https://example.org/a;b=c",
    "https://example.org/a\\b",
    "https://exa_mple.org/x",
    "HTTPS://example.org/",
    "https://Example.org/",
    "https://example.org./",
    "https://example.org:443/",
    "https://example.org:8080/",
    "https://example.org/?",
    "https://example.org/#",
    "https://user@example.org/",
    "https://example.org/a b",
    "https://exämple.org/",
    "https://[::1]/",
    "https://example..org/",
]


@pytest.mark.parametrize("address", ADDRESSES)
def test_the_shortcut_agrees_with_parsing(address: str) -> None:
    try:
        expected = normalise_by_parsing(address.strip())
    except InvalidBookmarkURL:
        with pytest.raises(InvalidBookmarkURL):
            normalise_url(address)
        return
    assert normalise_url(address) == expected


def test_the_shortcut_agrees_on_generated_addresses() -> None:
    rng = random.Random(2014)  # noqa: S311 - reproducible test data, not secrets
    alphabet = "abcXYZ09-._~/%@:;=+!$&'()*,?#é "
    for _ in range(20_000):
        host = rng.choice(["example.org", "a-b.example", "x.y.z", "Ex.org", "exa.org."])
        path = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        address = (
            f"{rng.choice(['http', 'https'])}://{host}{'/' if rng.random() < 0.8 else ''}{path}"
        )
        try:
            expected = normalise_by_parsing(address.strip())
        except InvalidBookmarkURL:
            continue
        assert normalise_url(address) == expected, address


def test_the_shortcut_is_faster() -> None:
    addresses = [f"https://site{n % 500}.example.org/article/{n}" for n in range(20_000)]
    started = time.perf_counter()
    for address in addresses:
        normalise_by_parsing(address)
    parsing = time.perf_counter() - started
    started = time.perf_counter()
    for address in addresses:
        normalise_url(address)
    shortcut = time.perf_counter() - started
    assert shortcut < parsing / 3
