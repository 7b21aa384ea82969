"""The agency's results pages: dashboard, score entry with live findings, score import, analysis.

Views are thin: the numbers come from the engine (``prongsai.ita.api``) through the interchange
record; storing goes through ``prongsai.web.cycle.records``; who may do what is asked of
``prongsai.web.agencies.access`` (through ``access.agency_for``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from pydantic import ValidationError

from prongsai.documents.service import FORMATS, DocumentError, build
from prongsai.documents.service import render as render_document
from prongsai.ita.api import analyse_document, score_document
from prongsai.ita.edition import EditionError, all_editions, nearest_edition
from prongsai.thai.dates import fiscal_year_of, thai_date
from prongsai.web.agencies.access import Action, agency_for, can
from prongsai.web.cycle import actions
from prongsai.web.cycle.models import Assessment, Decision, MeasureStatus, Plan, PlanStatus
from prongsai.web.cycle.records import latest_assessments, plan_record
from prongsai.web.pages import score_import
from prongsai.web.pages.downloads import CONTENT_TYPES, content_disposition, file_title
from prongsai.web.pages.forms_results import AssessmentForm, NarrativeForm, NewYearForm, UploadForm
from prongsai.web.pages.results_charts import bar_chart_svg
from prongsai.web.pages.results_common import (
    delta_class,
    edition_or_none,
    finding_rows,
    level_label,
    num,
    record_of,
    tool_label,
)

# ---- dashboard -------------------------------------------------------------------------------


def _level_of(result, year: int) -> str:
    """The engine's level (or the levels it cannot yet decide between) in the page's language."""
    if result.level.label:
        return level_label(result.level.label, year)
    return " / ".join(level_label(c, year) for c in result.level.candidates) or "–"


def _change_row(change, label: str) -> dict:
    return {
        "label": label,
        "current": num(change.current),
        "previous": num(change.previous) if change.previous is not None else "–",
        "delta": num(change.delta, signed=True) if change.delta is not None else "–",
        "delta_class": delta_class(change.delta),
    }


def _indicator_rows(analysis) -> list[dict]:
    return [
        {
            "id": i.id,
            "name": i.name_th,
            "tool": i.tool,
            "score": num(i.score),
            "previous": num(i.previous) if i.previous is not None else "–",
            "delta": num(i.delta, signed=True) if i.delta is not None else "–",
            "delta_class": delta_class(i.delta),
            "classification": i.classification or "",
            "classification_th": _CLASS_TH.get(i.classification or "", ""),
        }
        for i in analysis.indicators
    ]


_CLASS_TH = {
    "keep_up": gettext_lazy("รักษามาตรฐาน"),
    "improve": gettext_lazy("ควรพัฒนา"),
    "urgent": gettext_lazy("เร่งด่วน"),
}


def _priorities(analysis, limit: int = 10) -> list[dict]:
    out = []
    for p in analysis.priorities[:limit]:
        if p.kind == "indicator":
            what = _("ตัวชี้วัดที่ %(n)s") % {"n": p.indicator}
        else:
            what = _("ข้อ %(item)s (ตัวชี้วัดที่ %(n)s)") % {"item": p.id, "n": p.indicator}
        out.append(
            {
                "what": what,
                "name": p.name_th or "",
                "score": num(p.score),
                "gain": num(p.gain, signed=True),
                "confidence": p.confidence,
            }
        )
    return out


def _plan_summary(agency) -> dict | None:
    plan = agency.plans.order_by("-fiscal_year").first()
    if plan is None:
        return None
    counts = dict(plan.measures.values_list("status").annotate(n=Count("pk")))
    statuses = [{"value": s.value, "label": s.label, "count": counts.get(s.value, 0)} for s in MeasureStatus]
    overdue = [
        {
            "title": m.title,
            "period": m.period,
            "due": thai_date(m.due),
            "status": m.get_status_display(),
            "status_value": m.status,
            "id": m.pk,
        }
        for m in plan.overdue_measures()
    ]
    return {
        "plan": plan,
        "year": plan.fiscal_year,
        "status": plan.get_status_display(),
        "total": sum(counts.values()),
        "statuses": statuses,
        "overdue": overdue,
    }


@login_required
def dashboard(request, agency):
    ag = agency_for(request.user, agency)
    assessments = list(ag.assessments.order_by("fiscal_year"))
    newest = assessments[-1].fiscal_year if assessments else None
    ctx: dict = {
        "agency": ag,
        "can_edit": can(request.user, Action.EDIT, ag),
        "plan": _plan_summary(ag),
        # The year the newest scores lead to: its page, and its plan to draft (defect 1).
        "work_year": newest + 1 if newest else None,
        "work_plan_exists": newest is not None and ag.plans.filter(fiscal_year=newest + 1).exists(),
        "years": [
            {
                "year": a.fiscal_year,
                "overall": num(a.overall),
                "level": level_label(a.level, a.fiscal_year),
                "passed": a.passed,
            }
            for a in reversed(assessments)
        ],
    }
    if assessments:
        try:
            analysis, scores = analyse_document(record_of(ag, assessments))
        except (EditionError, ValueError) as exc:
            ctx["engine_error"] = str(exc)
        else:
            result = analysis.result
            ctx.update(
                latest={
                    "year": analysis.fiscal_year,
                    "previous_year": analysis.previous_year,
                    "edition": result.edition.edition,
                    "overall": num(result.overall.value),
                    "overall_change": _change_row(analysis.overall, _("คะแนนภาพรวม")),
                    "level": _level_of(result, analysis.fiscal_year),
                    "passed": result.level.passed,
                },
                findings=finding_rows(analysis.findings),
                tools=[_change_row(c, tool_label(c.path.split(".", 1)[1])) for c in analysis.tools],
                indicators=_indicator_rows(analysis),
                priorities=_priorities(analysis),
                priorities_unsure=any(p.confidence != "high" for p in analysis.priorities[:10]),
                # "All full marks" only when every indicator has a score at 100, never by default.
                indicators_scored=sum(i.score is not None for i in analysis.indicators),
                chart=bar_chart_svg(
                    [str(s.fiscal_year) for s in scores],
                    {
                        _("ภาพรวม"): [s.result.overall.value for s in scores],
                        "IIT": [s.result.tools["IIT"].value for s in scores],
                        "EIT": [s.result.tools["EIT"].value for s in scores],
                        "OIT": [s.result.tools["OIT"].value for s in scores],
                    },
                    _("คะแนนภาพรวมและรายแบบวัด เปรียบเทียบรายปี"),
                ),
            )
    return render(request, "pages/dashboard.html", ctx)


# ---- score entry -----------------------------------------------------------------------------


def _edition_for(request, year: int, assessment: Assessment | None, data=None):
    """The edition whose fields the form shows: as posted or asked, else as stored, else the
    year's own, else the nearest one."""
    for raw in ((data or {}).get("edition"), request.GET.get("edition")):
        if raw and str(raw).isdecimal():
            ed = edition_or_none(int(raw))
            if ed:
                return ed
    if assessment is not None:
        ed = edition_or_none(assessment.published.get("edition") or assessment.edition or year)
        if ed:
            return ed
    return edition_or_none(year) or nearest_edition(year)


