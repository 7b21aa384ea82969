"""Build DOCX and PDF versions of held-out importer documents at test time (helpers, no tests).

The held-out set in ``tests/data/importer/`` is plain text with a hand-written truth file beside
each document. For the DOCX and PDF import tests the same documents are turned into real files
here, so the truth files serve all three formats and no binary is committed:

- :func:`to_docx` writes prose lines as paragraphs and every run of tab- or pipe-separated lines
  as one Word table (one row per line, header row bold and marked as a repeating header row).
  A row whose only non-empty cell is the first (a table title row, as in
  ``plan_numbered_arabic.txt``) becomes one cell merged across the table with ``cell.merge``.
  A page-number line such as ``- 2 -`` starts a new page, as Thai official documents print it
  at the top of each page after the first.
- :func:`to_pdf` converts that DOCX with LibreOffice headless (a throw-away profile per call, so
  parallel test workers do not share one).

Fonts are TH Sarabun New for every script (ascii, hAnsi, cs, eastAsia); Thai is tagged th-TH and
Latin en-US, so LibreOffice shapes and breaks the Thai text and pdftotext gives it back.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import unicodedata
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

DATA = Path(__file__).resolve().parent / "data" / "importer"
# The documents the DOCX/PDF import tests build (their truth files are NAME.json in DATA).
CONVERTIBLE = ("plan_numbered_arabic", "status_checkmarks", "analysis_two_years")
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")

FAMILY = "TH Sarabun New"
BODY_PT = 16
TABLE_PT = 14
PAGE_NUMBER = re.compile(r"^-\s*[0-9๐-๙]+\s*-$")
PIPE_RULE = re.compile(r"^:?-{3,}:?$")


# ---------------------------------------------------------------- text -> blocks


def _table_cells(line: str) -> list[str] | None:
    """The cells of a table line, or None for prose.

    Tab tables: a tab after the leading indentation (``"\\tprose"`` is an indented paragraph, but
    ``"\\tcell\\tcell"`` is a row with an empty first cell and ``"title\\t\\t\\t"`` a row whose other
    cells are empty). Pipe tables: a line starting and ending with ``|``.
    """
    body = line.rstrip("\r\n")
    stripped = body.strip()
    if len(stripped) > 1 and stripped.startswith("|") and stripped.endswith("|"):
        return [c.strip() for c in stripped[1:-1].split("|")]
    if "\t" in body.lstrip("\t"):
        return [c.strip() for c in body.split("\t")]
    return None


def _blocks(text: str) -> list[tuple[str, object]]:
    """('table', rows) for each run of table lines; ('para', line) / ('page', line) otherwise."""
    blocks: list[tuple[str, object]] = []
    rows: list[list[str]] = []
    for line in text.splitlines():
        cells = _table_cells(line)
        if cells is not None:
            if not all(PIPE_RULE.match(c) for c in cells if c) or not any(cells):
                rows.append(cells)
            continue
        if rows:
            blocks.append(("table", rows))
            rows = []
        if not line.strip():
            continue
        blocks.append(("page" if PAGE_NUMBER.match(line.strip()) else "para", line))
    if rows:
        blocks.append(("table", rows))
    return blocks


# ---------------------------------------------------------------- DOCX plumbing


def _set_fonts(rpr, size_pt: float, bold: bool = False) -> None:
    """TH Sarabun New on all four scripts, b/bCs, sz/szCs and languages, in the schema's order."""
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
    lang.set(qn("w:val"), "en-US")  # Latin runs: break at spaces, not inside "Policy" or URLs
    lang.set(qn("w:bidi"), "th-TH")  # Thai (complex script) runs
    rpr.append(lang)


def _run(paragraph, text: str, size: float, bold: bool = False) -> None:
    run = paragraph.add_run(text)
    _set_fonts(run._r.get_or_add_rPr(), size, bold)


def _new_document(landscape: bool) -> Document:
    doc = Document()
    section = doc.sections[0]
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Cm(29.7), Cm(21)
    else:
        section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    section.left_margin, section.right_margin = Cm(2.5), Cm(2)
    normal = doc.styles["Normal"]
    _set_fonts(normal.element.get_or_add_rPr(), BODY_PT)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0
    # docDefaults name the template's theme fonts, which would win over Normal for Thai.
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr = defaults.find(qn("w:rPrDefault") + "/" + qn("w:rPr"))
        if rpr is not None:
            _set_fonts(rpr, BODY_PT)
    doc.core_properties.language = "th-TH"
    return doc


def _text_width_cm(doc) -> float:
    section = doc.sections[0]
    return (section.page_width - section.left_margin - section.right_margin) / 360000


def _paragraph(doc, line: str, centred: bool = False) -> bool:
    """One prose line; returns whether it was centred (signature lines are, under their name)."""
    indent = len(line) - len(line.lstrip("\t"))
    text = line.strip()
    bold = False
    heading = re.match(r"^(#{1,6})\s+(.*)$", text)
    if heading:
        text, bold = heading.group(2), True
    if text.startswith("**") and text.endswith("**") and len(text) > 4:
        text, bold = text[2:-2], True
    p = doc.add_paragraph()
    if indent:
        p.paragraph_format.first_line_indent = Cm(1.25 * min(indent, 3))
    signature = text.startswith("(") and ")" in text and len(text) < 60
    centred = not indent and len(text) < 60 and (signature or centred)
    if centred:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(p, text, BODY_PT, bold)
    return centred


