"""HTML from the document model: the public page (the PDF is made by Typst, render/typst.py).

One stylesheet serves both: A4 pages with Thai page numbers in print, a readable column on
screen. Text is escaped; figures are embedded as PNG data URIs so a page is one file plus fonts.
"""

from __future__ import annotations

import base64
from html import escape

from prongsai.documents.fonts import BODY_PT, FAMILY, FILES
from prongsai.documents.layout import name_spans
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

CSS = """
@page { size: A4; margin: 2.5cm 2cm 2cm 3cm; %(page_numbers)s }
html { font-family: "%(family)s"; font-size: %(body)spt; line-height: 1.25; color: #000; }
body { margin: 0 auto; max-width: 46em; padding: 0 1em; }
.nb { white-space: nowrap; }
@media print { body { max-width: none; padding: 0; } }
h1 { font-size: 20pt; text-align: center; margin: 0 0 0.6em; }
h2 { font-size: 18pt; margin: 0.9em 0 0.3em; break-after: avoid; }
h3 { font-size: 16pt; margin: 0.7em 0 0.2em; break-after: avoid; }
p { margin: 0 0 0.3em; orphans: 2; widows: 2; }
p.indent { text-indent: 2.5cm; }
p.center { text-align: center; } p.right { text-align: right; }
/* justify only stretches spaces: Thai lines without spaces would stay ragged or gap badly */
p.justify { text-align: left; }
ul { margin: 0 0 0.4em 1.5em; padding: 0; }
/* fixed layout: widths come from the builder, and the browser skips measuring every cell */
table { border-collapse: collapse; table-layout: fixed; width: 100%%; margin: 0.3em 0 0.6em;
        font-size: 15pt; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
th, td { border: 0.6pt solid #000; padding: 2pt 4pt; vertical-align: top; }
th { font-weight: bold; text-align: center; vertical-align: middle; }
td p { margin: 0; text-indent: 0; }
td.right, td.right p { text-align: right; } td.center, td.center p { text-align: center; }
figure { margin: 0.4em 0 0.8em; text-align: center; break-inside: avoid; }
figure img { max-width: 100%%; }
figcaption { font-size: 15pt; }
.caption { text-align: center; font-weight: bold; margin-top: 0.6em; }
.signature { margin: 1.2em 0 0.6em 50%%; text-align: center; break-inside: avoid; }
.signature p { margin: 0; text-indent: 0; text-align: center; }
.memo { position: relative; }
.memo-emblem { position: absolute; left: 0; top: 0; height: 1.5cm; }
.memo-title { text-align: center; font-size: 29pt; font-weight: bold; margin: 0 0 0.2em; }
.memo-line { margin: 0; text-indent: 0; }
.memo-line b { font-size: 20pt; }
.memo-fill { text-decoration: underline dotted; text-underline-offset: 3pt; }
.memo-rule { border-bottom: 0.6pt solid #000; margin: 0.2em 0 0.4em; }
.pagebreak { break-after: page; }
section.keep > h3 { break-after: avoid; }
a { color: #003c8f; }
"""