def _level_labels(edition, assessment: Assessment | None) -> list[str]:
    labels = list(dict.fromkeys(r.label for r in edition.levels.rules))
    stored = assessment.published.get("level") if assessment else None
    if stored and stored not in labels:
        labels.append(stored)
    return labels


def _score_form(request, ag, year: int, assessment: Assessment | None, data=None) -> AssessmentForm:
    edition = _edition_for(request, year, assessment, data)
    kwargs = {"edition": edition, "fiscal_year": year, "level_labels": _level_labels(edition, assessment)}
    if data is not None:
        return AssessmentForm(data, **kwargs)
    initial = AssessmentForm.initial_from(
        assessment.published if assessment else {},
        assessment.comments if assessment else [],
        assessment.version if assessment else 0,
    )
    initial["edition"] = edition.edition
    return AssessmentForm(initial=initial, **kwargs)


def _check_context(ag, year: int, record) -> dict:
    """What the engine says of ``record`` (not saved), checked against the year before."""
    doc = record_of(ag, latest_assessments(ag, before=year)[-1:], extra=record)
    try:
        scored = next(s for s in score_document(doc) if s.fiscal_year == year)
    except (EditionError, ValueError) as exc:
        return {"engine_error": str(exc)}
    r = scored.result

    def node_row(label, node):
        return {
            "label": label,
            "published": num(node.published) if node.published is not None else "–",
            "computed": num(node.computed) if node.computed is not None else "–",
            "value": num(node.value) if node.value is not None else "–",
            "differs": node.published is not None
            and node.computed is not None
            and num(node.published) != num(node.computed),
        }

    names = {i.id: i.name_th for i in r.edition.indicators}
    return {
        "result": {
            "overall": num(r.overall.value) if r.overall.value is not None else "–",
            "level": _level_of(r, year),
            "passed": r.level.passed,
            "edition": r.edition.edition,
        },
        "rows": [node_row(_("คะแนนภาพรวม"), r.overall)]
        + [node_row(_("แบบวัด %(t)s") % {"t": tool_label(t)}, n) for t, n in r.tools.items()]
        + [
            node_row(_("ตัวชี้วัดที่ %(n)s %(name)s") % {"n": k, "name": names.get(k, "")}, n)
            for k, n in r.indicators.items()
        ],
        "findings": finding_rows(scored.findings),
    }


