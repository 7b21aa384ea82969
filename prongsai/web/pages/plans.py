"""The measures plan of a fiscal year: the plan page, a draft from the engine, next year from this
year, and the plan editor (add, edit with optimistic locking, delete, reorder).

Who may do what is asked of ``prongsai.web.agencies.access``; the numbers and the draft come from
the engine (``analyse_document``, ``draft_plan``, ``preaudit``); the record from ``records.py``.
"""

from __future__ import annotations

import re
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Prefetch
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from prongsai.interchange.models import Document as Record
from prongsai.ita.api import analyse_document
from prongsai.ita.plan import draft_plan
from prongsai.ita.preaudit import preaudit
from prongsai.thai.dates import MONTHS, thai_date
from prongsai.thai.digits import THAI_DIGITS, to_arabic_digits, to_thai_digits
from prongsai.web.agencies.access import Action, can, can_update_measure, member_agencies
from prongsai.web.agencies.models import Agency
from prongsai.web.cycle.models import (
    Measure,
    MeasureStatus,
    MemoKind,
    Plan,
    PlanStatus,
    ProgressEntry,
    StaleEdit,
)
from prongsai.web.cycle.records import agency_record, assessment_record, plan_record
from prongsai.web.pages.forms_plans import CreatePlanForm, MeasureForm, indicator_choices

# ---------------------------------------------------------------- lookups shared by the plan pages


def agency_or_404(request, slug: str, action: Action | None = None) -> Agency:
    """The agency if the user is one of its members (else 404: not found, never 'forbidden');
    403 when a member lacks ``action``."""
    agency = get_object_or_404(member_agencies(request.user), slug=slug)
    if action is not None and not can(request.user, action, agency):
        raise PermissionDenied
    return agency


def plan_or_404(agency: Agency, year: int) -> Plan:
    return get_object_or_404(Plan.objects.select_related("agency"), agency=agency, fiscal_year=year)


def measure_or_404(agency: Agency, pk: int) -> Measure:
    return get_object_or_404(Measure.objects.select_related("plan__agency"), pk=pk, plan__agency=agency)


def post_only(request) -> HttpResponseNotAllowed | None:
    """Called after the objects were found (so another agency's ids answer 404 to any method)."""
    return None if request.method == "POST" else HttpResponseNotAllowed(["POST"])


def th_date(day: date | None) -> str:
    return thai_date(day) if day else ""


# ---------------------------------------------------------------- moving a plan on by one year

_DIGIT = f"0-9{THAI_DIGITS}"
_YEAR4 = re.compile(rf"(?<![{_DIGIT}])([{_DIGIT}]{{4}})(?![{_DIGIT}])")
_MONTH_NAMES = "|".join(sorted(map(re.escape, MONTHS), key=len, reverse=True))
_YEAR2 = re.compile(rf"((?:{_MONTH_NAMES}|พ\.ศ\.)\s*)([{_DIGIT}]{{2}})(?![{_DIGIT}])")


def _plus_one(digits: str, width: int) -> str:
    n = (int(to_arabic_digits(digits)) + 1) % (10**width)
    out = str(n).zfill(width)
    return to_thai_digits(out) if digits[0] in THAI_DIGITS else out


def shift_years(text: str, years: set[int]) -> str:
    """Buddhist-era years of ``years`` written in ``text`` moved on by one, in the digits they were
    written in: '1 ตุลาคม ๒๕๖๘ ถึง 30 ก.ย. 69' -> '1 ตุลาคม ๒๕๖๙ ถึง 30 ก.ย. 70'."""

    def four(m: re.Match) -> str:
        s = m.group(1)
        return _plus_one(s, 4) if int(to_arabic_digits(s)) in years else s

    def two(m: re.Match) -> str:
        s = m.group(2)
        hit = any(int(to_arabic_digits(s)) == y % 100 for y in years)
        return m.group(1) + (_plus_one(s, 2) if hit else s)

    return _YEAR2.sub(two, _YEAR4.sub(four, text))


def next_year_date(day: date | None) -> date | None:
    if day is None:
        return None
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


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
                "period_end": th_date(m.period_end),
                "can_update": can_update_measure(request.user, m),
                "first": n == 1,
                "last": False,
            }
        )
    if rows:
        rows[-1]["last"] = True
    return rows


