"""One entry point for every caller (CLI, web): build a document kind from a record, render it."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Literal, TypeGuard

from prongsai.documents.builders.analysis import build_analysis
from prongsai.documents.builders.common import unbreakable_names
from prongsai.documents.builders.reports import build_memo, build_plan, build_progress
from prongsai.documents.model import Document
from prongsai.interchange.limits import over_limits
from prongsai.interchange.models import Document as Record
from prongsai.interchange.models import Evidence, Measure
from prongsai.ita.analysis import Analysis
from prongsai.ita.api import analyse_document
from prongsai.ita.plan import draft_plan

Kind = Literal["analysis", "plan", "progress", "memo"]
Format = Literal["docx", "pdf", "html"]
KINDS = ("analysis", "plan", "progress", "memo")
FORMATS = ("docx", "pdf", "html")


def is_format(name: str) -> TypeGuard[Format]:
    return name in FORMATS


# An image as (bytes, MIME type): a PNG or JPEG checked by its bytes.
Image = tuple[bytes, str]
# How a builder gets an evidence photo: from the agency's own store, by the evidence's id (the
# web app) or by its name inside one folder the operator chose (the CLI). None = not found.
ImageLookup = Callable[[Evidence], Image | None]


def sniff_image(data: bytes) -> str | None:
    """The MIME type of a PNG or JPEG by its first bytes; None for anything else."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    return None


def folder_images(base: Path) -> ImageLookup:
    """Evidence photos from one folder (the CLI's evidence store): the evidence's id, else its
    ref, is a file name inside ``base``; anything resolving outside it is not found."""
    root = base.resolve()

    def lookup(e: Evidence) -> Image | None:
        name = e.id or e.ref
        try:
            path = (root / name).resolve()
        except (OSError, ValueError):
            return None
        if not path.is_relative_to(root) or not path.is_file():
            return None
        data = path.read_bytes()
        mime = sniff_image(data)
        return (data, mime) if mime else None

    return lookup


# The parts of a record whose texts a document prints.
_TEXT_PARTS = {"agency", "assessments", "measures", "memo"}


class DocumentError(Exception):
    """A document that cannot be made from this record (the message says what is missing)."""


def _analysis(record: Record, year: int | None) -> Analysis | None:
    if not record.assessments:
        return None
    try:
        return analyse_document(record, year)[0]
    except ValueError as exc:
        raise DocumentError(str(exc)) from None


def plan_measures(record: Record, analysis: Analysis | None) -> list[Measure]:
    """The record's own measures; a drafted plan when it has none (so a plan is never empty)."""
    if record.measures:
        return record.measures
    if analysis is None:
        raise DocumentError("the record has neither measures nor an assessment to draft them from")
    return [m.to_interchange() for m in draft_plan(analysis).measures]


def build(
    kind: Kind,
    record: Record,
    *,
    year: int | None = None,
    layout: str = "status",
    wraps: Kind = "progress",
    thai_digits: bool = True,
    as_of: date | None = None,
    images: ImageLookup | None = None,
    emblem: Image | None = None,
    evidence_dir: Path | None = None,
) -> Document:
    """``images`` finds evidence photos for the progress report's appendix (``evidence_dir`` is
    the CLI's shorthand for ``folder_images``); ``emblem`` is the agency's ครุฑ for a memo."""
    if images is None and evidence_dir is not None:
        images = folder_images(evidence_dir)
    # Text over the limits table (a row stored before it, a record made without validation) is
    # refused, named, before any layout: page time grows with text (an 80 KB title took 20 s, a
    # 2 MB one never returned: issue 11, item 4).
    too_long = over_limits(record.model_dump(mode="json", include=_TEXT_PARTS))
    if too_long:
        first = too_long[0]
        raise DocumentError(f"{first.message_th} ({first.message_en})")
    try:
        doc = _build(kind, record, year, layout, wraps, thai_digits, as_of, images, emblem)
    except ValueError as exc:  # e.g. no report year can be inferred
        raise DocumentError(str(exc)) from None
    doc.unbreakable = unbreakable_names(record)
    return doc


def _build(
    kind: Kind,
    record: Record,
    year: int | None,
    layout: str,
    wraps: Kind,
    thai_digits: bool,
    as_of: date | None,
    images: ImageLookup | None,
    emblem: Image | None,
) -> Document:
    if kind == "analysis":
        analysis = _analysis(record, year)
        if analysis is None:
            raise DocumentError("an analysis report needs at least one assessment")
        return build_analysis(record, analysis, plan_measures(record, analysis), thai_digits=thai_digits)
    if kind == "plan":
        analysis = _analysis(record, year)
        return build_plan(record, plan_measures(record, analysis), analysis, thai_digits=thai_digits)
    if kind == "progress":
        if not record.measures:
            raise DocumentError("a progress report needs the record's measures")
        return build_progress(record, layout=layout, as_of=as_of, thai_digits=thai_digits, images=images)
    if kind == "memo":
        if wraps == "memo":
            raise DocumentError("a memo wraps a report, not another memo")
        inner = _build(wraps, record, year, layout, wraps, thai_digits, as_of, images, emblem)
        return build_memo(record, inner, kind=wraps, thai_digits=thai_digits, emblem=emblem)
    raise DocumentError(f"unknown document kind {kind!r} ({', '.join(KINDS)})")


def copy_fonts(folder: Path) -> None:
    """A published page loads TH Sarabun New from ``fonts/`` beside it."""
    from prongsai.documents.fonts import FILES, FONT_DIR, font_path

    font_path()
    folder.mkdir(exist_ok=True)
    for name in FILES.values():
        shutil.copyfile(FONT_DIR / name, folder / name)


def render(doc: Document, fmt: Format, out: Path | None = None) -> bytes:
    """Write ``doc`` as ``fmt`` (to ``out`` when given) and return the bytes."""
    if out is not None and not Path(out).parent.is_dir():
        raise DocumentError(f"{Path(out).parent}: no such directory")
    if fmt == "docx":
        from prongsai.documents.render.docx import render_docx

        return render_docx(doc, out)
    if fmt == "pdf":
        from prongsai.documents.render.pdf import render_pdf

        return render_pdf(doc, out)
    if fmt == "html":
        from prongsai.documents.render.html import render_html

        data = render_html(doc).encode("utf-8")
        if out is not None:
            Path(out).write_bytes(data)
            copy_fonts(Path(out).parent / "fonts")
        return data
    raise DocumentError(f"unknown format {fmt!r} ({', '.join(FORMATS)})")
