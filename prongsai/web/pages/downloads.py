"""The official documents of a plan's year, built from the one record (``plan_record``) by the
documents service, with a Thai file name. Photos come only from the plan's own evidence rows
(``images.plan_images``); a memo carries the stored บันทึกข้อความ of the report it wraps and the
agency's emblem. The progress report comes in both layouts (``?layout=status|result``)."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import render
from django.utils.translation import gettext as _

from prongsai.documents.service import FORMATS, KINDS, DocumentError, Image, ImageLookup, build
from prongsai.documents.service import render as render_document
from prongsai.interchange.models import Document as Record
from prongsai.web.agencies.access import agency_for
from prongsai.web.cycle import records
from prongsai.web.cycle.images import agency_emblem, plan_images
from prongsai.web.cycle.models import MemoKind, Plan
from prongsai.web.cycle.records import plan_record
from prongsai.web.pages.plans import plan_or_404

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "html": "text/html; charset=utf-8",
}


def file_title(kind: str) -> str:
    return {
        "analysis": _("รายงานผลการวิเคราะห์ผลการประเมิน ITA"),
        "plan": _("มาตรการส่งเสริมคุณธรรมและความโปร่งใส"),
        "progress": _("รายงานความก้าวหน้าการดำเนินการตามมาตรการ"),
        "memo": _("บันทึกข้อความ"),
    }[kind]


def content_disposition(filename: str, ascii_fallback: str, inline: bool = False) -> str:
    """RFC 6266: an ASCII name for old clients and the Thai name as filename*=UTF-8''…"""
    return "{}; filename=\"{}\"; filename*=UTF-8''{}".format(
        "inline" if inline else "attachment", ascii_fallback, quote(filename, safe="")
    )


LAYOUTS = ("status", "result")


def record_document(
    record: Record,
    kind: str,
    fmt: str,
    *,
    layout: str = "status",
    wraps: str = "progress",
    images: ImageLookup | None = None,
    emblem: Image | None = None,
) -> bytes:
    """One document of a record as ``fmt`` (DocumentError when it cannot be made): the one path
    from a record to a file for the officers' downloads and the public ones (public.documents,
    which passes an approved snapshot)."""
    doc = build(kind, record, layout=layout, wraps=wraps, images=images, emblem=emblem)
    return render_document(doc, fmt)


def plan_document(
    plan: Plan, kind: str, fmt: str, *, layout: str = "status", wraps: str = "progress"
) -> bytes:
    """One document of the plan's year as ``fmt`` (DocumentError when it cannot be made)."""
    memo = kind == "memo"
    record = plan_record(plan, memo_kind=wraps if memo else None)
    return record_document(
        record,
        kind,
        fmt,
        layout=layout,
        wraps=wraps,
        images=plan_images(plan),
        emblem=agency_emblem(plan.agency) if memo else None,
    )


def file_response(data: bytes, agency_obj, year: int, kind: str, fmt: str, *, layout: str, wraps: str):
    """The document's bytes under its Thai file name (``year``: the one its title names)."""
    title = file_title(kind)
    slug = kind
    if kind == "memo":
        title = f"{title} ({file_title(wraps)})"
        slug = f"memo-{wraps}"
    elif kind == "progress" and layout == "result":
        title = f"{title} ({_('ผลการดำเนินงาน')})"
        slug = "progress-result"
    name = f"{title} {agency_obj.name} ปี {year}.{fmt}"
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = content_disposition(
        name, f"{slug}-{agency_obj.slug}-{year}.{fmt}", fmt == "html"
    )
    return response


def document_response(request, plan: Plan, kind: str, fmt: str, *, layout: str, wraps: str):
    agency_obj = plan.agency
    year = plan.fiscal_year
    if kind == "analysis":  # named for the ITA year it analyses (the plan's year answers the one before)
        assessed = records.latest_assessments(agency_obj, before=year, n=1)
        year = assessed[-1].fiscal_year if assessed else year
    try:
        data = plan_document(plan, kind, fmt, layout=layout, wraps=wraps)
    except DocumentError as exc:
        return render(
            request,
            "pages/plan_document_error.html",
            {"agency": agency_obj, "plan": plan, "kind": file_title(kind), "reason": str(exc)},
            status=422,
        )
    return file_response(data, agency_obj, year, kind, fmt, layout=layout, wraps=wraps)


@login_required
def document_download(request, agency: str, year: int, kind: str, fmt: str):
    agency_obj = agency_for(request.user, agency)
    plan = plan_or_404(agency_obj, year)
    if kind not in KINDS or fmt not in FORMATS:
        raise Http404
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    layout = request.GET.get("layout", "status")
    wraps = request.GET.get("wraps", MemoKind.PROGRESS)
    if layout not in LAYOUTS or wraps not in MemoKind.values:
        raise Http404
    return document_response(request, plan, kind, fmt, layout=layout, wraps=wraps)
