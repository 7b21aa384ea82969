"""An over-size request refused by what it announces, before Django reads a byte of its body.

Without it a 300 MiB upload was written to a temporary file in full and only then refused (by the
form's per-file limit). The proxy's ``client_max_body_size`` (docs/deploy.md) refuses it earlier
still; this holds where no proxy does (the development server, a proxy set up without the cap).
A body with no Content-Length (chunked) is read by Django as empty, so it costs nothing either.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.http import HttpResponse
from django.template.defaultfilters import filesizeformat
from django.utils.html import escape
from django.utils.translation import gettext as _


def announced_length(request) -> int | None:
    raw = request.META.get("CONTENT_LENGTH") or ""
    try:
        return int(raw) if raw.strip() else None
    except ValueError:
        return None


def too_large_th(limit: int) -> str:
    return _(
        "คำขอมีขนาดเกิน %(limit)s ซึ่งเป็นขนาดสูงสุดที่ระบบรับได้ในครั้งเดียว กรุณาแบ่งไฟล์อัปโหลดเป็นหลายครั้ง หรือลดขนาดไฟล์"
    ) % {"limit": filesizeformat(limit)}


class RequestSizeLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.PRONGSAI_MAX_REQUEST_BYTES
        length = announced_length(request)
        if length is not None and length > limit:
            return self.refuse(request, limit)
        return self.get_response(request)

    @staticmethod
    def refuse(request, limit: int) -> HttpResponse:
        message = too_large_th(limit)
        if request.path.startswith("/api/"):
            body = {"error": f"request body larger than {limit} bytes", "error_th": message}
            response = HttpResponse(
                json.dumps(body, ensure_ascii=False), status=413, content_type="application/json"
            )
        else:
            html = (
                '<!doctype html><html lang="th"><meta charset="utf-8"><title>413</title>'
                f"<h1>{escape(_('ไฟล์ใหญ่เกินไป'))}</h1><p>{escape(message)}</p></html>"
            )
            response = HttpResponse(html, status=413, content_type="text/html; charset=utf-8")
        response["Content-Security-Policy"] = "default-src 'none'"
        return response
