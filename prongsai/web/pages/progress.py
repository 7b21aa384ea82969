"""Progress of one measure: entries as of a date (status, result, outcome, suggestion) and evidence
(an uploaded file or photo, checked by content before it is stored, or a link).

Editors update any measure of their agency; a unit contributor only the measures of their unit
(``access.can_update_measure``); everyone else who may read the agency reads.
"""

from __future__ import annotations

from pathlib import PurePath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from prongsai.web.agencies.access import can_update_measure
from prongsai.web.cycle.models import Evidence, EvidenceKind, Measure, ProgressEntry
from prongsai.web.cycle.uploads import validate_upload
from prongsai.web.pages.forms_plans import EvidenceForm, ProgressForm
from prongsai.web.pages.plans import agency_or_404, measure_or_404, post_only, th_date


# Extensions an evidence file keeps; anything else is stored as .bin, so a file is never served
# as a type (HTML, SVG, script) other than the content it was checked to be.
def _page(request, agency_obj, m: Measure, progress_form=None, evidence_form=None, status=200):
    entries = list(m.progress.select_related("author").order_by("-as_of", "-pk"))
    for e in entries:
        e.as_of_th = th_date(e.as_of)
    evidence = list(m.evidence.select_related("owner").order_by("added_on", "pk"))
    for e in evidence:
        e.added_th = th_date(e.added_on)
    allowed = can_update_measure(request.user, m)
    return render(
        request,
        "pages/progress_measure.html",
        {
            "agency": agency_obj,
            "plan": m.plan,
            "measure": m,
            "units": [u.name for u in m.units.all()] or ([m.responsible_text] if m.responsible_text else []),
            "period_end": th_date(m.period_end),
            "entries": entries,
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
    agency_obj = agency_or_404(request, agency)
    m = measure_or_404(agency_obj, measure)
    if request.method != "POST":
        return _page(request, agency_obj, m)
    _require_update(request, m)
    form = ProgressForm(request.POST)
    if not form.is_valid():
        return _page(request, agency_obj, m, progress_form=form, status=400)
    data = form.cleaned_data
    with transaction.atomic():
        ProgressEntry.objects.create(
            measure=m,
            as_of=data["as_of"],
            status=data["status"],
            result=data["result"],
            outcome=data["outcome"],
            suggestion=data["suggestion"],
            author=request.user,
        )
        # The measure's status is the one of its latest report (not a field of the editor's form,
        # so no version: an editor's open form is not made stale by a progress report).
        latest = m.progress.order_by("-as_of", "-pk").first()
        if m.status != latest.status:
            m.status = latest.status
            m.save(update_fields=["status"])
        m.plan.touch()
    messages.success(request, _("บันทึกความก้าวหน้าแล้ว"))
    return redirect("measure_progress", agency=agency, measure=m.pk)


@login_required
def evidence_add(request, agency: str, measure: int):
    agency_obj = agency_or_404(request, agency)
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
                # Checked by content; also gives the file a safe name (Thai letters kept) with
                # the extension its content really has.
                kind = validate_upload(upload)
            except ValidationError as exc:
                form.add_error("file", exc)
            else:
                upload.seek(0)
        else:
            kind = EvidenceKind.LINK
    if not form.is_valid() or kind is None:
        return _page(request, agency_obj, m, evidence_form=form, status=400)
    data = form.cleaned_data
    with transaction.atomic():
        Evidence.objects.create(
            measure=m,
            kind=kind,
            file=data.get("file") if kind != EvidenceKind.LINK else "",
            url=data.get("url") or "",
            caption=data.get("caption") or "",
            owner=request.user,
            added_on=data["added_on"],
        )
        m.plan.touch()
    messages.success(request, _("เพิ่มหลักฐานแล้ว"))
    return redirect("measure_progress", agency=agency, measure=m.pk)


@login_required
def evidence_file(request, agency: str, evidence: int):
    """An evidence file, for the agency's members only (drafts are not public; the public page
    serves what was approved)."""
    agency_obj = agency_or_404(request, agency)
    ev = get_object_or_404(Evidence, pk=evidence, measure__plan__agency=agency_obj)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    if not ev.file:
        raise Http404
    try:
        handle = ev.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=ev.kind != EvidenceKind.PHOTO, filename=PurePath(ev.file.name).name
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = (
        "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
    )
    return response


@login_required
def evidence_delete(request, agency: str, evidence: int):
    agency_obj = agency_or_404(request, agency)
    ev = get_object_or_404(
        Evidence.objects.select_related("measure__plan"), pk=evidence, measure__plan__agency=agency_obj
    )
    if refused := post_only(request):
        return refused
    m = ev.measure
    _require_update(request, m)
    with transaction.atomic():
        # The stored file is kept: the audit trail's earlier versions still name it.
        ev.delete()
        m.plan.touch()
    messages.success(request, _("ลบหลักฐานแล้ว"))
    return redirect("measure_progress", agency=agency, measure=m.pk)
