"""DOCX: paragraphs and tables of the body in document order. A table row becomes one line of
tab-separated cells, the same shape as the legacy text exports and the PDF extractor's rows.
Headers, footers, footnotes and comments are left out: they repeat or annotate, they do not report."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Protocol

from prongsai.importers.errors import ImportFailure
from prongsai.importers.extract.result import Extracted
from prongsai.importers.filetypes import corrupt

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
P, TBL, TR, TC, T = W + "p", W + "tbl", W + "tr", W + "tc", W + "t"
# Containers whose children are read as if they stood in their place.
_WRAPPERS = {W + "sdt", W + "sdtContent", W + "customXml", W + "smartTag", W + "ins"}
# Subtrees with no reading text: properties, deleted text, field codes, and the VML copy of a
# text box that Word stores next to the DrawingML one (reading both would double the text).
_SKIP = {W + "pPr", W + "rPr", W + "tcPr", W + "trPr", W + "tblPr", W + "del", W + "instrText", MC_FALLBACK}


class XmlElement(Protocol):
    """What we read of an lxml element of the document (python-docx's own classes or plain ones)."""

    tag: str
    text: str | None

    def __iter__(self) -> Iterator[XmlElement]: ...
    def iter(self, tag: str) -> Iterator[XmlElement]: ...
    def get(self, key: str, default: str | None = None) -> str | None: ...
    def find(self, path: str) -> XmlElement | None: ...
    def getparent(self) -> XmlElement | None: ...


def extract_docx(data: bytes, source: str | None = None) -> Extracted:
    import docx

    try:
        body = docx.Document(io.BytesIO(data)).element.body
    except ValueError as exc:  # python-docx: a package, but not a Word document (.docm, .dotx...)
        raise ImportFailure(
            "unsupported_type",
            f"not a plain Word document ({exc}); save it as .docx",
            "ไฟล์นี้ไม่ใช่เอกสาร Word แบบปกติ กรุณาบันทึกเป็นไฟล์ .docx แล้วนำเข้าใหม่",
            source=source,
        ) from None
    except Exception as exc:  # bad XML, missing parts, CRC errors: all mean a damaged file
        raise corrupt(source, f"{type(exc).__name__}: {exc}") from None
    blocks = list(_blocks(body))
    # Word joiners (U+2060) keep a name on one line and are layout, not text (our own renderer
    # puts them between the letters of place names).
    text = "\n\n".join(blocks).replace("\u2060", "")
    return Extracted(text=text, method="docx", pages=None, encoding=None)


def _blocks(parent: XmlElement) -> Iterator[str]:
    """One string per paragraph or table; a blank line goes between blocks, as in the legacy
    text exports, so a table's rows are never glued to the prose around it."""
    for child in parent:
        if child.tag == P:
            yield _inline_text(child)
        elif child.tag == TBL:
            yield "\n".join(_row_line(tr) for tr in _children(child, TR))
        elif child.tag in _WRAPPERS:
            yield from _blocks(child)


def _children(parent: XmlElement, tag: str) -> Iterator[XmlElement]:
    for child in parent:
        if child.tag == tag:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _children(child, tag)


def _row_line(tr: XmlElement) -> str:
    """Cells in grid order: a horizontally merged cell once, then an empty cell for each further
    column it spans; the lower parts of a vertical merge empty. Columns stay aligned across rows."""
    cells: list[str] = [""] * _val(tr.find(f"{W}trPr/{W}gridBefore"), 0)
    for tc in _children(tr, TC):
        props = tc.find(W + "tcPr")
        vmerge = props.find(W + "vMerge") if props is not None else None
        continues = vmerge is not None and vmerge.get(W + "val", "continue") == "continue"
        cells.append("" if continues else _cell_text(tc))
        cells.extend([""] * (_val(props.find(W + "gridSpan") if props is not None else None, 1) - 1))
    cells.extend([""] * _val(tr.find(f"{W}trPr/{W}gridAfter"), 0))
    return "\t".join(cells)


def _val(el: XmlElement | None, default: int) -> int:
    if el is None:
        return default
    try:
        return max(0, int(el.get(W + "val") or ""))
    except ValueError:  # no value, or not a number
        return default


def _cell_text(tc: XmlElement) -> str:
    """A cell's paragraphs, line breaks, tabs and nested tables joined with single spaces."""
    parts: list[str] = []
    # iter() reaches every paragraph: the cell's own, those of nested tables and of text boxes;
    # each contributes only its own text, and the VML copy of a text box is skipped.
    for child in tc.iter(P):
        if not _inside(child, tc, MC_FALLBACK):
            parts.append(_own_text(child))
    return " ".join(" ".join(p.split()) for p in parts if p.strip())


def _inside(el: XmlElement, top: XmlElement, tag: str) -> bool:
    parent = el.getparent()
    while parent is not None and parent is not top:
        if parent.tag == tag:
            return True
        parent = parent.getparent()
    return False


def _own_text(p: XmlElement) -> str:
    """A paragraph's text without the paragraphs nested in it (text boxes), which iter() visits."""
    out: list[str] = []
    _collect(p, out)
    return "".join(out)


def _inline_text(p: XmlElement) -> str:
    """A body paragraph, then the paragraphs of text boxes anchored in it, each on its own line."""
    lines = [_own_text(p)]
    for inner in p.iter(P):
        if inner is not p and not _inside(inner, p, MC_FALLBACK):
            lines.append(_own_text(inner))
    return "\n".join(lines)


def _collect(el: XmlElement, out: list[str]) -> None:
    for child in el:
        tag = child.tag
        if tag == T:
            out.append(child.text or "")
        elif tag == W + "tab" and el.tag == W + "r":
            out.append("\t")
        elif tag in (W + "br", W + "cr"):
            # Page and column breaks are layout, not line breaks.
            if child.get(W + "type") in (None, "textWrapping"):
                out.append("\n")
        elif tag == W + "noBreakHyphen":
            out.append("-")
        elif tag not in _SKIP and tag not in (P, TBL):  # nested paragraphs are read by the callers
            _collect(child, out)
