"""Periods of measures read as dates (prongsai.thai.periods): a table of periods as real plans
write them, and properties over generated ones."""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pythainlp.util.date import thai_abbr_months, thai_full_months

from prongsai.thai.dates import be_to_ce, fiscal_year_bounds, thai_date
from prongsai.thai.digits import to_thai_digits
from prongsai.thai.periods import Period, due_date, parse_period

D = date
# (period as written, plan fiscal year, first day, last day). The first seven are the seeds'
# ground truth (seeds 002, 003, 004, field ``period`` of their measures), copied here; the
# rest are from the importer's corpus and the periods issue 12 names.
TABLE = [
    ("ต.ค. ๒๕๖๕ ถึง เม.ย. ๒๕๖๖", 2566, D(2022, 10, 1), D(2023, 4, 30)),
    ("ธ.ค. ๒๕๖๕ ถึง เม.ย. ๒๕๖๖", 2566, D(2022, 12, 1), D(2023, 4, 30)),
    ("เม.ย. ๒๕๖๖", 2566, D(2023, 4, 1), D(2023, 4, 30)),
    # A misprinted year (๒๖๖๖ for ๒๕๖๖) is read as written; due_date keeps it inside the year.
    ("ต.ค. ๒๕๖๕ – เม.ย. ๒๖๖๖", 2566, D(2022, 10, 1), D(2123, 4, 30)),
    ("๑ ตุลาคม ๒๕๖๘ ถึง ๓๐ กันยายน ๒๕๖๙", 2569, D(2025, 10, 1), D(2026, 9, 30)),
    ("๑ มีนาคม ๒๕๖๙ ถึง ๓๐ กันยายน ๒๕๖๙", 2569, D(2026, 3, 1), D(2026, 9, 30)),
    ("กุมภาพันธ์ – เมษายน 2565", 2565, D(2022, 2, 1), D(2022, 4, 30)),
    ("ไตรมาส 1-2", 2569, D(2025, 10, 1), D(2026, 3, 31)),
    ("ไตรมาส 1–2", 2569, D(2025, 10, 1), D(2026, 3, 31)),
    ("ไตรมาส 3", 2569, D(2026, 4, 1), D(2026, 6, 30)),
    ("ไตรมาสที่ ๔", 2569, D(2026, 7, 1), D(2026, 9, 30)),
    ("ไตรมาส 1 และ 2", 2569, D(2025, 10, 1), D(2026, 3, 31)),
    ("ไตรมาสละ 1 ครั้ง", 2569, D(2025, 10, 1), D(2026, 9, 30)),
    ("ตลอดปีงบประมาณ", 2569, D(2025, 10, 1), D(2026, 9, 30)),
    ("ตลอดปี", 2569, D(2025, 10, 1), D(2026, 9, 30)),
    ("ทุกเดือน", 2569, D(2025, 10, 1), D(2026, 9, 30)),
    ("ทุกไตรมาส", 2569, D(2025, 10, 1), D(2026, 9, 30)),
    ("ปีละ 2 ครั้ง", 2569, D(2025, 10, 1), D(2026, 9, 30)),
    ("ต.ค. 2568 - มี.ค. 2569", 2569, D(2025, 10, 1), D(2026, 3, 31)),
    ("มกราคม – มีนาคม 2569", 2569, D(2026, 1, 1), D(2026, 3, 31)),
    ("มกราคม–มีนาคม 2569", 2569, D(2026, 1, 1), D(2026, 3, 31)),
    ("ปีงบประมาณ พ.ศ. 2569", 2569, D(2025, 10, 1), D(2026, 9, 30)),
    ("ตลอดปีงบประมาณ พ.ศ. ๒๕๖๘", 2569, D(2024, 10, 1), D(2025, 9, 30)),
    ("ภายใน 30 ก.ย. 69", 2569, D(2025, 10, 1), D(2026, 9, 30)),
    ("ภายในเดือนธันวาคม 2568", 2569, D(2025, 10, 1), D(2025, 12, 31)),
    ("ต.ค. 68 – ก.ย. 69", 2569, D(2025, 10, 1), D(2026, 9, 30)),
    ("ต.ค. – มี.ค. 2569", 2569, D(2025, 10, 1), D(2026, 3, 31)),
    ("ตุลาคม – ธันวาคม ๒๕๖๗", 2568, D(2024, 10, 1), D(2024, 12, 31)),
    ("ระหว่างเดือนพฤศจิกายน ๒๕๖๘ ถึงเดือนมีนาคม ๒๕๖๙", 2569, D(2025, 11, 1), D(2026, 3, 31)),
    ("ธันวาคม 2567 และเมษายน 2568", 2568, D(2024, 12, 1), D(2025, 4, 30)),
    ("ตั้งแต่เดือนตุลาคม ๒๕๖๘ เป็นต้นไป", 2569, D(2025, 10, 1), D(2026, 9, 30)),
    ("ตั้งแต่ 1 ตุลาคม 2568 ถึง 30 กันยายน 2569", 2569, D(2025, 10, 1), D(2026, 9, 30)),
    ("9 ธันวาคม 2566", 2567, D(2023, 12, 9), D(2023, 12, 9)),
    ("1-15 มกราคม 2569", 2569, D(2026, 1, 1), D(2026, 1, 15)),
    ("มิ.ย. ๒๕๖๗", 2567, D(2024, 6, 1), D(2024, 6, 30)),
    ("ครึ่งปีแรก", 2569, D(2025, 10, 1), D(2026, 3, 31)),
    ("October 2025 – September 2026", 2569, D(2025, 10, 1), D(2026, 9, 30)),
    ("January – June 2026", 2569, D(2026, 1, 1), D(2026, 6, 30)),
    ("ภายในปี 2569", 2569, D(2025, 10, 1), D(2026, 9, 30)),
]


