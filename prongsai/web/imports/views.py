"""Import of past reports: upload one or many files, watch them being read, review each draft beside
its source text, correct it, see what accepting would change against what is stored (and choose
what happens to an existing plan: replace, merge or skip), accept it in one transaction, and undo
that. What is written is the action's (``cycle.actions.accept_import`` / ``undo_import``).

Editors only (``Action.EDIT``); access is decided in ``prongsai.web.agencies.access``: another
agency's jobs are not found (404), a member without the right is refused (403).
"""

from __future__ import annotations

import logging
import os

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from prongsai.importers.extract import MAX_BYTES
from prongsai.interchange.limits import LENIENT
from prongsai.interchange.models import Document as Record
from prongsai.ita.numbers import fmt
from prongsai.thai.dates import thai_date
from prongsai.web.agencies.access import Action, agency_for
from prongsai.web.cycle import actions
from prongsai.web.cycle.labels import SEVERITY_TH
from prongsai.web.cycle.models import Measure, Plan
from prongsai.web.housekeeping import quota
from prongsai.web.imports import sandbox
from prongsai.web.imports.forms import apply_post, fields_of, same_agency
from prongsai.web.imports.models import AcceptMode, ImportJob, JobStatus, end_interrupted
from prongsai.web.imports.tasks import INTERNAL_TH, import_report

log = logging.getLogger(__name__)

# Files per upload, sized to real use: a few years of reports, each read by the worker in turn
# (see sandbox for the limits per file: pages, minutes, memory).
MAX_FILES = 10
LIST_LIMIT = 50


def _too_large_th() -> str:
    return _("ไฟล์มีขนาดใหญ่เกินกำหนด (สูงสุด %(mb)s MB) กรุณาลดขนาดไฟล์หรือแยกไฟล์แล้วนำเข้าใหม่") % {
        "mb": MAX_BYTES // 2**20
    }


def _jobs(agency):
    end_interrupted(ImportJob.objects.filter(agency=agency))
    return list(
        ImportJob.objects.filter(agency=agency)
        .defer("data", "text")
        .select_related("uploaded_by", "accepted_by")[:LIST_LIMIT]
    )


def _job_rows(jobs: list[ImportJob]) -> list[dict]:
    rows = []
    for j in jobs:
        draft = j.draft or {}
        rows.append(
            {
                "job": j,
                "created_th": thai_date(timezone.localdate(j.created), abbreviated=True),
                "time": timezone.localtime(j.created).strftime("%H:%M"),
                "agency_name": (draft.get("agency") or {}).get("name", ""),
                "year": draft.get("report_fiscal_year"),
                "measures": len(draft.get("measures") or []),
                "assessments": len(draft.get("assessments") or []),
                "findings": len(j.findings or []),
            }
        )
    return rows


@login_required
def import_upload(request, agency: str):
    """GET: the agency's import jobs with their progress; POST: one job per uploaded file."""
    agency_obj = agency_for(request.user, agency, Action.EDIT)
    if request.method == "POST":
        files = request.FILES.getlist("files")
        if not files:
            messages.error(request, _("กรุณาเลือกไฟล์อย่างน้อยหนึ่งไฟล์"))
        elif len(files) > MAX_FILES:
            messages.error(request, _("นำเข้าได้ครั้งละไม่เกิน %(n)s ไฟล์") % {"n": MAX_FILES})
        else:
            for upload in files:
                _start(request, agency_obj, upload)
            messages.success(request, _("รับไฟล์แล้ว %(n)s ไฟล์") % {"n": len(files)})
        return redirect("import_upload", agency=agency_obj.slug)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET", "POST"])
    jobs = _jobs(agency_obj)
    context = {
        "agency": agency_obj,
        "rows": _job_rows(jobs),
        "pending": any(j.pending for j in jobs),
        "max_mb": MAX_BYTES // 2**20,
        "max_files": MAX_FILES,
        "max_pages": sandbox.MAX_PAGES,
        "max_minutes": sandbox.FILE_SECONDS // 60,
        "max_memory_mb": sandbox.MEMORY_BYTES // 2**20,
    }
    if request.htmx:
        return render(request, "imports/job_rows.html", context)
    return render(request, "imports/upload.html", context)


