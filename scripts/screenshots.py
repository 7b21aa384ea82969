#!/usr/bin/env python3
"""Regenerate the screenshots of the main pages under docs/screenshots/.

They are taken by the browser story (tests/web/browser/test_flow.py) as it goes, in Debian's
chromium at 1280 px wide, full page; this runs that test with PRONGSAI_SCREENSHOTS=1. Look at
every image after regenerating (Thai must render without boxes or dotted circles) before
committing them.

    .venv/bin/python scripts/screenshots.py
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    env = {**os.environ, "PRONGSAI_SCREENSHOTS": "1"}
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "tests/web/browser/test_flow.py",
    ]
    done = subprocess.run(command, cwd=ROOT, env=env, check=False)
    if done.returncode == 0:
        for path in sorted((ROOT / "docs" / "screenshots").glob("*.png")):
            print(path.relative_to(ROOT))
    return done.returncode


if __name__ == "__main__":
    sys.exit(main())
