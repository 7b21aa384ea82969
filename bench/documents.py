"""Benchmark of the official documents, on seed 003's analysis report:

- median time to build and write the DOCX, and the PDF (charts included, each run from scratch);
- in the same run, LibreOffice converting our DOCX to PDF (a new soffice process each time, as a
  server would), and the ratio of its time to ours;
- 100 agencies' reports (DOCX + PDF each) in one batch on every core.

    .venv/bin/python bench/documents.py [--runs 7] [--batch 100]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from prongsai.documents.service import build, render
from prongsai.interchange import load_document

DEMO = Path(__file__).resolve().parents[1] / "prongsai" / "demo" / "seed003.json"


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def one(record, fmt: str) -> bytes:
    return render(build("analysis", record), fmt)


def synthetic_record(n: int):
    """Seed 003 with other scores and another name: a different agency's report."""
    rng = random.Random(n)
    record = load_document(DEMO)
    data = record.model_dump(mode="json")
    data["agency"]["name"] = f"เทศบาลตำบลทดสอบ{n}"
    for a in data["assessments"]:
        a["indicators"] = {k: round(rng.uniform(70, 100), 2) for k in a["indicators"]}
        a["items"] = {
            k: rng.choice([0.0, 50.0, 100.0]) if k.startswith("o") else round(rng.uniform(85, 100), 2)
            for k in a["items"]
        }
        for key in ("overall", "level", "tools", "stated_changes"):
            a.pop(key, None)
    return load_document_from(data)


def load_document_from(data):
    from prongsai.interchange import parse_document

    return parse_document(data)


def batch_worker(ids: list[int]) -> int:
    for n in ids:
        doc = build("analysis", synthetic_record(n))
        render(doc, "docx")
        render(doc, "pdf")
    return len(ids)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()

    record = load_document(DEMO)
    one(record, "docx")  # warm: imports, font cache, matplotlib
    one(record, "pdf")
    model = build("analysis", record)
    build_times = [timed(lambda: build("analysis", record)) for _ in range(args.runs)]
    docx_times = [timed(lambda: render(model, "docx")) for _ in range(args.runs)]
    pdf_times = [timed(lambda: render(model, "pdf")) for _ in range(args.runs)]
    build_med = statistics.median(build_times)
    docx_med, pdf_med = statistics.median(docx_times), statistics.median(pdf_times)
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(render(model, "pdf"))
        f.flush()
        info = subprocess.run(["pdfinfo", f.name], capture_output=True, text=True).stdout
    pages = re.search(r"Pages:\s+(\d+)", info).group(1) if "Pages:" in info else "?"
    print(f"documents: seed 003 analysis report ({pages} pages), {args.runs} runs each, median")
    print(f"  model build (engine analysis + 3 charts, shared by every format): {build_med:.3f} s")
    print(f"  DOCX write: {docx_med:.3f} s; with the build {build_med + docx_med:.3f} s (target < 0.3 s)")
    print(f"  PDF  write: {pdf_med:.3f} s; with the build {build_med + pdf_med:.3f} s (target < 1 s)")

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice:
        with tempfile.TemporaryDirectory() as tmp:
            src = Path(tmp) / "analysis.docx"
            src.write_bytes(one(record, "docx"))
            profile = (Path(tmp) / "profile").as_uri()
            cmd = [
                soffice,
                "--headless",
                "--norestore",
                f"-env:UserInstallation={profile}",
                "--convert-to",
                "pdf",
                "--outdir",
                tmp,
                str(src),
            ]
            subprocess.run(cmd, capture_output=True, check=True)  # first start creates the profile
            lo_times = [
                timed(lambda: subprocess.run(cmd, capture_output=True, check=True)) for _ in range(args.runs)
            ]
        lo_med = statistics.median(lo_times)
        print(
            f"  LibreOffice DOCX -> PDF: {lo_med:.3f} s; LibreOffice / our PDF write = "
            f"{lo_med / pdf_med:.2f}x (target >= 2x)"
        )
    else:
        print(
            "  LibreOffice not installed: conversion not measured (apt-get install libreoffice-writer-nogui)"
        )

    ids = list(range(args.batch))
    chunks = [ids[i :: args.workers] for i in range(args.workers)]
    start = time.perf_counter()
    with ProcessPoolExecutor(args.workers) as pool:
        done = sum(pool.map(batch_worker, chunks))
    batch = time.perf_counter() - start
    print(
        f"  batch: {done} agencies' analysis reports (DOCX + PDF each) on {args.workers} workers: "
        f"{batch:.1f} s ({batch / done:.2f} s per agency)"
    )


if __name__ == "__main__":
    main()
