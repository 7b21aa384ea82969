"""Bounded URL numbers: a year or an id that no row can have is a 404, never a database error.

Django's ``int`` converter takes any number of digits; ``/plans/99999999999999999999/`` then
overflowed SQLite's integers and a year of 32768 or more PostgreSQL's smallint: a 500 for a typed
URL (issue 11, item 7)."""

from __future__ import annotations

import re

from django.urls import register_converter

FIRST_YEAR, LAST_YEAR = 2500, 2700  # B.E.; the ITA began in 2556, a plan year is never far ahead
_ID = re.compile(r"[0-9]{1,9}")


def parse_id(raw: object) -> int | None:
    """A row id sent in a form or query (``entry=``, ``member=``): None unless it is one to nine
    ASCII digits (``str.isdigit`` also takes "²", which ``int`` refuses: a 500)."""
    return int(raw) if isinstance(raw, str) and _ID.fullmatch(raw) else None


class YearConverter:
    """A Buddhist-era fiscal year the application can hold; any other number is a 404 (a year such
    as 0100 has no fiscal-year bounds to compute and failed further on)."""

    regex = "[0-9]{4}"

    def to_python(self, value: str) -> int:
        year = int(value)
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise ValueError(f"year {year} outside {FIRST_YEAR}-{LAST_YEAR}")
        return year

    def to_url(self, value: int) -> str:
        return str(value)


class IdConverter:
    """A row id: at most nine digits, within every database's integer key."""

    regex = "[0-9]{1,9}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(YearConverter, "year")
register_converter(IdConverter, "id")
