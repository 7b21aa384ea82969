"""DOCX from the document model, with python-docx.

Thai in Word needs explicit font plumbing (research/stack-check.md, section 3): the theme fonts of
the default template (Angsana/Cordia) win over a plain font name, so every run and the Normal
style name TH Sarabun New for ascii, hAnsi, cs and eastAsia, with both sz and szCs and the th-TH
language. Column widths go on the grid (LibreOffice reads it) and on each cell (Word reads it).
"""

from __future__ import annotations

import io
import re
from copy import deepcopy
from functools import lru_cache
from pathlib import Path
from typing import cast

from docx import Document as new_docx
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.text.run import CT_R
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Cm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph
from docx.text.run import Run as DocxRun

from prongsai.documents.charts import chart_png
from prongsai.documents.fonts import BODY_PT, FAMILY
from prongsai.documents.layout import (
    LANDSCAPE_CM,
    PORTRAIT_CM,
    cell_grid,
    column_widths,
    name_spans,
    tall_rows,
)
from prongsai.documents.model import (
    Block,
    BulletList,
    Cell,
    Chart,
    Document,
    Figure,
    Heading,
    MemoHeader,
    PageBreak,
    Paragraph,
    Run,
    Section,
    Signature,
    Table,
)
from prongsai.thai.digits import to_thai_digits

ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "justify": WD_ALIGN_PARAGRAPH.THAI_JUSTIFY,
}
TEXT_WIDTH_CM = PORTRAIT_CM  # A4 (21 cm) less 3 cm left and 2 cm right margins
HEADING_PT = {0: 20, 1: 18, 2: 16}
_W_VAL = qn("w:val")
_W_W = qn("w:w")
_W_TYPE = qn("w:type")
_W_PPR = qn("w:pPr")
_W_TCPR = qn("w:tcPr")
_W_TCW = qn("w:tcW")
_XML_SPACE = qn("xml:space")
WORD_JOINER = "\u2060"
_MARKS = frozenset(chr(c) for c in (0x0E31, *range(0x0E34, 0x0E3B), *range(0x0E47, 0x0E4F)))


def join_name(name: str) -> str:
    """``name`` with a WORD JOINER between its letters (never before a mark above or below, which
    must stay on its letter), so that neither Word nor LibreOffice breaks a line inside it."""
    return "".join(ch if i == 0 or ch in _MARKS else WORD_JOINER + ch for i, ch in enumerate(name))


def keep_names(text: str | None, names: tuple[str, ...]) -> str | None:
    """Every occurrence of ``names`` in ``text`` joined (``join_name``)."""
    if not text or not names or not any(n in text for n in names):
        return text
    return "".join(join_name(seg) if is_name else seg for seg, is_name in name_spans(text, names))


def _set_fonts(rpr: BaseOxmlElement, size_pt: float, bold: bool = False) -> None:
    """rFonts (all four scripts), b/bCs, sz/szCs and lang, in the schema's order."""
    for tag in ("w:rFonts", "w:b", "w:bCs", "w:sz", "w:szCs", "w:lang"):
        for old in rpr.findall(qn(tag)):
            rpr.remove(old)
    fonts = OxmlElement("w:rFonts")
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FAMILY)
    rpr.insert(0, fonts)
    pos = 1
    if bold:
        for tag in ("w:b", "w:bCs"):
            rpr.insert(pos, OxmlElement(tag))
            pos += 1
    for tag in ("w:sz", "w:szCs"):
        el = OxmlElement(tag)
        el.set(qn("w:val"), str(int(size_pt * 2)))
        rpr.append(el)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "th-TH")
    lang.set(qn("w:bidi"), "th-TH")
    rpr.append(lang)


@lru_cache(maxsize=64)
def _run_template(size_pt: float, bold: bool) -> CT_R:
    """An empty ``w:r`` with its fonts, copied for every run: python-docx's element-by-element
    construction of each run's properties was most of a report's DOCX time."""
    run = cast(CT_R, OxmlElement("w:r"))  # python-docx's parser makes every w:r a CT_R
    rpr = OxmlElement("w:rPr")
    _set_fonts(rpr, size_pt, bold)
    run.append(rpr)
    return run


_CONTROL = re.compile(r"([\t\n\r])")
_JC = {"left": "left", "center": "center", "right": "right", "justify": "thaiDistribute"}


def _new_run(text: str | None, size_pt: float, bold: bool) -> CT_R:
    """A ``w:r`` of ``text`` with its fonts; tabs and line ends become w:tab and w:br, as
    python-docx's ``add_run`` makes them."""
    run = deepcopy(_run_template(size_pt, bold))
    for part in _CONTROL.split(text) if text else ():
        if part == "\t":
            run.append(OxmlElement("w:tab"))
        elif part in ("\n", "\r"):
            run.append(OxmlElement("w:br"))
        elif part:
            t = OxmlElement("w:t")
            t.text = part
            if part[0].isspace() or part[-1].isspace():
                t.set(_XML_SPACE, "preserve")
            run.append(t)
    return run


