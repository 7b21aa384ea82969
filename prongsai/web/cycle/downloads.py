"""Serving an evidence file, for the agency's pages and the public page alike."""

from __future__ import annotations

from django.http import FileResponse, Http404

from prongsai.web.cycle.models import Evidence, EvidenceKind


def evidence_response(ev: Evidence) -> FileResponse:
    """The file under the name it was uploaded with (Django writes RFC 5987 ``filename*`` for a
    Thai name), a photo shown in the browser, anything else downloaded; served so that it can never
    run as a page of this site (nosniff, a sandboxing CSP). 404 when the file is gone."""
    if not ev.file:
        raise Http404
    try:
        handle = ev.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=ev.kind != EvidenceKind.PHOTO, filename=ev.file_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = (
        "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
    )
    return response
