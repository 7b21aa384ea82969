"""One entry point for every caller (CLI, web): build a document kind from a record, render it."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from typing import Literal

from prongsai.documents.builders.analysis import build_analysis
from prongsai.documents.builders.reports import build_memo, build_plan, build_progress
from prongsai.documents.model import Document
from prongsai.interchange.models import Document as Record
from prongsai.interchange.models import Measure
from prongsai.ita.analysis import Analysis
from prongsai.ita.api import analyse_document
from prongsai.ita.plan import draft_plan

Kind = Literal["analysis", "plan", "progress", "memo"]
Format = Literal["docx", "pdf", "html"]
KINDS = ("analysis", "plan", "progress", "memo")
FORMATS = ("docx", "pdf", "html")


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
    evidence_dir: Path | None = None,
) -> Document:
    try:
        return _build(kind, record, year, layout, wraps, thai_digits, as_of, evidence_dir)
    except ValueError as exc:  # e.g. no report year can be inferred
        raise DocumentError(str(exc)) from None


def _build(kind, record, year, layout, wraps, thai_digits, as_of, evidence_dir) -> Document:
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
        return build_progress(
            record, layout=layout, as_of=as_of, thai_digits=thai_digits, evidence_dir=evidence_dir
        )
    if kind == "memo":
        if wraps == "memo":
            raise DocumentError("a memo wraps a report, not another memo")
        inner = _build(wraps, record, year, layout, wraps, thai_digits, as_of, evidence_dir)
        return build_memo(record, inner, kind=wraps, thai_digits=thai_digits)
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
