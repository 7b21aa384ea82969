"""The measures plan of a fiscal year: the plan page, a draft from the engine, next year from this
year, and the plan editor (add, edit with optimistic locking, delete, reorder).

Who may do what is asked of ``prongsai.web.agencies.access``; what happens is the cycle's actions'
(``prongsai.web.cycle.actions``: drafting, copying, editing); the record from ``records.py``.
"""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from prongsai.ita.preaudit import preaudit
from prongsai.thai.dates import thai_date
from prongsai.web.agencies.access import Action, agency_for, can, can_update_measure
from prongsai.web.agencies.models import Agency
from prongsai.web.cycle import actions, links
from prongsai.web.cycle.models import Measure, MemoKind, Plan, PlanStatus, ProgressEntry
from prongsai.web.cycle.records import plan_record
from prongsai.web.pages.forms_plans import CreatePlanForm, MeasureForm, indicator_choices

# ---------------------------------------------------------------- lookups shared by the plan pages


def plan_or_404(agency: Agency, year: int) -> Plan:
    return get_object_or_404(Plan.objects.select_related("agency"), agency=agency, fiscal_year=year)


def measure_or_404(agency: Agency, pk: int) -> Measure:
    return get_object_or_404(Measure.objects.select_related("plan__agency"), pk=pk, plan__agency=agency)


def post_only(request) -> HttpResponseNotAllowed | None:
    """Called after the objects were found (so another agency's ids answer 404 to any method)."""
    return None if request.method == "POST" else HttpResponseNotAllowed(["POST"])


def th_date(day: date | None) -> str:
    return thai_date(day) if day else ""


# ---------------------------------------------------------------- the plan page


def measure_rows(request, plan: Plan) -> list[dict]:
    names = dict(indicator_choices(plan.fiscal_year))
    measures = (
        plan.measures.prefetch_related(
            "units", Prefetch("progress", queryset=ProgressEntry.objects.order_by("-as_of", "-pk"))
        )
        .annotate(evidence_count=Count("evidence", distinct=True))
        .order_by("position", "pk")
    )
    rows = []
    for n, m in enumerate(measures, 1):
        progress = list(m.progress.all())
        latest = progress[0] if progress else None
        rows.append(
            {
                "no": n,
                "m": m,
                "units": [u.name for u in m.units.all()]
                or ([m.responsible_text] if m.responsible_text else []),
                "indicators": [names.get(i, str(i)) for i in m.indicators],
                "latest": latest,
                "latest_as_of": th_date(latest.as_of) if latest else "",
                "period_end": th_date(m.due),  # the date set, else the end its period names
                "can_update": can_update_measure(request.user, m),
                "first": n == 1,
                "last": False,
            }
        )
    if rows:
        rows[-1]["last"] = True
    return rows


def _links_slot(plan: Plan) -> dict:
    """The plan's latest link check: whether it lets the plan be submitted, and why not."""
    ok, reason = links.latest_check_ok(plan)
    return {"links_ok": ok, "links_reason": reason}


def plan_context(request, agency: Agency, plan: Plan) -> dict:
    user = request.user
    try:
        audit = preaudit(plan_record(plan), "plan")
        problems = [{"severity": p.severity, "message": p.message_th} for p in audit.problems]
        audit_ready = audit.ready
    except ValueError as exc:
        problems, audit_ready = [{"severity": "error", "message": str(exc)}], False
    approvals = list(plan.approvals.select_related("approver"))  # dates: the thai_dates filters
    changed_after_approval = plan.approved_version is not None and not plan.approval_current
    pending = actions.progress_since_approval(plan)  # progress the executive has not approved yet
    ctx = {
        "agency": agency,
        "plan": plan,
        "rows": measure_rows(request, plan),
        "problems": problems,
        "audit_ready": audit_ready,
        "approvals": approvals,
        "changed_after_approval": changed_after_approval,
        "can_edit": can(user, Action.EDIT, agency),
        "can_submit": can(user, Action.SUBMIT, agency) and actions.can_be_submitted(plan, pending),
        "progress_to_approve": pending,
        "can_approve": can(user, Action.APPROVE, agency) and plan.status == PlanStatus.SUBMITTED,
        "next_exists": Plan.objects.filter(agency=agency, fiscal_year=plan.fiscal_year + 1).exists(),
        "kinds": [
            ("analysis", _("รายงานผลการวิเคราะห์")),
            ("plan", _("มาตรการส่งเสริมคุณธรรมและความโปร่งใส")),
            ("progress", _("รายงานความก้าวหน้า")),
        ],
        "memo_kinds": MemoKind.choices,
    }
    if ctx["can_submit"]:
        ctx.update(_links_slot(plan))
    if ctx["can_approve"]:
        from prongsai.web.pages.forms_plans import DecisionForm

        ctx["decision_form"] = DecisionForm(
            initial={"version": plan.content_version, "digest": actions.plan_digest(plan)}
        )
    return ctx


