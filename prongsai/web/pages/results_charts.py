"""Year-over-year bar chart as inline SVG: no JavaScript, no image request, drawn in the page's
own Thai font, and cheap enough for the dashboard's latency budget (the printed documents draw
theirs with Typst, prongsai/documents/charts.py)."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from prongsai.ita.numbers import fmt

COLORS = ["#1f4e79", "#9bb7d4", "#c55a11", "#70ad47", "#7f6000"]


def bar_chart_svg(
    categories: list[str],
    series: dict[str, list[float | None]],
    title: str,
    *,
    ymin: float = 0.0,
    ymax: float = 100.0,
) -> SafeString:
    """Grouped bars (one group per category, one bar per series) with value labels."""
    n_cat, n_ser = len(categories), max(len(series), 1)
    left, right, top, bottom = 44, 12, 40, 64
    group_w = max(90, 26 * n_ser + 24)
    width = left + right + group_w * max(n_cat, 1)
    height = 320
    plot_h = height - top - bottom
    span = (ymax - ymin) or 1.0

    def y_of(v: float) -> float:
        v = min(max(v, ymin), ymax)
        return top + plot_h * (1 - (v - ymin) / span)

    parts = [
        f'<svg class="chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg">',
        f'<text x="{width / 2:.0f}" y="22" text-anchor="middle" class="chart-title">{escape(title)}</text>',
    ]
    for k in range(5):
        v = ymin + span * k / 4
        y = y_of(v)
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 5:.1f}" text-anchor="end" class="axis">{v:.0f}</text>')
    bar_w = (group_w - 24) / n_ser
    for i, cat in enumerate(categories):
        gx = left + i * group_w + 12
        for k, (label, values) in enumerate(series.items()):
            v = values[i]
            if v is None:
                continue
            x = gx + k * bar_w
            y = y_of(v)
            color = COLORS[k % len(COLORS)]
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w - 2:.1f}" height="{top + plot_h - y:.1f}" '
                f'fill="{color}"><title>{escape(label)} {escape(cat)}: {fmt(v)}</title></rect>'
            )
            cx, inside = x + (bar_w - 2) / 2, (top + plot_h - y) > 70
            ty = y + 6 if inside else y - 6
            parts.append(
                f'<text x="{cx:.1f}" y="{ty:.1f}" dy="0.35em" text-anchor="{"end" if inside else "start"}" '
                f'class="value{" inside" if inside else ""}" transform="rotate(-90 {cx:.1f} {ty:.1f})">'
                f"{fmt(v)}</text>"
            )
        parts.append(
            f'<text x="{gx + (group_w - 24) / 2:.1f}" y="{top + plot_h + 22}" text-anchor="middle" '
            f'class="axis">{escape(cat)}</text>'
        )
    lx = left
    for k, label in enumerate(series):
        parts.append(
            f'<rect x="{lx}" y="{height - 22}" width="14" height="14" fill="{COLORS[k % len(COLORS)]}"/>'
            f'<text x="{lx + 18}" y="{height - 10}" class="legend">{escape(label)}</text>'
        )
        lx += 30 + 11 * len(label)
    parts.append("</svg>")
    return mark_safe("".join(parts))
