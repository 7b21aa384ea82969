"""What an overseer reads across agencies, as a handful of aggregate queries whatever the number of
agencies: published results (levels, pass rate, average, weakest indicators) and whether each
agency has published its measures and its progress report for the year. Never draft content.

Definitions (also on the page):
- measures published: the year's plan has at least one approval (decision approved);
- progress report published: the plan was approved again on or after the day of its first
  progress entry (an approval that contains progress). No progress entry: not published.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Avg, Count, Max, Min, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from prongsai.ita.edition import EditionError, get_edition
from prongsai.web.agencies.models import Agency
from prongsai.web.cycle.models import Approval, Assessment, Decision, IndicatorScore, Plan, ProgressEntry

LIST_LIMIT = 200  # names listed per "not published" list; the counts are always complete


def first_progress(plan_ref: str = "plan") -> Subquery:
    return Subquery(
        ProgressEntry.objects.filter(measure__plan=OuterRef(plan_ref)).order_by("as_of").values("as_of")[:1]
    )


def publication(agencies: QuerySet[Agency], year: int) -> dict[int, tuple[bool, bool]]:
    """{agency id: (measures published, progress report published)} for agencies with a plan for
    ``year``, from two GROUP BY queries (a plan is one per agency and year). Correlated
    subqueries per agency cost seconds at national scale; these are hash aggregates."""
    last = dict(
        Approval.objects.filter(plan__fiscal_year=year, plan__agency__in=agencies, decision=Decision.APPROVED)
        .values("plan__agency_id")
        .annotate(last=Max("decided_at"))
        .values_list("plan__agency_id", "last")
    )
    first = dict(
        ProgressEntry.objects.filter(measure__plan__fiscal_year=year, measure__plan__agency__in=agencies)
        .values("measure__plan__agency_id")
        .annotate(first=Min("as_of"))
        .values_list("measure__plan__agency_id", "first")
    )
    out = {}
    for agency_id, approved_at in last.items():
        started = first.get(agency_id)
        out[agency_id] = (True, started is not None and timezone.localtime(approved_at).date() >= started)
    return out


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
    missing_measures: list[dict] = field(default_factory=list)
    missing_progress: list[dict] = field(default_factory=list)

    @property
    def pass_rate(self) -> float | None:
        return self.passed / self.assessed * 100 if self.assessed else None

    @property
    def missing_measures_count(self) -> int:
        return self.agencies - self.measures_published

    @property
    def missing_progress_count(self) -> int:
        return self.agencies - self.progress_published


def summary(agencies: QuerySet[Agency], year: int, pub: dict | None = None) -> Summary:
    """Six queries, whatever the number of agencies."""
    s = Summary(year=year)
    results = Assessment.objects.filter(fiscal_year=year, agency__in=agencies)
    agg = results.aggregate(n=Count("id"), passed=Count("id", filter=Q(passed=True)), avg=Avg("overall"))
    s.assessed, s.passed, s.average = agg["n"], agg["passed"], agg["avg"]
    counts = {r["level"]: r["n"] for r in results.values("level").annotate(n=Count("id")).order_by()}
    order = level_order(year)
    known = {label for label, _ in order}
    s.levels = [{"label": label, "passed": ok, "n": counts.get(label, 0)} for label, ok in order] + [
        {"label": label or "–", "passed": None, "n": n} for label, n in counts.items() if label not in known
    ]
    names = indicator_names(year)
    s.weakest = [
        {**row, "name": names.get(row["indicator"], "")}
        for row in IndicatorScore.objects.filter(fiscal_year=year, assessment__agency__in=agencies)
        .values("indicator")
        .annotate(average=Avg("score"), n=Count("id"), below=Count("id", filter=Q(score__lt=pass_mark(year))))
        .order_by("average", "indicator")
    ]
    pub = publication(agencies, year) if pub is None else pub
    everyone = sorted(agencies.values_list("pk", "name", "slug", "province"), key=lambda r: (r[3], r[1]))
    s.agencies = len(everyone)
    s.measures_published = sum(m for m, _ in pub.values())
    s.progress_published = sum(p for _, p in pub.values())
    no = (False, False)
    s.missing_measures = [_row(r) for r in everyone if not pub.get(r[0], no)[0]][:LIST_LIMIT]
    s.missing_progress = [_row(r) for r in everyone if not pub.get(r[0], no)[1]][:LIST_LIMIT]
    return s


def pass_mark(year: int) -> float:
    try:
        return get_edition(year).pass_mark.value
    except EditionError:
        return 85.0


def _row(r: tuple) -> dict:
    return {"pk": r[0], "name": r[1], "slug": r[2], "province": r[3]}


def by_province(agencies: QuerySet[Agency], year: int, pub: dict | None = None) -> list[dict]:
    """One row per province: agencies, assessed, passed, average, measures and progress published."""
    rows = {
        r["province"]: {**r, "assessed": 0, "passed": 0, "average": None, "measures": 0, "progress": 0}
        for r in agencies.values("province").annotate(agencies=Count("pk")).order_by("province")
    }
    for r in (
        Assessment.objects.filter(fiscal_year=year, agency__in=agencies)
        .values("agency__province")
        .annotate(assessed=Count("id"), passed=Count("id", filter=Q(passed=True)), average=Avg("overall"))
        .order_by()
    ):
        rows[r.pop("agency__province")].update(r)
    pub = publication(agencies, year) if pub is None else pub
    for pk, province in agencies.values_list("pk", "province"):
        m, p = pub.get(pk, (False, False))
        rows[province]["measures"] += m
        rows[province]["progress"] += p
    for r in rows.values():
        r["pass_rate"] = r["passed"] / r["assessed"] * 100 if r["assessed"] else None
    return list(rows.values())


def agency_rows(agencies: QuerySet[Agency], year: int, pub: dict | None = None) -> list[Agency]:
    """Every agency of a (province-sized) scope with its result and plan status for ``year``."""
    results = Assessment.objects.filter(agency=OuterRef("pk"), fiscal_year=year)
    plan = Plan.objects.filter(agency=OuterRef("pk"), fiscal_year=year)
    rows = list(
        agencies.annotate(
            overall=Subquery(results.values("overall")[:1]),
            level=Subquery(results.values("level")[:1]),
            passed=Subquery(results.values("passed")[:1]),
            plan_status=Subquery(plan.values("status")[:1]),
        )
        .only("pk", "name", "slug", "type", "district", "province")
        .order_by("name")
    )
    pub = publication(agencies, year) if pub is None else pub
    for a in rows:
        a.measures_ok, a.progress_ok = pub.get(a.pk, (False, False))
    return rows


def years(agencies: QuerySet[Agency]) -> list[int]:
    """Fiscal years with results or plans in the scope, newest first."""
    found = set(
        Assessment.objects.filter(agency__in=agencies)
        .values_list("fiscal_year", flat=True)
        .order_by()
        .distinct()
    )
    found |= set(
        Plan.objects.filter(agency__in=agencies).values_list("fiscal_year", flat=True).order_by().distinct()
    )
    return sorted(found, reverse=True)


def default_year(agencies: QuerySet[Agency]) -> int | None:
    """The newest year with published results (its plan is the one the next OIT checks)."""
    return (
        Assessment.objects.filter(agency__in=agencies)
        .order_by("-fiscal_year")
        .values_list("fiscal_year", flat=True)
        .first()
    )
