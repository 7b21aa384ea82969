"""Thai prose conventions: lists are joined by spaces with และ before the last (Thai prose uses
no commas)."""

from __future__ import annotations

from collections.abc import Iterable


def thai_list(parts: Iterable[str], last: str = "และ") -> str:
    """['ก', 'ข', 'ค'] -> 'ก ข และค'; ['1', '2'] -> '1 และ 2' (a space before a number or a
    Latin code); one part alone; '' for none."""
    items = [p for p in parts if p]
    if len(items) <= 1:
        return "".join(items)
    gap = " " if items[-1][0].isascii() else ""
    return " ".join(items[:-1]) + f" {last}{gap}" + items[-1]
