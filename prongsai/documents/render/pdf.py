"""PDF from the document model: WeasyPrint on our HTML, with the real TH Sarabun New loaded by
path (never a family name that fontconfig may swap) and the Thai text-layer fix installed."""

from __future__ import annotations

import logging
from pathlib import Path

from prongsai.documents.fonts import FONT_DIR, font_path
from prongsai.documents.model import Document
from prongsai.documents.render import pdf_text_layer
from prongsai.documents.render.html import render_html

# WeasyPrint logs every CSS property it ignores; the documents' CSS is ours and checked.
logging.getLogger("weasyprint").setLevel(logging.ERROR)


def render_pdf(doc: Document, out: Path | None = None) -> bytes:
    from weasyprint import HTML  # imported late: it takes ~0.7 s

    font_path()  # fail clearly when the font is not installed
    pdf_text_layer.install()
    html = render_html(doc, font_base=FONT_DIR.resolve().as_uri() + "/")
    data = HTML(string=html, base_url=str(FONT_DIR)).write_pdf()
    if out is not None:
        Path(out).write_bytes(data)
    return data