def _align(paragraph: DocxParagraph, align: str) -> None:
    """``paragraph.alignment`` without python-docx's property machinery (a fresh paragraph)."""
    jc = OxmlElement("w:jc")
    jc.set(_W_VAL, _JC[align])
    p = paragraph._p
    ppr = p.find(_W_PPR)
    if ppr is None:
        ppr = OxmlElement("w:pPr")
        p.insert(0, ppr)
    ppr.append(jc)


def _cell_width(cell: _Cell, width: int) -> None:
    """``cell.width = width`` (EMU) on the tcW python-docx's add_table already wrote."""
    tcw = cell._tc.find(_W_TCPR).find(_W_TCW)
    tcw.set(_W_W, str(round(width / 635)))  # twips, as python-docx rounds them
    tcw.set(_W_TYPE, "dxa")


def _field(paragraph: DocxParagraph, instruction: str, size: float) -> None:
    """A complex field (PAGE, NUMPAGES) whose result Word computes."""
    for kind, text in (
        ("begin", None),
        ("instr", instruction),
        ("separate", None),
        ("text", "1"),
        ("end", None),
    ):
        run = paragraph.add_run()
        _set_fonts(run._r.get_or_add_rPr(), size)
        if kind == "instr":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        elif kind == "text":
            el = OxmlElement("w:t")
            el.text = text
        else:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        run._r.append(el)


@lru_cache(maxsize=1)
def _blank_docx() -> DocxDocument:
    """python-docx's empty document, parsed once: a deep copy of it is twice as fast as parsing
    the template package again for every document."""
    return new_docx()


