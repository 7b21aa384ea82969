"""Importer accuracy per class of an evaluation set whose files are named by class (A_…, B_…).

    .venv/bin/python bench/importer_classes.py [DIR]   (default: tests/data/importer_unseen)

Prints micro precision, recall and F1 of the field units (prongsai.importers.evaluate) per class
and in all, with the field groups that lose the most.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

from prongsai.importers import ImportFailure
from prongsai.importers.evaluate import Counts, evaluate_pairs
from prongsai.importers.service import import_path

ROOT = Path(__file__).resolve().parent.parent
EMPTY = {"kinds": [], "agency": {}, "assessments": [], "measures": [], "memo": None}


def main(folder: Path) -> int:
    pairs = []
    for t in sorted(folder.glob("*.json")):
        truth = json.loads(t.read_text(encoding="utf-8"))
        source = folder / (truth.get("source") or f"{t.stem}.txt")
        try:
            predicted = import_path(source).truth_view
        except ImportFailure as exc:
            print(f"{t.stem}: refused: {exc.message_en}", file=sys.stderr)
            predicted = EMPTY
        pairs.append((t.stem, predicted, truth))
    report = evaluate_pairs(pairs)
    by_class: dict[str, Counts] = defaultdict(Counts)
    groups: dict[str, Counts] = defaultdict(Counts)
    for doc in report.documents:
        by_class[doc.name.split("_", 1)[0]] += doc.total
        for g, c in doc.groups.items():
            groups[g] += c
    print(f"{'class':8} {'docs':>4} {'P':>6} {'R':>6} {'F1':>6}")
    for cls in sorted(by_class):
        c = by_class[cls]
        n = sum(d.name.startswith(cls + "_") for d in report.documents)
        print(f"{cls:8} {n:>4} {c.precision:6.3f} {c.recall:6.3f} {c.f1:6.3f}")
    m = report.micro
    print(f"{'all':8} {len(report.documents):>4} {m.precision:6.3f} {m.recall:6.3f} {m.f1:6.3f}")
    worst = sorted(groups.items(), key=lambda kv: -(kv[1].fp + kv[1].fn))[:8]
    print("most lost: " + ", ".join(f"{g} (FP {c.fp}, FN {c.fn})" for g, c in worst))
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "tests/data/importer_unseen"))
