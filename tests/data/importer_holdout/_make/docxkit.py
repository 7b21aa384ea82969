"""python-docx helpers: Thai font, page headers/footers with page numbers, merged and repeated
table headers, landscape sections."""
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

FONT = "TH Sarabun New"


def _font(run_or_style, size=None, bold=None):
    f = run_or_style.font
    f.name = FONT
    if size:
        f.size = Pt(size)
    if bold is not None:
        f.bold = bold
    el = run_or_style.element
    rpr = el.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.append(rfonts)
    for a in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        rfonts.set(qn(a), FONT)
    if size:
        szcs = OxmlElement("w:szCs")
        szcs.set(qn("w:val"), str(int(size * 2)))
        rpr.append(szcs)
    if bold:
        rpr.append(OxmlElement("w:bCs"))


def new_doc(size=15, landscape=False):
    d = Document()
    _font(d.styles["Normal"], size)
    for s in ("Heading 1", "Heading 2", "Heading 3", "List Bullet", "List Number", "Title"):
        _font(d.styles[s], None)
    d.styles["Normal"].paragraph_format.space_after = Pt(0)
    sec = d.sections[0]
    sec.page_height, sec.page_width = Cm(29.7), Cm(21.0)
    sec.left_margin = sec.right_margin = Cm(2.0)
    sec.top_margin = Cm(2.0)
    sec.bottom_margin = Cm(1.8)
    if landscape:
        set_landscape(sec)
    return d


def set_landscape(sec):
    sec.orientation = WD_ORIENT.LANDSCAPE
    sec.page_width, sec.page_height = Cm(29.7), Cm(21.0)


def para(d_or_cell, text="", bold=False, size=None, align=None, style=None):
    p = d_or_cell.add_paragraph(style=style) if style else d_or_cell.add_paragraph()
    if text:
        r = p.add_run(text)
        _font(r, size, bold)
    if align == "center":
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif align == "right":
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return p


def _page_field(p, instr):
    r = p.add_run()
    _font(r, 13)
    b = OxmlElement("w:fldChar"); b.set(qn("w:fldCharType"), "begin")
    i = OxmlElement("w:instrText"); i.set(qn("xml:space"), "preserve"); i.text = instr
    e = OxmlElement("w:fldChar"); e.set(qn("w:fldCharType"), "end")
    r._r.append(b); r._r.append(i); r._r.append(e)


def header_footer(sec, header_text, footer_text=None, page_numbers=True):
    sec.header.is_linked_to_previous = False
    sec.footer.is_linked_to_previous = False
    hp = sec.header.paragraphs[0]
    hp.text = ""
    r = hp.add_run(header_text); _font(r, 13)
    hp.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    fp = sec.footer.paragraphs[0]
    fp.text = ""
    if footer_text:
        r = fp.add_run(footer_text + "   "); _font(r, 13)
    if page_numbers:
        r = fp.add_run("หน้า "); _font(r, 13)
        _page_field(fp, "PAGE")
        r = fp.add_run(" / "); _font(r, 13)
        _page_field(fp, "NUMPAGES")
    fp.alignment = WD_ALIGN_PARAGRAPH.CENTER


def cell_text(cell, text, bold=False, size=None, align=None):
    """Text with '\\n' as separate paragraphs in the cell."""
    cell.paragraphs[0].text = ""
    for k, line in enumerate(str(text).split("\n")):
        p = cell.paragraphs[0] if k == 0 else cell.add_paragraph()
        if line:
            r = p.add_run(line); _font(r, size, bold)
        if align == "center":
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER


def repeat_header(row):
    trpr = row._tr.get_or_add_trPr()
    h = OxmlElement("w:tblHeader"); h.set(qn("w:val"), "true")
    trpr.append(h)


def table(d, ncols, widths_cm, style="Table Grid"):
    t = d.add_table(rows=0, cols=ncols)
    t.style = style
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    for k, w in enumerate(widths_cm):
        t.columns[k].width = Cm(w)
    return t


def add_row(t, values, widths_cm=None, bold=False, size=None, align=None):
    row = t.add_row()
    for k, v in enumerate(values):
        if v is None:
            continue
        cell_text(row.cells[k], v, bold=bold, size=size, align=align)
        if widths_cm:
            row.cells[k].width = Cm(widths_cm[k])
    if widths_cm:
        for k, c in enumerate(row.cells):
            c.width = Cm(widths_cm[k])
    return row


def new_section_landscape(d):
    from docx.enum.section import WD_SECTION
    sec = d.add_section(WD_SECTION.NEW_PAGE)
    set_landscape(sec)
    return sec
