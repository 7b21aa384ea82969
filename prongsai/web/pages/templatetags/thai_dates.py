"""Dates and times as a person reads them, in every template and e-mail: Buddhist-era years in
Asia/Bangkok (``prongsai.thai.dates``), Thai month names on Thai pages, English ones on English
pages, and relative times in the page's language ('เมื่อสักครู่', '5 นาทีที่แล้ว').

    {% load thai_dates %}
    {{ approval.decided_at|thai_datetime }}   3 ธันวาคม 2569 03:51
    {{ entry.as_of|thai_date }}               3 ธันวาคม 2569   ({{ x|thai_date:"short" }}: 3 ธ.ค. 2569)
    {{ check.finished|thai_timesince }}       5 นาทีที่แล้ว

Use these rather than Django's ``date``, ``time``, ``timesince`` or ``naturaltime`` filters,
which print Christian-era years and English words on Thai pages.
"""

from __future__ import annotations

from datetime import date, datetime

from django import template
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from prongsai.thai.dates import bangkok, ce_to_be, elapsed, local_day
from prongsai.thai.dates import thai_date as _thai_date

register = template.Library()

_EN_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def _english() -> bool:
    return (get_language() or "th").startswith("en")


@register.filter
def thai_date(value: date | datetime | None, style: str = "") -> str:
    """The day (a moment's day in Bangkok) with its B.E. year; "short" for the abbreviated month."""
    if not isinstance(value, date):
        return ""
    day = local_day(value)
    if _english():
        month = _EN_MONTHS[day.month - 1]
        return f"{day.day} {month[:3] if style == 'short' else month} {ce_to_be(day.year)}"
    return _thai_date(day, abbreviated=style == "short")


@register.filter
def thai_datetime(value: datetime | None, style: str = "") -> str:
    """The day and the time (HH:MM) in Bangkok."""
    if not isinstance(value, datetime):
        return thai_date(value, style)
    return f"{thai_date(value, style)} {bangkok(value):%H:%M}"


@register.filter
def thai_timesince(value: datetime | None) -> str:
    """How long ago, in the page's language; the date itself after 30 days."""
    if not isinstance(value, datetime):
        return ""
    unit, n = elapsed(value, timezone.now())
    if unit == "now":
        return _("เมื่อสักครู่")
    if unit == "minutes":
        return ngettext("%(n)s นาทีที่แล้ว", "%(n)s นาทีที่แล้ว", n) % {"n": n}
    if unit == "hours":
        return ngettext("%(n)s ชั่วโมงที่แล้ว", "%(n)s ชั่วโมงที่แล้ว", n) % {"n": n}
    if unit == "days":
        return ngettext("%(n)s วันที่แล้ว", "%(n)s วันที่แล้ว", n) % {"n": n}
    return _("เมื่อ %(date)s") % {"date": thai_date(value)}