def _start(request, agency, upload) -> ImportJob:
    name = os.path.basename(upload.name or "")[:255] or "upload"
    job = ImportJob(agency=agency, uploaded_by=request.user, file_name=name, size=upload.size or 0)
    if job.size > MAX_BYTES:  # refused before reading it into memory
        job.status, job.error_code, job.error_th = JobStatus.FAILED, "too_large", _too_large_th()
        job.finished_at = timezone.now()
        job.save()
        return job
    if refused := quota.refusal(agency, job.size):  # the agency's storage quota (housekeeping)
        job.status, job.error_code, job.error_th = JobStatus.FAILED, "quota", refused
        job.finished_at = timezone.now()
        job.save()
        return job
    job.data = upload.read()
    job.save()
    try:
        import_report.enqueue(job.pk)
    except Exception:  # the queue is down: the job must not wait forever
        log.exception("could not enqueue import job %s", job.pk)
        ImportJob.objects.filter(pk=job.pk, status=JobStatus.QUEUED).update(
            status=JobStatus.FAILED, error_code="internal", error_th=INTERNAL_TH, finished_at=timezone.now()
        )
    return job


def _job_or_404(agency, pk: int) -> ImportJob:
    end_interrupted(ImportJob.objects.filter(agency=agency, pk=pk))
    return get_object_or_404(
        ImportJob.objects.select_related("uploaded_by", "accepted_by"), pk=pk, agency=agency
    )


def _review_context(agency, job: ImportJob, layout=None, errors=None, confirm_agency=False) -> dict:
    context = {"agency": agency, "job": job, "general_errors": [], "confirm_agency": confirm_agency}
    if job.status not in (JobStatus.DONE, JobStatus.ACCEPTED) or not job.draft:
        return context
    draft = job.draft
    layout = layout or fields_of(draft)
    lines = job.text.split("\n")
    marked = {n for f in layout.by_name.values() for n in f.lines}
    low_lines = {n for f in layout.by_name.values() if f.low for n in f.lines}
    context.update(
        {
            "layout": layout,
            "lines": [
                {"n": n, "text": text, "marked": n in marked, "low": n in low_lines}
                for n, text in enumerate(lines, 1)
            ],
            "findings": _findings(job.findings or []),
            "general_errors": [m for k, m in (errors or {}).items() if k == ""],
            "warnings": _warnings(agency, draft) if job.status == JobStatus.DONE else [],
            "name_differs": not same_agency((draft.get("agency") or {}).get("name", ""), agency.name),
            "draft_name": (draft.get("agency") or {}).get("name", ""),
        }
    )
    if job.status == JobStatus.ACCEPTED:
        year = draft.get("report_fiscal_year")
        if year and Plan.objects.filter(agency=agency, fiscal_year=year).exists():
            context["plan_year"] = year
        if job.accepted_at:
            context["accepted_th"] = thai_date(timezone.localdate(job.accepted_at))
        context["mode_label"] = AcceptMode(job.mode).label if job.mode in AcceptMode.values else ""
        context["can_undo"] = bool(job.snapshot)
    elif job.undone_at:
        context["undone_th"] = thai_date(timezone.localdate(job.undone_at))
    return context


def _findings(findings: list[dict]) -> list[dict]:
    """The importer's and the engine's findings in Thai, errors first, with their source lines."""
    order = {"error": 0, "warning": 1, "info": 2}
    out = [
        {
            "message": f.get("message_th") or f.get("message_en") or f.get("code", ""),
            "severity": f.get("severity", "warning"),
            "severity_th": SEVERITY_TH.get(f.get("severity", "warning"), ""),
            "source": f.get("source", ""),
            "lines": " ".join(str(n) for n in f.get("lines") or []),
        }
        for f in findings
    ]
    return sorted(out, key=lambda r: order.get(r["severity"], 3))


def _warnings(agency, draft: dict) -> list[str]:
    """What is stored already that accepting touches: shown on the next page, before anything."""
    out = []
    try:
        # Stored: read as it is (LENIENT); a text over its limit is refused at accept, naming it.
        record = Record.model_validate({k: v for k, v in draft.items() if k != "provenance"}, context=LENIENT)
    except ValueError:
        return out
    seen = actions.preview(agency, record)
    stored = [s.fiscal_year for s in seen.scores if not s.new]
    if stored:
        out.append(
            _("มีผลการประเมินปี %(years)s อยู่แล้ว ก่อนบันทึกจะแสดงค่าที่แตกต่างให้ตรวจสอบ")
            % {"years": ", ".join(str(y) for y in stored)}
        )
    if seen.needs_choice:
        out.append(
            _(
                "มีแผนมาตรการปี %(year)s อยู่แล้ว (%(n)s มาตรการ) ก่อนบันทึกจะแสดงสิ่งที่เปลี่ยน "
                "และให้เลือกแทนที่ รวม หรือคงแผนเดิมไว้"
            )
            % {"year": seen.year, "n": seen.plan.measures.count()}
        )
    return out