def _page(doc, line: str) -> None:
    p = doc.add_paragraph()
    p.paragraph_format.page_break_before = True
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(p, line.strip(), BODY_PT)


def _mark_header_row(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def _is_title_row(cells: list[str], ncols: int) -> bool:
    return ncols > 1 and bool(cells[0]) and not any(cells[1:])


def _min_width_cm(text: str) -> float:
    """Room for the longest piece that cannot wrap: a URL or number whole, a Thai word roughly."""
    longest = 0
    for token in text.split():
        base = [ch for ch in token if unicodedata.category(ch) not in ("Mn", "Me")]
        thai = any("\u0e00" <= ch <= "\u0e7f" for ch in base)
        longest = max(longest, min(len(base), 9) if thai else len(base))
    return 0.4 + 0.2 * longest


def _widths(rows: list[list[str]], ncols: int, total_cm: float) -> list[float]:
    """Each column gets its unbreakable minimum, the rest goes by the amount of text in it."""
    body = [r for r in rows if not _is_title_row(r, ncols)]
    minimum = [max((_min_width_cm(r[c]) for r in body), default=1.0) for c in range(ncols)]
    if sum(minimum) >= total_cm:
        return [m * total_cm / sum(minimum) for m in minimum]
    weights = []
    for c in range(ncols):
        lengths = [len(r[c]) for r in body[1:] if r[c]] or [len(body[0][c]) if body else 4]
        weights.append(sum(lengths) / len(lengths))
    spare = total_cm - sum(minimum)
    return [m + spare * w / sum(weights) for m, w in zip(minimum, weights, strict=True)]


def _table(doc, rows: list[list[str]]) -> None:
    ncols = max(len(r) for r in rows)
    rows = [r + [""] * (ncols - len(r)) for r in rows]
    table = doc.add_table(rows=len(rows), cols=ncols)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    widths = _widths(rows, ncols, _text_width_cm(doc))
    grid = table._tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), widths, strict=True):
        col.set(qn("w:w"), str(int(width * 567)))  # twips (LibreOffice reads the grid)
    # Header: the first row, or the title row and the row under it; repeats of it stay bold.
    header_count = 2 if _is_title_row(rows[0], ncols) and len(rows) > 1 else 1
    headers = [tuple(r) for r in rows[:header_count] if not _is_title_row(r, ncols)]
    for i, cells in enumerate(rows):
        row = table.rows[i]
        for c, width in enumerate(widths):
            row.cells[c].width = Cm(width)  # Word reads the cell widths
        is_header = i < header_count or tuple(cells) in headers
        if i < header_count:
            _mark_header_row(row)
        if _is_title_row(cells, ncols):
            merged = row.cells[0].merge(row.cells[ncols - 1])
            p = merged.paragraphs[0]
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _run(p, cells[0], TABLE_PT, bold=True)
            continue
        for c, text in enumerate(cells):
            p = row.cells[c].paragraphs[0]
            if is_header:
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            if text:
                _run(p, text, TABLE_PT, bold=is_header)
    doc.add_paragraph()  # Word needs a paragraph between two tables, or it joins them


# ---------------------------------------------------------------- public helpers


def to_docx(txt_path: str | Path, out_path: str | Path) -> Path:
    """Write ``txt_path`` (UTF-8 text) as a DOCX at ``out_path``; returns ``out_path``.

    Pages are landscape when a table has six or more columns, as such plans are printed.
    """
    text = Path(txt_path).read_text(encoding="utf-8")
    blocks = _blocks(text)
    wide = any(kind == "table" and max(len(r) for r in value) >= 6 for kind, value in blocks)
    doc = _new_document(landscape=wide)
    centred = False
    for kind, value in blocks:
        if kind == "table":
            _table(doc, value)
        elif kind == "page":
            _page(doc, value)
        centred = _paragraph(doc, value, centred) if kind == "para" else False
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    doc.save(out)
    return out


def to_pdf(docx_path: str | Path, out_path: str | Path, timeout: float = 180) -> Path:
    """Convert a DOCX to PDF with ``soffice --headless --convert-to pdf``; returns ``out_path``."""
    if SOFFICE is None:
        raise RuntimeError("LibreOffice is not installed (apt-get install libreoffice-writer-nogui)")
    src = Path(docx_path).resolve()
    out = Path(out_path)
    with tempfile.TemporaryDirectory(prefix="importer-docs-") as tmp:
        work = Path(tmp)
        proc = subprocess.run(
            [
                SOFFICE,
                "--headless",
                "--norestore",
                f"-env:UserInstallation={(work / 'profile').as_uri()}",
                "--convert-to",
                "pdf",
                "--outdir",
                str(work / "out"),
                str(src),
            ],
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        made = work / "out" / (src.stem + ".pdf")
        if proc.returncode != 0 or not made.is_file():
            raise RuntimeError(
                f"LibreOffice could not convert {src.name} (exit {proc.returncode}): "
                f"{(proc.stderr or proc.stdout).strip()[:500]}"
            )
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(made), out)
    return out
