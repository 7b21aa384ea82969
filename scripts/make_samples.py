"""Sample documents for review: every kind each seed supports, as our PDF, as DOCX, and as that DOCX
laid out by LibreOffice, with page images of both, under docs/samples/<seed>/.

Run by `make samples`. The records are the seeds' hand-annotated truth (../shared/seeds/truth/)
when it is beside the repository, else the demo record only. Photos for the progress report's
appendix are drawn here (the seeds' own photos are paths on their authors' disks).
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from prongsai.documents.service import DocumentError, build, render
from prongsai.interchange.models import Document as Record

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "samples"
TRUTH = ROOT.parent / "shared" / "seeds" / "truth"
PAGES_DPI = 50


def seeds() -> dict[str, Record]:
    demo = ROOT / "prongsai" / "demo" / "tonyongmat.json"
    out = {"demo-tonyongmat": Record.model_validate_json(demo.read_text())}
    if TRUTH.is_dir():
        for path in sorted(TRUTH.glob("0*.json")):
            out[f"seed{path.name[:3]}"] = Record.model_validate(json.loads(path.read_text()))
    else:
        print(f"{TRUTH} not found: samples from the demo record only", file=sys.stderr)
    return out


def photo(text: str, colour: tuple[int, int, int]) -> bytes:
    """A stand-in photo (the seeds' photos are not available): a coloured frame with a label."""
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (800, 500), colour)
    draw = ImageDraw.Draw(img)
    draw.rectangle((20, 20, 780, 480), outline=(255, 255, 255), width=6)
    draw.text((60, 230), text, fill=(255, 255, 255))
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=80)
    return buf.getvalue()


def with_photos(record: Record) -> tuple[Record, dict[str, bytes]]:
    """The record's photo references replaced by photos in a store, as the web app keeps them."""
    data = record.model_dump(mode="json")
    store: dict[str, bytes] = {}
    for k, m in enumerate(data["measures"]):
        if m.get("status") != "done":
            continue
        ev = [e for e in m.get("evidence", []) if e["kind"] != "photo"]
        for j in range(2 if k % 2 == 0 else 1):
            key = f"{k}-{j}"
            store[key] = photo(f"measure {k + 1} photo {j + 1}", (40 + 30 * k % 200, 90, 140))
            ev.append(
                {
                    "kind": "photo",
                    "ref": f"ภาพ{key}.jpg",
                    "caption": f"ภาพกิจกรรมตามมาตรการที่ {k + 1}",
                    "id": key,
                }
            )
        m["evidence"] = ev
    return Record.model_validate(data), store


def kinds(record: Record) -> list[tuple[str, dict]]:
    out: list[tuple[str, dict]] = []
    if record.assessments:
        out.append(("analysis", {}))
    if record.measures:
        out.append(("plan", {}))
    if any(m.status for m in record.measures):
        out += [("progress-status", {"layout": "status"}), ("progress-result", {"layout": "result"})]
    wraps = (
        "progress"
        if any(m.status for m in record.measures)
        else ("analysis" if record.assessments else "plan")
    )
    out.append(("memo", {"wraps": wraps}))
    return out


def pages(pdf: Path, prefix: Path) -> int:
    """Page images, reduced to 32 grey levels: legible, and a tenth of the size in git."""
    from PIL import Image

    subprocess.run(["pdftoppm", "-r", str(PAGES_DPI), "-png", str(pdf), str(prefix)], check=True)
    images = sorted(prefix.parent.glob(prefix.name + "-*.png"))
    for path in images:
        with Image.open(path) as im:
            small = im.convert("L").quantize(32)
        small.save(path, optimize=True)
    return len(images)


def main() -> int:
    for old in OUT.glob("*/"):  # the record folders; REVIEW.md and other notes stay
        shutil.rmtree(old)
    OUT.mkdir(parents=True, exist_ok=True)
    profile = Path(tempfile.mkdtemp(prefix="lo-samples-"))
    count = 0
    for name, record in seeds().items():
        folder = OUT / name
        folder.mkdir()
        record_with_photos, store = with_photos(record)
        for kind, options in kinds(record):
            base = kind.split("-")[0]
            rec = record_with_photos if base == "progress" else record
            doc_kind = "memo" if base == "memo" else base
            try:
                doc = build(
                    doc_kind,  # type: ignore[arg-type]
                    rec,
                    images=lambda e, store=store: (store[e.id], "image/jpeg") if e.id in store else None,
                    **options,
                )
            except DocumentError as exc:
                print(f"{name} {kind}: {exc}", file=sys.stderr)
                continue
            pdf = folder / f"{kind}.pdf"
            docx = folder / f"{kind}.docx"
            render(doc, "pdf", pdf)
            render(doc, "docx", docx)
            subprocess.run(
                [
                    "soffice",
                    "--headless",
                    "--norestore",
                    f"-env:UserInstallation=file://{profile}",
                    "--convert-to",
                    "pdf:writer_pdf_Export",
                    "--outdir",
                    str(folder / "lo"),
                    str(docx),
                ],
                check=True,
                capture_output=True,
            )
            n = pages(pdf, folder / f"{kind}-pdf")
            m = pages(folder / "lo" / f"{kind}.pdf", folder / f"{kind}-docx")
            print(f"{name}/{kind}: PDF {n} pages, DOCX in LibreOffice {m} pages")
            count += 1
        shutil.rmtree(folder / "lo", ignore_errors=True)
    shutil.rmtree(profile, ignore_errors=True)
    print(f"{count} documents under {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