class DocxRenderer:
    def __init__(self, doc: Document):
        self.doc = doc
        self.names = tuple(doc.unbreakable)
        self.landscape = False
        self.d = deepcopy(_blank_docx())
        self._setup()
        # Looked up once: python-docx finds a style by name by scanning every style.
        # python-docx leaves get_style_id without hints; None would mean the default table style.
        self.grid_style: str | None = self.d.part.get_style_id(  # type: ignore[no-untyped-call]
            "Table Grid", WD_STYLE_TYPE.TABLE
        )

    def t(self, text: str, verbatim: bool = False) -> str:
        return to_thai_digits(text) if self.doc.thai_digits and not verbatim else text

    def _setup(self) -> None:
        section = self.d.sections[0]
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        if self.doc.landscape:  # the whole document (a report whose main table is wide)
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = Cm(29.7), Cm(21)
        section.top_margin, section.bottom_margin = Cm(2.5), Cm(2)
        section.left_margin, section.right_margin = Cm(3), Cm(2)
        normal = self.d.styles["Normal"]
        _set_fonts(normal.element.get_or_add_rPr(), BODY_PT)
        normal.paragraph_format.space_after = Pt(0)
        normal.paragraph_format.line_spacing = 1.0
        # docDefaults carry theme font attributes that override names: replace them.
        defaults = self.d.styles.element.find(qn("w:docDefaults"))
        if defaults is not None:
            rpr = defaults.find(qn("w:rPrDefault") + "/" + qn("w:rPr"))
            if rpr is not None:
                _set_fonts(rpr, BODY_PT)
        props = self.d.core_properties
        props.title = self.doc.title
        props.language = "th-TH"
        if self.doc.page_numbers:
            footer = section.footer.paragraphs[0]
            footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
            self._run(footer, Run("หน้า "), 14)
            # \* THAIARABIC: Word prints Thai page digits (LibreOffice 7.4 ignores the switch).
            _field(footer, "PAGE \\* THAIARABIC" if self.doc.thai_digits else "PAGE", 14)
            self._run(footer, Run(" / "), 14)
            _field(footer, "NUMPAGES \\* THAIARABIC" if self.doc.thai_digits else "NUMPAGES", 14)

    def _run(self, paragraph: DocxParagraph, r: Run, size: float, bold: bool = False) -> DocxRun:
        text = keep_names(self.t(r.text, r.verbatim), self.names)
        run = _new_run(text, size, bold or r.bold)
        paragraph._p.append(run)
        return DocxRun(run, paragraph)

    def paragraph(self, p: Paragraph) -> DocxParagraph:
        para = self.d.add_paragraph()
        _align(para, p.align)
        if p.indent:
            para.paragraph_format.first_line_indent = Cm(2.5)
        if p.space_before:
            para.paragraph_format.space_before = Pt(p.space_before)
        for r in p.runs:
            self._run(para, r, p.size or BODY_PT)
        return para

    def heading(self, h: Heading) -> None:
        para = self.d.add_paragraph()
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER if h.level == 0 else WD_ALIGN_PARAGRAPH.LEFT
        para.paragraph_format.keep_with_next = True
        para.paragraph_format.space_before = Pt(0 if h.level == 0 else 8)
        para.paragraph_format.space_after = Pt(4)
        self._run(para, Run(h.text), HEADING_PT.get(h.level, 16), bold=True)

    def _orientation(self, landscape: bool) -> None:
        """A new section (on a new page) in the given orientation; page numbers carry on."""
        section = self.d.add_section(WD_SECTION.NEW_PAGE)
        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        long, short = Cm(29.7), Cm(21)
        section.page_width, section.page_height = (long, short) if landscape else (short, long)

    def table(self, tb: Table) -> None:
        # Back to portrait only when something follows (block()), so a report ending on a
        # landscape table gets no empty last page, and landscape tables in a row share pages.
        if tb.landscape and not self.landscape and not self.doc.landscape:
            self._orientation(True)
            self.landscape = True
        self._table(tb)

    def _table(self, tb: Table) -> None:
        if tb.caption:
            self.paragraph(Paragraph([Run(tb.caption, bold=True)], align="center", indent=False))
        n_rows = len(tb.header) + len(tb.rows)
        table = self.d.add_table(rows=n_rows, cols=tb.columns)
        table._tbl.tblStyle_val = self.grid_style
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False  # fixed layout: the widths below, sized to the longest words
        size = tb.font_pt or BODY_PT - 1
        avail = LANDSCAPE_CM if tb.landscape or self.doc.landscape else PORTRAIT_CM
        widths = [
            Cm(w) for w in column_widths(tb, size, avail, thai_digits=self.doc.thai_digits, names=self.names)
        ]
        for i, col in enumerate(table.columns):
            col.width = widths[i]
        # table.cell() rescans the whole grid on every call; take the cells once, fill them, then
        # merge (merging only joins the corner elements, so the other references stay valid).
        grid = [[_Cell(tc, table) for tc in tr.tc_lst] for tr in table._tbl.tr_lst]
        merges = []
        for r_idx, row in enumerate(cell_grid([*tb.header, *tb.rows])):
            header = r_idx < len(tb.header)
            for cell, c_idx in row:
                self._fill(grid[r_idx][c_idx], cell, header, size)
                if cell.rowspan > 1 or cell.colspan > 1:
                    merges.append((r_idx, c_idx, cell))
                _cell_width(grid[r_idx][c_idx], sum(widths[c_idx : c_idx + cell.colspan], Cm(0)))
        # Merges written directly as gridSpan/vMerge: python-docx's merge() rescans the table
        # for every call and took most of a report's DOCX time.
        for r_idx, c_idx, cell in merges:
            for dr in range(cell.rowspan):
                tc = grid[r_idx + dr][c_idx]._tc
                tc_pr = tc.get_or_add_tcPr()
                if cell.colspan > 1:
                    span = OxmlElement("w:gridSpan")
                    span.set(qn("w:val"), str(cell.colspan))
                    tc_pr.append(span)
                    for dc in range(1, cell.colspan):
                        covered = grid[r_idx + dr][c_idx + dc]._tc
                        covered.getparent().remove(covered)
                if cell.rowspan > 1:
                    vmerge = OxmlElement("w:vMerge")
                    if dr == 0:
                        vmerge.set(qn("w:val"), "restart")
                    tc_pr.append(vmerge)
                _cell_width(grid[r_idx + dr][c_idx], sum(widths[c_idx : c_idx + cell.colspan], Cm(0)))
        cm_widths = [w.cm for w in widths]
        tall = tall_rows(tb, cm_widths, size, thai_digits=self.doc.thai_digits, names=self.names)
        for r_idx, tr in enumerate(table._tbl.tr_lst):
            tr_pr = tr.get_or_add_trPr()
            if r_idx < len(tb.header):
                tr_pr.append(OxmlElement("w:tblHeader"))  # repeat the header on every page
            if r_idx - len(tb.header) not in tall:  # as the PDF: only tall rows may split
                tr_pr.append(OxmlElement("w:cantSplit"))
        self.d.add_paragraph()

    def _fill(self, target: _Cell, cell: Cell, header: bool, size: float) -> None:
        first = True
        for p in cell.content:
            para = target.paragraphs[0] if first else target.add_paragraph()
            first = False
            align = "center" if header else cell.align if cell.align != "left" else p.align
            _align(para, "left" if align == "justify" else align)
            for run in p.runs:
                self._run(para, run, size, bold=header or cell.bold)

    def block(self, b: Block) -> None:
        if self.landscape and not (isinstance(b, Table) and b.landscape):
            self._orientation(False)
            self.landscape = False
        if isinstance(b, Paragraph):
            self.paragraph(b)
        elif isinstance(b, Heading):
            self.heading(b)
        elif isinstance(b, BulletList):
            for item in b.items:
                para = self.d.add_paragraph()
                para.paragraph_format.left_indent = Cm(1)
                para.paragraph_format.first_line_indent = Cm(-0.5)
                self._run(para, Run("- "), BODY_PT)
                for r in item:
                    self._run(para, r, BODY_PT)
        elif isinstance(b, Table):
            self.table(b)
        elif isinstance(b, Figure):
            para = self.d.add_paragraph()
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
            para.paragraph_format.keep_with_next = True
            para.add_run().add_picture(io.BytesIO(b.png), width=Cm(b.width_cm))
            self.paragraph(Paragraph([Run(b.caption)], align="center", indent=False, size=BODY_PT - 1))
        elif isinstance(b, Chart):
            para = self.d.add_paragraph()
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
            para.paragraph_format.keep_with_next = True
            png = chart_png(b, self.doc.thai_digits)  # one drawing per distinct chart per process
            para.add_run().add_picture(io.BytesIO(png), width=Cm(min(b.width_cm, TEXT_WIDTH_CM)))
            self.paragraph(Paragraph([Run(b.caption)], align="center", indent=False, size=BODY_PT - 1))
        elif isinstance(b, Signature):
            lines = [
                f"{b.label} ..................................................",
                f"({b.name})" if b.name else "(..................................................)",
                *b.position,
            ]
            for i, line in enumerate(lines):
                para = self.d.add_paragraph()
                para.alignment = WD_ALIGN_PARAGRAPH.CENTER
                para.paragraph_format.left_indent = Cm(TEXT_WIDTH_CM / 2)
                para.paragraph_format.keep_with_next = i < len(lines) - 1
                if i == 0:
                    para.paragraph_format.space_before = Pt(18)
                self._run(para, Run(line), BODY_PT)
        elif isinstance(b, MemoHeader):
            self.memo_header(b)
        elif isinstance(b, PageBreak):
            self.d.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        elif isinstance(b, Section):
            self.heading(b.heading)
            for x in b.blocks:
                self.block(x)
        else:
            raise TypeError(f"unknown block {type(b).__name__}")

    def memo_header(self, m: MemoHeader) -> None:
        # As in the PDF: the emblem (ครุฑ) 1.5 cm high at the left margin, บันทึกข้อความ centred on
        # the line, both on one baseline; without an emblem the line keeps its 1.5 cm height.
        para = self.d.add_paragraph()
        para.paragraph_format.tab_stops.add_tab_stop(Cm(TEXT_WIDTH_CM / 2), WD_TAB_ALIGNMENT.CENTER)
        if m.emblem:
            para.add_run().add_picture(io.BytesIO(m.emblem), height=Cm(1.5))
        else:
            para.paragraph_format.line_spacing_rule = WD_LINE_SPACING.AT_LEAST
            para.paragraph_format.line_spacing = Cm(2.05)  # as high as the emblem's line
        self._run(para, Run("\t"), 29)
        self._run(para, Run("บันทึกข้อความ"), 29, bold=True)
        for label, value, extra in (
            ("ส่วนราชการ", m.unit, None),
            ("ที่", m.ref_no, ("วันที่", m.date)),
            ("เรื่อง", m.subject, None),
        ):
            para = self.d.add_paragraph()
            self._run(para, Run(label + " "), 20, bold=True)
            run = self._run(para, Run(value or ""), BODY_PT)  # none yet: a dotted space to fill
            run.font.underline = True  # dotted leader look is a DOTTED underline
            run._r.get_or_add_rPr().find(qn("w:u")).set(qn("w:val"), "dotted")
            if extra:
                self._run(para, Run("\t"), BODY_PT)
                self._run(para, Run(extra[0] + " "), 20, bold=True)
                run = self._run(para, Run(extra[1] or ""), BODY_PT)
                run.font.underline = True
                run._r.get_or_add_rPr().find(qn("w:u")).set(qn("w:val"), "dotted")
                para.paragraph_format.tab_stops.add_tab_stop(Cm(8))
        para = self.d.add_paragraph()
        para.paragraph_format.space_before = Pt(6)
        self._run(para, Run("เรียน " + m.to), BODY_PT)

    def render(self) -> bytes:
        if self.doc.show_title:
            self.heading(Heading(self.doc.title, 0))
        for b in self.doc.blocks:
            self.block(b)
        buf = io.BytesIO()
        self.d.save(buf)
        return buf.getvalue()


def render_docx(doc: Document, out: Path | None = None) -> bytes:
    data = DocxRenderer(doc).render()
    if out is not None:
        Path(out).write_bytes(data)
    return data
