"""The official documents of a plan's year, built from the one record (``plan_record``) by the
documents service, with a Thai file name."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import render
from django.utils.translation import gettext as _

from prongsai.documents.service import FORMATS, KINDS, DocumentError, build
from prongsai.documents.service import render as render_document
from prongsai.web.cycle.records import plan_record
from prongsai.web.pages.plans import agency_or_404, plan_or_404

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


@login_required
def document_download(request, agency: str, year: int, kind: str, fmt: str):
    agency_obj = agency_or_404(request, agency)
    plan = plan_or_404(agency_obj, year)
    if kind not in KINDS or fmt not in FORMATS:
        raise Http404
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    try:
        data = render_document(build(kind, plan_record(plan)), fmt)
    except DocumentError as exc:
        return render(
            request,
            "pages/plan_document_error.html",
            {"agency": agency_obj, "plan": plan, "kind": file_title(kind), "reason": str(exc)},
            status=422,
        )
    name = f"{file_title(kind)} {agency_obj.name} ปี {year}.{fmt}"
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = content_disposition(
        name, f"{kind}-{agency_obj.slug}-{year}.{fmt}", fmt == "html"
    )
    return response
