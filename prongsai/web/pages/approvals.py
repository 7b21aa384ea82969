"""Approval of a plan: the editor submits (after the plan's links were checked), the executive
approves or returns it with a comment. An approval names the exact version approved and keeps the
record as approved; any later change makes a new version that needs a new approval."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from prongsai.web.agencies.access import Action
from prongsai.web.cycle.models import Approval, Decision, Plan, PlanStatus
from prongsai.web.cycle.records import plan_record
from prongsai.web.pages.forms_plans import DecisionForm
from prongsai.web.pages.plans import agency_or_404, plan_or_404, post_only


def links_checked(plan: Plan) -> tuple[bool, str]:
    """Whether the plan's evidence links and public URLs were checked and answered (the link
    checker's verdict); refused when the checker is not installed."""
    try:
        from prongsai.web.cycle.links import latest_check_ok
    except ImportError:
        return False, _("ยังตรวจสอบลิงก์ของแผนไม่ได้ (ระบบตรวจลิงก์ยังไม่พร้อม)")
    return latest_check_ok(plan)


@login_required
def plan_submit(request, agency: str, year: int):
    agency_obj = agency_or_404(request, agency)
    plan = plan_or_404(agency_obj, year)
    agency_or_404(request, agency, Action.SUBMIT)
    if refused := post_only(request):
        return refused
    with transaction.atomic():
        plan = Plan.objects.select_for_update().get(pk=plan.pk)
        if plan.status not in (PlanStatus.DRAFT, PlanStatus.RETURNED):
            messages.error(
                request,
                _("แผนอยู่ในสถานะ %(status)s จึงเสนออนุมัติไม่ได้") % {"status": plan.get_status_display()},
            )
            return redirect("plan_detail", agency=agency, year=year)
        ok, reason = links_checked(plan)
        if not ok:
            messages.error(request, _("ยังเสนออนุมัติไม่ได้: %(reason)s กรุณาตรวจสอบลิงก์ก่อน") % {"reason": reason})
            return redirect("plan_detail", agency=agency, year=year)
        plan.status = PlanStatus.SUBMITTED
        plan.save(update_fields=["status"])
    messages.success(request, _("เสนอแผนฉบับที่ %(version)s ต่อผู้บริหารแล้ว") % {"version": plan.content_version})
    return redirect("plan_detail", agency=agency, year=year)


@login_required
def plan_decide(request, agency: str, year: int):
    agency_obj = agency_or_404(request, agency)
    plan = plan_or_404(agency_obj, year)
    agency_or_404(request, agency, Action.APPROVE)
    if refused := post_only(request):
        return refused
    form = DecisionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
        return redirect("plan_detail", agency=agency, year=year)
    data = form.cleaned_data
    user = request.user
    with transaction.atomic():
        plan = Plan.objects.select_for_update().select_related("agency").get(pk=plan.pk)
        if plan.status != PlanStatus.SUBMITTED:
            messages.error(request, _("แผนนี้ไม่ได้อยู่ระหว่างเสนออนุมัติ"))
            return redirect("plan_detail", agency=agency, year=year)
        if data["version"] != plan.content_version:
            messages.error(
                request,
                _("แผนถูกแก้ไขระหว่างที่ท่านพิจารณา (ฉบับที่ %(seen)s เป็นฉบับที่ %(now)s) กรุณาพิจารณาฉบับล่าสุด")
                % {"seen": data["version"], "now": plan.content_version},
            )
            return redirect("plan_detail", agency=agency, year=year)
        decision = data["decision"]
        Approval.objects.create(
            plan=plan,
            version=plan.content_version,
            decision=decision,
            comment=data["comment"].strip(),
            approver=user,
            approver_name=user.get_full_name() or user.username,
            approver_position=plan.agency.executive_title,
            snapshot=plan_record(plan).model_dump(mode="json"),
        )
        if decision == Decision.APPROVED:
            plan.status = PlanStatus.APPROVED
            plan.approved_version = plan.content_version
            plan.return_comment = ""
            done = _("อนุมัติแผนฉบับที่ %(version)s แล้ว")
        else:
            plan.status = PlanStatus.RETURNED
            plan.return_comment = data["comment"].strip()
            done = _("ส่งแผนฉบับที่ %(version)s กลับไปแก้ไขแล้ว")
        plan.save(update_fields=["status", "approved_version", "return_comment"])
    messages.success(request, done % {"version": plan.content_version})
    return redirect("plan_detail", agency=agency, year=year)
