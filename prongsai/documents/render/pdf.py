"""PDF from the document model through Typst (PyPI ``typst``): the real TH Sarabun New loaded by
path with system fonts ignored, Thai lines broken between words by Typst's dictionary, a text
layer that copies ำ as typed, charts drawn as vectors. No Pango, no browser engine, no subprocess."""

from __future__ import annotations

from pathlib import Path

from prongsai.documents.model import Document
from prongsai.documents.render.typst import compile_files, typst_files


def render_pdf(doc: Document, out: Path | None = None) -> bytes:
    sources, images = typst_files(doc)
    data = compile_files(sources, images, "pdf")
    if out is not None:
        Path(out).write_bytes(data)
    return data
