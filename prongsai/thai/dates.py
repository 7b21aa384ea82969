"""Buddhist-era years and Thai dates.

A Thai fiscal year N (B.E.) runs from 1 October N-1 to 30 September N.
"""

from datetime import date, datetime

from pythainlp.util import thai_strftime

from prongsai.thai.digits import to_thai_digits

BE_OFFSET = 543


def ce_to_be(year: int) -> int:
    return year + BE_OFFSET


def be_to_ce(year: int) -> int:
    return year - BE_OFFSET


def fiscal_year_bounds(fiscal_year_be: int) -> tuple[date, date]:
    """First and last day of a B.E. fiscal year, as Gregorian dates."""
    ce = be_to_ce(fiscal_year_be)
    return date(ce - 1, 10, 1), date(ce, 9, 30)


def thai_date(day: date, *, thai_digits: bool = False, abbreviated: bool = False) -> str:
    """'1 ตุลาคม 2568' (or '1 ต.ค. 2568'); month names and the B.E. year from PyThaiNLP."""
    text = thai_strftime(datetime(day.year, day.month, day.day), "%-d %b %Y" if abbreviated else "%-d %B %Y")
    return to_thai_digits(text) if thai_digits else text