def _form_errors(form) -> list[dict]:
    return [
        {"label": form.fields[name].label if name in form.fields else "", "messages": errs}
        for name, errs in form.errors.items()
    ]


@login_required
def scores_new(request, agency):
    ag = agency_for(request.user, agency, Action.EDIT if request.method == "POST" else Action.VIEW)
    assessments = list(ag.assessments.order_by("-fiscal_year"))
    if request.method == "POST":
        form = NewYearForm(request.POST)
        if form.is_valid():
            year, edition = form.cleaned_data["fiscal_year"], form.cleaned_data["edition"]
            if any(a.fiscal_year == year for a in assessments):
                messages.info(request, _("มีผลการประเมินปี %(year)s แล้ว แก้ไขได้ที่หน้านี้") % {"year": year})
            url = reverse("scores_edit", kwargs={"agency": ag.slug, "year": year})
            return redirect(f"{url}?edition={edition}")
    else:
        year = (assessments[0].fiscal_year + 1) if assessments else fiscal_year_of(timezone.localdate())
        editions = all_editions()
        form = NewYearForm(
            initial={"fiscal_year": year, "edition": year if year in editions else max(editions)}
        )
    return render(
        request,
        "pages/scores_new.html",
        {
            "agency": ag,
            "form": form,
            "can_edit": can(request.user, Action.EDIT, ag),
            "assessments": [
                {
                    "year": a.fiscal_year,
                    "edition": a.edition,
                    "overall": num(a.overall),
                    "level": level_label(a.level, a.fiscal_year),
                    "passed": a.passed,
                }
                for a in assessments
            ],
        },
    )