@login_required
def plan_detail(request, agency: str, year: int):
    agency_obj = agency_for(request.user, agency)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    plan = Plan.objects.filter(agency=agency_obj, fiscal_year=year).first()
    if plan is None:
        years = list(agency_obj.plans.values_list("fiscal_year", flat=True))
        return render(
            request,
            "pages/plan_missing.html",
            {
                "agency": agency_obj,
                "year": year,
                "years": years,
                "previous": year - 1 in years,
                "can_edit": can(request.user, Action.EDIT, agency_obj),
                "form": CreatePlanForm(),
            },
            status=404,
        )
    return render(request, "pages/plan_detail.html", plan_context(request, agency_obj, plan))


# ---------------------------------------------------------------- a new plan


@login_required
def plan_create(request, agency: str, year: int):
    agency_obj = agency_for(request.user, agency)
    existing = Plan.objects.filter(agency=agency_obj, fiscal_year=year).first()
    if request.method == "POST":
        agency_for(request.user, agency, Action.EDIT)
    if existing is not None:
        messages.info(request, _("มีแผนของปี พ.ศ. %(year)s อยู่แล้ว") % {"year": year})
        return redirect("plan_detail", agency=agency, year=year)
    form = CreatePlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["source"] == "engine":
            try:
                plan, note = actions.draft_plan(agency_obj, year, request.user)
            except actions.ActionRefused as exc:
                form.add_error(None, exc.message)
            else:
                covered = sorted({i for m in plan.measures.all() for i in m.indicators})
                messages.success(
                    request,
                    _("ร่างแผนปี พ.ศ. %(year)s แล้ว: %(n)s มาตรการ ครอบคลุมตัวชี้วัด %(k)s จาก 10 ตัว")
                    % {"year": year, "n": plan.measures.count(), "k": len(covered)},
                )
                if note:
                    messages.warning(request, note)
                return redirect("plan_detail", agency=agency, year=year)
        else:
            try:
                actions.create_plan(agency_obj, year, request.user)
            except actions.ActionRefused as exc:  # made meanwhile
                messages.info(request, exc.message)
                return redirect("plan_detail", agency=agency, year=year)
            messages.success(request, _("สร้างแผนว่างของปี พ.ศ. %(year)s แล้ว") % {"year": year})
            return redirect("plan_detail", agency=agency, year=year)
    return render(
        request,
        "pages/plan_create.html",
        {
            "agency": agency_obj,
            "year": year,
            "form": form,
            "can_edit": can(request.user, Action.EDIT, agency_obj),
        },
    )


@login_required
def plan_next_year(request, agency: str, year: int):
    """Start year+1 from this year's plan: measures copied, statuses not started, progress and
    evidence not copied, dates one year on."""
    agency_obj = agency_for(request.user, agency)
    plan = plan_or_404(agency_obj, year)
    target = year + 1
    if request.method == "POST":
        agency_for(request.user, agency, Action.EDIT)
        try:
            new = actions.copy_to_next_year(plan, request.user)
        except actions.ActionRefused as exc:  # made meanwhile
            messages.info(request, exc.message)
            return redirect("plan_detail", agency=agency, year=target)
        messages.success(
            request,
            _(
                "เริ่มแผนปี พ.ศ. %(target)s จากแผนปี พ.ศ. %(year)s แล้ว: คัดลอกมาตรการ %(n)s รายการ "
                "สถานะเริ่มต้นเป็นยังไม่ดำเนินการ ไม่ได้คัดลอกความก้าวหน้าและหลักฐาน "
                "และเลื่อนวันที่ไปหนึ่งปี กรุณาทบทวนผลการวิเคราะห์ของแต่ละมาตรการให้ตรงกับผลการประเมินปีล่าสุด"
            )
            % {"target": target, "year": year, "n": new.measures.count()},
        )
        return redirect("plan_detail", agency=agency, year=target)
    return render(
        request,
        "pages/plan_next_year.html",
        {
            "agency": agency_obj,
            "plan": plan,
            "target": target,
            "count": plan.measures.count(),
            "exists": Plan.objects.filter(agency=agency_obj, fiscal_year=target).exists(),
            "can_edit": can(request.user, Action.EDIT, agency_obj),
        },
    )


# ---------------------------------------------------------------- the plan editor


def _who_saved(measure: Measure) -> tuple[str, str]:
    last = measure.history.select_related("history_user").first()
    if last is None:
        return "", ""
    user = last.history_user
    name = (user.get_full_name() or user.username) if user else ""
    return name, thai_date(last.history_date)  # the day in Bangkok, not UTC's


