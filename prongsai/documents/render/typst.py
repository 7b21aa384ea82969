"""Typst markup from the document model, and the one compiler every Typst output goes through.

User text never becomes markup: each piece is a Typst string literal (``#"…";``) in which only
the backslash, the double quote and line ends are escaped, so ``#``, ``*``, ``_``, ``$``, ``<``,
``@``, ``[``, ``]`` and ``//`` print as typed. Images are files in a temporary folder that is the
compile's root; nothing else on disk is reachable. Fonts come from our folder only
(``ignore_system_fonts``), so a missing TH Sarabun New fails loudly instead of falling back.
"""

from __future__ import annotations

import os
import re
import tempfile
import threading
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from prongsai.documents.fonts import BODY_PT, FAMILY, FONT_DIR, font_path
from prongsai.documents.layout import (
    CELL_PAD_CM,
    LANDSCAPE_CM,
    PORTRAIT_CM,
    WHOLE_ROW_LINES,
    cell_grid,
    chunk_pieces,
    column_widths,
    is_thai,
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

SAFE_SCHEMES = ("http://", "https://", "mailto:")
_SPACES = re.compile(r"(\s+)")
HEADING_PT = {0: 20, 1: 18, 2: 16}
EXT = {"image/png": "png", "image/jpeg": "jpg"}
DOTTED = '(paint: black, thickness: 0.6pt, dash: "dotted")'

# The memo header's helpers; a block compiled as its own file imports them from HELPERS_FILE.
HELPERS = f"""\
#let dotfill = box(width: 1fr, place(dy: 3pt, line(length: 100%, stroke: {DOTTED})))
#let memo-value(body) = underline(stroke: {DOTTED}, offset: 3pt, evade: false, body)
"""
HELPERS_FILE = "prongsai.typ"
_HELPER_NAMES = ("#dotfill", "#memo-value")

# The document's title is set at the end, not here: a set rule is part of the style chain of
# everything after it, so a title set first made every layout of one agency's report differ, for
# Typst's memoisation, from the same layout in the next agency's (see typst_files).
PREAMBLE = """\
#let thai-digits(s) = s.replace(regex("[0-9]"), m => "๐๑๒๓๔๕๖๗๘๙".clusters().at(int(m.text)))
%(helpers)s#set page(paper: "a4", flipped: %(flipped)s, footer: %(footer)s,
  margin: (top: 2.5cm, bottom: 2cm, left: 3cm, right: 2cm))
#set text(font: "%(family)s", size: %(body)spt, lang: "th", hyphenate: false,
  top-edge: "ascender", bottom-edge: "descender")
#set par(leading: 0.1em, spacing: 0.35em, justify: false)
#set table(stroke: 0.6pt, inset: (x: %(pad)scm, y: 2pt))
#set list(marker: [-], indent: 0.5cm, body-indent: 0.5cm, spacing: 0.35em)
#show heading: set text(weight: "bold")
#show heading.where(level: 1): set text(size: %(h1)spt)
#show heading.where(level: 1): set block(above: 14pt, below: 6pt, sticky: true)
#show heading.where(level: 2): set text(size: %(h2)spt)
#show heading.where(level: 2): set block(above: 10pt, below: 4pt, sticky: true)
#show link: set text(fill: rgb("#003c8f"))
"""


def q(text: str) -> str:
    """A Typst string literal of ``text`` (NFC)."""
    text = unicodedata.normalize("NFC", text)
    return (
        '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r") + '"'
    )


@lru_cache(maxsize=65536)
def markup(text: str, names: tuple[str, ...] = ()) -> str:
    """``text`` as markup: string literals, each ended with ';' so nothing after it continues it.

    Typst's own Thai dictionary breaks some words we would not ("ปีงบ / ประมาณ") and cuts
    names it does not know anywhere; every Thai word (layout.chunk_pieces, the same pieces the
    column widths are measured on) and every one of the document's unbreakable ``names`` goes in a
    box, which a line never breaks inside. Cached: a batch of reports repeats most of its texts."""
    if not is_thai(text):
        return f"#{q(text)};"
    out: list[str] = []
    plain: list[str] = []  # text between boxes goes in one literal (fewer elements to lay out)
    for chunk in _SPACES.split(text):
        if not chunk:
            continue
        if chunk.isspace() or not is_thai(chunk):
            plain.append(chunk)
            continue
        for piece in chunk_pieces(chunk, names):
            if len(piece) > 1 and is_thai(piece):
                if plain:
                    out.append(f"#{q(''.join(plain))};")
                    plain.clear()
                out.append(f"#box({q(piece)});")
            else:
                plain.append(piece)
    if plain:
        out.append(f"#{q(''.join(plain))};")
    return "".join(out)


def cm(x: float) -> str:
    return f"{x:.3f}cm"


class TypstRenderer:
    def __init__(self, doc: Document):
        self.doc = doc
        self.names = tuple(doc.unbreakable)
        self.files: dict[str, bytes] = {}

    def t(self, text: str, verbatim: bool = False) -> str:
        return to_thai_digits(text) if self.doc.thai_digits and not verbatim else text

    def s(self, text: str, verbatim: bool = False) -> str:
        """User text as markup (``markup``), digits as the document prints them."""
        return markup(self.t(text, verbatim), self.names)

    def file(self, data: bytes, mime: str) -> str:
        name = f"img{len(self.files)}.{EXT.get(mime, 'png')}"
        self.files[name] = data
        return q(name)

    def runs(self, runs: list[Run], bold: bool = False) -> str:
        out = []
        for r in runs:
            s = self.s(r.text, r.verbatim)
            if r.link and r.link.lower().startswith(SAFE_SCHEMES):  # never javascript: and the like
                s = f"#link({q(r.link)})[{s}]"
            if r.bold or bold:
                s = f'#text(weight: "bold")[{s}]'
            out.append(s)
        return "".join(out)

    def paragraph(self, p: Paragraph, bold: bool = False) -> str:
        body = self.runs(p.runs, bold)
        # Typst justifies Thai between words (it knows where they are): real Thai justification.
        args = ["justify: true"] if p.align == "justify" else []
        if p.indent:
            args.append("first-line-indent: (amount: 2.5cm, all: true)")
        out = f"#par({', '.join(args)})[{body}]" if args else f"#par[{body}]"
        if p.size:
            out = f"#text(size: {p.size}pt)[{out}]"
        if p.align in ("center", "right"):
            out = f"#align({p.align})[{out}]"
        if p.space_before:
            out = f"#v({p.space_before}pt){out}"
        return out

    def heading(self, h: Heading) -> str:
        if h.level == 0:
            return (
                f'#align(center)[#text(size: {HEADING_PT[0]}pt, weight: "bold")[{self.s(h.text)}]]\n#v(6pt)'
            )
        return f"#heading(level: {min(h.level, 2)})[{self.s(h.text)}]"

    def cell(self, c: Cell, header: bool, whole: bool = False) -> str:
        align = "center + horizon" if header else {"right": "right", "center": "center"}.get(c.align, "left")
        args = [f"align: {align}"]
        if whole:
            args.append("breakable: false")
        if c.colspan > 1:
            args.append(f"colspan: {c.colspan}")
        if c.rowspan > 1:
            args.append(f"rowspan: {c.rowspan}")
        # Paragraphs of a cell as the cell's own (not justified: the preamble's default).
        inner = "#parbreak()".join(self.runs(p.runs, header or c.bold) for p in c.content)
        return f"table.cell({', '.join(args)})[{inner}]"

    def table(self, tb: Table) -> str:
        size = tb.font_pt or BODY_PT - 1
        avail = LANDSCAPE_CM if tb.landscape or self.doc.landscape else PORTRAIT_CM
        widths = column_widths(tb, size, avail, thai_digits=self.doc.thai_digits, names=self.names)
        cols = "(" + ", ".join(cm(w) for w in widths) + ",)"
        head = ", ".join(self.cell(c, True) for row in tb.header for c in row)
        grid = cell_grid(tb.rows)
        tall = tall_rows(
            tb, widths, size, WHOLE_ROW_LINES, thai_digits=self.doc.thai_digits, grid=grid, names=self.names
        )
        body = ",\n  ".join(
            self.cell(c, False, whole=not tall.intersection(range(r, r + c.rowspan)))
            for r, row in enumerate(grid)
            for c, _ in row
        )
        parts = [f"#table(columns: {cols}, align: left,"]
        if tb.header:
            parts.append(f"  table.header(repeat: true, {head}),")
        if body:
            parts.append(f"  {body},")
        parts.append(")")
        out = f"#block(above: 4pt, below: 10pt)[#text(size: {size}pt)[\n" + "\n".join(parts) + "\n]]"
        if tb.caption:
            cap = f'#align(center)[#text(weight: "bold")[{self.s(tb.caption)}]]'
            out = f"#block(sticky: true, above: 8pt, below: 2pt)[{cap}]\n{out}"
        if tb.landscape and not self.doc.landscape:
            out = f"#page(flipped: true)[\n{out}\n]"
        return out

    def figure(self, b: Figure) -> str:
        name = self.file(b.png, b.mime)
        return (
            f"#block(breakable: false, above: 6pt, below: 10pt, width: 100%)[#align(center)["
            f"#image({name}, width: {cm(min(b.width_cm, PORTRAIT_CM))})\n"
            f"#text(size: {BODY_PT - 1}pt)[{self.s(b.caption)}]]]"
        )

    def chart(self, c: Chart) -> str:
        from prongsai.documents.charts import chart_markup

        width = min(c.width_cm, PORTRAIT_CM)
        return (
            f"#block(breakable: false, above: 6pt, below: 10pt, width: 100%)[#align(center)["
            f"#{chart_markup(c, self.doc.thai_digits, width_cm=width)}\n"
            f"#text(size: {BODY_PT - 1}pt)[{self.s(c.caption)}]]]"
        )

    def signature(self, b: Signature) -> str:
        lines = [
            f"{self.s(b.label)} ..................................................",
            f"({self.s(b.name)})" if b.name else "(..................................................)",
            *[self.s(p) for p in b.position],
        ]
        body = " \\\n".join(lines)
        return (
            "#block(breakable: false, above: 18pt, below: 8pt, width: 100%)"
            f"[#align(right)[#block(width: 50%)[#align(center)[{body}]]]]"
        )

    def memo_header(self, m: MemoHeader) -> str:
        emblem = (
            f"image({self.file(m.emblem, m.emblem_mime)}, height: 1.5cm)"
            if m.emblem
            else "box(height: 1.5cm)"
        )
        label = '#text(size: 20pt, weight: "bold")'

        def value(v: str | None) -> str:
            return f"#memo-value[{self.s(v)}]#dotfill" if v else "#dotfill"

        date = f"{label}[วันที่] {value(m.date)}"
        ref = f"#memo-value[{self.s(m.ref_no)}]" if m.ref_no else ""
        return "\n".join(
            [
                "#grid(columns: (2.5cm, 1fr, 2.5cm), align: (left + bottom, center + bottom, left),",
                f'  {emblem}, text(size: 29pt, weight: "bold")[บันทึกข้อความ], [])',
                "#v(4pt)",
                f"#par[{label}[ส่วนราชการ] {value(m.unit)}]",
                f"#par[{label}[ที่] {ref}#dotfill#h(0.5cm){date}]",
                f"#par[{label}[เรื่อง] {value(m.subject)}]",
                "#v(2pt)#line(length: 100%, stroke: 0.6pt)#v(2pt)",
                f"#par[เรียน#h(0.25em){self.s(m.to)}]",
            ]
        )

    def block(self, b: Block) -> str:
        if isinstance(b, Paragraph):
            return self.paragraph(b)
        if isinstance(b, Heading):
            return self.heading(b)
        if isinstance(b, BulletList):
            items = ", ".join(f"[{self.runs(item)}]" for item in b.items)
            return f"#list({items})"
        if isinstance(b, Table):
            return self.table(b)
        if isinstance(b, Figure):
            return self.figure(b)
        if isinstance(b, Chart):
            return self.chart(b)
        if isinstance(b, Signature):
            return self.signature(b)
        if isinstance(b, MemoHeader):
            return self.memo_header(b)
        if isinstance(b, PageBreak):
            return "#pagebreak(weak: true)"
        if isinstance(b, Section):
            # A sticky heading stays on the page of the section's first block.
            return "\n\n".join([self.heading(b.heading), *(self.block(x) for x in b.blocks)])
        raise TypeError(f"unknown block {type(b).__name__}")

    def footer(self) -> str:
        if not self.doc.page_numbers:
            return "none"
        conv = "thai-digits" if self.doc.thai_digits else "str"
        return (
            "context align(center, text(size: 14pt)["
            f"หน้า #{conv}(str(counter(page).get().first())) / #{conv}(str(counter(page).final().first()))])"
        )

    def parts(self) -> tuple[str, list[str], str]:
        """The preamble, each top-level block's markup, and the closing title rule."""
        head = PREAMBLE % {
            "helpers": HELPERS,
            "footer": self.footer(),
            "family": FAMILY,
            "body": BODY_PT,
            "pad": CELL_PAD_CM,
            "h1": HEADING_PT[1],
            "h2": HEADING_PT[2],
            "dotted": DOTTED,
            "flipped": "true" if self.doc.landscape else "false",
        }
        blocks = [Heading(self.doc.title, 0), *self.doc.blocks] if self.doc.show_title else self.doc.blocks
        tail = f"#set document(title: {q(self.doc.title)})\n"
        return head, [self.block(b) for b in blocks], tail

    def render(self) -> str:
        head, blocks, tail = self.parts()
        return head + "\n" + "\n\n".join(blocks) + "\n" + tail


def to_typst(doc: Document) -> tuple[str, dict[str, bytes]]:
    """The Typst source of ``doc`` as one file, and the image files it refers to (name -> bytes)."""
    r = TypstRenderer(doc)
    source = r.render()
    return source, r.files


def typst_files(doc: Document) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """``doc`` as a Typst project: its sources in memory (``main.typ``: the preamble, an include
    per top-level block, the title; one file per block; the helpers) and its image files; the
    same document as ``to_typst``'s one file.

    Typst memoises layout by content, and content carries the source position (span) it came
    from; a span is numbered within its file, from the whole file's shape. In one file, every
    agency's report numbers its texts differently, so nothing laid out for one report was reused
    for the next. A block in its own file is numbered alone: the same table or paragraph (the
    item texts, the boilerplate) gets the same spans in every report, and a batch or a server lays
    it out once."""
    r = TypstRenderer(doc)
    head, blocks, tail = r.parts()
    files: dict[str, bytes] = {}
    includes = []
    for i, block in enumerate(blocks):
        name = f"block{i}.typ"
        if any(h in block for h in _HELPER_NAMES):
            block = f"#import {q(HELPERS_FILE)}: dotfill, memo-value;{block}"
        files[name] = block.encode("utf-8")
        includes.append(f"#include {q(name)}")
    files[HELPERS_FILE] = HELPERS.encode("utf-8")
    files[MAIN] = (head + "\n" + "\n\n".join(includes) + "\n" + tail).encode("utf-8")
    return files, r.files


if TYPE_CHECKING:
    import typst

OutputFormat = Literal["pdf", "png", "svg"]
MAIN = "main.typ"

_lock = threading.Lock()


@lru_cache(maxsize=1)
def _compiler() -> typst.Compiler:
    import typst

    font_path()  # fail clearly when the font is not installed
    # The root is where a file the project does not hold would be read from: the fonts' folder,
    # so that nothing else on disk is reachable.
    return typst.Compiler(root=str(FONT_DIR), font_paths=[str(FONT_DIR)], ignore_system_fonts=True)


def _after_fork() -> None:
    """A forked child gets its own compiler and lock: the parent's may be held by another thread."""
    global _lock
    _lock = threading.Lock()
    _compiler.cache_clear()


os.register_at_fork(after_in_child=_after_fork)


def compile_typst(
    source: str, files: dict[str, bytes] | None = None, fmt: OutputFormat = "pdf", ppi: float | None = None
) -> bytes:
    """Compile Typst ``source`` (with ``files`` beside it) to pdf, png or svg bytes.

    One compiler per process keeps the parsed fonts; it is not re-entrant, hence the lock."""
    compiler = _compiler()
    with _lock:
        if not files:
            return _one_file(compiler.compile(source.encode("utf-8"), format=fmt, ppi=ppi))
        with tempfile.TemporaryDirectory(prefix="prongsai-typst-") as tmp:
            root = Path(tmp)
            for name, data in files.items():
                (root / name).write_bytes(data)
            main = root / "main.typ"
            main.write_text(source, encoding="utf-8")
            return _one_file(compiler.compile(main, format=fmt, ppi=ppi, root=str(root)))


def compile_files(
    sources: dict[str, bytes], images: dict[str, bytes] | None = None, fmt: OutputFormat = "pdf"
) -> bytes:
    """Compile a Typst project (``typst_files``): ``sources`` in memory, ``main.typ`` first read;
    ``images`` from a temporary folder that is the compile's root (the binding takes only text
    in memory), else the root is the fonts' folder. Nothing else on disk is reachable."""
    if MAIN not in sources:
        raise ValueError(f"a Typst project needs its {MAIN}")
    compiler = _compiler()
    # The binding takes a dict of files (name -> UTF-8 text); its stub names only one path or bytes.
    project: Any = sources
    with _lock:
        if not images:
            return _one_file(compiler.compile(project, format=fmt, root=str(FONT_DIR)))
        with tempfile.TemporaryDirectory(prefix="prongsai-typst-") as tmp:
            for name, data in images.items():
                (Path(tmp) / name).write_bytes(data)
            return _one_file(compiler.compile(project, format=fmt, root=tmp))


def _one_file(result: bytes | list[bytes] | None) -> bytes:
    """Without an output path Typst returns bytes, or one image per page for a multi-page PNG or
    SVG; what we compile as an image (a chart) is one page, a PDF is always one file."""
    if not isinstance(result, bytes):
        raise TypeError(f"Typst returned {type(result).__name__}, not one file's bytes")
    return result
