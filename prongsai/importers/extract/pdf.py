"""PDF: the text layer through pdfplumber, with ruled tables as tab-separated rows like DOCX rows;
pages without a text layer (scans) are OCR'd one by one."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from prongsai.importers import progress
from prongsai.importers.errors import ImportFailure
from prongsai.importers.extract.result import Extracted
from prongsai.importers.extract.thai import normalise_thai
from prongsai.importers.filetypes import corrupt

if TYPE_CHECKING:  # loaded only when a PDF is read
    from pdfplumber.page import Page
    from pypdfium2 import PdfDocument, PdfTextPage

# A box on the page: x0, top, x1, bottom in points from the top left (pdfplumber's convention).
BBox = tuple[float, float, float, float]

MAX_PAGES = 300
MIN_CHARS = 20  # fewer visible characters than this: a scan with at most a stamped page number


def extract_pdf(data: bytes, source: str | None = None, *, max_pages: int = MAX_PAGES) -> Extracted:
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        count = len(pdf.pages)
    except Exception as exc:  # pdfplumber wraps pdfminer's errors in PdfminerException
        cause = exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else exc
        if isinstance(cause, PDFPasswordIncorrect | PDFEncryptionError):
            raise encrypted(source) from None
        raise corrupt(source, f"unreadable PDF ({type(cause).__name__}: {cause})") from None
    with pdf, _pdfium(data) as pdfium_doc:
        if count > max_pages:
            raise ImportFailure(
                "too_many_pages",
                f"the PDF has {count} pages (limit {max_pages})",
                f"ไฟล์ PDF มี {count} หน้า เกินกว่าที่ระบบรับได้ (สูงสุด {max_pages} หน้า) "
                "กรุณาแยกเฉพาะส่วนที่เป็นรายงาน ITA แล้วนำเข้าใหม่",
                source=source,
            )
        if count == 0:
            raise corrupt(source, "the PDF has no pages")
        texts: list[str | None] = []
        warnings: list[str] = []
        for number, page in enumerate(pdf.pages, start=1):
            progress.report("pages", number, count)
            try:
                text, needs_ocr = _page_text(page, _Repair(pdfium_doc, number - 1, page.height))
            except Exception as exc:  # a broken content stream: pdfium may still draw it
                text, needs_ocr = "", True
                warnings.append(f"page {number}: text layer unreadable ({type(exc).__name__})")
            texts.append(None if needs_ocr else text)
            page.close()  # pdfplumber caches every object of every page otherwise
    return _with_ocr(data, texts, warnings, source)


def _with_ocr(data: bytes, texts: list[str | None], warnings: list[str], source: str | None) -> Extracted:
    from prongsai.importers.extract.ocr import ocr_pdf_pages

    missing = [i for i, t in enumerate(texts) if t is None]
    if missing:
        try:
            for i, text in zip(missing, ocr_pdf_pages(data, missing), strict=True):
                texts[i] = text
                warnings.append(f"page {i + 1} has no text layer; OCR used")
        except ImportFailure as exc:
            # A text PDF with one scanned page is still worth importing without OCR.
            if exc.code != "ocr_unavailable" or len(missing) == len(texts):
                exc.source = exc.source or source
                raise
            warnings.append(
                f"pages {', '.join(str(i + 1) for i in missing)} have no text layer "
                "and OCR is not installed; they are left out"
            )
    method = "ocr" if len(missing) == len(texts) else "pdf"
    text = "\n\n".join(t for t in texts if t)
    return Extracted(text=text, method=method, pages=len(texts), encoding=None, warnings=tuple(warnings))


def encrypted(source: str | None) -> ImportFailure:
    return ImportFailure(
        "encrypted",
        "the file is password-protected",
        "ไฟล์ถูกตั้งรหัสผ่านไว้ กรุณาเปิดไฟล์แล้วบันทึกใหม่โดยไม่ตั้งรหัสผ่าน แล้วนำเข้าอีกครั้ง",
        source=source,
    )


class _pdfium:
    """pdfium's reading of the same file, for the text pdfminer cannot map (below)."""

    def __init__(self, data: bytes):
        self.data = data
        self.doc: PdfDocument | None = None

    def __enter__(self) -> PdfDocument | None:
        try:
            import pypdfium2

            self.doc = pypdfium2.PdfDocument(self.data)
        except Exception:  # pdfminer read it; pdfium's view is only a repair
            self.doc = None
        return self.doc

    def __exit__(self, *exc: object) -> None:
        if self.doc is not None:
            self.doc.close()


class _Repair:
    """Fonts without a ToUnicode entry for some glyphs (LibreOffice's bold Thai subsets) make
    pdfminer write '(cid:3)'; pdfium maps those glyphs. Text of a box is re-read through pdfium
    only where pdfminer failed."""

    def __init__(self, doc: PdfDocument | None, index: int, height: float):
        self.doc, self.index, self.height = doc, index, height
        self._page: PdfTextPage | None = None

    def __call__(self, text: str, bbox: BBox | None) -> str:
        if "(cid:" not in text or self.doc is None or bbox is None:
            return text
        if self._page is None:
            self._page = self.doc[self.index].get_textpage()
        x0, top, x1, bottom = bbox
        got = self._page.get_text_bounded(
            left=x0, bottom=self.height - bottom, right=x1, top=self.height - top
        )
        return " ".join(got.split()) if got.strip() else text


def _page_text(page: Page, repair: _Repair | None = None) -> tuple[str, bool]:
    """(text, needs OCR): lines outside tables and table rows, top to bottom."""
    visible = sum(1 for c in page.chars if not c["text"].isspace())
    # Scans are images and outlined text is curves; a page with neither keeps its few characters
    # (a cover page saying only "รายงาน ITA").
    if visible < MIN_CHARS and (page.images or page.curves):
        return "", True
    tables = page.find_tables()
    boxes = [t.bbox for t in tables]

    def outside(obj: dict[str, Any]) -> bool:
        if obj.get("object_type") != "char":
            return True
        x, y = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)

    fix: Callable[[str, BBox | None], str] = repair or (lambda text, bbox: text)
    rest = page.filter(outside) if boxes else page
    items = [
        (
            line["top"],
            normalise_thai(fix(line["text"], (line["x0"], line["top"], line["x1"], line["bottom"]))),
        )
        for line in rest.extract_text_lines()
    ]
    for table in tables:
        rows = []
        for row, texts in zip(table.rows, table.extract(), strict=True):
            rows.append(
                "\t".join(_cell(fix(t, box) if t else t) for t, box in zip(texts, row.cells, strict=True))
            )
        items.append((table.bbox[1], "\n".join(rows)))
    items.sort(key=lambda item: item[0])
    return "\n".join(text for _, text in items), False


def _cell(text: str | None) -> str:
    # None: the grid position is covered by a merged cell, which is emitted once (like DOCX).
    return " ".join(normalise_thai(text).split()) if text else ""
