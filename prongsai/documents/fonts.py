"""Where the TH Sarabun New files are. They are installed by `make` from PyPI, never committed."""

from __future__ import annotations

from pathlib import Path

FONT_DIR = Path(__file__).with_name("fonts")
FAMILY = "TH Sarabun New"
FILES = {
    ("normal", "normal"): "THSarabunNew-Regular.ttf",
    ("bold", "normal"): "THSarabunNew-Bold.ttf",
    ("normal", "italic"): "THSarabunNew-Italic.ttf",
    ("bold", "italic"): "THSarabunNew-BoldItalic.ttf",
}
# TH Sarabun New draws small: 16 pt is the official body size (the seeds, the government's
# correspondence rules); another font needs about two thirds of that.
BODY_PT = 16


class FontMissing(Exception):
    """The real font is not installed; rendering with a fallback would silently look wrong."""


def font_path(weight: str = "normal", style: str = "normal") -> Path:
    path = FONT_DIR / FILES[(weight, style)]
    if not path.is_file():
        raise FontMissing(
            f"{path} is missing: run `make fonts` (installs {FAMILY} from PyPI) before rendering documents"
        )
    return path
