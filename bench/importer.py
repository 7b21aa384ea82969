"""Benchmark of the importer, on one core:

- text inputs: the five seeds and our held-out documents, extraction + recognition + the engine's
  checks, documents per second (median of runs);
- DOCX inputs: the held-out documents written as Word tables, and the seed 003 analysis report our
  documents module writes (14 pages), documents per second;
- OCR: seconds per page for pages of a generated PDF rendered at 300 dpi (Tesseract, tha+eng).

    .venv/bin/python bench/importer.py [--runs 7] [--ocr-pages 2]

Target (issue 5): at least 20 documents per second per core for text and DOCX.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from prongsai.importers.service import import_bytes  # noqa: E402

SEEDS = ROOT.parent / "shared" / "seeds"
HELD_OUT = ROOT / "tests" / "data" / "importer"


def _median_rate(files: list[tuple[str, bytes]], runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        for name, data in files:
            import_bytes(data, name)
        times.append(time.perf_counter() - start)
    median = statistics.median(times)
    return len(files) / median, median / len(files)


def text_inputs() -> list[tuple[str, bytes]]:
    files = sorted(SEEDS.glob("*.txt")) + sorted(
        p for p in HELD_OUT.glob("*.txt") if p.with_suffix(".json").exists()
    )
    return [(p.name, p.read_bytes()) for p in files]


def docx_inputs(tmp: Path) -> list[tuple[str, bytes]]:
    from prongsai.documents.service import build, render
    from prongsai.interchange import load_document
    from tests.importer_docs import CONVERTIBLE, to_docx

    out = [(f"{n}.docx", to_docx(HELD_OUT / f"{n}.txt", tmp / f"{n}.docx").read_bytes()) for n in CONVERTIBLE]
    record = load_document(ROOT / "prongsai" / "demo" / "tonyongmat.json")
    out.append(("seed003-analysis.docx", render(build("analysis", record), "docx")))
    return out


def ocr_seconds_per_page(pages: int) -> tuple[float, int]:
    from prongsai.documents.service import build, render
    from prongsai.importers.extract.ocr import ocr_pdf_pages
    from prongsai.interchange import load_document

    record = load_document(ROOT / "prongsai" / "demo" / "tonyongmat.json")
    pdf = render(build("analysis", record), "pdf")
    start = time.perf_counter()
    texts = ocr_pdf_pages(pdf, range(pages))
    elapsed = time.perf_counter() - start
    return elapsed / len(texts), sum(len(t) for t in texts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--ocr-pages", type=int, default=2)
    args = parser.parse_args()

    texts = text_inputs()
    rate, per = _median_rate(texts, args.runs)
    print(f"importer, one core, median of {args.runs} runs")
    print(
        f"  text: {len(texts)} documents, {rate:.1f} documents/s ({per * 1000:.1f} ms each; target >= 20/s)"
    )
    with tempfile.TemporaryDirectory() as tmp:
        docx = docx_inputs(Path(tmp))
    rate, per = _median_rate(docx, args.runs)
    print(f"  DOCX: {len(docx)} documents, {rate:.1f} documents/s ({per * 1000:.1f} ms each; target >= 20/s)")
    big = [d for d in docx if d[0].startswith("seed003")]
    rate, per = _median_rate(big, args.runs)
    print(f"        of which the 14-page seed 003 analysis report alone: {per * 1000:.0f} ms")
    if args.ocr_pages:
        seconds, chars = ocr_seconds_per_page(args.ocr_pages)
        print(
            f"  OCR: {seconds:.2f} s per page (300 dpi, tha+eng, {args.ocr_pages} pages, "
            f"{chars} characters read)"
        )


if __name__ == "__main__":
    main()