@login_required
def scores_edit(request, agency, year):
    ag = agency_for(request.user, agency, Action.EDIT if request.method == "POST" else Action.VIEW)
    assessment = Assessment.objects.filter(agency=ag, fiscal_year=year).first()
    if request.method == "POST":
        form = _score_form(request, ag, year, assessment, request.POST)
        if form.is_valid():
            saved = _save_scores(form, ag, year)
            if saved is not None:
                messages.success(
                    request,
                    _("บันทึกผลการประเมินปี %(year)s แล้ว: คะแนนภาพรวม %(overall)s ระดับ %(level)s")
                    % {"year": year, "overall": num(saved.overall), "level": level_label(saved.level, year)},
                )
                return redirect("scores_edit", agency=ag.slug, year=year)
        check = None
    else:
        form = _score_form(request, ag, year, assessment)
        check = _check_context(ag, year, _stored_record(assessment)) if assessment else None
    return render(
        request,
        "pages/scores_edit.html",
        {
            "agency": ag,
            "year": year,
            "form": form,
            "assessment": assessment,
            "check": check,
            "can_edit": can(request.user, Action.EDIT, ag),
            "editions": sorted(all_editions()),
            "field_errors": any(name != "__all__" for name in form.errors),
        },
        status=200,
    )


def dependent_approved_plan(assessment: Assessment) -> Plan | None:
    """An approved plan that answers ``assessment`` (linked to it, or of the year after): its
    approved documents print these scores, so the year cannot be deleted under it."""
    return (
        Plan.objects.filter(
            Q(assessment=assessment) | Q(agency=assessment.agency, fiscal_year=assessment.fiscal_year + 1),
        )
        .filter(Q(status=PlanStatus.APPROVED) | Q(approvals__decision=Decision.APPROVED))
        .order_by("fiscal_year")
        .first()
    )


@login_required
def scores_delete(request, agency, year):
    """Delete a year's assessment: the editor confirms on this page, simple_history keeps the
    deleted row with who and when; refused while an approved plan depends on it."""
    ag = agency_for(request.user, agency, Action.EDIT)
    assessment = Assessment.objects.filter(agency=ag, fiscal_year=year).first()
    if assessment is None:
        raise Http404
    blocker = dependent_approved_plan(assessment)
    if request.method == "POST":
        if blocker is not None:
            messages.error(
                request,
                _(
                    "ลบผลการประเมินปี %(year)s ไม่ได้ เพราะแผนมาตรการปี %(plan)s ที่อนุมัติแล้วใช้ผลปีนี้ "
                    "(เอกสารที่อนุมัติอ้างอิงคะแนนชุดนี้)"
                )
                % {"year": year, "plan": blocker.fiscal_year},
            )
            return redirect("scores_edit", agency=ag.slug, year=year)
        assessment.delete()
        messages.success(request, _("ลบผลการประเมินปี %(year)s แล้ว (ประวัติการแก้ไขยังเก็บไว้)") % {"year": year})
        return redirect("scores_new", agency=ag.slug)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    return render(
        request,
        "pages/scores_delete.html",
        {
            "agency": ag,
            "year": year,
            "assessment": assessment,
            "overall": num(assessment.overall),
            "level": level_label(assessment.level, year),
            "blocker": blocker,
            "plans": list(ag.plans.filter(fiscal_year=year + 1).values_list("fiscal_year", flat=True)),
        },
    )


def _stored_record(assessment: Assessment):
    from prongsai.web.cycle.records import assessment_record

    return assessment_record(assessment)


def _save_scores(form: AssessmentForm, ag, year: int) -> Assessment | None:
    """Store the form through the versioned action (``cycle.actions.store_assessment``), unless
    someone saved this year since the form was opened (then a form error, nothing stored)."""
    current = Assessment.objects.filter(agency=ag, fiscal_year=year).first()
    try:
        record = form.record(current.published if current else None)
    except ValidationError as exc:
        for err in exc.errors():
            form.add_error(None, err["msg"].removeprefix("Value error, "))
        return None
    try:
        return actions.store_assessment(
            ag, record, expected_version=form.cleaned_data.get("version") or 0, comments=form.comments()
        )
    except actions.ActionRefused as exc:
        form.add_error(None, exc.message)
        return None


