"""Grouped bar charts drawn by Typst: vectors inside the PDF, and one cached PNG (DOCX) or SVG
(HTML) of the same drawing, so every format shows the same chart and no format pays for matplotlib.

The geometry is computed here and emitted as Typst ``place``-d rectangles, lines and labels; the
labels are TH Sarabun New shaped by Typst, with Thai digits when the document uses them.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from prongsai.documents.model import Chart
from prongsai.ita.numbers import fmt
from prongsai.thai.digits import to_thai_digits

if TYPE_CHECKING:
    from prongsai.documents.render.typst import OutputFormat

COLORS = ["#9bb7d4", "#1f4e79", "#c55a11", "#70ad47"]
PNG_PPI = 180  # sharp at the 15 cm a chart is printed, small enough for a DOCX


def _q(text: str) -> str:
    from prongsai.documents.render.typst import q

    return q(text)


def _cm(x: float) -> str:
    return f"{x:.3f}cm"


def chart_markup(c: Chart, thai_digits: bool = True, width_cm: float | None = None) -> str:
    """Typst code (one ``box``) drawing ``c``: title, y axis ymin..100, grouped bars with their
    values, category labels, and a legend when there is more than one series."""
    d = to_thai_digits if thai_digits else (lambda s: s)
    w = width_cm or c.width_cm
    h = c.height_cm * (w / c.width_cm)
    series = list(c.series.items())
    n, k = len(series), max(len(c.categories), 1)
    title_h, xlab_h, legend_h = 0.95, 0.75, (0.75 if n > 1 else 0.0)
    ox, oy = 1.1, title_h
    pw, ph = w - ox - 0.2, h - title_h - xlab_h - legend_h
    ymin, ytop = c.ymin, 105.0

    def y(v: float) -> float:
        v = min(max(v, ymin), ytop)
        return oy + ph * (1 - (v - ymin) / (ytop - ymin))

    out: list[str] = []

    def place(x: float, yy: float, body: str) -> None:
        out.append(f"place(top + left, dx: {_cm(x)}, dy: {_cm(yy)}, {body})")

    def label(
        x: float,
        yy: float,
        bw: float,
        bh: float,
        text: str,
        size: int,
        align: str = "center + horizon",
    ) -> None:
        body = f"align({align}, text(size: {size}pt, {_q(text)}))"
        place(x, yy, f"box(width: {_cm(bw)}, height: {_cm(bh)}, {body})")

    step = 10 if ymin < 50 else 5
    for t in range(int(ymin), 101, step):
        place(ox, y(t), f"line(length: {_cm(pw)}, stroke: 0.4pt + luma(200))")
        label(0, y(t) - 0.3, ox - 0.15, 0.6, d(str(t)), 13, "right + horizon")
    slot = pw / k
    bw = slot * 0.8 / max(n, 1)
    crowded = k * n > 8
    for j, (_, values) in enumerate(series):
        color = COLORS[j % len(COLORS)]
        for i, v in enumerate(values):
            if v is None:
                continue
            x = ox + slot * i + slot * 0.1 + bw * j
            top = y(v)
            place(x, top, f'rect(width: {_cm(bw)}, height: {_cm(oy + ph - top)}, fill: rgb("{color}"))')
            if crowded:  # upright inside the bar, so neighbouring labels never overlap
                fill = ", fill: white" if j else ""
                place(
                    x,
                    top + 0.08,
                    f"box(width: {_cm(bw)}, align(center, rotate(-90deg, reflow: true, "
                    f"text(size: 12pt{fill}, {_q(d(fmt(v)))}))))",
                )
            else:
                label(x - 0.6, top - 0.62, bw + 1.2, 0.6, d(fmt(v)), 15, "center + bottom")
    for i, cat in enumerate(c.categories):
        label(ox + slot * i, oy + ph + 0.05, slot, xlab_h - 0.05, d(cat), 14, "center + top")
    place(ox, oy, f"line(start: (0pt, 0pt), end: (0pt, {_cm(ph)}), stroke: 0.6pt)")
    place(ox, oy + ph, f"line(length: {_cm(pw)}, stroke: 0.6pt)")
    out.append(f'place(top + center, text(size: 18pt, weight: "bold", {_q(d(c.title))}))')
    if n > 1:
        items = ", ".join(
            f'box[#box(width: 0.45cm, height: 0.3cm, fill: rgb("{COLORS[j % len(COLORS)]}")) '
            f"#text(size: 14pt, {_q(d(name))})]"
            for j, (name, _) in enumerate(series)
        )
        out.append(f"place(bottom + center, stack(dir: ltr, spacing: 0.7cm, {items}))")
    return f"block(width: {_cm(w)}, height: {_cm(h)}, breakable: false, {{\n  " + "\n  ".join(out) + "\n})"


# Everything a chart's drawing depends on, hashable: categories, series, title, sizes, digits.
_ChartKey = tuple[
    tuple[str, ...], tuple[tuple[str, tuple[float | None, ...]], ...], str, float, float, float, bool
]


def _key(c: Chart, thai_digits: bool) -> _ChartKey:
    return (
        tuple(c.categories),
        tuple((k, tuple(v)) for k, v in c.series.items()),
        c.title,
        c.width_cm,
        c.height_cm,
        c.ymin,
        thai_digits,
    )


@lru_cache(maxsize=256)
def _image(key: _ChartKey, fmt_: OutputFormat) -> bytes:
    from prongsai.documents.fonts import FAMILY
    from prongsai.documents.render.typst import compile_typst

    cats, series, title, width, height, ymin, thai_digits = key
    c = Chart(list(cats), {k: list(v) for k, v in series}, title, "", width, height, ymin)
    source = (
        "#set page(width: auto, height: auto, margin: 0.1cm, fill: white)\n"
        f'#set text(font: "{FAMILY}", size: 14pt, lang: "th", top-edge: "ascender",'
        ' bottom-edge: "descender")\n'
        f"#{chart_markup(c, thai_digits)}\n"
    )
    return compile_typst(source, fmt=fmt_, ppi=PNG_PPI if fmt_ == "png" else None)


def chart_png(c: Chart, thai_digits: bool = True) -> bytes:
    """The chart as PNG (for DOCX), drawn once per distinct chart in a process."""
    return _image(_key(c, thai_digits), "png")


def chart_svg(c: Chart, thai_digits: bool = True) -> bytes:
    """The chart as SVG (for HTML), drawn once per distinct chart in a process."""
    return _image(_key(c, thai_digits), "svg")
