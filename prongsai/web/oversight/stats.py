"""What an overseer reads across agencies, from the precomputed rows (``models.AgencyYear``) only:
a handful of aggregate queries whatever the number of agencies. Published results (levels, pass
rate, average, weakest indicators), publication, progress of the measures and who is behind.
Never draft content.

Definitions (also on the page):
- measures published: the year's plan has at least one approval (decision approved);
- progress report published: the plan was approved again on or after the day of its first
  progress entry (an approval that contains progress). No progress entry: not published;
- behind: ``summary.behind_q`` (three rules, shown on the page).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from prongsai.ita.edition import EditionError, get_edition
from prongsai.thai.dates import fiscal_year_of
from prongsai.web.agencies.models import AGENCY_TYPES
from prongsai.web.oversight.models import INDICATORS, AgencyYear
from prongsai.web.oversight.summary import behind_q

LIST_LIMIT = 200  # names listed per "not published" list; the counts are always complete


def level_order(year: int) -> list[tuple[str, bool]]:
    try:
        return [(r.label, r.passed) for r in get_edition(year).levels.rules]
    except EditionError:
        return []


def indicator_names(year: int) -> dict[int, str]:
    try:
        return {i.id: i.name_th for i in get_edition(year).indicators}
    except EditionError:
        return {}


def pass_mark(year: int) -> float:
    try:
        return get_edition(year).pass_mark.value
    except EditionError:
        return 85.0


@dataclass
class Summary:
    year: int
    agencies: int = 0
    assessed: int = 0
    passed: int = 0
    average: float | None = None
    levels: list[dict] = field(default_factory=list)
    weakest: list[dict] = field(default_factory=list)
    measures_published: int = 0
    progress_published: int = 0
    behind: int = 0
    measures: int = 0
    done: int = 0
    missing_measures: list[dict] = field(default_factory=list)
    missing_progress: list[dict] = field(default_factory=list)

    @property
    def pass_rate(self) -> float | None:
        return self.passed / self.assessed * 100 if self.assessed else None

    @property
    def done_share(self) -> float | None:
        return self.done / self.measures * 100 if self.measures else None

    @property
    def missing_measures_count(self) -> int:
        return self.agencies - self.measures_published

    @property
    def missing_progress_count(self) -> int:
        return self.agencies - self.progress_published


def facets(rows: QuerySet[AgencyYear], year: int, area: str = "province") -> list[tuple]:
    """The year's rows of the scope grouped by area (province or district), agency type, level and
    pass, with every count and sum the pages show: one query, one pass over the rows, whatever
    their number; ``summary``, ``by_area`` and ``choices`` are computed from it."""
    return list(
        rows.filter(fiscal_year=year)
        .values_list(area, "level")
        .annotate(
            f_agencies=Count("id"),
            f_assessed=Count("overall"),
            f_passed=Count("id", filter=Q(passed=True)),
            f_sum=Sum("overall"),
            f_measures_published=Count("id", filter=Q(measures_published=True)),
            f_progress_published=Count("id", filter=Q(progress_published=True)),
            f_behind=Count("id", filter=behind_q()),
            f_measures=Sum("measures"),
            f_done=Sum("done"),
        )
        .order_by()
    )


FACET = (
    "area",
    "level",
    "agencies",
    "assessed",
    "passed",
    "sum_overall",
    "n_measures_published",
    "n_progress_published",
    "n_behind",
    "n_measures",
    "n_done",
)


def _groups(raw: list[tuple]) -> list[dict]:
    return [dict(zip(FACET, r, strict=True)) for r in raw]


def indicators(rows: QuerySet[AgencyYear], year: int) -> dict:
    """Average, count and count below the pass mark of each indicator: one aggregate query."""
    mark = pass_mark(year)
    return rows.filter(fiscal_year=year).aggregate(
        **{f"sum{n}": Sum(f"i{n}") for n in INDICATORS},
        **{f"n{n}": Count(f"i{n}") for n in INDICATORS},
        **{f"below{n}": Count("id", filter=Q(**{f"i{n}__lt": mark})) for n in INDICATORS},
    )


def summary(
    rows: QuerySet[AgencyYear], year: int, groups: list[tuple] | None = None, lists: bool = True
) -> Summary:
    """The scope's figures for ``year`` from ``facets`` (computed when not given), and the first
    names of the agencies that have not published (``lists``: two more queries)."""
    groups = _groups(facets(rows, year) if groups is None else groups)
    s = Summary(year=year)
    total = sum(g["sum_overall"] or 0 for g in groups)
    s.agencies = sum(g["agencies"] for g in groups)
    s.assessed = sum(g["assessed"] for g in groups)
    s.passed = sum(g["passed"] for g in groups)
    s.average = total / s.assessed if s.assessed else None
    s.measures_published = sum(g["n_measures_published"] for g in groups)
    s.progress_published = sum(g["n_progress_published"] for g in groups)
    s.behind = sum(g["n_behind"] for g in groups)
    s.measures = sum(g["n_measures"] or 0 for g in groups)
    s.done = sum(g["n_done"] or 0 for g in groups)
    counts: dict[str, int] = {}
    for g in groups:
        if g["assessed"]:
            counts[g["level"]] = counts.get(g["level"], 0) + g["assessed"]
    order = level_order(year)
    known = {label for label, _ in order}
    s.levels = [{"label": label, "passed": ok, "n": counts.get(label, 0)} for label, ok in order] + [
        {"label": label or "–", "passed": None, "n": n} for label, n in counts.items() if label not in known
    ]
    names = indicator_names(year)
    agg = indicators(rows, year)
    weakest = [
        {
            "indicator": n,
            "name": names.get(n, ""),
            "average": agg[f"sum{n}"] / agg[f"n{n}"],
            "n": agg[f"n{n}"],
            "below": agg[f"below{n}"],
        }
        for n in INDICATORS
        if agg[f"n{n}"]
    ]
    s.weakest = sorted(weakest, key=lambda w: (w["average"], w["indicator"]))
    if lists:
        rows = rows.filter(fiscal_year=year).order_by("province", "name")
        listed = ("agency_id", "name", "slug", "province")
        s.missing_measures = [
            _row(r) for r in rows.filter(measures_published=False).values(*listed)[:LIST_LIMIT]
        ]
        s.missing_progress = [
            _row(r) for r in rows.filter(progress_published=False).values(*listed)[:LIST_LIMIT]
        ]
    return s


def _row(r: dict) -> dict:
    from prongsai.web.oversight.table import agency_url

    return {
        "pk": r["agency_id"],
        "name": r["name"],
        "slug": r["slug"],
        "province": r["province"],
        "url": agency_url(r["slug"]),
    }


def by_area(groups: list[tuple], area: str = "province") -> list[dict]:
    """One row per province (or district) from ``facets``: agencies, assessed, passed, average,
    measures and progress published, share of measures done, behind."""
    out: dict[str, dict] = {}
    for g in _groups(groups):
        r = out.setdefault(
            g["area"],
            {
                "name": g["area"],
                "agencies": 0,
                "assessed": 0,
                "passed": 0,
                "sum": 0.0,
                "measures": 0,
                "progress": 0,
                "behind": 0,
                "total": 0,
                "done": 0,
            },
        )
        r["agencies"] += g["agencies"]
        r["assessed"] += g["assessed"]
        r["passed"] += g["passed"]
        r["sum"] += g["sum_overall"] or 0
        r["measures"] += g["n_measures_published"]
        r["progress"] += g["n_progress_published"]
        r["behind"] += g["n_behind"]
        r["total"] += g["n_measures"] or 0
        r["done"] += g["n_done"] or 0
    rows = [out[k] for k in sorted(out)]
    for r in rows:
        r[area] = r["name"]
        r["average"] = r["sum"] / r["assessed"] if r["assessed"] else None
        r["pass_rate"] = r["passed"] / r["assessed"] * 100 if r["assessed"] else None
        r["done_share"] = r["done"] / r["total"] * 100 if r["total"] else None
        r["behind_share"] = r["behind"] / r["agencies"] * 100 if r["agencies"] else None
    return rows


def choices(groups: list[tuple]) -> dict[str, list]:
    """The agency types (all the model knows) and the levels found, for the table's filters."""
    return {
        "types": [value for value, _label in AGENCY_TYPES],
        "levels": sorted({g["level"] for g in _groups(groups) if g["assessed"]} - {""}),
    }


def years(rows: QuerySet[AgencyYear]) -> list[int]:
    """Fiscal years with rows in the scope, newest first."""
    return sorted(set(rows.values_list("fiscal_year", flat=True).order_by().distinct()), reverse=True)


def default_year(rows: QuerySet[AgencyYear]) -> int | None:
    """The year whose plans are being carried out: the newest with a plan not later than the
    current fiscal year (next year's plans are drafted in August), else the newest with results."""
    current = fiscal_year_of(timezone.localdate())
    under_way = (
        rows.filter(fiscal_year__lte=current)
        .exclude(plan_status="")
        .order_by("-fiscal_year")
        .values_list("fiscal_year", flat=True)
        .first()
    )
    if under_way is not None:
        return under_way
    return rows.exclude(overall=None).order_by("-fiscal_year").values_list("fiscal_year", flat=True).first()
