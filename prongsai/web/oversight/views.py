"""Overseer dashboards: read-only views across the agencies ``access.overseen_agencies`` gives,
from the precomputed rows (``models.AgencyYear``) only.

Anyone else gets 404. Every page is a handful of aggregate queries over those rows (``stats``)
plus one page of the agency table (``table``), so the national view costs the same number of
queries for 50 agencies or 8,300. Drill down: the nation (or the overseer's provinces), a
province, an agency."""

from __future__ import annotations

import hashlib
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from prongsai.thai.dates import fiscal_year_of
from prongsai.web.agencies.access import is_overseer, overseen_agencies
from prongsai.web.agencies.models import Agency, OverseerGrant
from prongsai.web.cycle.models import IndicatorScore
from prongsai.web.oversight import charts, stats, summary, table, tasks
from prongsai.web.oversight.models import AgencyYear


def _cached(request, what: str, make):
    """Overseer figures are the same for everyone with the same scope, and need not be to the
    second: kept PRONGSAI_OVERSIGHT_CACHE_SECONDS (default 300; 0 = always computed)."""
    seconds = getattr(settings, "PRONGSAI_OVERSIGHT_CACHE_SECONDS", 300)
    if not seconds:
        return {**make(), "computed_at": timezone.now()}
    key = "prongsai:oversight:" + hashlib.sha256(f"{_scope_key(request.user)}\n{what}".encode()).hexdigest()
    return cache.get_or_set(key, lambda: {**make(), "computed_at": timezone.now()}, seconds)


def _grants(user) -> list[str]:
    if not hasattr(user, "_oversight_grants"):
        user._oversight_grants = sorted(
            set(OverseerGrant.objects.filter(user=user).values_list("province", flat=True))
        )
    return user._oversight_grants


def _national(user) -> bool:
    return user.is_superuser or "" in _grants(user)


def _scope_key(user) -> str:
    return "*" if _national(user) else "|".join(_grants(user))


def _rows(request) -> QuerySet[AgencyYear]:
    """The precomputed rows of the agencies the user oversees; 404 for anyone else."""
    user = request.user
    if not is_overseer(user):
        raise Http404
    if _national(user):
        return AgencyYear.objects.all()
    return AgencyYear.objects.filter(province__in=_grants(user))


def _keep_current(rows: QuerySet[AgencyYear], year: int | None) -> None:
    """Rows the calendar has changed (an open measure's due day passed), agencies without a row of
    the year, or no rows at all yet (a database loaded in bulk): a task recomputes them, asked at
    most once an hour."""
    today = timezone.localdate()
    if year is not None and cache.add(f"prongsai:oversight:stale:{today}:{year}", True, 3600):
        if AgencyYear.objects.filter(fiscal_year=year, next_due__lt=today).exists():
            tasks.refresh_stale.enqueue()
        # Agencies written in bulk (no signal) have no row of the year yet.
        if Agency.objects.exclude(oversight_rows__fiscal_year=year).exists():
            tasks.rebuild_year.enqueue(year)
    if cache.add("prongsai:oversight:empty", True, 3600) and not AgencyYear.objects.exists():
        tasks.rebuild_all.enqueue()


YEARS_SECONDS = 60


def _year(request, rows, year: int | None = None) -> tuple[int | None, list[int]]:
    """The year asked for (else the default) and the years of the scope. The list of years is kept
    a minute whatever the figures' cache (a DISTINCT over every row costs tens of milliseconds at
    national scale and changes once a year)."""
    key = (
        "prongsai:oversight:years:"
        + hashlib.sha256(f"{_scope_key(request.user)}\n{request.path}".encode()).hexdigest()
    )
    found = cache.get(key)
    if found is None:
        found = {"years": stats.years(rows), "default": stats.default_year(rows)}
        cache.set(key, found, YEARS_SECONDS)
    choices = found["years"]
    if year is None:
        raw = request.GET.get("year", "")
        year = int(raw) if raw.isdecimal() and len(raw) == 4 else found["default"]
    if year is None and choices:
        year = choices[0]
    return year, choices


