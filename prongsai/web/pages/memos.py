"""The บันทึกข้อความ of a plan year, one per report it wraps (analysis, plan, progress): a form for the
agency's editors, read-only for its other members, and its downloads (PDF, DOCX, HTML) made from
exactly the stored values. Every change bumps the plan's version (``Plan.touch``) and is kept in
the memo's history (django-simple-history)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from prongsai.documents.service import FORMATS
from prongsai.thai.dates import thai_date
from prongsai.web.agencies.access import Action, agency_for, can
from prongsai.web.cycle import actions
from prongsai.web.cycle.models import Memo, MemoKind
from prongsai.web.pages.downloads import document_response
from prongsai.web.pages.forms_memo import MemoForm, approver_name
from prongsai.web.pages.plans import plan_or_404


def _kind_or_404(kind: str) -> str:
    if kind not in MemoKind.values:
        raise Http404
    return kind


def _signer_rows(memo: Memo) -> list[tuple[str, str]]:
    return [
        (_("ผู้จัดทำ"), " ".join(filter(None, [memo.preparer_name, memo.preparer_position]))),
        (_("ผู้ตรวจสอบ / ผู้เสนอ"), " ".join(filter(None, [memo.checker_name, memo.checker_position]))),
        (_("ผู้บริหาร"), " ".join(filter(None, [memo.executive_name, memo.executive_position]))),
    ]


@login_required
def memo_edit(request, agency: str, year: int, kind: str):
    agency_obj = agency_for(request.user, agency)
    plan = plan_or_404(agency_obj, year)
    kind = _kind_or_404(kind)
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    can_edit = can(request.user, Action.EDIT, agency_obj)
    if request.method == "POST":
        agency_for(request.user, agency, Action.EDIT)  # 403 for a member who may only read
    memo = Memo.objects.filter(plan=plan, kind=kind).first() or Memo(plan=plan, kind=kind)
    form = MemoForm(
        request.POST if request.method == "POST" else None,
        instance=memo,
        plan=plan,
        kind=kind,
        approver_name=approver_name(agency_obj),
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            if form.has_changed() or memo.pk is None:
                with transaction.atomic():
                    form.save()
                    actions.bump_plan(plan)
                messages.success(request, _("บันทึกบันทึกข้อความแล้ว"))
            else:
                messages.info(request, _("ไม่มีการเปลี่ยนแปลง"))
            return redirect("memo_edit", agency=agency_obj.slug, year=year, kind=kind)
        status = 400
    if not can_edit:
        for field in form.fields.values():
            field.disabled = True
    last = memo.history.select_related("history_user").first() if memo.pk else None
    return render(
        request,
        "pages/memo.html",
        {
            "agency": agency_obj,
            "plan": plan,
            "kind": kind,
            "kind_label": MemoKind(kind).label,
            "kinds": MemoKind.choices,
            "memo": memo,
            "form": form,
            "can_edit": can_edit,
            "date_th": thai_date(memo.date) if memo.date else "",
            "signers": _signer_rows(memo),
            "last_user": (last.history_user.get_full_name() or last.history_user.username)
            if last and last.history_user
            else "",
            "last_date": thai_date(timezone.localtime(last.history_date).date()) if last else "",
            "emblem": bool(agency_obj.emblem),
        },
        status=status,
    )


@login_required
def memo_download(request, agency: str, year: int, kind: str, fmt: str):
    agency_obj = agency_for(request.user, agency)
    plan = plan_or_404(agency_obj, year)
    kind = _kind_or_404(kind)
    if fmt not in FORMATS:
        raise Http404
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    return document_response(request, plan, "memo", fmt, layout="status", wraps=kind)
