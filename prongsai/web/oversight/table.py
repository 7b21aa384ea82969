"""The overseer's agency table: one list of rows (``models.AgencyYear``) filtered, searched, sorted
and paged from the query string, and the same rows (every page) exported to XLSX or CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import BooleanField, Case, F, Q, QuerySet, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from prongsai.ita.numbers import fmt
from prongsai.thai.dates import thai_date
from prongsai.web.cycle.models import PlanStatus
from prongsai.web.oversight.models import AgencyYear
from prongsai.web.oversight.summary import QUIET_DAYS, behind_q, reasons

PAGE_SIZE = 50
FILTERS = ("province", "district", "type", "level", "status", "q")

# sort key -> [(field, inverted, empty is largest)]: "inverted" when the figure grows as the field
# falls (days without progress grow as the last progress date is older). Empty values sort last,
# except where empty is the largest figure (no progress at all: the most days).
SORTS = {
    "name": [("name", False, False)],
    "province": [("province", False, False), ("district", False, False), ("name", False, False)],
    "district": [("district", False, False), ("name", False, False)],
    "overall": [("overall", False, False)],
    "trend": [("trend", False, False)],
    "plan": [("plan_status", False, False)],
    "done": [("done_share", False, False)],
    "overdue": [("overdue", False, False)],
    "quiet": [("last_progress", True, True)],
    "published": [("measures_published", False, False), ("progress_published", False, False)],
    # Most behind: behind at all, then more overdue measures, then longer without progress.
    "behind": [("is_behind", False, False), ("overdue", False, False), ("last_progress", True, True)],
}
# The first click on a column: the worst first.
FIRST = {
    "name": "name",
    "province": "province",
    "district": "district",
    "overall": "overall",
    "trend": "trend",
    "plan": "plan",
    "done": "done",
    "overdue": "-overdue",
    "quiet": "-quiet",
    "published": "published",
    "behind": "-behind",
}
DEFAULT_SORT = "province"


@dataclass
class Table:
    rows: list[AgencyYear]
    page: object
    total: int
    sort: str
    params: dict[str, str]
    choices: dict[str, list] = field(default_factory=dict)
    fixed_province: bool = False

    def query(self, **changes) -> str:
        """The current query string with ``changes`` (None removes a key)."""
        q = {**self.params, **changes}
        return urlencode({k: v for k, v in q.items() if v not in (None, "")})

    @property
    def columns(self) -> list[tuple[str, str, bool]]:
        """(sort key, header, numeric) of the table's columns, in order."""
        return [
            ("name", _("หน่วยงาน"), False),
            (
                "province" if not self.fixed_province else "district",
                _("จังหวัด / อำเภอ") if not self.fixed_province else _("อำเภอ"),
                False,
            ),
            ("overall", _("คะแนน / ระดับ"), True),
            ("trend", _("เทียบปีก่อน"), True),
            ("plan", _("แผนมาตรการ"), False),
            ("done", _("มาตรการเสร็จ"), True),
            ("overdue", _("เลยกำหนด"), True),
            ("quiet", _("วันนับจากความก้าวหน้าล่าสุด"), True),
            ("published", _("เผยแพร่"), False),
            ("behind", _("ความล่าช้า"), False),
        ]

    def sort_query(self, key: str) -> str:
        """The first click sorts the worst first; the next one reverses."""
        if self.sort == key:
            new = f"-{key}"
        elif self.sort == f"-{key}":
            new = key
        else:
            new = FIRST[key]
        return self.query(sort=new, page=None)

    def sorted_by(self, key: str) -> str:
        """'asc', 'desc' or '' for a column's header."""
        return "asc" if self.sort == key else "desc" if self.sort == f"-{key}" else ""


def params_of(request, fixed: dict[str, str] | None = None) -> dict[str, str]:
    got = {k: request.GET.get(k, "").strip()[:100] for k in (*FILTERS, "sort", "year")}
    got.update(fixed or {})
    return {k: v for k, v in got.items() if v}


