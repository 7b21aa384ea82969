"""Public pages, no login: one stable URL per agency and fiscal year (the link an agency gives the
NACC's ITAS for its OIT items), showing exactly what the executive approved.

Content comes only from the newest approved ``Approval.snapshot`` of that year's plan (an
interchange document frozen at approval), never from the live rows: an edit after approval shows
here only once it is approved again, and approving next year's plan leaves this year's page as it
was. The documents are the documents service's own (analysis, measures plan, progress report),
rendered to HTML by ``prongsai.documents.render.html``, and as PDF and DOCX downloads, the same
files the officers download, made once per approved version (``public.documents``); the fonts are
served from /p/fonts/. ``/p/`` itself is the directory (``public.directory``).

Stable links for the OIT assessor: the year page has one anchor per OIT item of the year's edition
(``/p/<agency>/<year>/#o27``), each with the documents that answer it; the documents have their
own stable URLs (``/p/<agency>/<year>/documents/plan.pdf``), always the newest approved version.
"""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from prongsai.documents.fonts import FILES, FONT_DIR
from prongsai.documents.render.html import HtmlRenderer
from prongsai.documents.service import DocumentError, build
from prongsai.interchange.limits import LENIENT
from prongsai.interchange.models import Document as Record
from prongsai.ita.edition import Edition, EditionError, get_edition, nearest_edition
from prongsai.thai.dates import thai_date
from prongsai.web.agencies.models import AGENCY_TYPES, Agency
from prongsai.web.cycle.downloads import evidence_response
from prongsai.web.cycle.images import evidence_images
from prongsai.web.cycle.models import Approval, Decision, Evidence, EvidenceKind, Plan
from prongsai.web.pages.downloads import file_response, file_title
from prongsai.web.public import directory as dir_search
from prongsai.web.public.documents import (
    FORMATS,
    Approved,
    document_bytes,
    progress_layout,
    published_reports,
)


def chosen_language(view):
    """/p/ is outside the language prefix (stable links), where Django's LocaleMiddleware always
    answers in Thai: a public page is Thai unless the visitor chose English with the language
    switch (its cookie); the browser's Accept-Language alone does not change it."""

    @wraps(view)
    def inner(request, *args, **kwargs):
        lang = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if lang not in dict(settings.LANGUAGES):
            return view(request, *args, **kwargs)
        with translation.override(lang):
            return view(request, *args, **kwargs)

    return inner


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


def sections(approval: Approval) -> list[dict]:
    """The approved documents as HTML fragments, made once per approval (a snapshot never changes)."""
    key = f"prongsai:public:{approval.pk}:{approval.version}:{approval.decided_at.timestamp()}"
    found = cache.get(key)
    if found is not None:
        return found
    record = Record.model_validate(approval.snapshot, context=LENIENT)  # as approved, stored
    # Approved photos come from the evidence store, by the snapshot's evidence ids, and only
    # from the evidence rows of this approved plan: an id of anything else finds nothing.
    images = evidence_images(Evidence.objects.filter(measure__plan_id=approval.plan_id))
    out = []
    reports = published_reports(approval.snapshot)
    layout = progress_layout(approval.snapshot)
    for kind, label in KINDS:
        if kind not in reports:
            continue
        try:
            doc = build(kind, record, layout=layout, images=images)
        except DocumentError:
            continue
        renderer = HtmlRenderer(doc, font_base=None)
        html = "\n".join(renderer.block(b) for b in renderer.blocks_with_title())
        out.append({"kind": kind, "label": label, "title": doc.title, "html": html})
    cache.set(key, out, 24 * 3600)
    return out


def _approved_ids(approval: Approval) -> list[tuple[int, str]]:
    """(evidence id, the measure's label) of the files and photos the approved snapshot names,
    in the plan's order."""
    out = []
    for k, m in enumerate(approval.snapshot.get("measures") or [], 1):
        label = f"มาตรการที่ {m.get('no') or k} {m.get('title') or ''}".strip()
        for e in m.get("evidence") or []:
            stored = e.get("kind") in (EvidenceKind.FILE, EvidenceKind.PHOTO)
            if stored and str(e.get("id") or "").isdecimal():
                out.append((int(e["id"]), label))
    return out


def approved_files(approval: Approval) -> list[dict]:
    """The evidence files of the approved plan, grouped by measure: each file's name (as
    uploaded) linked to its public download. Only files the approved snapshot names and that are
    still stored with that plan's measures."""
    named = _approved_ids(approval)
    rows = {
        e.pk: e
        for e in Evidence.objects.filter(pk__in=[pk for pk, _ in named], measure__plan_id=approval.plan_id)
        .exclude(file="")
        .only("pk", "kind", "file", "original_name", "caption")
    }
    groups: dict[str, list[dict]] = {}
    plan = approval.plan
    for pk, label in named:
        ev = rows.get(pk)
        if ev is None:
            continue
        url = reverse(
            "public_evidence", kwargs={"agency": plan.agency.slug, "year": plan.fiscal_year, "evidence": pk}
        )
        groups.setdefault(label, []).append({"name": ev.file_name, "caption": ev.caption, "url": url})
    return [{"measure": label, "files": files} for label, files in groups.items()]


@require_safe
@chosen_language
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


def edition_of(year: int) -> tuple[Edition, bool]:
    """The ITA edition a plan year is published for, and whether it is that year's own (else the
    nearest one the application has)."""
    try:
        return get_edition(year), True
    except EditionError:
        return nearest_edition(year), False


# Which report each edition's document item names.
_ITEM_REPORTS = (("analysis", "analysis"), ("measures", "plan"), ("progress_report", "progress"))