@login_required
@require_POST
def scores_check(request, agency, year):
    """HTMX: the engine's findings for the form as typed; nothing is saved."""
    ag = agency_for(request.user, agency, Action.EDIT)
    assessment = Assessment.objects.filter(agency=ag, fiscal_year=year).first()
    form = _score_form(request, ag, year, assessment, request.POST)
    ctx: dict = {"year": year}
    if not form.is_valid():
        ctx["errors"] = _form_errors(form)
    else:
        try:
            record = form.record(assessment.published if assessment else None)
        except ValidationError as exc:
            ctx["errors"] = [{"label": "", "messages": [e["msg"] for e in exc.errors()]}]
        else:
            ctx["check"] = _check_context(ag, year, record)
    return render(request, "pages/scores_check.html", ctx)


# ---- import ----------------------------------------------------------------------------------


def _import_url(ag, token: str | None = None, name: str = "scores_import") -> str:
    url = reverse(name, kwargs={"agency": ag.slug})
    return f"{url}?f={token}" if token else url


@login_required
def scores_import(request, agency):
    ag = agency_for(request.user, agency, Action.EDIT if request.method == "POST" else Action.VIEW)
    can_edit = can(request.user, Action.EDIT, ag)
    token = request.POST.get("f") or request.GET.get("f")
    if request.method == "POST" and (request.POST.get("action") == "upload" or not token):
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            raw = form.cleaned_data["file"].read()
            try:
                score_import.check_upload(raw)  # type and structure only: the worker reads the cells
            except score_import.ImportProblem as exc:
                form.add_error("file", str(exc))
            else:
                token = score_import.store(raw, form.cleaned_data["file"].name, ag.pk, request.user.pk)
                score_import.read_scores.enqueue(token)
                return redirect(_import_url(ag, token))
        return render(request, "pages/scores_import.html", {"agency": ag, "form": form, "can_edit": can_edit})
    if not token:
        return render(
            request, "pages/scores_import.html", {"agency": ag, "form": UploadForm(), "can_edit": can_edit}
        )
    try:
        rows, meta = score_import.table(token, ag.pk, request.user.pk)  # stored rows: never re-parsed
    except KeyError:
        messages.error(request, _("ไม่พบไฟล์ที่อัปโหลด (อาจหมดอายุแล้ว) กรุณาอัปโหลดใหม่"))
        return redirect(_import_url(ag))
    except score_import.NotRead as exc:
        if exc.meta["state"] == "failed":  # the worker could not read it: why, on the upload form
            score_import.discard(token)
            ctx = {"agency": ag, "form": UploadForm(), "can_edit": can_edit, "read_error": exc.meta["error"]}
            return render(request, "pages/scores_import.html", ctx)
        return redirect(_import_url(ag, token, "scores_import_status"))  # still reading
    header = rows[0]
    mapping = meta.get("mapping") or score_import.guess_mapping(header)
    if request.method == "POST":
        posted = [request.POST.get(f"col_{i}", "") for i in range(len(header))]
        valid = {v for v, _label in score_import.targets()}
        posted = [p if p in valid else "" for p in posted]
        changed = posted != mapping  # the mapping whose dry run the user saw
        score_import.update(token, mapping=posted)
        action = request.POST.get("action")
        if action == "confirm":
            if changed:
                messages.warning(request, _("การจับคู่คอลัมน์เปลี่ยนไป กรุณาตรวจสอบผลการทดลองนำเข้าอีกครั้ง"))
                return redirect(_import_url(ag, token))
            run = score_import.dry_run(rows, posted, ag)
            if not run.ok:
                messages.error(request, _("ไฟล์ยังมีข้อผิดพลาด ยังไม่ได้บันทึกข้อมูลใด"))
                return redirect(_import_url(ag, token))
            score_import.update(token, state="queued", done=0, total=len(run.years), error="")
            score_import.import_scores.enqueue(token, ag.pk, request.user.pk)
            return redirect(_import_url(ag, token, "scores_import_status"))
        if action == "cancel":
            score_import.discard(token)
            messages.info(request, _("ยกเลิกการนำเข้าแล้ว ไม่ได้บันทึกข้อมูลใด"))
            return redirect(_import_url(ag))
        return redirect(_import_url(ag, token))
    run = score_import.dry_run(rows, mapping, ag)
    choices = score_import.targets()
    columns = [
        {
            "index": i,
            "header": h,
            "selected": mapping[i] if i < len(mapping) else "",
            "samples": [r[i] for r in rows[1:4]],
        }
        for i, h in enumerate(header)
    ]
    return render(
        request,
        "pages/scores_import_map.html",
        {
            "agency": ag,
            "token": token,
            "name": meta.get("name", ""),
            "columns": columns,
            "choices": choices,
            "run": run,
            "can_edit": can_edit,
            "confirmed_mapping": meta.get("mapping") is not None,
        },
    )


