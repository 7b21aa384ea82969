"""Every error the API answers is ``{"error": "...", "error_th": "..."}`` with its status code."""

from __future__ import annotations

from django.http import Http404
from ninja.errors import AuthenticationError, HttpError, ValidationError


class ApiError(Exception):
    def __init__(self, status: int, error: str, error_th: str, **extra) -> None:
        super().__init__(error)
        self.status = status
        self.error = error
        self.error_th = error_th
        self.extra = extra


def not_found() -> ApiError:
    return ApiError(404, "not found", "ไม่พบข้อมูล")


def forbidden(error: str, error_th: str) -> ApiError:
    return ApiError(403, error, error_th)


def _field(loc) -> str:
    """('body', 'payload', 'indicators', '3') -> 'indicators.3'."""
    parts = [str(p) for p in loc]
    if parts and parts[0] in ("body", "query", "path", "header", "cookie", "form"):
        parts = parts[1:]
        if len(parts) > 1 and parts[0] == "payload":
            parts = parts[1:]
    return ".".join(parts) or "body"


def install(api) -> None:
    def body(error: str, error_th: str, **extra):
        return {"error": error, "error_th": error_th, **extra}

    @api.exception_handler(ApiError)
    def api_error(request, exc: ApiError):
        return api.create_response(request, body(exc.error, exc.error_th, **exc.extra), status=exc.status)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        return api.create_response(
            request,
            body(
                "authentication required: send 'Authorization: Bearer <token>' with a valid token",
                "ต้องยืนยันตัวตน: ส่งโทเคนที่ถูกต้องในส่วนหัว Authorization: Bearer <token>",
            ),
            status=401,
        )

    @api.exception_handler(Http404)
    def missing(request, exc):
        return api.create_response(request, body("not found", "ไม่พบข้อมูล"), status=404)

    @api.exception_handler(ValidationError)
    def invalid(request, exc: ValidationError):
        fields = [{"field": _field(e.get("loc", ())), "message": e.get("msg", "")} for e in exc.errors]
        named = "; ".join(f"{f['field']}: {f['message']}" for f in fields)
        return api.create_response(
            request,
            body(f"invalid input: {named}", f"ข้อมูลไม่ถูกต้อง: {named}", fields=fields),
            status=422,
        )

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        th = {
            400: "คำขอไม่ถูกต้อง",
            403: "ไม่มีสิทธิ์",
            404: "ไม่พบข้อมูล",
            405: "ไม่รองรับวิธีนี้",
        }.get(exc.status_code, "เกิดข้อผิดพลาด")
        if "CSRF" in exc.message:
            th = "ไม่มีโทเคน CSRF ของหน้าเว็บ: โหลดหน้าใหม่แล้วลองอีกครั้ง"
        return api.create_response(request, body(exc.message, th), status=exc.status_code)