def _levels_chart(s: stats.Summary) -> str:
    bars = [
        charts.Bar(
            label=level["label"],
            value=level["n"],
            text=f"{level['n']:,}" + (f" ({level['n'] / s.assessed * 100:.0f}%)" if s.assessed else ""),
            color=charts.OK
            if level["passed"]
            else charts.BAD
            if level["passed"] is False
            else charts.NEUTRAL,
        )
        for level in s.levels
    ]
    top = max((b.value for b in bars), default=0)
    return charts.hbars(bars, scale=top, title=_("จำนวนหน่วยงานตามระดับผลการประเมิน"), label_width=120)


def _progress_chart(areas: list[dict], link) -> str:
    """Share of measures done per area, lowest first, the bar red where a third or more of the
    agencies are behind."""
    ordered = sorted(areas, key=lambda a: (a["done_share"] is None, a["done_share"] or 0, a["name"]))
    bars = [
        charts.Bar(
            label=a["name"] or "–",
            value=a["done_share"] or 0,
            text=(
                _("%(done)s%% เสร็จ · ล่าช้า %(behind)s/%(n)s")
                % {"done": f"{a['done_share']:.0f}", "behind": a["behind"], "n": a["agencies"]}
                if a["done_share"] is not None
                else _("ไม่มีมาตรการ · ล่าช้า %(behind)s/%(n)s") % {"behind": a["behind"], "n": a["agencies"]}
            ),
            color=charts.BAD if (a["behind_share"] or 0) >= 100 / 3 else charts.BRAND,
            href=link(a) if link else "",
        )
        for a in ordered
    ]
    return charts.hbars(bars, scale=100, title=_("ร้อยละของมาตรการที่ดำเนินการเสร็จ"), label_width=150)


def _home_figures(rows, year: int) -> dict:
    groups = stats.facets(rows, year, "province")
    s = stats.summary(rows, year, groups, lists=False)
    provinces = stats.by_area(groups, "province")
    base = reverse("oversight_province", kwargs={"province": "x", "year": year})
    for p in provinces:
        p["url"] = base.replace("/x/", f"/{quote(p['name'])}/", 1)
    return {
        "summary": s,
        "provinces": provinces,
        "found": stats.choices(groups),
        "levels_chart": _levels_chart(s),
    }


def _scope_label(user) -> str:
    if _national(user):
        return _("ทั่วประเทศ")
    return ", ".join(_("จังหวัด%(p)s") % {"p": p} for p in _grants(user))


@login_required
def home(request):
    rows = _rows(request)
    year, choices = _year(request, rows)
    _keep_current(rows, year)
    context = {"year": year, "years": choices, "scope_label": _scope_label(request.user), "rule": rule()}
    if year is not None:
        figures = _cached(request, f"home {year}", lambda: _home_figures(rows, year))
        figures["progress_chart"] = _progress_chart(
            figures["provinces"],
            lambda a: a["url"],
        )
        context.update(figures)
        params = table.params_of(request, {"year": str(year)})
        context["table"] = table.build(
            rows.filter(fiscal_year=year), params, request.GET.get("page"), found=figures["found"]
        )
        context["export_query"] = context["table"].query(page=None)
    return render(request, "oversight/home.html", context)


def _province_figures(rows, year: int) -> dict:
    groups = stats.facets(rows, year, "district")
    s = stats.summary(rows, year, groups)
    districts = stats.by_area(groups, "district")
    found = {**stats.choices(groups), "districts": [d["name"] for d in districts if d["name"]]}
    return {"summary": s, "districts": districts, "found": found, "levels_chart": _levels_chart(s)}


