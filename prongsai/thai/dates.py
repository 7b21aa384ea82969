"""Buddhist-era years and Thai dates.

A Thai fiscal year N (B.E.) runs from 1 October N-1 to 30 September N. Every date and time a person
reads is in Asia/Bangkok: a stored moment (UTC) is converted here, never by ``.date()`` on it
(03:51 on 3 ธันวาคม in Bangkok is still 2 December in UTC).
"""

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

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


BANGKOK = ZoneInfo("Asia/Bangkok")


def bangkok(moment: datetime) -> datetime:
    """A moment in Bangkok time; a naive datetime is taken as UTC (how the database keeps it)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo("UTC"))
    return moment.astimezone(BANGKOK)


def local_day(value: date | datetime) -> date:
    """The day a person in Thailand sees for a date or a stored moment."""
    return bangkok(value).date() if isinstance(value, datetime) else value


def thai_date(day: date | datetime, *, thai_digits: bool = False, abbreviated: bool = False) -> str:
    """'1 ตุลาคม 2568' (or '1 ต.ค. 2568'); month names and the B.E. year from PyThaiNLP. A datetime
    is shown as its day in Bangkok."""
    day = local_day(day)
    text = thai_strftime(datetime(day.year, day.month, day.day), "%-d %b %Y" if abbreviated else "%-d %B %Y")
    return to_thai_digits(text) if thai_digits else text


def thai_datetime(moment: datetime, *, thai_digits: bool = False, abbreviated: bool = False) -> str:
    """'3 ธันวาคม 2569 03:51' in Bangkok time."""
    local = bangkok(moment)
    text = f"{thai_date(local.date(), abbreviated=abbreviated)} {local:%H:%M}"
    return to_thai_digits(text) if thai_digits else text


def elapsed(then: datetime, now: datetime) -> tuple[str, int]:
    """How long ago ``then`` was, as a unit and a count a sentence can be made of: ('now', 0) under
    a minute (or in the future), else ('minutes'|'hours'|'days', n); ('date', 0) after 30 days,
    when the date itself says more."""
    seconds = (now - then).total_seconds()
    if seconds < 60:
        return "now", 0
    if seconds < 3600:
        return "minutes", int(seconds // 60)
    if seconds < 86400:
        return "hours", int(seconds // 3600)
    if now - then <= timedelta(days=30):
        return "days", int(seconds // 86400)
    return "date", 0


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


def be_numeric(day: date) -> str:
    """'03/12/2569': how a date field shows a date (day/month/B.E. year)."""
    return f"{day.day:02d}/{day.month:02d}/{ce_to_be(day.year)}"


_DMY = re.compile(r"^(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4}|\d{2})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


class NoSuchDate(ValueError):
    """Written as a date, but the calendar has no such day (31/02/2569)."""


def parse_be_date(text: str) -> date:
    """A date as a person types it: 'วว/ดด/ปปปป' in B.E. (also with '.' or '-', Thai digits, a
    two-digit B.E. year), a Thai written date ('3 ธ.ค. 2569'), or ISO 'yyyy-mm-dd'. A year below
    2400 is taken as C.E. (a browser's or a spreadsheet's). ValueError when it is not a date,
    NoSuchDate when the calendar has no such day."""
    s = to_arabic_digits(text or "").strip()
    if m := _DMY.match(s):
        d, mo, y = (int(g) for g in m.groups())
        if y < 100:
            y += 2500
    elif m := _ISO.match(s):
        y, mo, d = (int(g) for g in m.groups())
    elif (m := _DATE.fullmatch(s)) and m.group(1) and (found := find_thai_dates(s)):
        return found[0]
    else:
        raise ValueError(f"not a date: {text!r}")
    try:
        return date(be_to_ce(y) if y >= 2400 else y, mo, d)
    except ValueError:
        raise NoSuchDate(f"no such day: {text!r}") from None