def annotate(rows: QuerySet[AgencyYear], today: dt.date | None = None) -> QuerySet[AgencyYear]:
    return rows.annotate(
        is_behind=Case(
            When(behind_q(today), then=Value(True)), default=Value(False), output_field=BooleanField()
        )
    )


def filtered(rows: QuerySet[AgencyYear], params: dict[str, str]) -> QuerySet[AgencyYear]:
    """The filters and search of ``params`` (unknown values match nothing, never everything)."""
    if params.get("province"):
        rows = rows.filter(province=params["province"])
    if params.get("district"):
        rows = rows.filter(district=params["district"])
    if params.get("type"):
        rows = rows.filter(agency_type=params["type"])
    if params.get("level"):
        rows = rows.filter(overall=None) if params["level"] == "-" else rows.filter(level=params["level"])
    status = params.get("status")
    if status == "behind":
        rows = rows.filter(behind_q())
    elif status == "ok":
        rows = rows.exclude(behind_q())
    elif status == "no_measures":
        rows = rows.filter(measures_published=False)
    elif status == "no_progress":
        rows = rows.filter(progress_published=False)
    if params.get("q"):
        for word in params["q"].split()[:5]:
            rows = rows.filter(Q(name__icontains=word) | Q(slug__icontains=word))
    return rows


def ordered(rows: QuerySet[AgencyYear], sort: str) -> tuple[QuerySet[AgencyYear], str]:
    key = sort.lstrip("-")
    if key not in SORTS:
        sort, key = DEFAULT_SORT, DEFAULT_SORT
    descending = sort.startswith("-")
    orders = []
    for name, inverted, empty_largest in SORTS[key]:
        desc = descending != inverted
        if empty_largest:
            nulls = {"nulls_first": True} if descending else {"nulls_last": True}
        else:
            nulls = {"nulls_last": True}
        orders.append(F(name).desc(**nulls) if desc else F(name).asc(**nulls))
    return rows.order_by(*orders, "name", "pk"), sort


def build(
    rows: QuerySet[AgencyYear],
    params: dict[str, str],
    page: str | None = None,
    fixed_province: bool = False,
    found: dict[str, list] | None = None,
) -> Table:
    """One page of the table; ``found``: the types and levels of the scope (``stats.choices``),
    and on a province's page its districts."""
    year_rows = rows
    qs, sort = ordered(annotate(filtered(rows, params)), params.get("sort", DEFAULT_SORT))
    pages = Paginator(qs, PAGE_SIZE)
    p = pages.get_page(page)
    today = timezone.localdate()
    listed = list(p.object_list)
    prefix, badges = _prefix(), plan_badges()
    for r in listed:
        decorate(r, today, prefix)
        r.plan_badge = badges.get(r.plan_status, r.plan_status)
    table = Table(
        rows=listed, page=p, total=pages.count, sort=sort, params=params, fixed_province=fixed_province
    )
    table.choices = dict(found or {})
    if params.get("province") and "districts" not in table.choices:
        d = (
            year_rows.filter(province=params["province"])
            .values_list("district", flat=True)
            .order_by()
            .distinct()
        )
        table.choices["districts"] = sorted(set(d) - {""})
    return table


def agency_url(slug: str) -> str:
    """The overseer's page of an agency, without a ``reverse`` per row (a page lists hundreds)."""
    return _prefix() + slug + "/"


def _prefix() -> str:
    return reverse("oversight_agency", kwargs={"agency": "x"})[:-2]


def decorate(r: AgencyYear, today: dt.date, prefix: str | None = None) -> None:
    r.reasons = reasons(r, today)
    r.days_quiet = (today - r.last_progress).days if r.last_progress else None
    r.url = (prefix or _prefix()) + r.slug + "/"


def plan_badges() -> dict[str, str]:
    """The plan status badge of every status (``_plan_status.html``), rendered once per page."""
    from django.template.loader import render_to_string

    return {
        v: render_to_string("oversight/_plan_status.html", {"status": v}) for v in [*PlanStatus.values, ""]
    }


