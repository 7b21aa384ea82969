"""The link checker's pages: start a check of a plan's links, and its progress and failures
as an HTMX fragment that polls itself while the check runs. Access is decided in
``prongsai.web.agencies.access``: another agency's plan or check is not found (404), a member
without the right gets 403."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from prongsai.web.agencies.access import Action, agency_for, can, scoped
from prongsai.web.cycle import links, tasks
from prongsai.web.cycle.models import LinkCheck, Plan

# A check not finished after this long lost its worker: stop polling and offer a new check.
ABANDONED_AFTER = timedelta(hours=1)


def _close_if_abandoned(check: LinkCheck | None) -> None:
    """A check whose worker died would poll forever: close it (its missing links count as not
    checked, so ``latest_check_ok`` still refuses it)."""
    if check is not None and check.finished is None and timezone.now() - check.started > ABANDONED_AFTER:
        LinkCheck.objects.filter(pk=check.pk, finished__isnull=True).update(finished=timezone.now())
        check.refresh_from_db(fields=["finished"])


def _panel(request, plan: Plan, check: LinkCheck | None):
    _close_if_abandoned(check)
    can_edit = can(request.user, Action.EDIT, plan.agency_id)
    ctx = {"plan": plan, "agency": plan.agency, "check": check, "can_edit": can_edit}
    return render(request, "cycle/_linkcheck.html", ctx)


@login_required
@require_http_methods(["GET", "POST"])
def linkcheck_start(request, agency: str, year: int):
    """POST (editors): start a check of the plan's links. GET (members): the panel as it is."""
    agency_obj = agency_for(request.user, agency)
    plan = get_object_or_404(Plan.objects.select_related("agency"), agency=agency_obj, fiscal_year=year)
    if request.method == "GET":
        return _panel(request, plan, links.latest_check(plan))
    if not can(request.user, Action.EDIT, agency_obj):
        raise PermissionDenied
    check = tasks.start_check(plan)
    if request.htmx:
        return _panel(request, plan, check)
    return redirect("linkcheck_status", agency=agency_obj.slug, check=check.pk)


@login_required
@require_GET
def linkcheck_status(request, agency: str, check: int):
    """The progress and failures of one check; a full page unless HTMX asks for the fragment."""
    checks = LinkCheck.objects.select_related("plan__agency")
    checks = scoped(checks, request.user, Action.VIEW, agency_field="plan__agency")
    obj = get_object_or_404(checks, pk=check, plan__agency__slug=agency)
    _close_if_abandoned(obj)
    ctx = {"plan": obj.plan, "agency": obj.plan.agency, "check": obj}
    template = "cycle/_linkcheck_status.html" if request.htmx else "cycle/linkcheck.html"
    return render(request, template, ctx)