def _links_slot(plan: Plan) -> dict:
    """The link check of the plan, when the links module and its template are there."""
    try:
        from django.template.loader import get_template

        from prongsai.web.cycle.links import latest_check_ok

        get_template("cycle/_linkcheck.html")
    except ImportError:
        return {"links_ready": False}
    except Exception:  # TemplateDoesNotExist: the link checker's page part is not there yet
        return {"links_ready": False}
    ok, reason = latest_check_ok(plan)
    return {"links_ready": True, "links_ok": ok, "links_reason": reason}


def plan_context(request, agency: Agency, plan: Plan) -> dict:
    user = request.user
    try:
        audit = preaudit(plan_record(plan), "plan")
        problems = [{"severity": p.severity, "message": p.message_th} for p in audit.problems]
        audit_ready = audit.ready
    except ValueError as exc:
        problems, audit_ready = [{"severity": "error", "message": str(exc)}], False
    approvals = list(plan.approvals.select_related("approver"))
    for a in approvals:
        a.decided_th = thai_date(a.decided_at.date())
    changed_after_approval = plan.approved_version is not None and not plan.approval_current
    ctx = {
        "agency": agency,
        "plan": plan,
        "rows": measure_rows(request, plan),
        "problems": problems,
        "audit_ready": audit_ready,
        "approvals": approvals,
        "changed_after_approval": changed_after_approval,
        "can_edit": can(user, Action.EDIT, agency),
        "can_submit": can(user, Action.SUBMIT, agency)
        and plan.status in (PlanStatus.DRAFT, PlanStatus.RETURNED),
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

        ctx["decision_form"] = DecisionForm(initial={"version": plan.content_version})
    return ctx


@login_required
def plan_detail(request, agency: str, year: int):
    agency_obj = agency_or_404(request, agency)
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


def draft_from_engine(agency: Agency, year: int) -> tuple[Plan, str | None]:
    """A plan for ``year`` drafted by the engine from the latest assessment before it (normally
    year-1); the note says when an older one had to be used. ValueError in Thai when impossible."""
    assessments = list(agency.assessments.filter(fiscal_year__lt=year).order_by("fiscal_year"))
    if not assessments:
        raise ValueError(_("ยังไม่มีผลการประเมิน ITA ก่อนปี พ.ศ. %(year)s ที่จะใช้ร่างแผน") % {"year": year})
    record = Record(
        agency=agency_record(agency),
        report_fiscal_year=year,
        assessments=[assessment_record(a) for a in assessments[-2:]],
    )
    analysis, _scores = analyse_document(record)
    drafted = draft_plan(analysis, fiscal_year=year)
    note = None
    if analysis.fiscal_year != year - 1:
        note = _("ยังไม่มีผลการประเมินปี พ.ศ. %(want)s จึงร่างจากผลปี พ.ศ. %(used)s") % {
            "want": year - 1,
            "used": analysis.fiscal_year,
        }
    units = list(agency.units.all())
    with transaction.atomic():
        plan = Plan.objects.create(agency=agency, fiscal_year=year, assessment=assessments[-1])
        for pm in drafted.measures:
            im = pm.to_interchange()
            m = Measure.objects.create(
                plan=plan,
                position=pm.no,
                title=pm.title,
                analysis=pm.analysis,
                steps=im.steps or "",
                period=pm.period,
                period_end=pm.period_end,
                indicators=[pm.indicator],
                items=pm.items,
                responsible_text=pm.responsible,
                library_id=pm.library_id,
            )
            m.units.set([u for u in units if u.name in pm.responsible])
    return plan, note


@login_required
def plan_create(request, agency: str, year: int):
    agency_obj = agency_or_404(request, agency)
    existing = Plan.objects.filter(agency=agency_obj, fiscal_year=year).first()
    if request.method == "POST":
        agency_or_404(request, agency, Action.EDIT)
    if existing is not None:
        messages.info(request, _("มีแผนของปี พ.ศ. %(year)s อยู่แล้ว") % {"year": year})
        return redirect("plan_detail", agency=agency, year=year)
    form = CreatePlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["source"] == "engine":
            try:
                plan, note = draft_from_engine(agency_obj, year)
            except ValueError as exc:
                form.add_error(None, str(exc))
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
            Plan.objects.create(
                agency=agency_obj,
                fiscal_year=year,
                assessment=agency_obj.assessments.filter(fiscal_year=year - 1).first(),
            )
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
    agency_obj = agency_or_404(request, agency)
    plan = plan_or_404(agency_obj, year)
    target = year + 1
    if request.method == "POST":
        agency_or_404(request, agency, Action.EDIT)
        if Plan.objects.filter(agency=agency_obj, fiscal_year=target).exists():
            messages.info(request, _("มีแผนของปี พ.ศ. %(year)s อยู่แล้ว") % {"year": target})
            return redirect("plan_detail", agency=agency, year=target)
        years = {year - 1, year}
        with transaction.atomic():
            new = Plan.objects.create(
                agency=agency_obj,
                fiscal_year=target,
                assessment=agency_obj.assessments.filter(fiscal_year=year).first(),
            )
            for n, m in enumerate(plan.measures.prefetch_related("units").order_by("position", "pk"), 1):
                copy = Measure.objects.create(
                    plan=new,
                    position=n,
                    title=shift_years(m.title, years),
                    analysis=m.analysis,
                    steps=m.steps,
                    period=shift_years(m.period, years),
                    period_end=next_year_date(m.period_end),
                    indicators=list(m.indicators),
                    items=list(m.items),
                    responsible_text=m.responsible_text,
                    monitoring=m.monitoring,
                    budget=m.budget,
                    library_id=m.library_id,
                    status=MeasureStatus.NOT_STARTED,
                )
                copy.units.set(m.units.all())
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
    return name, thai_date(last.history_date.date())


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


@login_required
def measure_add(request, agency: str, year: int):
    agency_obj = agency_or_404(request, agency, Action.EDIT)
    plan = plan_or_404(agency_obj, year)
    form = MeasureForm(request.POST or None, agency=agency_obj, fiscal_year=year)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            last = plan.measures.order_by("-position").values_list("position", flat=True).first() or 0
            m = Measure(plan=plan, position=last + 1)
            form.apply(m)
            m.save()
            m.units.set(form.cleaned_data["units"])
            plan.touch()
        messages.success(request, _("เพิ่มมาตรการแล้ว"))
        return redirect(reverse("plan_detail", kwargs={"agency": agency, "year": year}) + f"#m{m.pk}")
    return render(request, "pages/measure_form.html", {"agency": agency_obj, "plan": plan, "form": form})


@login_required
def measure_edit(request, agency: str, measure: int):
    agency_obj = agency_or_404(request, agency)
    m = measure_or_404(agency_obj, measure)
    agency_or_404(request, agency, Action.EDIT)
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
        with transaction.atomic():
            if expected is None:
                raise StaleEdit(m.pk)
            fields = form.apply(m)
            m.save_checked(expected, fields)
            m.units.set(form.cleaned_data["units"])
    except StaleEdit:
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


def _renumber(plan: Plan, order: list[Measure]) -> None:
    for n, m in enumerate(order, 1):
        if m.position != n:
            m.position = n
            m.save(update_fields=["position"])


@login_required
def measure_delete(request, agency: str, measure: int):
    agency_obj = agency_or_404(request, agency)
    m = measure_or_404(agency_obj, measure)
    agency_or_404(request, agency, Action.EDIT)
    if refused := post_only(request):
        return refused
    plan = m.plan
    with transaction.atomic():
        m.delete()
        _renumber(plan, list(plan.measures.order_by("position", "pk")))
        plan.touch()
    messages.success(request, _("ลบมาตรการแล้ว"))
    return redirect("plan_detail", agency=agency, year=plan.fiscal_year)


@login_required
def measure_move(request, agency: str, measure: int):
    """Move a measure up or down (POST direction=up|down); HTMX gets the measures table back."""
    agency_obj = agency_or_404(request, agency)
    m = measure_or_404(agency_obj, measure)
    agency_or_404(request, agency, Action.EDIT)
    if refused := post_only(request):
        return refused
    plan = m.plan
    direction = request.POST.get("direction")
    with transaction.atomic():
        order = list(plan.measures.select_for_update().order_by("position", "pk"))
        i = next(n for n, x in enumerate(order) if x.pk == m.pk)
        j = i - 1 if direction == "up" else i + 1 if direction == "down" else i
        if j != i and 0 <= j < len(order):
            order[i], order[j] = order[j], order[i]
            _renumber(plan, order)
            plan.touch()
    if request.htmx:
        plan.refresh_from_db()
        return render(request, "pages/plan_measures.html", plan_context(request, agency_obj, plan))
    return redirect(reverse("plan_detail", kwargs={"agency": agency, "year": plan.fiscal_year}) + f"#m{m.pk}")