REASON_TEXT = {
    "overdue": lambda: _("มีมาตรการเลยกำหนด"),
    "quiet": lambda: _("ไม่มีความก้าวหน้าเกิน %(n)s วัน") % {"n": QUIET_DAYS},
    "unpublished": lambda: _("ยังไม่เผยแพร่มาตรการหลังกำหนด"),
}


def reason_texts(codes: list[str]) -> list[str]:
    return [REASON_TEXT[c]() for c in codes]


def plan_status_text(value: str) -> str:
    return str(PlanStatus(value).label) if value in PlanStatus.values else _("ยังไม่มีแผน")


def headers() -> list[str]:
    return [
        _("หน่วยงาน"),
        _("ประเภท"),
        _("อำเภอ"),
        _("จังหวัด"),
        _("ปีงบประมาณ (พ.ศ.)"),
        _("คะแนน"),
        _("ระดับ"),
        _("คะแนนปีก่อน"),
        _("เปลี่ยนแปลง"),
        _("สถานะแผน"),
        _("มาตรการ"),
        _("เสร็จแล้ว"),
        _("ร้อยละที่เสร็จ"),
        _("เลยกำหนด"),
        _("ความก้าวหน้าล่าสุด"),
        _("วันนับจากความก้าวหน้าล่าสุด"),
        _("เผยแพร่มาตรการ"),
        _("เผยแพร่รายงานความก้าวหน้า"),
        _("ล่าช้า"),
        _("เหตุที่ล่าช้า"),
    ]


def export_rows(rows: QuerySet[AgencyYear], params: dict[str, str]):
    """Every row of the table (all pages, the same filters and order) as cell values."""
    qs, _sort = ordered(annotate(filtered(rows, params)), params.get("sort", DEFAULT_SORT))
    today = timezone.localdate()
    prefix = _prefix()
    yes, no = _("ใช่"), _("ไม่")
    status_text = {v: plan_status_text(v) for v in [*PlanStatus.values, ""]}
    reason_cache: dict[tuple, str] = {}
    for r in qs.iterator(chunk_size=2000):
        decorate(r, today, prefix)
        key = tuple(r.reasons)
        if key not in reason_cache:
            reason_cache[key] = "; ".join(reason_texts(r.reasons))
        yield [
            r.name,
            r.agency_type,
            r.district,
            r.province,
            r.fiscal_year,
            None if r.overall is None else round(r.overall, 2),
            r.level,
            None if r.previous_overall is None else round(r.previous_overall, 2),
            r.trend,
            status_text.get(r.plan_status, r.plan_status),
            r.measures,
            r.done,
            None if r.done_share is None else round(r.done_share, 2),
            r.overdue,
            thai_date(r.last_progress) if r.last_progress else "",
            r.days_quiet,
            yes if r.measures_published else no,
            yes if r.progress_published else no,
            yes if r.reasons else no,
            reason_cache[key],
        ]


def to_csv(rows: QuerySet[AgencyYear], params: dict[str, str]) -> bytes:
    """UTF-8 with a byte-order mark: Excel opens Thai text correctly."""
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(headers())
    for r in export_rows(rows, params):
        w.writerow(["" if v is None else (fmt(v) if isinstance(v, float) else v) for v in r])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(rows: QuerySet[AgencyYear], params: dict[str, str], title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=title[:31] or "oversight")
    ws.freeze_panes = "B2"
    for i, width in enumerate([42, 22, 16, 16, 10, 9, 14, 11, 11, 16, 9, 9, 11, 9, 18, 12, 12, 14, 8, 48], 1):
        ws.column_dimensions[_column(i)].width = width
    bold = Font(bold=True)
    head = []
    for h in headers():
        c = WriteOnlyCell(ws, value=h)
        c.font = bold
        head.append(c)
    ws.append(head)
    for r in export_rows(rows, params):
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _column(i: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(i)
