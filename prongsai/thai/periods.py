"""Periods of measures as people write them, read as dates within a Thai fiscal year.

A plan's ระยะเวลาดำเนินการ is free text: '1 ตุลาคม 2568 ถึง 30 กันยายน 2569', 'ต.ค. 68 – ก.ย. 69',
'มกราคม – มีนาคม ๒๕๖๙', 'ไตรมาส 1-2', 'ตลอดปีงบประมาณ', 'ภายใน 30 ก.ย. 69', 'ทุกเดือน'. The overdue
check and the pre-audit both need its first and last day; this module is the one reader (pure
Python, no Django). Fiscal year N (B.E.) runs from 1 October N-1 to 30 September N.

Reading rules, in order:
- dates and months with or without a day and year (Thai full or abbreviated names, English names,
  Thai or arabic digits, B.E. or C.E. years, two-digit B.E. years); a month written without a year
  takes the year of the next month that has one (a month later in the calendar than that one is
  in the year before: 'ต.ค. – มี.ค. 2569' starts in ต.ค. 2568), else of the previous one, else it
  is placed in the fiscal year;
- quarters of the fiscal year ('ไตรมาส 1-2', 'ไตรมาสที่ ๓', 'ไตรมาสแรก') and halves ('ครึ่งปีแรก');
- a named fiscal year ('ปีงบประมาณ พ.ศ. 2569', 'ปีงบ 69') or a bare B.E. year;
- the whole year ('ตลอดปีงบประมาณ', 'ตลอดปี', 'ทุกเดือน', 'ไตรมาสละ 1 ครั้ง', 'ปีละ 2 ครั้ง');
- 'ภายใน <date>' and '<date> เป็นต้นไป' bound one side only; the other side is the fiscal year's.
Anything else is unreadable (None): only then should a person be asked to rewrite it.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from prongsai.thai.dates import BE_OFFSET, MONTHS, be_to_ce, fiscal_year_bounds
from prongsai.thai.digits import to_arabic_digits


@dataclass(frozen=True, slots=True)
class Period:
    start: date
    end: date


_EN_MONTHS = {
    name: n
    for n, full in enumerate(
        (
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ),
        1,
    )
    for name in (full, full[:3], full[:4] if n == 9 else full[:3])
}


def _month_pattern() -> str:
    """Full Thai names; abbreviations with their dots (a space or the last dot may be missing);
    abbreviations without dots only before a year ('ตค 68'), since two letters alone could be part
    of a word; English names."""
    full = [name for name in MONTHS if "." not in name and len(name) > 4]
    dotted = [name for name in MONTHS if "." in name]
    bare = [name for name in MONTHS if "." not in name and len(name) <= 4]
    alts = [re.escape(n) for n in sorted(full, key=len, reverse=True)]
    for name in sorted(dotted, key=len, reverse=True):
        parts = [re.escape(p) for p in name.split(".") if p]
        alts.append(r"\.\s?".join(parts) + r"\.?")
    alts += [rf"{re.escape(n)}(?=\s*\.?\s*\d)" for n in sorted(bare, key=len, reverse=True)]
    alts += [rf"\b{n}\b\.?" for n in sorted(_EN_MONTHS, key=len, reverse=True)]
    return "|".join(alts)


_MONTH_KEYS = {re.sub(r"[\s.]", "", k): v for k, v in MONTHS.items()}
# One date: an optional day, a month, an optional era mark and year (2 or 4 digits).
_DATE = re.compile(
    rf"(?:(?<!\d)(?P<day>\d{{1,2}})(?:\s*-\s*(?P<to_day>\d{{1,2}}))?\s*)?(?P<month>{_month_pattern()})"
    r"\s*,?\s*(?:(?:พ\.\s?ศ\.?|ค\.\s?ศ\.?|B\.?E\.?|A\.?D\.?)\s*)?(?P<year>\d{4}|[4-9]\d(?!\d))?",
    re.IGNORECASE,
)
_FISCAL_YEAR = re.compile(r"ปี\s*งบ(?:ประมาณ)?\s*(?:พ\.\s?ศ\.?\s*)?(\d{4}|\d{2})(?!\d)")
_BARE_YEAR = re.compile(r"(?<!\d)(25\d\d)(?!\d)")
_QUARTERS = re.compile(
    r"ไตรมาส(?!ละ)\s*(?:ที่)?\s*\d(?!\d)(?:\s*(?:-|ถึง|และ|,)\s*(?:ไตรมาส\s*)?(?:ที่)?\s*\d(?!\d))*"
)
_QUARTER_WORDS = {"ไตรมาสแรก": 1, "ไตรมาสสุดท้าย": 4}
_HALVES = {"ครึ่งปีแรก": (10, 3), "ครึ่งปีหลัง": (4, 9), "6 เดือนแรก": (10, 3), "6 เดือนหลัง": (4, 9)}
_WHOLE_YEAR = re.compile(
    r"ตลอด\s*(?:ทั้ง\s*)?ปี|ทั้ง\s*ปี|ทุก\s*(?:เดือน|ไตรมาส|สัปดาห์|วัน|ปี)|ไตรมาสละ|เดือนละ|ปีละ|ต่อเนื่อง|สิ้นปี"
)
_UNTIL = re.compile(r"ภายใน|ไม่เกิน|ก่อน")
_ONWARDS = re.compile(r"เป็นต้นไป|ต้นไป")
_DASHES = str.maketrans({"–": "-", "—": "-", "‐": "-", "−": "-", "~": "-"})


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", to_arabic_digits(text or "")).translate(_DASHES)
    return re.sub(r"\s+", " ", text).strip()


def _be_year(written: str) -> int:
    """A written year as B.E.: two digits are 25xx, below 2400 is C.E."""
    y = int(written)
    if y < 100:
        return 2500 + y
    return y + BE_OFFSET if y < 2400 else y


def _month_start(year_be: int, month: int) -> date:
    return date(be_to_ce(year_be), month, 1)


def _month_end(year_be: int, month: int) -> date:
    ce = be_to_ce(year_be)
    return date(ce, month, calendar.monthrange(ce, month)[1])


def _in_fiscal_year(month: int, fiscal_year: int) -> int:
    """The calendar B.E. year of ``month`` within fiscal year ``fiscal_year``."""
    return fiscal_year - 1 if month >= 10 else fiscal_year


def _month_of(token: str) -> int:
    key = re.sub(r"[\s.]", "", token)
    return _MONTH_KEYS.get(key) or _EN_MONTHS[key.lower()]


@dataclass(slots=True)
class _Written:
    """One date or month as written: its first and last day when a day is written, the month,
    and the B.E. year when one is written (else filled in from its neighbours)."""

    days: tuple[int, int] | None
    month: int
    year: int | None


def _dated_span(text: str, fiscal_year: int) -> Period | None:
    """First and last day of the dates and months written in ``text``."""
    found: list[_Written] = []
    for m in _DATE.finditer(text):
        days = (int(m["day"]), int(m["to_day"] or m["day"])) if m["day"] else None
        found.append(_Written(days, _month_of(m["month"]), _be_year(m["year"]) if m["year"] else None))
    if not found:
        return None
    # Years for months written without one: from the next written year, else the previous one.
    following: tuple[int, int] | None = None
    for entry in reversed(found):
        if entry.year is not None:
            following = (entry.month, entry.year)
        elif following:
            entry.year = following[1] - (1 if entry.month > following[0] else 0)
    years: list[int] = []
    preceding: tuple[int, int] | None = None
    for entry in found:
        if entry.year is not None:
            year = entry.year
            preceding = (entry.month, year)
        elif preceding:
            year = preceding[1] + (1 if entry.month < preceding[0] else 0)
        else:
            year = _in_fiscal_year(entry.month, fiscal_year)
        years.append(year)
    starts, ends = [], []
    for entry, year in zip(found, years, strict=True):
        if not 2400 <= year <= 2700:
            return None
        first, last = _month_start(year, entry.month), _month_end(year, entry.month)
        if entry.days is not None:
            day, to_day = entry.days
            if not (1 <= day <= to_day <= last.day):
                continue  # 31 เมษายน: not a date
            first, last = first.replace(day=day), first.replace(day=to_day)
        starts.append(first)
        ends.append(last)
    if not starts:
        return None
    return Period(min(starts), max(ends))


def _quarter_span(text: str, fiscal_year: int) -> Period | None:
    quarters = []
    for m in _QUARTERS.finditer(text):
        quarters += [int(q) for q in re.findall(r"\d", m.group())]
    quarters += [q for word, q in _QUARTER_WORDS.items() if word in text]
    quarters = [q for q in quarters if 1 <= q <= 4]
    if not quarters:
        return None
    first_month = (9 + 3 * (min(quarters) - 1)) % 12 + 1  # q1 starts in October
    last_month = (11 + 3 * (max(quarters) - 1)) % 12 + 1
    return Period(
        _month_start(_in_fiscal_year(first_month, fiscal_year), first_month),
        _month_end(_in_fiscal_year(last_month, fiscal_year), last_month),
    )


def _half_span(text: str, fiscal_year: int) -> Period | None:
    for word, (first, last) in _HALVES.items():
        if word in text:
            return Period(
                _month_start(_in_fiscal_year(first, fiscal_year), first),
                _month_end(_in_fiscal_year(last, fiscal_year), last),
            )
    return None


def parse_period(text: str, fiscal_year: int) -> Period | None:
    """The first and last day of a period written in a plan of B.E. ``fiscal_year``, or None when
    nothing in it names a time."""
    s = _normalise(text)
    if not s:
        return None
    # A fiscal year named in the text is the one its quarters and yearless months belong to.
    named = _FISCAL_YEAR.search(s)
    year = _be_year(named.group(1)) if named else fiscal_year
    whole = Period(*fiscal_year_bounds(year))
    # Quarters first: 'ไตรมาส 1 ปีงบประมาณ 2569' names a quarter, not the year.
    span = _quarter_span(s, year) or _half_span(s, year)
    if span is None:
        dated = _dated_span(_FISCAL_YEAR.sub(" ", s), year)
        if dated is not None:
            span = dated
            if _UNTIL.search(s) and len(list(_DATE.finditer(s))) == 1:
                span = Period(min(whole.start, dated.end), dated.end)
            elif _ONWARDS.search(s):
                span = Period(dated.start, max(whole.end, dated.start))
    if span is None and (named or _WHOLE_YEAR.search(s)):
        span = whole
    if span is None and (bare := _BARE_YEAR.search(s)):
        span = Period(*fiscal_year_bounds(int(bare.group(1))))
    return span


def due_date(text: str, fiscal_year: int) -> date | None:
    """When a measure written with this period is due: the period's last day, but no later than the
    end of the plan's fiscal year (a plan's measures are due within its year, whatever a misprinted
    year says); None when the period is unreadable."""
    span = parse_period(text, fiscal_year)
    if span is None:
        return None
    return min(span.end, fiscal_year_bounds(fiscal_year)[1])
