"""`python -m bench` (`make bench`): run every benchmark module of this folder in turn.

Each runs in its own process, so that each configures Django (and its database) afresh.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def main() -> int:
    folder = Path(__file__).resolve().parent
    modules = sorted(path.stem for path in folder.glob("*.py") if not path.stem.startswith("_"))
    failed = []
    for module in modules:
        print(f"== bench.{module}", flush=True)
        if subprocess.call([sys.executable, "-m", f"bench.{module}"]) != 0:
            failed.append(module)
    if failed:
        print(f"Failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