@login_required
def scores_import_status(request, agency):
    ag = agency_for(request.user, agency, Action.VIEW)
    token = request.GET.get("f", "")
    try:
        meta = score_import.meta_of(token, ag.pk, request.user.pk)
    except KeyError:
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET"])
        messages.error(request, _("ไม่พบงานนำเข้านี้ (อาจหมดอายุแล้ว)"))
        return redirect(_import_url(ag))
    state = meta.get("state", "queued")
    total, done = meta.get("total") or 0, meta.get("done") or 0
    ctx = {
        "agency": ag,
        "token": token,
        "state": state,
        "done": done,
        "total": total,
        "percent": int(100 * done / total) if total else (100 if state == "done" else 0),
        "error": meta.get("error", ""),
        "years": meta.get("years") or [],
        "name": meta.get("name", ""),
        "poll_url": _import_url(ag, token, "scores_import_status"),
    }
    template = "pages/scores_import_progress.html" if request.htmx else "pages/scores_import_status.html"
    response = render(request, template, ctx)
    if state == "mapping" and request.htmx:  # read: on to the mapping page
        response["HX-Redirect"] = _import_url(ag, token)
    return response


# ---- analysis --------------------------------------------------------------------------------


def _analysis_of(ag, year: int):
    current = Assessment.objects.filter(agency=ag, fiscal_year=year).first()
    if current is None:
        raise Http404
    doc = record_of(ag, latest_assessments(ag, before=year + 1))  # this year and the one before
    analysis, _scores = analyse_document(doc, year)
    return current, analysis


def _narrative_item(assessment: Assessment, ind) -> dict:
    saved = (assessment.narratives or {}).get(str(ind.id))
    return {
        "id": ind.id,
        "name": ind.name_th,
        "text": saved if saved is not None else (ind.narrative_th or ""),
        "edited": saved is not None,
        "draft": ind.narrative_th or "",
    }


def analysis_record(ag, year: int):
    """The record the analysis report of assessment ``year`` is built from: the plan that answers
    it (year + 1, its measures and narratives), else the assessment and the one before it. Never
    the plan of ``year`` itself, which answers the year before (defect: 2569 printed 2568)."""
    plan = Plan.objects.filter(agency=ag, fiscal_year=year + 1).first()
    if plan is not None:
        return plan_record(plan)
    current = Assessment.objects.filter(agency=ag, fiscal_year=year).first()
    if current is None:
        raise Http404
    doc = record_of(ag, latest_assessments(ag, before=year + 1))  # this year and the one before
    return doc.model_copy(update={"report_fiscal_year": year + 1})


@login_required
def analysis_download(request, agency, year, fmt):
    """The analysis report of assessment ``year`` (PDF, DOCX or HTML), named for that year."""
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    ag = agency_for(request.user, agency)
    if fmt not in FORMATS or not ag.assessments.filter(fiscal_year=year).exists():
        raise Http404
    try:
        data = render_document(build("analysis", analysis_record(ag, year), year=year), fmt)
    except DocumentError as exc:
        return render(
            request,
            "pages/analysis_document_error.html",
            {"agency": ag, "year": year, "reason": str(exc)},
            status=422,
        )
    title = file_title("analysis")
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = content_disposition(
        f"{title} {ag.name} ปี {year}.{fmt}", f"analysis-{ag.slug}-{year}.{fmt}", fmt == "html"
    )
    return response


