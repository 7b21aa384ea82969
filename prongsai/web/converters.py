"""Bounded URL numbers: a year or an id that no row can have is a 404, never a database error.

Django's ``int`` converter takes any number of digits; ``/plans/99999999999999999999/`` then
overflowed SQLite's integers and a year of 32768 or more PostgreSQL's smallint: a 500 for a typed
URL (issue 11, item 7)."""

from __future__ import annotations

from django.urls import register_converter


class YearConverter:
    """A Buddhist-era fiscal year: four digits (the ITA began in 2557; editions run to 2569)."""

    regex = "[0-9]{4}"

    def to_python(self, value: str) -> int:
        return int(value)

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
