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

from django.db.models import Avg, Count, Q, QuerySet, Sum
from django.utils import timezone

from prongsai.ita.edition import EditionError, get_edition
from prongsai.thai.dates import fiscal_year_of
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


def summary(rows: QuerySet[AgencyYear], year: int) -> Summary:
    """Five queries over the year's rows of the scope."""
    rows = rows.filter(fiscal_year=year)
    s = Summary(year=year)
    mark = pass_mark(year)
    agg = rows.aggregate(
        n=Count("id"),
        assessed=Count("overall"),
        passed=Count("id", filter=Q(passed=True)),
        avg=Avg("overall"),
        n_measures_published=Count("id", filter=Q(measures_published=True)),
        n_progress_published=Count("id", filter=Q(progress_published=True)),
        n_behind=Count("id", filter=behind_q()),
        n_measures=Sum("measures"),
        n_done=Sum("done"),
        **{f"avg{n}": Avg(f"i{n}") for n in INDICATORS},
        **{f"n{n}": Count(f"i{n}") for n in INDICATORS},
        **{f"below{n}": Count("id", filter=Q(**{f"i{n}__lt": mark})) for n in INDICATORS},
    )
    s.agencies, s.assessed, s.passed, s.average = agg["n"], agg["assessed"], agg["passed"], agg["avg"]
    s.measures_published, s.progress_published = agg["n_measures_published"], agg["n_progress_published"]
    s.behind, s.measures, s.done = agg["n_behind"], agg["n_measures"] or 0, agg["n_done"] or 0
    counts = {
        r["level"]: r["n"]
        for r in rows.exclude(overall=None).values("level").annotate(n=Count("id")).order_by()
    }
    order = level_order(year)
    known = {label for label, _ in order}
    s.levels = [{"label": label, "passed": ok, "n": counts.get(label, 0)} for label, ok in order] + [
        {"label": label or "–", "passed": None, "n": n} for label, n in counts.items() if label not in known
    ]
    names = indicator_names(year)
    s.weakest = sorted(
        (
            {
                "indicator": n,
                "name": names.get(n, ""),
                "average": agg[f"avg{n}"],
                "n": agg[f"n{n}"],
                "below": agg[f"below{n}"],
            }
            for n in INDICATORS
            if agg[f"n{n}"]
        ),
        key=lambda w: (w["average"], w["indicator"]),
    )
    listed = ("pk", "agency_id", "name", "slug", "province")
    s.missing_measures = [
        _row(r)
        for r in rows.filter(measures_published=False)
        .order_by("province", "name")
        .values(*listed)[:LIST_LIMIT]
    ]
    s.missing_progress = [
        _row(r)
        for r in rows.filter(progress_published=False)
        .order_by("province", "name")
        .values(*listed)[:LIST_LIMIT]
    ]
    return s


def _row(r: dict) -> dict:
    return {"pk": r["agency_id"], "name": r["name"], "slug": r["slug"], "province": r["province"]}


def by_area(rows: QuerySet[AgencyYear], year: int, area: str = "province") -> list[dict]:
    """One row per province (or district): agencies, assessed, passed, average, measures and
    progress published, share of measures done, behind. One query."""
    out = list(
        rows.filter(fiscal_year=year)
        .values(area)
        .annotate(
            agencies=Count("id"),
            assessed=Count("overall"),
            passed=Count("id", filter=Q(passed=True)),
            average=Avg("overall"),
            n_measures_published=Count("id", filter=Q(measures_published=True)),
            n_progress_published=Count("id", filter=Q(progress_published=True)),
            behind=Count("id", filter=behind_q()),
            total=Sum("measures"),
            n_done=Sum("done"),
        )
        .order_by(area)
    )
    for r in out:
        r["name"] = r[area]
        r["done"] = r.pop("n_done")
        r["measures_published"] = r.pop("n_measures_published")
        r["progress_published"] = r.pop("n_progress_published")
        r["pass_rate"] = r["passed"] / r["assessed"] * 100 if r["assessed"] else None
        r["done_share"] = r["done"] / r["total"] * 100 if r["total"] else None
        r["behind_share"] = r["behind"] / r["agencies"] * 100 if r["agencies"] else None
        # Older names read by templates and tests.
        r["province"] = r.get("province", r["name"])
        r["measures"], r["progress"] = r["measures_published"], r["progress_published"]
    return out


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