@login_required
def analysis(request, agency, year):
    ag = agency_for(request.user, agency, Action.EDIT if request.method == "POST" else Action.VIEW)
    if request.method == "POST":
        return _save_narrative(request, ag, year)
    current, an = _analysis_of(ag, year)
    names = {i.id: i.name_th for i in an.result.edition.indicators}
    by_indicator = {i.id: i for i in an.indicators}
    ctx = {
        "agency": ag,
        "year": year,
        "previous_year": an.previous_year,
        "can_edit": can(request.user, Action.EDIT, ag),
        "summary": an.summary_th,
        "overall": _change_row(an.overall, _("คะแนนภาพรวม")),
        "level": _level_of(an.result, year),
        "passed": an.result.level.passed,
        "tools": [_change_row(c, tool_label(c.path.split(".", 1)[1])) for c in an.tools],
        "indicators": _indicator_rows(an),
        "strongest": [{"id": n, "name": names[n], "score": num(by_indicator[n].score)} for n in an.strongest],
        "weakest": [{"id": n, "name": names[n], "score": num(by_indicator[n].score)} for n in an.weakest],
        "below_full": [
            {"id": b.id, "name": b.name_th or "", "indicator": b.indicator, "score": num(b.score)}
            for b in an.items_below_full
        ],
        "item_changes": [
            _change_row(c, c.path.split(".", 1)[1]) for c in an.item_changes if c.delta not in (None, 0)
        ],
        "narratives": [_narrative_item(current, i) for i in an.indicators if i.score is not None],
        "findings": finding_rows(an.findings),
        "priorities": _priorities(an),
        "plan_year": year + 1,
        "plan_exists": Plan.objects.filter(agency=ag, fiscal_year=year + 1).exists(),
    }
    return render(request, "pages/analysis.html", ctx)


def _save_narrative(request, ag, year):
    form = NarrativeForm(request.POST)
    if not form.is_valid():
        if request.htmx and "indicator" not in form.errors:
            n = form.cleaned_data["indicator"]
            _current, an = _analysis_of(ag, year)
            ind = next(i for i in an.indicators if i.id == n)
            item = {**_narrative_item(_current, ind), "text": request.POST.get("text", "")}
            return render(
                request,
                "pages/analysis_narrative.html",
                {"agency": ag, "year": year, "n": item, "can_edit": True, "errors": _form_errors(form)},
            )
        for err in _form_errors(form):
            for m in err["messages"]:
                messages.error(request, m)
        return redirect("analysis", agency=ag.slug, year=year)
    n, text = form.cleaned_data["indicator"], form.cleaned_data["text"].strip()
    with transaction.atomic():
        a = Assessment.objects.select_for_update().filter(agency=ag, fiscal_year=year).first()
        if a is None:
            raise Http404
        narratives = dict(a.narratives or {})
        if text:
            narratives[str(n)] = text
        else:
            narratives.pop(str(n), None)  # blank: back to the engine's draft
        a.narratives = narratives
        a.save(update_fields=["narratives"])
    if request.htmx:
        _current, an = _analysis_of(ag, year)
        ind = next(i for i in an.indicators if i.id == n)
        return render(
            request,
            "pages/analysis_narrative.html",
            {"agency": ag, "year": year, "n": _narrative_item(a, ind), "can_edit": True, "saved": True},
        )
    messages.success(request, _("บันทึกคำอธิบายตัวชี้วัดที่ %(n)s แล้ว") % {"n": n})
    return redirect(f"{reverse('analysis', kwargs={'agency': ag.slug, 'year': year})}#n{n}")