def _theirs(form: MeasureForm, current: Measure) -> list[dict]:
    """The values saved by the other person, beside the user's, field by field."""
    out = []
    units = ", ".join(u.name for u in current.units.all())
    for name in ("title", "analysis", "indicators", "items", "steps", "period", "period_end"):
        value = getattr(current, name)
        if name in ("indicators", "items"):
            value = ", ".join(map(str, value))
        elif name == "period_end":
            value = th_date(value)
        out.append({"label": form.fields[name].label, "value": value})
    out.append({"label": form.fields["units"].label, "value": units or current.responsible_text})
    out.append(
        {"label": form.fields["budget"].label, "value": "" if current.budget is None else current.budget}
    )
    out.append({"label": form.fields["monitoring"].label, "value": current.monitoring})
    return out


def _values(form: MeasureForm) -> dict:
    """The form's values as Measure fields."""
    blank = Measure()
    return {f: getattr(blank, f) for f in form.apply(blank)}


@login_required
def measure_add(request, agency: str, year: int):
    agency_obj = agency_for(request.user, agency, Action.EDIT)
    plan = plan_or_404(agency_obj, year)
    form = MeasureForm(request.POST or None, agency=agency_obj, fiscal_year=year)
    if request.method == "POST" and form.is_valid():
        m = actions.add_measure(plan, _values(form), form.cleaned_data["units"], request.user)
        messages.success(request, _("เพิ่มมาตรการแล้ว"))
        return redirect(reverse("plan_detail", kwargs={"agency": agency, "year": year}) + f"#m{m.pk}")
    return render(request, "pages/measure_form.html", {"agency": agency_obj, "plan": plan, "form": form})


@login_required
def measure_edit(request, agency: str, measure: int):
    agency_obj = agency_for(request.user, agency)
    m = measure_or_404(agency_obj, measure)
    agency_for(request.user, agency, Action.EDIT)
    plan = m.plan
    ctx = {"agency": agency_obj, "plan": plan, "measure": m}
    if request.method != "POST":
        form = MeasureForm(
            initial=MeasureForm.initial_for(m), agency=agency_obj, fiscal_year=plan.fiscal_year
        )
        return render(request, "pages/measure_form.html", {**ctx, "form": form})
    form = MeasureForm(request.POST, agency=agency_obj, fiscal_year=plan.fiscal_year)
    if not form.is_valid():
        return render(request, "pages/measure_form.html", {**ctx, "form": form})
    expected = form.cleaned_data.get("version")
    try:
        actions.edit_measure(m, expected, _values(form), form.cleaned_data["units"], request.user)
    except actions.Conflict:
        current = Measure.objects.get(pk=m.pk)
        data = request.POST.copy()
        data["version"] = str(current.version)  # saving again now is a deliberate choice
        kept = MeasureForm(data, agency=agency_obj, fiscal_year=plan.fiscal_year)
        kept.is_valid()
        who, when = _who_saved(current)
        return render(
            request,
            "pages/measure_form.html",
            {
                **ctx,
                "measure": current,
                "form": kept,
                "conflict": True,
                "theirs": _theirs(form, current),
                "who": who,
                "when": when,
            },
            status=409,
        )
    messages.success(request, _("บันทึกการแก้ไขมาตรการแล้ว"))
    return redirect(reverse("plan_detail", kwargs={"agency": agency, "year": plan.fiscal_year}) + f"#m{m.pk}")


@login_required
def measure_delete(request, agency: str, measure: int):
    agency_obj = agency_for(request.user, agency)
    m = measure_or_404(agency_obj, measure)
    agency_for(request.user, agency, Action.EDIT)
    if refused := post_only(request):
        return refused
    plan = m.plan
    actions.delete_measure(m, request.user)
    messages.success(request, _("ลบมาตรการแล้ว"))
    return redirect("plan_detail", agency=agency, year=plan.fiscal_year)


@login_required
def measure_move(request, agency: str, measure: int):
    """Move a measure up or down (POST direction=up|down); HTMX gets the measures table back."""
    agency_obj = agency_for(request.user, agency)
    m = measure_or_404(agency_obj, measure)
    agency_for(request.user, agency, Action.EDIT)
    if refused := post_only(request):
        return refused
    plan = m.plan
    actions.move_measure(m, request.POST.get("direction", ""), request.user)
    if request.htmx:
        plan.refresh_from_db()
        return render(request, "pages/plan_measures.html", plan_context(request, agency_obj, plan))
    return redirect(reverse("plan_detail", kwargs={"agency": agency, "year": plan.fiscal_year}) + f"#m{m.pk}")