@login_required
def import_review(request, agency: str, job: int):
    """The draft beside its source text. POST saves the reviewer's corrections without accepting."""
    agency_obj = agency_for(request.user, agency, Action.EDIT)
    job_obj = _job_or_404(agency_obj, job)
    if request.method == "POST":
        if job_obj.status != JobStatus.DONE:
            return _refuse(request, agency_obj, job_obj)
        outcome = apply_post(job_obj.draft, request.POST)
        if outcome.errors:
            layout = fields_of(job_obj.draft, outcome.values, outcome.errors)
            context = _review_context(agency_obj, job_obj, layout, outcome.errors)
            return render(request, "imports/review.html", context, status=400)
        job_obj.draft = outcome.doc
        job_obj.record = None  # the checked record was of the old draft: accept checks this one
        job_obj.save(update_fields=["draft", "record"])
        messages.success(request, _("บันทึกการแก้ไขร่างแล้ว (ยังไม่ได้บันทึกเข้าระบบ)"))
        return redirect("import_review", agency=agency_obj.slug, job=job_obj.pk)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET", "POST"])
    if request.htmx and job_obj.pending:
        return render(request, "imports/job_state.html", {"agency": agency_obj, "job": job_obj})
    return render(request, "imports/review.html", _review_context(agency_obj, job_obj))


def _refuse(request, agency, job: ImportJob):
    if job.status == JobStatus.ACCEPTED:
        messages.error(request, _("รายงานนี้บันทึกเข้าระบบไปแล้ว บันทึกซ้ำไม่ได้"))
    else:
        messages.error(request, _("รายงานนี้ยังไม่พร้อมให้บันทึก"))
    return render(request, "imports/review.html", _review_context(agency, job), status=409)


@login_required
def import_accept(request, agency: str, job: int):
    """The reviewed draft (posted from the review form) validated; when accepting would change
    something stored, the comparison page shows it first (``import_compare``), else it is
    written at once."""
    agency_obj = agency_for(request.user, agency, Action.EDIT)
    job_obj = _job_or_404(agency_obj, job)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if job_obj.status != JobStatus.DONE:
        return _refuse(request, agency_obj, job_obj)
    outcome = apply_post(job_obj.draft, request.POST)
    errors = dict(outcome.errors)
    confirm = request.POST.get("confirm_agency") == "on"
    name = ((outcome.doc.get("agency") or {}).get("name")) or ""
    if not errors and not same_agency(name, agency_obj.name) and not confirm:
        errors["agency.name"] = _(
            "ชื่อหน่วยงานในรายงานไม่ตรงกับ %(agency)s กรุณาแก้ไขชื่อ หรือยืนยันว่าเป็นรายงานของหน่วยงานนี้"
        ) % {"agency": agency_obj.name}
    if not errors:
        record = outcome.record
        if actions.preview(agency_obj, record).worth_showing:
            job_obj.draft = outcome.doc
            job_obj.record = record.model_dump(mode="json")
            job_obj.save(update_fields=["draft", "record"])
            return redirect("import_compare", agency=agency_obj.slug, job=job_obj.pk)
        try:
            actions.accept_import(job_obj, record, doc=outcome.doc, user=request.user)
        except actions.ActionRefused as exc:
            job_obj.refresh_from_db()
            if exc.code in ("accepted", "not_ready"):
                return _refuse(request, agency_obj, job_obj)
            errors[""] = exc.message
        except Exception as exc:  # rolled back: nothing of the report was written
            log.exception("accepting import job %s failed", job_obj.pk)
            errors[""] = _failed(exc)
        else:
            messages.success(request, _("บันทึกรายงาน %(name)s เข้าระบบแล้ว") % {"name": job_obj.file_name})
            return redirect("import_review", agency=agency_obj.slug, job=job_obj.pk)
    layout = fields_of(job_obj.draft, outcome.values, errors)
    context = _review_context(agency_obj, job_obj, layout, errors, confirm_agency=confirm)
    return render(request, "imports/review.html", context, status=400)


def _failed(exc: Exception) -> str:
    return _("บันทึกไม่สำเร็จ ไม่มีข้อมูลใดถูกบันทึก (%(error)s)") % {"error": str(exc)[:200]}


def _score_label(key: str) -> str:
    from prongsai.web.imports.score_targets import label

    return label(key)


def _show(value) -> str:
    if value is None or value == "" or value == []:
        return "–"
    if isinstance(value, list):
        return ", ".join(map(str, value))
    if isinstance(value, float | int) and not isinstance(value, bool):
        return fmt(value) if isinstance(value, float) else str(value)
    return str(value)


