"""Buddhist-era years and Thai dates.

A Thai fiscal year N (B.E.) runs from 1 October N-1 to 30 September N.
"""

import re
from datetime import date, datetime

from pythainlp.util import thai_strftime
from pythainlp.util.date import thai_abbr_months, thai_full_months

from prongsai.thai.digits import to_arabic_digits, to_thai_digits

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


MONTHS = {name: n for n, name in enumerate(thai_full_months, 1)}
MONTHS.update({name: n for n, name in enumerate(thai_abbr_months, 1)})
MONTHS.update({name.replace(".", ""): n for name, n in list(MONTHS.items()) if "." in name})
_MONTH_RE = "|".join(sorted(map(re.escape, MONTHS), key=len, reverse=True))
_DATE = re.compile(
    rf"(?:(?<!\d)(\d{{1,2}})\s*)?({_MONTH_RE})\s*(?:พ\.\s*ศ\.\s*|ค\.\s*ศ\.\s*)?(\d{{4}}|\d{{2}})(?!\d)"
)


def find_thai_dates(text: str) -> list[date]:
    """Dates written the Thai way, in order: '31 มีนาคม พ.ศ. 2564', 'ต.ค. 68', '๑ ตุลาคม ๒๕๖๘'.

    A month without a day counts from its first day; a two-digit year is B.E. 25xx; a year
    below 2400 is taken as C.E. Impossible dates (31 เมษายน) are skipped."""
    out = []
    for day, month, year in _DATE.findall(to_arabic_digits(text)):
        y = int(year)
        if y < 100:
            y += 2500
        elif y < 2400:
            y += BE_OFFSET
        try:
            out.append(date(be_to_ce(y), MONTHS[month], int(day) if day else 1))
        except ValueError:
            continue
    return out


def fiscal_year_of(day: date) -> int:
    """B.E. fiscal year a Gregorian date falls in (October starts the next one)."""
    return ce_to_be(day.year + (1 if day.month >= 10 else 0))
