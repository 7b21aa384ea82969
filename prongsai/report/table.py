"""Aligned text tables that respect Thai: combining vowels and tone marks take no column."""

from __future__ import annotations

import unicodedata


def width(text: str) -> int:
    return sum(0 if unicodedata.category(c) in ("Mn", "Me", "Cf") else 1 for c in text)


def _pad(text: str, size: int, right: bool) -> str:
    gap = " " * (size - width(text))
    return gap + text if right else text + gap


def table(headers: list[str], rows: list[list[str]], right: set[int] | None = None) -> str:
    right = right or set()
    cols = len(headers)
    sizes = [max(width(str(r[i])) for r in [headers, *rows]) for i in range(cols)]
    line = "  ".join("-" * s for s in sizes)
    out = ["  ".join(_pad(h, sizes[i], i in right) for i, h in enumerate(headers)).rstrip(), line]
    for r in rows:
        out.append("  ".join(_pad(str(c), sizes[i], i in right) for i, c in enumerate(r)).rstrip())
    return "\n".join(out)