# Translated where shown (gettext_noop marks them for the catalogue).
_MEASURE_LABELS = {
    "title": gettext_noop("มาตรการ/กิจกรรม"),
    "analysis": gettext_noop("ประเด็นที่ต้องแก้ไข/การวิเคราะห์"),
    "steps": gettext_noop("วิธีการดำเนินการ/ขั้นตอน"),
    "period": gettext_noop("ระยะเวลาดำเนินการ"),
    "indicators": gettext_noop("ตัวชี้วัด"),
    "items": gettext_noop("ข้อ"),
    "responsible_text": gettext_noop("ผู้รับผิดชอบ"),
    "monitoring": gettext_noop("การกำกับติดตาม"),
    "budget": gettext_noop("งบประมาณ (บาท)"),
    "status": gettext_noop("สถานะ"),
}
_STATES = {
    "added": gettext_noop("เพิ่มใหม่"),
    "changed": gettext_noop("เปลี่ยนแปลง"),
    "unchanged": gettext_noop("เหมือนเดิม"),
    "absent": gettext_noop("ไม่มีในรายงาน"),
}


def _compare_context(agency, job: ImportJob, seen, mode: str = "", confirm: bool = False, error: str = ""):
    statuses = dict(Measure._meta.get_field("status").choices)
    measures = [
        {
            "title": d.title,
            "state": d.state,
            "state_th": _(_STATES[d.state]),
            "changes": [
                {
                    "label": _(_MEASURE_LABELS.get(name, name)),
                    "before": statuses.get(b, b) if name == "status" else _show(b),
                    "after": statuses.get(a, a) if name == "status" else _show(a),
                }
                for name, b, a in d.changes
            ],
        }
        for d in seen.measures
    ]
    scores = [
        {
            "year": s.fiscal_year,
            "new": s.new,
            "changes": [
                {"label": _score_label(k), "before": _show(b), "after": _show(a)} for k, b, a in s.changes
            ],
        }
        for s in seen.scores
    ]
    modes = [(m, AcceptMode(m).label) for m in (AcceptMode.REPLACE, AcceptMode.MERGE, AcceptMode.SKIP)]
    return {
        "agency": agency,
        "job": job,
        "seen": seen,
        "plan": seen.plan,
        "measures": measures,
        "scores": scores,
        "modes": modes,
        "mode": mode,
        "confirm": confirm,
        "error": error,
    }


@login_required
def import_compare(request, agency: str, job: int):
    """What accepting the reviewed draft changes against the stored records, the choice for an
    existing plan, and the button that writes it (POST)."""
    agency_obj = agency_for(request.user, agency, Action.EDIT)
    job_obj = _job_or_404(agency_obj, job)
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    if job_obj.status != JobStatus.DONE or not job_obj.record:
        if request.method == "POST":
            return _refuse(request, agency_obj, job_obj)
        return redirect("import_review", agency=agency_obj.slug, job=job_obj.pk)
    # Stored earlier (perhaps before the text limits): read as it is, refused at accept naming the text.
    record = Record.model_validate(job_obj.record, context=LENIENT)
    mode = request.POST.get("mode", "")
    confirm = request.POST.get("confirm_new_version") == "on"
    if request.method == "GET":
        context = _compare_context(agency_obj, job_obj, actions.preview(agency_obj, record))
        return render(request, "imports/compare.html", context)
    try:
        actions.accept_import(
            job_obj, record, doc=job_obj.draft, mode=mode, confirm_new_version=confirm, user=request.user
        )
    except actions.ActionRefused as exc:
        job_obj.refresh_from_db()
        if exc.code in ("accepted", "not_ready"):
            return _refuse(request, agency_obj, job_obj)
        error, status = exc.message, 400
    except Exception as exc:  # rolled back: nothing of the report was written
        log.exception("accepting import job %s failed", job_obj.pk)
        error, status = _failed(exc), 400
    else:
        messages.success(request, _("บันทึกรายงาน %(name)s เข้าระบบแล้ว") % {"name": job_obj.file_name})
        return redirect("import_review", agency=agency_obj.slug, job=job_obj.pk)
    seen = actions.preview(agency_obj, record)
    context = _compare_context(agency_obj, job_obj, seen, mode, confirm, error)
    return render(request, "imports/compare.html", context, status=status)


@login_required
def import_undo(request, agency: str, job: int):
    """Put back what accepting this report changed; the report is a draft to review again."""
    agency_obj = agency_for(request.user, agency, Action.EDIT)
    job_obj = _job_or_404(agency_obj, job)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        actions.undo_import(job_obj, user=request.user)
    except actions.ActionRefused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("ยกเลิกการนำเข้ารายงาน %(name)s แล้ว ข้อมูลกลับเป็นเหมือนก่อนนำเข้า") % {"name": job_obj.file_name},
        )
    return redirect("import_review", agency=agency_obj.slug, job=job_obj.pk)
