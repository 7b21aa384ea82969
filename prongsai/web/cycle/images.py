"""Photos and the emblem for the documents service, from the agency's own store only.

A document names an evidence photo by its id (interchange ``Evidence.id``); the lookup made here
answers only for the evidence rows it was given (one plan's measures), so a record or snapshot that
names another plan's or another agency's evidence id gets nothing. A ``ref`` is never opened.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import QuerySet

from prongsai.documents.service import Image, ImageLookup, sniff_image
from prongsai.interchange.models import Evidence as RecordEvidence
from prongsai.web.agencies.models import Agency
from prongsai.web.cycle.models import Evidence, Plan
from prongsai.web.cycle.uploads import EMBLEM_MAX_BYTES

# A photo larger than this is not embedded (an upload is checked against EVIDENCE_MAX_BYTES).
MAX_PHOTO_BYTES = 20 * 1024 * 1024


def _read(field_file, limit: int) -> bytes | None:
    try:
        with field_file.open("rb") as handle:
            data = handle.read(limit + 1)
    except (FileNotFoundError, OSError, ValueError):
        return None
    return data if len(data) <= limit else None


def evidence_images(rows: QuerySet[Evidence]) -> ImageLookup:
    """A lookup that resolves an interchange evidence by its id among ``rows`` only."""
    files = {str(pk): name for pk, name in rows.exclude(file="").values_list("pk", "file")}
    limit = min(MAX_PHOTO_BYTES, getattr(settings, "EVIDENCE_MAX_BYTES", MAX_PHOTO_BYTES))
    cache: dict[str, Image | None] = {}

    def lookup(e: RecordEvidence) -> Image | None:
        key = (e.id or "").strip()
        if key not in files:
            return None
        if key not in cache:
            row = Evidence(pk=int(key), file=files[key])
            data = _read(row.file, limit)
            mime = sniff_image(data) if data else None
            cache[key] = (data, mime) if data and mime else None
        return cache[key]

    return lookup


def plan_images(plan: Plan) -> ImageLookup:
    """Photos of the plan's own measures."""
    return evidence_images(Evidence.objects.filter(measure__plan=plan))


def agency_emblem(agency: Agency) -> Image | None:
    """The agency's ครุฑ as (bytes, MIME), when one was uploaded and is still a PNG or JPEG."""
    if not agency.emblem:
        return None
    data = _read(agency.emblem, EMBLEM_MAX_BYTES)
    mime = sniff_image(data) if data else None
    return (data, mime) if data and mime else None
