"""Public pages, no login: one stable URL per agency and fiscal year (the link an agency gives the
NACC's ITAS for its OIT items), showing exactly what the executive approved.

Content comes only from the newest approved ``Approval.snapshot`` of that year's plan (an
interchange document frozen at approval), never from the live rows: an edit after approval shows
here only once it is approved again, and approving next year's plan leaves this year's page as it
was. The documents are the documents service's own (analysis, measures plan, progress report),
rendered to HTML by ``prongsai.documents.render.html``; the fonts are served from /p/fonts/.
"""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import Count, Max, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from prongsai.documents.fonts import FILES, FONT_DIR
from prongsai.documents.render.html import HtmlRenderer
from prongsai.documents.service import DocumentError, build
from prongsai.interchange.models import Document as Record
from prongsai.thai.dates import thai_date
from prongsai.web.agencies.models import Agency
from prongsai.web.cycle.images import evidence_images
from prongsai.web.cycle.models import Approval, Decision, Evidence, Plan

KINDS = (
    ("analysis", "ผลการวิเคราะห์"),
    ("plan", "มาตรการ"),
    ("progress", "รายงานความก้าวหน้า"),
)
FONT_NAMES = {name: key for key, name in FILES.items()}


def latest_approval(agency: Agency, year: int) -> Approval | None:
    """The newest approval of the year's plan: what the public sees for that year."""
    return (
        Approval.objects.filter(plan__agency=agency, plan__fiscal_year=year, decision=Decision.APPROVED)
        .order_by("-decided_at", "-pk")
        .first()
    )


def _has_progress(record: Record) -> bool:
    return any(
        (m.status and m.status != "not_started") or m.result or m.outcome or m.evidence
        for m in record.measures
    )


def sections(approval: Approval) -> list[dict]:
    """The approved documents as HTML fragments, made once per approval (a snapshot never changes)."""
    key = f"prongsai:public:{approval.pk}:{approval.version}:{approval.decided_at.timestamp()}"
    found = cache.get(key)
    if found is not None:
        return found
    record = Record.model_validate(approval.snapshot)
    # Approved photos come from the evidence store, by the snapshot's evidence ids, and only
    # from the evidence rows of this approved plan: an id of anything else finds nothing.
    images = evidence_images(Evidence.objects.filter(measure__plan_id=approval.plan_id))
    out = []
    for kind, label in KINDS:
        if kind == "analysis" and not record.assessments:
            continue
        if kind in ("plan", "progress") and not record.measures:
            continue
        if kind == "progress" and not _has_progress(record):
            continue
        # The progress report with its results column when there are results to show.
        layout = "result" if any(m.result or m.outcome for m in record.measures) else "status"
        try:
            doc = build(kind, record, layout=layout, images=images)
        except DocumentError:
            continue
        renderer = HtmlRenderer(doc, font_base=None)
        html = "\n".join(renderer.block(b) for b in renderer.blocks_with_title())
        out.append({"kind": kind, "label": label, "title": doc.title, "html": html})
    cache.set(key, out, 24 * 3600)
    return out


@require_safe
def agency(request, agency: str):
    a = get_object_or_404(Agency, slug=agency)
    years = list(
        Plan.objects.filter(agency=a)
        .annotate(
            approved_count=Count("approvals", filter=Q(approvals__decision=Decision.APPROVED)),
            last_approved=Max("approvals__decided_at", filter=Q(approvals__decision=Decision.APPROVED)),
        )
        .filter(approved_count__gt=0)
        .values("fiscal_year", "last_approved")
        .order_by("-fiscal_year")
    )
    if not years:
        raise Http404
    for y in years:
        y["approved_on"] = thai_date(timezone.localtime(y["last_approved"]).date())
    return render(request, "public/agency.html", {"agency": a, "years": years})


@require_safe
def year(request, agency: str, year: int):
    a = get_object_or_404(Agency, slug=agency)
    approval = latest_approval(a, year)
    if approval is None:
        raise Http404
    parts = [{**s, "html": mark_safe(s["html"])} for s in sections(approval)]  # escaped by the renderer
    return render(
        request,
        "public/year.html",
        {
            "agency": a,
            "year": year,
            "approval": approval,
            "approved_on": thai_date(timezone.localtime(approval.decided_at).date()),
            "sections": parts,
        },
    )


@require_safe
@cache_control(public=True, max_age=30 * 24 * 3600)
def font(request, name: str):
    if name not in FONT_NAMES or not (FONT_DIR / name).is_file():
        raise Http404
    return FileResponse(open(FONT_DIR / name, "rb"), content_type="font/ttf")
