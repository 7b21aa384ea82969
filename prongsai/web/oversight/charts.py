"""Bar charts as inline SVG (no script: the Content-Security-Policy allows none inline, and none
is needed): the eye finds the long and the short bars before it reads a number."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

OK, BAD, NEUTRAL, BRAND, LIGHT = "#2e7d32", "#c62828", "#78909c", "#1f4e79", "#e3e8ee"


@dataclass
class Bar:
    label: str
    value: float  # the bar's length on the scale
    text: str  # what is written after the bar
    color: str = BRAND
    href: str = ""


def hbars(bars: list[Bar], *, scale: float, title: str, label_width: int = 150, row: int = 22) -> SafeString:
    """Horizontal bars, one per row, labels on the left and the figure after each bar."""
    width, bar_area = 640, 640 - label_width - 90
    height = row * len(bars) + 6
    parts = [
        f'<svg class="ov-chart" role="img" viewBox="0 0 {width} {height}" width="100%" '
        f'preserveAspectRatio="xMinYMin meet" aria-label="{escape(title)}"><title>{escape(title)}</title>'
    ]
    for i, b in enumerate(bars):
        y = 3 + i * row
        length = 0 if not scale else max(0.0, min(1.0, b.value / scale)) * bar_area
        label = escape(b.label)
        if b.href:
            label = f'<a href="{escape(b.href)}">{label}</a>'
        parts.append(
            f'<text x="{label_width - 6}" y="{y + row * 0.68:.1f}" text-anchor="end">{label}</text>'
            f'<rect x="{label_width}" y="{y + 3}" width="{bar_area}" height="{row - 8}" fill="{LIGHT}"/>'
            f'<rect x="{label_width}" y="{y + 3}" width="{length:.1f}" height="{row - 8}" fill="{b.color}">'
            f"<title>{label if not b.href else escape(b.label)}: {escape(b.text)}</title></rect>"
            f'<text x="{label_width + bar_area + 6}" y="{y + row * 0.68:.1f}">{escape(b.text)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))