@login_required
def province(request, province: str, year: int):
    rows = _rows(request).filter(province=province)
    if not overseen_agencies(request.user).filter(province=province).exists():
        raise Http404
    _, choices = _year(request, rows, year)
    _keep_current(rows, year)
    figures = _cached(request, f"province {province} {year}", lambda: _province_figures(rows, year))
    base = reverse("oversight_province", kwargs={"province": province, "year": year})
    figures["progress_chart"] = _progress_chart(
        figures["districts"], lambda a: f"{base}?district={a['name']}" if a["name"] else ""
    )
    params = table.params_of(request, {"year": str(year), "province": province})
    t = table.build(
        rows.filter(fiscal_year=year),
        params,
        request.GET.get("page"),
        fixed_province=True,
        found=figures["found"],
    )
    return render(
        request,
        "oversight/province.html",
        {
            "province": province,
            "year": year,
            "years": choices,
            "rule": rule(),
            "table": t,
            "export_query": t.query(page=None),
            **figures,
        },
    )


def rule() -> dict:
    return {
        "quiet_days": summary.QUIET_DAYS,
        "deadline": _("31 ธันวาคม (สิ้นไตรมาสแรกของปีงบประมาณ)"),
    }


@login_required
def export(request, fmt: str):
    """The agency table of the page the link is on, every page of it, as XLSX or CSV."""
    rows = _rows(request)
    year, _choices = _year(request, rows)
    if year is None:  # nothing yet: the header alone
        year, rows = 0, rows.none()
    params = table.params_of(request, {"year": str(year)})
    rows = rows.filter(fiscal_year=year)
    name = "-".join(["oversight", str(year), *([params["province"]] if params.get("province") else [])])
    if fmt == "xlsx":
        body = table.to_xlsx(rows, params, title=str(year))
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        body = table.to_csv(rows, params)
        content_type = "text/csv; charset=utf-8"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, f"{name}.{fmt}")
    return response


@login_required
def export_csv(request):
    return export(request, "csv")


@login_required
def export_xlsx(request):
    return export(request, "xlsx")


@login_required
def agency(request, agency: str):
    """One agency over the years: published results, the plan's status and progress, and why it is
    behind. No draft content."""
    if not is_overseer(request.user):
        raise Http404
    a = get_object_or_404(overseen_agencies(request.user), slug=agency)
    results = list(a.assessments.order_by("-fiscal_year").values("fiscal_year", "overall", "level", "passed"))
    scores: dict[int, dict[int, float]] = {}
    for year, n, score in IndicatorScore.objects.filter(assessment__agency=a).values_list(
        "fiscal_year", "indicator", "score"
    ):
        scores.setdefault(year, {})[n] = score
    for r in results:
        r["indicators"] = [scores.get(r["fiscal_year"], {}).get(n) for n in range(1, 11)]
    today = timezone.localdate()
    # The years the agency has a plan or a result in, and this fiscal year (no plan yet is news).
    current = fiscal_year_of(today)
    years = [
        r
        for r in AgencyYear.objects.filter(agency=a).order_by("-fiscal_year")
        if r.plan_status or r.overall is not None or r.fiscal_year == current
    ]
    prefix = table.agency_url("")
    for row in years:
        table.decorate(row, today, prefix)
        row.reason_texts = table.reason_texts(row.reasons)
    plans = [
        {
            "fiscal_year": row.fiscal_year,
            "status": row.plan_status,
            "last_approved": row.last_approved,
            "measures_ok": row.measures_published,
            "progress_ok": row.progress_published,
        }
        for row in years
        if row.plan_status
    ]
    return render(
        request,
        "oversight/agency.html",
        {
            "agency": a,
            "results": results,
            "plans": plans,
            "years": years,
            "rule": rule(),
            "indicator_numbers": range(1, 11),
            "province_year": next(
                (r.fiscal_year for r in years if r.plan_status or r.overall is not None), None
            ),
        },
    )


def landing_url(user) -> str | None:
    """Where an overseer who belongs to no agency lands after signing in: the province page when
    they oversee exactly one province, else the overview; None for anyone else."""
    if not is_overseer(user):
        return None
    grants = _grants(user)
    if user.is_superuser or "" in grants or len(grants) != 1:
        return reverse("oversight_home")
    rows = AgencyYear.objects.filter(province=grants[0])
    year = stats.default_year(rows) or (stats.years(rows) or [None])[0]
    if year is None:
        return reverse("oversight_home")
    return reverse("oversight_province", kwargs={"province": grants[0], "year": year})