def document_label(doc) -> str:
    if doc.kind == "memo":
        return f"{file_title('memo')} ({file_title(doc.wraps)})"
    return file_title(doc.kind)


def downloads_of(approved: Approved, shown: set[str]) -> list[dict]:
    """Each approved document with its PDF and DOCX links (and its anchor on the page)."""
    plan = approved.approval.plan
    out = []
    for doc in approved.documents.values():
        links = {
            fmt: reverse(
                "public_document",
                kwargs={"agency": plan.agency.slug, "year": plan.fiscal_year, "kind": doc.name, "fmt": fmt},
            )
            for fmt in FORMATS
        }
        out.append(
            {
                "name": doc.name,
                "report": doc.report,
                "label": document_label(doc),
                "pdf": links["pdf"],
                "docx": links["docx"],
                "anchor": doc.name if doc.name in shown else "",
            }
        )
    return out


def oit_items(edition: Edition, docs: list[dict]) -> list[dict]:
    """The edition's OIT items in order, each with the approved documents that answer it."""
    answers: dict[str, list[str]] = {}
    for item_key, report in _ITEM_REPORTS:
        item = getattr(edition.document_items, item_key).item
        if item:
            answers.setdefault(item, []).append(report)
    out = []
    for group in edition.items:
        if group.tool != "OIT":
            continue
        for item in group.entries:
            reports = answers.get(item.id, [])
            out.append(
                {
                    "id": item.id,
                    "name": item.name_th or "",
                    "indicator": item.indicator,
                    "docs": [d for d in docs if d["report"] in reports],
                    "answered_here": bool(reports),
                }
            )
    return out


@require_safe
@chosen_language
def year(request, agency: str, year: int):
    a = get_object_or_404(Agency, slug=agency)
    approval = latest_approval(a, year)
    if approval is None:
        raise Http404
    parts = [{**s, "html": mark_safe(s["html"])} for s in sections(approval)]  # escaped by the renderer
    approved = Approved(approval)
    docs = downloads_of(approved, {p["kind"] for p in parts})
    edition, own_edition = edition_of(year)
    items = oit_items(edition, docs)
    return render(
        request,
        "public/year.html",
        {
            "agency": a,
            "year": year,
            "approval": approval,
            "approved_on": thai_date(timezone.localtime(approval.decided_at).date()),
            "sections": parts,
            "files": approved_files(approval),
            "downloads": docs,
            "oit_here": [i for i in items if i["answered_here"]],
            "oit_elsewhere": [i for i in items if not i["answered_here"]],
            "edition": edition.edition,
            "own_edition": own_edition,
            "page_url": request.build_absolute_uri(
                reverse("public_year", kwargs={"agency": a.slug, "year": year})
            ),
        },
    )


@require_safe
@chosen_language
def document(request, agency: str, year: int, kind: str, fmt: str):
    """One approved document as PDF or DOCX: the newest approval's, from its snapshot, made once
    per approved version (public.documents)."""
    a = get_object_or_404(Agency, slug=agency)
    approval = latest_approval(a, year)
    if approval is None or fmt not in FORMATS:
        raise Http404
    approved = Approved(approval)
    doc = approved.documents.get(kind)
    if doc is None:
        raise Http404
    try:
        data = document_bytes(approved, doc, fmt)
    except DocumentError:
        raise Http404 from None
    response = file_response(
        data, a, approved.title_year(doc), doc.kind, fmt, layout=doc.layout, wraps=doc.wraps
    )
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_safe
@chosen_language
def directory(request):
    """/p/: every agency, searchable by name and filtered by province and type, paged."""
    known = dir_search.provinces()
    query = dir_search.read_query(request.GET, known)
    result = dir_search.search(query, known)
    problems = {
        "long": _("คำค้นยาวเกินไป (ไม่เกิน %(n)s ตัวอักษร)") % {"n": dir_search.MAX_QUERY},
        "page": _("ไม่มีหน้านี้"),
        "filter": _("ไม่มีจังหวัดหรือประเภทหน่วยงานนี้"),
    }

    def page_url(n: int) -> str:
        params = {
            k: v
            for k, v in (
                ("q", query.q),
                ("province", query.province),
                ("type", query.type),
                ("published", "1" if query.published else ""),
                ("page", str(n) if n > 1 else ""),
            )
            if v
        }
        return "?" + urlencode(params) if params else request.path

    return render(
        request,
        "public/directory.html",
        {
            "query": query,
            "result": result,
            "provinces": known,
            "types": AGENCY_TYPES,
            "max_query": dir_search.MAX_QUERY,
            "problem": problems.get(query.problem, ""),
            "prev_url": page_url(query.page - 1) if 1 < query.page <= result.pages + 1 else "",
            "next_url": page_url(query.page + 1) if query.page < result.pages else "",
        },
    )


@require_safe
def evidence(request, agency: str, year: int, evidence: int):
    """One evidence file of the year's approved plan, under its own name; anything else (a
    draft's file, another year's, another agency's) is not found."""
    a = get_object_or_404(Agency, slug=agency)
    approval = latest_approval(a, year)
    if approval is None or evidence not in {pk for pk, _ in _approved_ids(approval)}:
        raise Http404
    ev = get_object_or_404(Evidence, pk=evidence, measure__plan_id=approval.plan_id)
    return evidence_response(ev)


@require_safe
@cache_control(public=True, max_age=30 * 24 * 3600)
def font(request, name: str):
    if name not in FONT_NAMES or not (FONT_DIR / name).is_file():
        raise Http404
    return FileResponse(open(FONT_DIR / name, "rb"), content_type="font/ttf")
