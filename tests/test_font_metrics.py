"""The committed advance widths (prongsai/documents/font_metrics.json) are those of the installed
TH Sarabun New: column widths are measured with them, so a font that differs from the table would
size columns wrongly and break words. Regenerate with scripts/font_metrics.py."""

from __future__ import annotations

import hashlib
import importlib.util
from pathlib import Path

import pytest

from prongsai.documents import layout
from prongsai.documents.fonts import font_path

ROOT = Path(__file__).resolve().parents[1]


def _generator():
    spec = importlib.util.spec_from_file_location("font_metrics", ROOT / "scripts" / "font_metrics.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("weight", ["normal", "bold"])
def test_table_matches_the_installed_font(weight):
    committed = layout._metrics()[weight]
    path = font_path(weight)
    assert committed["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest(), (
        f"{path.name} is not the font the width table was made from: run scripts/font_metrics.py"
    )
    assert committed == _generator().read_metrics(weight)


def test_widths_come_from_the_table():
    # "ก" and "า" advance, a mark (่) none: the table, not a fallback width, answers.
    advances, upem = layout._advances(False)
    assert upem == layout._metrics()["normal"]["units_per_em"]
    assert advances[ord("ก")] > 0 and advances[ord("่")] == 0
    assert layout.text_width_pt("กา", 16) == pytest.approx(
        (advances[ord("ก")] + advances[ord("า")]) * 16 / upem
    )