class HtmlRenderer:
    def __init__(self, doc: Document, font_base: str | None):
        self.doc = doc
        self.font_base = font_base

    def t(self, text: str, verbatim: bool = False, names: bool = True) -> str:
        """Escaped text; each of the document's unbreakable names in a span that never wraps
        (a browser's Thai dictionary would cut "ศรีสองคราม" between ศรี and สอง)."""
        if self.doc.thai_digits and not verbatim:
            text = to_thai_digits(text)
        out = escape(text).replace("\n", "<br>")
        unbreakable = tuple(self.doc.unbreakable)
        if names and unbreakable and any(n in out for n in unbreakable):
            out = "".join(
                f'<span class="nb">{seg}</span>' if is_name else seg
                for seg, is_name in name_spans(out, unbreakable)
            )
        return out

    def runs(self, runs: list[Run]) -> str:
        out = []
        for r in runs:
            s = self.t(r.text, r.verbatim)
            if r.link and r.link.lower().startswith(SAFE_SCHEMES):  # never javascript: and the like
                s = f'<a href="{escape(r.link, quote=True)}">{s}</a>'
            if r.bold:
                s = f"<b>{s}</b>"
            out.append(s)
        return "".join(out)

    def paragraph(self, p: Paragraph) -> str:
        classes: list[str] = [p.align]
        if p.indent:
            classes.append("indent")
        style = []
        if p.size:
            style.append(f"font-size:{p.size}pt")
        if p.space_before:
            style.append(f"margin-top:{p.space_before}pt")
        st = f' style="{";".join(style)}"' if style else ""
        return f'<p class="{" ".join(classes)}"{st}>{self.runs(p.runs)}</p>'

    def cell(self, c: Cell, tag: str) -> str:
        attrs = ""
        if c.colspan > 1:
            attrs += f' colspan="{c.colspan}"'
        if c.rowspan > 1:
            attrs += f' rowspan="{c.rowspan}"'
        if tag == "td" and c.align != "left":
            attrs += f' class="{c.align}"'
        bold = ' style="font-weight:bold"' if c.bold and tag == "td" else ""
        inner = "".join(f"<p{bold}>{self.runs(p.runs)}</p>" for p in c.content)
        return f"<{tag}{attrs}>{inner}</{tag}>"

    def table(self, tb: Table) -> str:
        total = sum(tb.widths)
        cols = "".join(f'<col style="width:{w / total * 100:.1f}%">' for w in tb.widths)
        head = "".join("<tr>" + "".join(self.cell(c, "th") for c in row) + "</tr>" for row in tb.header)
        body = "".join("<tr>" + "".join(self.cell(c, "td") for c in row) + "</tr>" for row in tb.rows)
        cap = f'<p class="caption">{self.t(tb.caption)}</p>' if tb.caption else ""
        size = f' style="font-size:{tb.font_pt}pt"' if tb.font_pt else ""
        return (
            f"{cap}<table{size}><colgroup>{cols}</colgroup><thead>{head}</thead><tbody>{body}</tbody></table>"
        )

    def block(self, b: Block) -> str:
        if isinstance(b, Paragraph):
            return self.paragraph(b)
        if isinstance(b, Heading):
            tag = {0: "h1", 1: "h2"}.get(b.level, "h3")
            return f"<{tag}>{self.t(b.text)}</{tag}>"
        if isinstance(b, BulletList):
            return "<ul>" + "".join(f"<li>{self.runs(item)}</li>" for item in b.items) + "</ul>"
        if isinstance(b, Table):
            return self.table(b)
        if isinstance(b, Figure):
            data = base64.b64encode(b.png).decode("ascii")
            return (
                f'<figure><img src="data:{b.mime};base64,{data}" style="width:{b.width_cm}cm" '
                f'alt="{escape(b.caption, quote=True)}"><figcaption>{self.t(b.caption)}</figcaption></figure>'
            )
        if isinstance(b, Chart):
            from prongsai.documents.charts import chart_svg

            data = base64.b64encode(chart_svg(b, self.doc.thai_digits)).decode("ascii")
            return (
                f'<figure><img src="data:image/svg+xml;base64,{data}" style="width:{b.width_cm}cm" '
                f'alt="{escape(b.title, quote=True)}"><figcaption>{self.t(b.caption)}</figcaption></figure>'
            )
        if isinstance(b, Signature):
            lines = [f"<p>{self.t(b.label)} ..................................................</p>"]
            lines.append(
                f"<p>({self.t(b.name)})</p>"
                if b.name
                else "<p>(..................................................)</p>"
            )
            lines += [f"<p>{self.t(pos)}</p>" for pos in b.position]
            return '<div class="signature">' + "".join(lines) + "</div>"
        if isinstance(b, MemoHeader):
            blank = "&emsp;" * 12  # ref/date not given yet: a dotted space to fill by hand
            ref = self.t(b.ref_no) if b.ref_no else blank
            date = self.t(b.date) if b.date else blank
            emblem = (
                f'<img class="memo-emblem" alt="" src="data:{b.emblem_mime};base64,'
                f'{base64.b64encode(b.emblem).decode("ascii")}">'
                if b.emblem
                else ""
            )
            return (
                f'<div class="memo">{emblem}'
                '<p class="memo-title">บันทึกข้อความ</p>'
                f'<p class="memo-line"><b>ส่วนราชการ</b> <span class="memo-fill">{self.t(b.unit)}</span></p>'
                f'<p class="memo-line"><b>ที่</b> <span class="memo-fill">{ref}</span>'
                f'&emsp;&emsp;<b>วันที่</b> <span class="memo-fill">{date}</span></p>'
                f'<p class="memo-line"><b>เรื่อง</b> <span class="memo-fill">{self.t(b.subject)}</span></p>'
                '<div class="memo-rule"></div>'
                f'<p class="memo-line">เรียน&nbsp;{self.t(b.to)}</p></div>'
            )
        if isinstance(b, PageBreak):
            return '<div class="pagebreak"></div>'
        if isinstance(b, Section):
            inner = "".join(self.block(x) for x in b.blocks)
            return f'<section class="keep">{self.block(b.heading)}{inner}</section>'
        raise TypeError(f"unknown block {type(b).__name__}")

    def font_faces(self) -> str:
        if self.font_base is None:
            return ""
        out = []
        for (weight, style), name in FILES.items():
            out.append(
                f'@font-face {{ font-family: "{FAMILY}"; font-weight: {weight}; font-style: {style}; '
                f'src: url("{self.font_base}{name}") format("truetype"); }}'
            )
        return "\n".join(out)

    def render(self) -> str:
        style = "thai" if self.doc.thai_digits else "decimal"
        numbers = (
            f'@bottom-center {{ content: "หน้า " counter(page, {style}) " / " counter(pages, {style}); '
            f'font-family: "{FAMILY}"; font-size: 14pt; }}'
            if self.doc.page_numbers
            else ""
        )
        css = CSS % {"family": FAMILY, "body": BODY_PT, "page_numbers": numbers}
        body = "\n".join(self.block(b) for b in self.blocks_with_title())
        return (
            f'<!DOCTYPE html>\n<html lang="{self.doc.language}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{self.t(self.doc.title, names=False)}</title>"
            f"<style>{self.font_faces()}\n{css}</style></head>"
            f"<body>\n{body}\n</body></html>\n"
        )

    def blocks_with_title(self) -> list[Block]:
        if not self.doc.show_title:
            return self.doc.blocks
        return [Heading(self.doc.title, 0), *self.doc.blocks]


def render_html(doc: Document, font_base: str | None = "fonts/") -> str:
    """``font_base``: where the TTFs are, as a URL prefix (``file:///…/`` for PDF, ``fonts/`` for
    a page published beside a copy of them); None to rely on fonts installed on the reader's machine."""
    return HtmlRenderer(doc, font_base).render()
