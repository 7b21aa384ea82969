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

from django.db.models import Avg, Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncDate

from prongsai.ita.edition import EditionError, get_edition
from prongsai.web.agencies.models import Agency
from prongsai.web.cycle.models import Approval, Assessment, Decision, IndicatorScore, Plan, ProgressEntry

LIST_LIMIT = 200  # names listed per "not published" list; the counts are always complete


def first_progress(plan_ref: str = "plan") -> Subquery:
    return Subquery(
        ProgressEntry.objects.filter(measure__plan=OuterRef(plan_ref)).order_by("as_of").values("as_of")[:1]
    )


def approvals(year: int) -> QuerySet[Approval]:
    return Approval.objects.filter(
        plan__agency=OuterRef("pk"), plan__fiscal_year=year, decision=Decision.APPROVED
    )


def with_publication(agencies: QuerySet[Agency], year: int) -> QuerySet[Agency]:
    """Each agency annotated with measures_ok / progress_ok for ``year``."""
    approved = approvals(year)
    with_progress = approved.annotate(day=TruncDate("decided_at")).filter(day__gte=first_progress())
    return agencies.annotate(measures_ok=Exists(approved), progress_ok=Exists(with_progress))


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
    missing_measures: list[Agency] = field(default_factory=list)
    missing_progress: list[Agency] = field(default_factory=list)

    @property
    def pass_rate(self) -> float | None:
        return self.passed / self.assessed * 100 if self.assessed else None

    @property
    def missing_measures_count(self) -> int:
        return self.agencies - self.measures_published

    @property
    def missing_progress_count(self) -> int:
        return self.agencies - self.progress_published


def summary(agencies: QuerySet[Agency], year: int) -> Summary:
    """Five queries, whatever the number of agencies."""
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
    published = with_publication(agencies, year)
    pub = published.aggregate(
        n=Count("pk"),
        measures=Count("pk", filter=Q(measures_ok=True)),
        progress=Count("pk", filter=Q(progress_ok=True)),
    )
    s.agencies, s.measures_published, s.progress_published = pub["n"], pub["measures"], pub["progress"]
    fields = ("pk", "name", "slug", "province")
    s.missing_measures = list(
        published.filter(measures_ok=False).only(*fields).order_by("province", "name")[:LIST_LIMIT]
    )
    s.missing_progress = list(
        published.filter(progress_ok=False).only(*fields).order_by("province", "name")[:LIST_LIMIT]
    )
    return s


def pass_mark(year: int) -> float:
    try:
        return get_edition(year).pass_mark.value
    except EditionError:
        return 85.0


def by_province(agencies: QuerySet[Agency], year: int) -> list[dict]:
    """One row per province: agencies, assessed, passed, average, measures and progress published."""
    results = Assessment.objects.filter(agency=OuterRef("pk"), fiscal_year=year)
    rows = (
        with_publication(agencies, year)
        .annotate(
            overall=Subquery(results.values("overall")[:1]),
            passed_=Subquery(results.values("passed")[:1]),
        )
        .values("province")
        .annotate(
            agencies=Count("pk"),
            assessed=Count("overall"),
            passed=Count("pk", filter=Q(passed_=True)),
            average=Avg("overall"),
            measures=Count("pk", filter=Q(measures_ok=True)),
            progress=Count("pk", filter=Q(progress_ok=True)),
        )
        .order_by("province")
    )
    out = []
    for r in rows:
        r["pass_rate"] = r["passed"] / r["assessed"] * 100 if r["assessed"] else None
        out.append(r)
    return out


def agency_rows(agencies: QuerySet[Agency], year: int) -> list[Agency]:
    """Every agency of a (province-sized) scope with its result and plan status for ``year``."""
    results = Assessment.objects.filter(agency=OuterRef("pk"), fiscal_year=year)
    plan = Plan.objects.filter(agency=OuterRef("pk"), fiscal_year=year)
    return list(
        with_publication(agencies, year)
        .annotate(
            overall=Subquery(results.values("overall")[:1]),
            level=Subquery(results.values("level")[:1]),
            passed=Subquery(results.values("passed")[:1]),
            plan_status=Subquery(plan.values("status")[:1]),
        )
        .only("pk", "name", "slug", "type", "district", "province")
        .order_by("name")
    )


def years(agencies: QuerySet[Agency]) -> list[int]:
    """Fiscal years with results or plans in the scope, newest first."""
    found = set(
        Assessment.objects.filter(agency__in=agencies).values_list("fiscal_year", flat=True).distinct()
    )
    found |= set(Plan.objects.filter(agency__in=agencies).values_list("fiscal_year", flat=True).distinct())
    return sorted(found, reverse=True)


def default_year(agencies: QuerySet[Agency]) -> int | None:
    """The newest year with published results (its plan is the one the next OIT checks)."""
    return (
        Assessment.objects.filter(agency__in=agencies)
        .order_by("-fiscal_year")
        .values_list("fiscal_year", flat=True)
        .first()
    )
