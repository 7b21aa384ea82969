"""Progress of one measure: entries as of a date (status, result, outcome, suggestion) and evidence
(an uploaded file or photo, checked by content before it is stored, or a link).

Editors update any measure of their agency; a unit contributor only the measures of their unit
(``access.can_update_measure``); everyone else who may read the agency reads. Whoever may update
a measure may also correct or delete its entries (history kept). Progress and evidence are not
edits of the plan: they leave its version and approval as they are. The rules are the cycle's
actions (``record_progress``, ``edit_progress``, ``delete_progress``); this module is HTTP only.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from prongsai.web.agencies.access import agency_for, can_update_measure
from prongsai.web.converters import parse_id
from prongsai.web.cycle.actions import ActionRefused, record_progress
from prongsai.web.cycle.actions.entries import delete_progress, edit_progress
from prongsai.web.cycle.downloads import evidence_response
from prongsai.web.cycle.models import Evidence, EvidenceKind, Measure, ProgressEntry
from prongsai.web.cycle.uploads import validate_upload
from prongsai.web.pages.forms_plans import EvidenceForm, ProgressForm
from prongsai.web.pages.plans import measure_or_404, post_only


def _entries(m: Measure) -> list[ProgressEntry]:
    """Newest first; a corrected entry with who corrected it (its latest history row)."""
    entries = list(m.progress.select_related("author").order_by("-as_of", "-pk"))
    for e in entries:
        e.editor = None
        if e.edited:
            last = e.history.select_related("history_user").first()
            e.editor = last.history_user if last else None
    return entries


def _page(request, agency_obj, m: Measure, progress_form=None, evidence_form=None, status=200, editing=None):
    entries = _entries(m)
    evidence = list(m.evidence.select_related("owner").order_by("added_on", "pk"))
    allowed = can_update_measure(request.user, m)
    return render(
        request,
        "pages/progress_measure.html",
        {
            "agency": agency_obj,
            "plan": m.plan,
            "measure": m,
            "units": [u.name for u in m.units.all()] or ([m.responsible_text] if m.responsible_text else []),
            "due": m.due,
            "entries": entries,
            "editing": editing,
            "evidence": evidence,
            "can_update": allowed,
            "progress_form": progress_form
            or (ProgressForm(initial={"status": m.status}) if allowed else None),
            "evidence_form": evidence_form or (EvidenceForm() if allowed else None),
        },
        status=status,
    )


def _require_update(request, m: Measure) -> None:
    if not can_update_measure(request.user, m):
        raise PermissionDenied


@login_required
def measure_progress(request, agency: str, measure: int):
    agency_obj = agency_for(request.user, agency)
    m = measure_or_404(agency_obj, measure)
    if request.method != "POST":
        return _page(request, agency_obj, m)
    _require_update(request, m)
    form = ProgressForm(request.POST)
    if form.is_valid():
        try:
            record_progress(m, **form.cleaned_data, user=request.user)
        except ActionRefused as exc:
            form.add_error(_field_of(exc), exc.message)
    if not form.is_valid():
        return _page(request, agency_obj, m, progress_form=form, status=400)
    messages.success(request, _("บันทึกความก้าวหน้าแล้ว"))
    return redirect("measure_progress", agency=agency, measure=m.pk)


def _field_of(exc: ActionRefused) -> str | None:
    """The form field a refusal is about (shown beside it), else the whole form."""
    return {"future": "as_of", "status": "status"}.get(exc.code)


def _entry_or_404(request, m: Measure) -> ProgressEntry | None:
    """The entry named by ``entry`` (query or form), among this measure's only; None when no
    entry is named (the caller goes back to the measure's page)."""
    raw = request.POST.get("entry") if request.method == "POST" else request.GET.get("entry")
    if not raw:
        return None
    pk = parse_id(raw)
    if pk is None:
        raise Http404
    return get_object_or_404(ProgressEntry, pk=pk, measure=m)


@login_required
def progress_edit(request, agency: str, measure: int):
    """Correct one entry: GET shows the page with the entry in the form, POST saves it."""
    agency_obj = agency_for(request.user, agency)
    m = measure_or_404(agency_obj, measure)
    _require_update(request, m)
    entry = _entry_or_404(request, m)
    if entry is None:
        return redirect("measure_progress", agency=agency, measure=m.pk)
    if request.method != "POST":
        form = ProgressForm(
            initial={f: getattr(entry, f) for f in ("as_of", "status", "result", "outcome", "suggestion")}
        )
        return _page(request, agency_obj, m, progress_form=form, editing=entry)
    form = ProgressForm(request.POST)
    if form.is_valid():
        try:
            edit_progress(entry, **form.cleaned_data, user=request.user)
        except ActionRefused as exc:
            form.add_error(_field_of(exc), exc.message)
    if not form.is_valid():
        return _page(request, agency_obj, m, progress_form=form, status=400, editing=entry)
    messages.success(request, _("แก้ไขความก้าวหน้าแล้ว"))
    return redirect("measure_progress", agency=agency, measure=m.pk)


@login_required
def progress_delete(request, agency: str, measure: int):
    agency_obj = agency_for(request.user, agency)
    m = measure_or_404(agency_obj, measure)
    if refused := post_only(request):
        return refused
    _require_update(request, m)
    entry = _entry_or_404(request, m)
    if entry is None:
        return redirect("measure_progress", agency=agency, measure=m.pk)
    delete_progress(entry, user=request.user)
    messages.success(request, _("ลบรายการความก้าวหน้าแล้ว (ยังเก็บไว้ในประวัติการแก้ไข)"))
    return redirect("measure_progress", agency=agency, measure=m.pk)


@login_required
def evidence_add(request, agency: str, measure: int):
    agency_obj = agency_for(request.user, agency)
    m = measure_or_404(agency_obj, measure)
    if refused := post_only(request):
        return refused
    _require_update(request, m)
    form = EvidenceForm(request.POST, request.FILES)
    kind = None
    if form.is_valid():
        upload = form.cleaned_data.get("file")
        if upload:
            try:
                # Checked by content; also gives the file its name made safe (Thai vowels and
                # tone marks kept) with the extension its content really has.
                kind = validate_upload(upload, agency=agency_obj)  # and the agency's quota
            except ValidationError as exc:
                form.add_error("file", exc)
            else:
                upload.seek(0)
        else:
            kind = EvidenceKind.LINK
    if not form.is_valid() or kind is None:
        return _page(request, agency_obj, m, evidence_form=form, status=400)
    data = form.cleaned_data
    upload = data.get("file") if kind != EvidenceKind.LINK else None
    # Evidence is not an edit of the plan: no new plan version, its approval stands.
    Evidence.objects.create(
        measure=m,
        kind=kind,
        file=upload or "",
        original_name=upload.name if upload else "",  # given back on download; stored under a random name
        url=data.get("url") or "",
        caption=data.get("caption") or "",
        owner=request.user,
        added_on=data["added_on"],
    )
    messages.success(request, _("เพิ่มหลักฐานแล้ว"))
    return redirect("measure_progress", agency=agency, measure=m.pk)


@login_required
def evidence_file(request, agency: str, evidence: int):
    """An evidence file, for the agency's members only (drafts are not public; the public page
    serves what was approved)."""
    agency_obj = agency_for(request.user, agency)
    ev = get_object_or_404(Evidence, pk=evidence, measure__plan__agency=agency_obj)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    return evidence_response(ev)


@login_required
def evidence_delete(request, agency: str, evidence: int):
    agency_obj = agency_for(request.user, agency)
    ev = get_object_or_404(
        Evidence.objects.select_related("measure__plan"), pk=evidence, measure__plan__agency=agency_obj
    )
    if refused := post_only(request):
        return refused
    m = ev.measure
    _require_update(request, m)
    # The file goes once the deletion commits, unless an undo or another row still names it
    # (prongsai/web/housekeeping/files.py).
    ev.delete()
    messages.success(request, _("ลบหลักฐานแล้ว"))
    return redirect("measure_progress", agency=agency, measure=m.pk)
