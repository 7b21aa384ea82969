"""Overseer dashboards: read-only views across the agencies ``access.overseen_agencies`` gives.

Anyone else gets 404. Every page is a handful of aggregate queries (``stats``), so the national
view costs the same number of queries for 50 agencies or 8,300."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db.models import Count, Max, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from prongsai.web.agencies.access import is_overseer, overseen_agencies
from prongsai.web.cycle.models import Decision, IndicatorScore, Plan
from prongsai.web.oversight import stats


def _cached(request, what: str, make):
    """Overseer figures are the same for everyone with the same scope, and need not be to the
    second: kept PRONGSAI_OVERSIGHT_CACHE_SECONDS (default 300; 0 = always computed)."""
    seconds = getattr(settings, "PRONGSAI_OVERSIGHT_CACHE_SECONDS", 300)
    if not seconds:
        return {**make(), "computed_at": timezone.now()}
    user = request.user
    scope = (
        "*"
        if user.is_superuser
        else "|".join(sorted(user.overseer_grants.values_list("province", flat=True)))
    )
    key = "prongsai:oversight:" + hashlib.sha256(f"{scope}\n{what}".encode()).hexdigest()
    return cache.get_or_set(key, lambda: {**make(), "computed_at": timezone.now()}, seconds)


def _scope(request):
    if not is_overseer(request.user):
        raise Http404
    return overseen_agencies(request.user)


def _year(request, agencies, year: int | None = None) -> tuple[int | None, list[int]]:
    found = _cached(
        request,
        f"years {request.path}",
        lambda: {"years": stats.years(agencies), "default": stats.default_year(agencies)},
    )
    choices = found["years"]
    if year is None:
        raw = request.GET.get("year", "")
        year = int(raw) if raw.isdecimal() else found["default"]
    if year is None and choices:
        year = choices[0]
    return year, choices


def _home_figures(agencies, year: int) -> dict:
    pub = stats.publication(agencies, year)
    return {
        "summary": stats.summary(agencies, year, pub),
        "provinces": stats.by_province(agencies, year, pub),
    }


def _province_figures(agencies, year: int) -> dict:
    pub = stats.publication(agencies, year)
    return {"summary": stats.summary(agencies, year, pub), "agencies": stats.agency_rows(agencies, year, pub)}


@login_required
def home(request):
    agencies = _scope(request)
    year, choices = _year(request, agencies)
    context = {"year": year, "years": choices, "scope_label": _scope_label(request.user)}
    if year is not None:
        context.update(
            _cached(
                request,
                f"home {year}",
                lambda: _home_figures(agencies, year),
            )
        )
    return render(request, "oversight/home.html", context)


def _scope_label(user) -> str:
    provinces = sorted(set(user.overseer_grants.values_list("province", flat=True)))
    if user.is_superuser or "" in provinces:
        return "ทั่วประเทศ"
    return ", ".join(f"จังหวัด{p}" for p in provinces)


@login_required
def province(request, province: str, year: int):
    agencies = _scope(request).filter(province=province)
    if not agencies.exists():
        raise Http404
    _, choices = _year(request, agencies, year)
    return render(
        request,
        "oversight/province.html",
        {
            "province": province,
            "year": year,
            "years": choices,
            **_cached(
                request,
                f"province {province} {year}",
                lambda: _province_figures(agencies, year),
            ),
        },
    )


@login_required
def agency(request, agency: str):
    """One agency over the years: published results and the plan's status. No draft content."""
    a = get_object_or_404(_scope(request), slug=agency)
    results = list(a.assessments.order_by("-fiscal_year").values("fiscal_year", "overall", "level", "passed"))
    scores: dict[int, dict[int, float]] = {}
    for year, n, score in IndicatorScore.objects.filter(assessment__agency=a).values_list(
        "fiscal_year", "indicator", "score"
    ):
        scores.setdefault(year, {})[n] = score
    for r in results:
        r["indicators"] = [scores.get(r["fiscal_year"], {}).get(n) for n in range(1, 11)]
    plans = list(
        Plan.objects.filter(agency=a)
        .annotate(
            last_approved=Max("approvals__decided_at", filter=Q(approvals__decision=Decision.APPROVED)),
            approvals_count=Count("approvals", filter=Q(approvals__decision=Decision.APPROVED)),
            first_progress=stats.first_progress("pk"),
        )
        .values("fiscal_year", "status", "last_approved", "approvals_count", "first_progress")
        .order_by("-fiscal_year")
    )
    for p in plans:
        p["measures_ok"] = p["approvals_count"] > 0
        p["progress_ok"] = bool(
            p["first_progress"]
            and p["last_approved"]
            and timezone.localtime(p["last_approved"]).date() >= p["first_progress"]
        )
    return render(
        request,
        "oversight/agency.html",
        {"agency": a, "results": results, "plans": plans, "indicator_numbers": range(1, 11)},
    )
