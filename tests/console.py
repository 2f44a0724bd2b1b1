"""The `maillage` console script as people run it: a process of its own, a clean environment,
its own data folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
CONSOLE_SCRIPT = Path(sys.executable).with_name("maillage")


def maillage_command() -> list[str]:
    """The installed console script when there is one (it is what users type)."""
    if CONSOLE_SCRIPT.exists():
        return [str(CONSOLE_SCRIPT)]
    return [sys.executable, "-m", "maillage.cli"]


def clean_environment(data_dir: Path, **overrides: str) -> dict[str, str]:
    """Our environment without anything that would point the child at real services.

    Empty values (rather than absent ones) also win over a developer's .env file.
    """
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("MAILLAGE_", "LC_", "LANG", "PYTEST_", "DJANGO_"))
    }
    env.update(
        MAILLAGE_MODE="development",
        MAILLAGE_DATA_DIR=str(data_dir),
        DATABASE_URL="",
        REDIS_URL="",
        SECRET_KEY="",
        DEBUG="false",
        EMAIL_URL="consolemail://",
        LANG="en_US.UTF-8",
    )
    env.update(overrides)
    return env


def run_maillage(
    *arguments: str, data_dir: Path, timeout: float = 120, **overrides: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*maillage_command(), *arguments],
        env=clean_environment(data_dir, **overrides),
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
