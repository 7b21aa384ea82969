"""The overseer's precomputed rows (``models.AgencyYear``): how they are computed, refreshed and
read back as "behind".

Behind (shown on the pages, ``RULE``), decided when a page is read, on the plan of the year:
1. at least one overdue measure: past its due day and not done (``Plan.overdue_measures``, the
   agency dashboard's own list; due days from the measure's date or its written period,
   ``prongsai.thai.periods``);
2. open measures and no progress recorded for more than ``QUIET_DAYS`` days (counted from the
   start of the fiscal year while none has been recorded);
3. measures not published (no approved plan) after the publication deadline, the last day of the
   fiscal year's first quarter (31 December; ``publish_deadline``). Not confirmed: no edition file
   gives the NACC's date for publishing the measures (prongsai/ita/editions), so this is the
   application's own rule for "behind", stated on the pages as such; the 90 days of rule 2 too.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db import connection
from django.db.models import Max, Min, Prefetch, Q
from django.utils import timezone

from prongsai.thai.dates import be_to_ce, fiscal_year_bounds
from prongsai.web.agencies.models import Agency
from prongsai.web.cycle.models import (
    Approval,
    Assessment,
    Decision,
    IndicatorScore,
    Measure,
    MeasureStatus,
    Plan,
    ProgressEntry,
)
from prongsai.web.oversight.models import INDICATORS, AgencyYear

QUIET_DAYS = 90
BATCH = 400  # agencies per batch when rebuilding


def publish_deadline(year: int) -> dt.date:
    """The last day of the first quarter of fiscal year ``year`` (B.E.): 31 December."""
    return dt.date(be_to_ce(year) - 1, 12, 31)


def progress_published(last_approved: dt.datetime | None, first_progress: dt.date | None) -> bool:
    """A progress report is published when the plan was approved on or after the day of its first
    progress entry (the approval then contains progress)."""
    return bool(
        last_approved is not None
        and first_progress is not None
        and timezone.localtime(last_approved).date() >= first_progress
    )


def behind_q(today: dt.date | None = None) -> Q:
    """Rows behind on ``today`` (the three rules of the module's docstring)."""
    today = today or timezone.localdate()
    quiet = today - dt.timedelta(days=QUIET_DAYS)
    return (
        Q(overdue__gt=0)
        | Q(next_due__lt=today)
        | Q(open__gt=0, quiet_since__lt=quiet)
        | Q(measures_published=False, publish_deadline__lt=today)
    )


def reasons(row: AgencyYear, today: dt.date | None = None) -> list[str]:
    """Which rules make ``row`` behind, as codes: 'overdue', 'quiet', 'unpublished'."""
    today = today or timezone.localdate()
    out = []
    if row.overdue > 0 or (row.next_due is not None and row.next_due < today):
        out.append("overdue")
    if row.open and row.quiet_since is not None and (today - row.quiet_since).days > QUIET_DAYS:
        out.append("quiet")
    if not row.measures_published and row.publish_deadline < today:
        out.append("unpublished")
    return out


def known_years() -> list[int]:
    years = set(Assessment.objects.values_list("fiscal_year", flat=True).order_by().distinct())
    years |= set(Plan.objects.values_list("fiscal_year", flat=True).order_by().distinct())
    years |= set(AgencyYear.objects.values_list("fiscal_year", flat=True).order_by().distinct())
    return sorted(years)


UPDATE_FIELDS = [
    f.name for f in AgencyYear._meta.concrete_fields if f.name not in ("id", "agency", "fiscal_year")
]


def compute(
    agency_ids: Iterable[int], years: Iterable[int], today: dt.date | None = None
) -> list[AgencyYear]:
    """Rows for every agency of ``agency_ids`` and year of ``years`` (existing agencies only), from
    a fixed number of queries whatever the number of agencies."""
    today = today or timezone.localdate()
    now = timezone.now()
    ids, years = sorted(set(agency_ids)), sorted(set(years))
    if not ids or not years:
        return []
    agencies = list(
        Agency.objects.filter(pk__in=ids).values("pk", "name", "slug", "type", "district", "province")
    )
    results = {
        (r["agency_id"], r["fiscal_year"]): r
        for r in Assessment.objects.filter(
            agency_id__in=ids, fiscal_year__in=set(years) | {y - 1 for y in years}
        ).values("agency_id", "fiscal_year", "overall", "level", "passed")
    }
    scores: dict[tuple[int, int], dict[int, float]] = defaultdict(dict)
    for agency_id, year, n, score in IndicatorScore.objects.filter(
        assessment__agency_id__in=ids, fiscal_year__in=years
    ).values_list("assessment__agency_id", "fiscal_year", "indicator", "score"):
        scores[(agency_id, year)][n] = score
    plans = {
        (p.agency_id, p.fiscal_year): p
        for p in Plan.objects.filter(agency_id__in=ids, fiscal_year__in=years)
        .only("pk", "agency_id", "fiscal_year", "status")
        .prefetch_related(
            Prefetch(
                "measures",
                queryset=Measure.objects.only("pk", "plan_id", "position", "period", "period_end", "status"),
            )
        )
    }
    plan_ids = [p.pk for p in plans.values()]
    progress = {
        r["measure__plan_id"]: (r["first"], r["last"])
        for r in ProgressEntry.objects.filter(measure__plan_id__in=plan_ids)
        .values("measure__plan_id")
        .annotate(first=Min("as_of"), last=Max("as_of"))
        .order_by()
    }
    approved = dict(
        Approval.objects.filter(plan_id__in=plan_ids, decision=Decision.APPROVED)
        .values("plan_id")
        .annotate(last=Max("decided_at"))
        .values_list("plan_id", "last")
        .order_by()
    )
    rows = []
    for a in agencies:
        for year in years:
            key = (a["pk"], year)
            r = results.get(key) or {}
            prev = results.get((a["pk"], year - 1)) or {}
            row = AgencyYear(
                agency_id=a["pk"],
                fiscal_year=year,
                name=a["name"],
                slug=a["slug"],
                agency_type=a["type"],
                district=a["district"],
                province=a["province"],
                overall=r.get("overall"),
                level=r.get("level") or "",
                passed=r.get("passed"),
                previous_overall=prev.get("overall"),
                publish_deadline=publish_deadline(year),
                computed_at=now,
            )
            if row.overall is not None and row.previous_overall is not None:
                row.trend = round(row.overall - row.previous_overall, 2)
            for n in INDICATORS:
                setattr(row, f"i{n}", scores.get(key, {}).get(n))
            plan = plans.get(key)
            if plan is not None:
                _plan_figures(row, plan, progress.get(plan.pk), approved.get(plan.pk), today)
            rows.append(row)
    return rows


def _plan_figures(row: AgencyYear, plan: Plan, progress, last_approved, today: dt.date) -> None:
    measures = list(plan.measures.all())
    row.plan_status = plan.status
    row.measures = len(measures)
    row.done = sum(m.status == MeasureStatus.DONE for m in measures)
    row.open = row.measures - row.done
    row.done_share = row.done / row.measures * 100 if row.measures else None
    row.overdue = len(plan.overdue_measures())  # the agency dashboard's overdue list
    upcoming = [
        d for m in measures if m.status != MeasureStatus.DONE and (d := m.due) is not None and d >= today
    ]
    row.next_due = min(upcoming, default=None)
    row.first_progress, row.last_progress = progress or (None, None)
    row.quiet_since = row.last_progress or fiscal_year_bounds(plan.fiscal_year)[0]
    row.last_approved = last_approved
    row.measures_published = last_approved is not None
    row.progress_published = progress_published(last_approved, row.first_progress)


def save(rows: list[AgencyYear]) -> int:
    if rows:
        AgencyYear.objects.bulk_create(
            rows,
            batch_size=1000,
            update_conflicts=True,
            unique_fields=["agency", "fiscal_year"],
            update_fields=UPDATE_FIELDS,
        )
    return len(rows)


def refresh(
    keys: Iterable[tuple[int, int]] = (), plan_ids: Iterable[int] = (), measure_ids: Iterable[int] = ()
) -> int:
    """Recompute the rows of (agency id, year) ``keys`` and of the plans and measures named (those
    since deleted are skipped: their own plan's or agency's key is in ``keys``). A year no row has
    yet is built for every agency (a first plan of a new year makes the others "no plan")."""
    wanted = {(int(a), int(y)) for a, y in keys}
    wanted |= set(Plan.objects.filter(pk__in=list(plan_ids)).values_list("agency_id", "fiscal_year"))
    wanted |= set(
        Measure.objects.filter(pk__in=list(measure_ids)).values_list("plan__agency_id", "plan__fiscal_year")
    )
    if not wanted:
        return 0
    have = set(
        AgencyYear.objects.filter(fiscal_year__in={y for _, y in wanted})
        .values_list("fiscal_year", flat=True)
        .distinct()
        .order_by()
    )
    done = 0
    new_years = {y for _, y in wanted if y not in have}
    if new_years:
        done += rebuild(years=sorted(new_years))
    by_year: dict[int, set[int]] = defaultdict(set)
    for agency_id, year in wanted:
        if year not in new_years:
            by_year[year].add(agency_id)
    for year, ids in by_year.items():
        done += save(compute(ids, [year]))
    return done


def refresh_agency(agency_id: int) -> int:
    """Every year's row of one agency (its name, district or province changed, or it is new)."""
    years = known_years()
    return save(compute([agency_id], years)) if years else 0


def rebuild(years: Iterable[int] | None = None, out=None) -> int:
    """Every agency's row for ``years`` (default: every year with a result, a plan or a row), one
    year after the other: a year's rows are then stored together, and a page reading one year
    reads a few hundred table pages instead of thousands (``cluster`` keeps them so)."""
    years = sorted(years) if years is not None else known_years()
    ids = list(Agency.objects.order_by("pk").values_list("pk", flat=True))
    done = 0
    for year in years:
        for start in range(0, len(ids), BATCH):
            done += save(compute(ids[start : start + BATCH], [year]))
        if out is not None:
            out(f"{year}: {len(ids)} agencies")
    return done


def cluster() -> None:
    """PostgreSQL: store each year's rows together, ordered as the province pages read them
    (CLUSTER on the (fiscal_year, province, name) index, then ANALYZE). Rows written agency by
    agency spread one year's 8,300 rows over some 3,400 table pages; clustered, about 450, and the
    national page's queries run 4-10 times faster (docs/deploy.md). CLUSTER locks the table while
    it runs: seconds at national scale. Inside a transaction (tests) only ANALYZE."""
    table = AgencyYear._meta.db_table
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        if connection.in_atomic_block:
            cursor.execute(f"ANALYZE {table}")
            return
        found = connection.introspection.get_constraints(cursor, table)
        name = next(
            n for n, c in found.items() if c["index"] and c["columns"] == ["fiscal_year", "province", "name"]
        )
        cursor.execute(f'CLUSTER {table} USING "{name}"')
        cursor.execute(f"ANALYZE {table}")


def refresh_stale(today: dt.date | None = None) -> int:
    """Rows whose overdue count has changed since they were computed: an open measure's due day has
    passed (``next_due``)."""
    today = today or timezone.localdate()
    stale = AgencyYear.objects.filter(next_due__lt=today).values_list("agency_id", "fiscal_year")
    return refresh(keys=list(stale))
