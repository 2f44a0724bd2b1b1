"""Demo data: each app registers a loader here; `maillage demo` and `load_demo` run them all.

A loader must be idempotent (update_or_create / get_or_create on natural keys), so that loading
the demo twice leaves the database as loading it once did.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils.module_loading import autodiscover_modules

# A loader returns a short line saying what it loaded (shown by `load_demo`), or None.
DemoLoaderFunction = Callable[[], str | None]


@dataclass(frozen=True)
class DemoLoader:
    name: str
    function: DemoLoaderFunction
    order: int


_loaders: dict[str, DemoLoader] = {}


def register_demo_loader(name: str, function: DemoLoaderFunction, *, order: int = 100) -> None:
    """Add (or replace) the loader called `name`; lower `order` runs first.

    Call it at import time in `<app>/demo.py`: those modules are imported by `demo_loaders()`.
    Members come first (order 10): most other demo content belongs to a member.
    """
    _loaders[name] = DemoLoader(name=name, function=function, order=order)


def unregister_demo_loader(name: str) -> None:
    _loaders.pop(name, None)


def demo_loaders() -> list[DemoLoader]:
    """Every registered loader, in the order they run (each app's `demo` module imported)."""
    autodiscover_modules("demo")
    return sorted(_loaders.values(), key=lambda loader: (loader.order, loader.name))


def load_demo_data() -> list[tuple[str, str | None]]:
    """Run every loader in one transaction: the demo loads entirely or not at all."""
    results: list[tuple[str, str | None]] = []
    with transaction.atomic():
        for loader in demo_loaders():
            results.append((loader.name, loader.function()))
    return results
