"""Charts with matplotlib, drawn once as PNG and embedded in every format.

matplotlib's wheel bundles libraqm, so Thai shapes correctly; the font is the same TH Sarabun New
file the documents use, loaded by path. Labels get Thai digits when the document uses them.
"""

from __future__ import annotations

import io
from functools import lru_cache

from prongsai.documents.fonts import FAMILY, font_path
from prongsai.ita.numbers import fmt
from prongsai.thai.digits import to_thai_digits

COLORS = ["#9bb7d4", "#1f4e79", "#c55a11", "#70ad47"]


@lru_cache(maxsize=1)
def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager
    from matplotlib import pyplot as plt

    for weight in ("normal", "bold"):
        font_manager.fontManager.addfont(str(font_path(weight)))
    matplotlib.rcParams.update(
        {
            "font.family": FAMILY,
            "font.size": 18,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "svg.fonttype": "path",
        }
    )
    return plt


def bar_chart(
    categories: list[str],
    series: dict[str, list[float | None]],
    title: str,
    *,
    thai_digits: bool = True,
    ymin: float = 0.0,
    width_in: float = 8.0,
    height_in: float = 4.0,
) -> bytes:
    """Grouped bars with value labels; None values are left out.

    Returns PNG at 150 dpi, sharp at the 15 cm it is printed."""
    plt = _pyplot()
    d = (lambda s: to_thai_digits(s)) if thai_digits else (lambda s: s)
    fig, ax = plt.subplots(figsize=(width_in, height_in), dpi=150)
    n = len(series)
    width = 0.8 / max(n, 1)
    for k, (label, values) in enumerate(series.items()):
        xs = [i + (k - (n - 1) / 2) * width for i in range(len(categories))]
        pts = [(x, v) for x, v in zip(xs, values, strict=True) if v is not None]
        if not pts:
            continue
        bars = ax.bar(
            [p[0] for p in pts],
            [p[1] - ymin for p in pts],
            width,
            bottom=ymin,
            label=d(label),
            color=COLORS[k % len(COLORS)],
        )
        crowded = len(categories) * n > 8
        for bar, (_, v) in zip(bars, pts, strict=True):
            top = (bar.get_x() + bar.get_width() / 2, bar.get_height() + ymin)
            if crowded:  # upright inside the bar, so neighbouring labels never overlap
                ax.annotate(
                    d(fmt(v)),
                    top,
                    ha="center",
                    va="top",
                    rotation=90,
                    fontsize=13,
                    color="white" if k else "black",
                    xytext=(0, -4),
                    textcoords="offset points",
                )
            else:
                ax.annotate(
                    d(fmt(v)),
                    top,
                    ha="center",
                    va="bottom",
                    fontsize=15,
                    xytext=(0, 2),
                    textcoords="offset points",
                )
    ax.set_xticks(range(len(categories)), [d(c) for c in categories], fontsize=14)
    ax.set_ylim(ymin, 105)
    ax.set_yticks([t for t in range(int(ymin), 101, 10 if ymin < 50 else 5)])
    ax.set_yticklabels([d(str(t)) for t in ax.get_yticks().astype(int)], fontsize=13)
    ax.set_title(d(title), fontsize=20, fontweight="bold")
    if n > 1:
        ax.legend(fontsize=15, frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.14), ncols=n)
    fig.tight_layout()
    buf = io.BytesIO()
    # Fast zlib level: the default spends most of a chart's time compressing.
    fig.savefig(buf, format="png", pil_kwargs={"compress_level": 1})
    plt.close(fig)
    return buf.getvalue()
