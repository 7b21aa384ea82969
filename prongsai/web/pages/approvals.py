"""Approval of a plan: the editor submits (after the plan's links were checked), the executive
approves or returns it with a comment. The rules are the actions' (``cycle.actions.submit_plan``,
``decide_plan``); these views only check who asks and say the outcome."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from prongsai.web.agencies.access import Action, agency_for
from prongsai.web.cycle import actions
from prongsai.web.cycle.models import Decision
from prongsai.web.pages.forms_plans import DecisionForm
from prongsai.web.pages.plans import plan_or_404, post_only


@login_required
def plan_submit(request, agency: str, year: int):
    agency_obj = agency_for(request.user, agency)
    plan = plan_or_404(agency_obj, year)
    agency_for(request.user, agency, Action.SUBMIT)
    if refused := post_only(request):
        return refused
    try:
        plan = actions.submit_plan(plan, request.user)
    except actions.ActionRefused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("เสนอแผนฉบับที่ %(version)s ต่อผู้บริหารแล้ว") % {"version": plan.content_version}
        )
    return redirect("plan_detail", agency=agency, year=year)


@login_required
def plan_decide(request, agency: str, year: int):
    agency_obj = agency_for(request.user, agency)
    plan = plan_or_404(agency_obj, year)
    agency_for(request.user, agency, Action.APPROVE)
    if refused := post_only(request):
        return refused
    form = DecisionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
        return redirect("plan_detail", agency=agency, year=year)
    data = form.cleaned_data
    try:
        approval = actions.decide_plan(
            plan,
            data["decision"],
            data["version"],
            data["comment"],
            user=request.user,
            seen_digest=data["digest"] or None,
        )
    except actions.ActionRefused as exc:
        messages.error(request, exc.message)
        return redirect("plan_detail", agency=agency, year=year)
    if approval.decision == Decision.APPROVED:
        done = _("อนุมัติแผนฉบับที่ %(version)s แล้ว")
    else:
        done = _("ส่งแผนฉบับที่ %(version)s กลับไปแก้ไขแล้ว")
    messages.success(request, done % {"version": approval.version})
    return redirect("plan_detail", agency=agency, year=year)
