"""Write prongsai/documents/font_metrics.json: TH Sarabun New's advance widths, read with fontTools
from the pinned font files (scripts/install-fonts.sh checks their SHA-256), so that measuring a
column's words at run time needs neither fontTools nor the font files' parsing.

    .venv/bin/python scripts/font_metrics.py

tests/test_font_metrics.py checks the committed table against the installed fonts.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from prongsai.documents.fonts import font_path
from prongsai.documents.layout import METRICS


def read_metrics(weight: str) -> dict:
    from fontTools.ttLib import TTFont

    path = font_path(weight)
    font = TTFont(path, lazy=True)
    hmtx = font["hmtx"].metrics
    return {
        "file": path.name,
        "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        "units_per_em": font["head"].unitsPerEm,
        "advances": {str(cp): hmtx[name][0] for cp, name in sorted(font.getBestCmap().items())},
    }


def main() -> None:
    data = {weight: read_metrics(weight) for weight in ("normal", "bold")}
    METRICS.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {METRICS}")


if __name__ == "__main__":
    main()