@pytest.mark.parametrize(("text", "year", "first", "last"), TABLE)
def test_real_periods(text, year, first, last):
    assert parse_period(text, year) == Period(first, last)


@pytest.mark.parametrize("text", ["", "   ", "ดำเนินการตามความเหมาะสม", "ตามแผนงาน", "-", "ตามความจำเป็น"])
def test_unreadable_periods_are_none(text):
    assert parse_period(text, 2569) is None
    assert due_date(text, 2569) is None


def test_due_date_never_after_the_fiscal_year():
    # Seed 002's misprint: due at the end of its plan year, not in 2666.
    assert due_date("ต.ค. ๒๕๖๕ – เม.ย. ๒๖๖๖", 2566) == D(2023, 9, 30)
    assert due_date("ไตรมาส 1-2", 2569) == D(2026, 3, 31)


years = st.integers(min_value=2550, max_value=2620)
# Months in fiscal order: October (10) is the first of a fiscal year.
fiscal_months = st.integers(min_value=0, max_value=11).map(lambda i: (i + 9) % 12 + 1)


def _cal_year(month: int, fy: int) -> int:
    return fy - 1 if month >= 10 else fy


def _month_name(month: int, style: str) -> str:
    return (thai_full_months if style == "full" else thai_abbr_months)[month - 1]


def _month_last(year_be: int, month: int) -> date:
    first = date(be_to_ce(year_be) + (month == 12), month % 12 + 1, 1)
    return first - timedelta(days=1)


@settings(max_examples=300, deadline=None)
@given(
    years,
    st.tuples(fiscal_months, fiscal_months),
    st.sampled_from(["full", "abbr"]),
    st.sampled_from([" – ", " - ", "-", " ถึง ", " ถึงเดือน"]),
    st.sampled_from(["both", "last", "short"]),
    st.booleans(),
)
def test_month_ranges(fy, months, style, dash, years_shown, thai_digits):
    m1, m2 = sorted(months, key=lambda m: (m - 10) % 12)
    y1, y2 = _cal_year(m1, fy), _cal_year(m2, fy)
    a, b = _month_name(m1, style), _month_name(m2, style)
    if years_shown == "both":
        text = f"{a} {y1}{dash}{b} {y2}"
    elif years_shown == "last":
        text = f"{a}{dash}{b} {y2}"
    else:
        text = f"{a} {y1 % 100}{dash}{b} {y2 % 100}"
    if thai_digits:
        text = to_thai_digits(text)
    got = parse_period(text, fy)
    assert got == Period(date(be_to_ce(y1), m1, 1), _month_last(y2, m2)), text


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2070, 12, 31)), st.booleans(), st.booleans())
def test_a_printed_date_reads_back(day, abbreviated, thai_digits):
    text = thai_date(day, abbreviated=abbreviated, thai_digits=thai_digits)
    fy = day.year + 543
    assert parse_period(text, fy) == Period(day, day)
    assert parse_period(f"ภายใน {text}", fy).end == day


@settings(max_examples=200, deadline=None)
@given(years, st.integers(1, 4), st.integers(0, 3), st.sampled_from(["-", "–", " ถึง ", " และ "]))
def test_quarters(fy, q1, extra, sep):
    q2 = min(4, q1 + extra)
    text = f"ไตรมาส {q1}" if q1 == q2 else f"ไตรมาสที่ {q1}{sep}{q2}"
    first_month = [10, 1, 4, 7][q1 - 1]
    last_month = [12, 3, 6, 9][q2 - 1]
    got = parse_period(text, fy)
    assert got.start == date(be_to_ce(_cal_year(first_month, fy)), first_month, 1)
    assert got.end == _month_last(_cal_year(last_month, fy), last_month)
    assert fiscal_year_bounds(fy)[0] <= got.start <= got.end <= fiscal_year_bounds(fy)[1]


@settings(max_examples=100, deadline=None)
@given(years, st.sampled_from(["ตลอดปีงบประมาณ", "ตลอดปี", "ทุกเดือน", "ไตรมาสละ 1 ครั้ง", "ปีละ 2 ครั้ง"]))
def test_whole_year_phrases(fy, text):
    assert parse_period(text, fy) == Period(*fiscal_year_bounds(fy))
    named = f"ตลอดปีงบประมาณ พ.ศ. {to_thai_digits(str(fy - 1))}"
    assert parse_period(named, fy) == Period(*fiscal_year_bounds(fy - 1))


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("กขคตมยพศ.๑๒๕๖๙0123456789 -–ไตรมาสปีงบ")), max_size=40), years)
def test_any_text_is_read_safely(text, fy):
    """Never an exception; a period read has its first day before its last, and the due date
    never falls after the plan's fiscal year."""
    got = parse_period(text, fy)
    if got is not None:
        assert got.start <= got.end
        assert due_date(text, fy) <= fiscal_year_bounds(fy)[1]
    else:
        assert due_date(text, fy) is None
