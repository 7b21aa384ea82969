"""Official documents, read back by real readers: python-docx for DOCX, poppler's pdftotext for
PDF, LibreOffice converting our DOCX to PDF."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from docx import Document as read_docx

from prongsai.documents.charts import chart_png
from prongsai.documents.model import Chart
from prongsai.documents.service import build, render
from prongsai.interchange import Measure, load_document
from prongsai.ita.api import analyse_document, score_document
from prongsai.ita.numbers import fmt
from prongsai.thai.digits import to_thai_digits

from .conftest import DEMO, DEMO_DIR

SEED004 = DEMO_DIR / "thungmaphrao.json"
SEED001 = DEMO_DIR / "srisongkhram.json"


def nfkc(text: str) -> str:
    # Sara am extracts from a PDF as nikhahit + sara aa, its compatibility decomposition.
    return unicodedata.normalize("NFKC", text)


def docx_text(data: bytes) -> str:
    d = read_docx(io.BytesIO(data))
    parts = [p.text for p in d.paragraphs]
    for table in d.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    for section in d.sections:
        parts.extend(p.text for p in section.footer.paragraphs)
    # Word joiners (U+2060) hold names no dictionary knows on one line; they are layout, not text.
    return "\n".join(parts).replace("\u2060", "")


def pdf_text(data: bytes, tmp: Path) -> str:
    path = tmp / "doc.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def pdf_fonts(data: bytes, tmp: Path) -> str:
    path = tmp / "fonts.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def seed003_docs():
    record = load_document(DEMO)
    docs = {kind: build(kind, record) for kind in ("analysis", "plan", "memo")}
    return (
        record,
        docs,
        {kind: {fmt_: render(d, fmt_) for fmt_ in ("docx", "pdf")} for kind, d in docs.items()},
    )


@pytest.fixture(scope="module")
def progress_docs():
    record = load_document(SEED004)
    out = {}
    for layout in ("status", "result"):
        d = build("progress", record, layout=layout)
        out[layout] = (d, render(d, "docx"), render(d, "pdf"))
    return record, out


def engine_numbers(record) -> list[str]:
    """Every number the engine computed for the latest year, as printed (Thai digits)."""
    analysis, _ = analyse_document(record)
    nums = [analysis.overall.current, analysis.overall.previous]
    nums += [c.current for c in analysis.tools] + [c.previous for c in analysis.tools]
    nums += [i.score for i in analysis.indicators] + [i.previous for i in analysis.indicators]
    printed = {to_thai_digits(fmt(n)) for n in nums if n is not None}
    printed |= {to_thai_digits(fmt(i.delta, True)) for i in analysis.indicators if i.delta is not None}
    printed.add(to_thai_digits(fmt(analysis.overall.delta, True)))
    return sorted(printed)


def test_analysis_report_content_docx_and_pdf(seed003_docs, tmp_path):
    record, _docs, files = seed003_docs
    edition = score_document(record)[-1].edition
    docx = docx_text(files["analysis"]["docx"])
    pdf = nfkc(pdf_text(files["analysis"]["pdf"], tmp_path))
    for text in (docx, pdf):
        for ind in edition.indicators:
            assert nfkc(ind.name_th) in nfkc(text), ind.name_th
        for number in engine_numbers(record):
            assert number in text, number
        assert "๙๓.๙๖" in text and "ผ่านดี" in text and "-๕.๘๐" in text
        assert "93.96" not in text  # Thai digits by default
        for heading in (
            "ความเป็นมา",
            "ผลการประเมินรายเครื่องมือ",
            "ผลการประเมินรายตัวชี้วัด",
            "ข้อเสนอแนะจากผู้ตรวจประเมิน",
            "แนวทางการพัฒนา",
        ):
            assert heading in text
    # The five elements of every measure are columns of the measures table.
    for header in (
        "มาตรการ/โครงการ/กิจกรรม",
        "ผลการวิเคราะห์ตัวชี้วัดที่สอดคล้อง",
        "ขั้นตอนหรือวิธีการดำเนินการ",
        "ระยะเวลาดำเนินการ",
        "ผู้รับผิดชอบ",
    ):
        assert header in docx


def test_pdf_text_layer_keeps_thai_vowels(seed003_docs, tmp_path):
    _, _, files = seed003_docs
    raw = pdf_text(files["analysis"]["pdf"], tmp_path)
    assert "กำร" not in raw and "กำร" not in nfkc(raw)  # WeasyPrint's defect, gone with Typst
    assert "\u0e4d\u0e32" not in raw  # ำ is not decomposed either
    assert nfkc("การดำเนินการ") in nfkc(raw)
    assert "การประเมิน" in raw and "ตัวชี้วัด" in raw  # tone marks survive


def test_pdf_embeds_the_real_th_sarabun_new(seed003_docs, tmp_path):
    _, _, files = seed003_docs
    fonts = pdf_fonts(files["analysis"]["pdf"], tmp_path)
    assert re.search(r"TH-?Sarabun-?New", fonts)
    assert "Laksaman" not in fonts and "DejaVu" not in fonts


def test_docx_uses_th_sarabun_new_16pt_thai(seed003_docs):
    _, _, files = seed003_docs
    d = read_docx(io.BytesIO(files["analysis"]["docx"]))
    xml = d.element.xml
    assert 'w:cs="TH Sarabun New"' in xml and 'w:ascii="TH Sarabun New"' in xml
    assert 'w:bidi="th-TH"' in xml
    normal = d.styles["Normal"].element.xml
    assert 'w:val="32"' in normal  # 16 pt body (sz and szCs in half-points)
    assert "PAGE \\* THAIARABIC" in d.sections[0].footer._element.xml
    assert len(d.inline_shapes) == 3  # overall, tools and indicators charts


def test_tables_merge_header_cells_and_repeat_headers(seed003_docs):
    _, _, files = seed003_docs
    d = read_docx(io.BytesIO(files["analysis"]["docx"]))
    tools = d.tables[0]
    assert tools.cell(0, 1).text == "ผลการประเมิน" and tools.cell(0, 2).text == "ผลการประเมิน"  # merged
    assert tools.cell(0, 0).text == tools.cell(1, 0).text == "แบบวัด"  # vertically merged
    assert "w:tblHeader" in tools.rows[0]._tr.xml and "w:cantSplit" in tools.rows[2]._tr.xml


def test_plan_and_memo(seed003_docs, tmp_path):
    record, _docs, files = seed003_docs
    plan = docx_text(files["plan"]["docx"])
    for m in record.measures:
        assert to_thai_digits(m.title.split()[0]) in plan
    assert "การกำกับติดตาม" in plan
    memo_doc = docx_text(files["memo"]["docx"])
    memo_pdf = nfkc(pdf_text(files["memo"]["pdf"], tmp_path))
    for text in (memo_doc, memo_pdf):
        for label in ("บันทึกข้อความ", "ส่วนราชการ", "วันที่", "เรื่อง", "เรียน", "(ลงชื่อ)"):
            assert label in text
        assert nfkc("ความเห็นของนายกเทศมนตรีตำบลต้นหยงมัส") in nfkc(text)


def test_progress_report_both_layouts_with_evidence_appendix(progress_docs, tmp_path):
    record, out = progress_docs
    _status_doc, status_docx, _status_pdf = out["status"]
    text = docx_text(status_docx)
    for label in ("ยังไม่ดำเนินการ", "อยู่ระหว่างดำเนินการ", "ดำเนินการเสร็จเรียบร้อยแล้ว"):
        assert label in text
    done = sum(m.status == "done" for m in record.measures)
    d = read_docx(io.BytesIO(status_docx))
    # The three status columns come last; every measure is counted once.
    marks = [[c.text for c in row.cells[-3:]] for row in d.tables[0].rows[2:]]
    assert sum(r.count("/") for r in marks) == sum(m.status is not None for m in record.measures)
    assert [r[2] for r in marks].count("/") == done
    _, result_docx, result_pdf = out["result"]
    result_text = docx_text(result_docx)
    for label in ("ผลการดำเนินงาน", "ขั้นตอนหรือวิธีการดำเนินการ", "ระยะเวลาดำเนินการ", "ข้อเสนอแนะ", "หลักฐาน"):
        assert label in result_text
    # Seed 004's photos are paths on its author's disk: never printed, never an appendix.
    assert "ภาคผนวก" not in result_text and "[image" not in result_text and "D:\\" not in result_text
    first = next(m for m in record.measures if m.result)
    assert to_thai_digits(first.result.split()[1]) in result_text
    # Links stay as typed (arabic digits) in both formats.
    link = next(e.ref for m in record.measures for e in m.evidence if e.kind == "link")
    assert link in result_text and link in pdf_text(result_pdf, tmp_path)


def test_arabic_digits_option():
    record = load_document(DEMO)
    doc = build("analysis", record, thai_digits=False)
    text = docx_text(render(doc, "docx"))
    assert "93.96" in text and "๙๓.๙๖" not in text


def test_html_page_is_one_file_plus_fonts(seed003_docs):
    _, docs, _ = seed003_docs
    html = render(docs["analysis"], "html").decode("utf-8")
    assert html.startswith("<!DOCTYPE html>") and 'lang="th"' in html
    assert "fonts/THSarabunNew-Regular.ttf" in html and "data:image/svg+xml;base64," in html  # charts
    assert "๙๓.๙๖" in html and "<script" not in html


def test_document_from_a_record_without_measures_uses_a_drafted_plan():
    record = load_document(DEMO).model_copy(update={"measures": []})
    doc = build("plan", record)
    text = doc.plain_text()
    assert "ตัวชี้วัดที่ 10" in text and "การประเมินความเสี่ยง" in text


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice is not installed (apt-get install libreoffice-writer-nogui)"
)
def test_libreoffice_opens_every_docx_we_write(seed003_docs, progress_docs, tmp_path):
    _, _, files = seed003_docs
    _, progress = progress_docs
    outputs = {f"{k}.docx": v["docx"] for k, v in files.items()}
    outputs |= {f"progress-{k}.docx": v[1] for k, v in progress.items()}
    for name, data in outputs.items():
        (tmp_path / name).write_bytes(data)
    profile = (tmp_path / "profile").as_uri()
    proc = subprocess.run(
        [
            SOFFICE,
            "--headless",
            "--norestore",
            f"-env:UserInstallation={profile}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path / "out"),
            *[str(tmp_path / n) for n in outputs],
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    for name in outputs:
        pdf = tmp_path / "out" / name.replace(".docx", ".pdf")
        assert pdf.is_file() and pdf.stat().st_size > 5000, name
        fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
        assert re.search(r"TH-?Sarabun-?New", fonts), f"{name}: LibreOffice did not find TH Sarabun New"
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
        assert "กำร" not in text and ("มาตรการ" in text or "ผลการประเมิน" in text)


def test_memo_signers_year_and_unit_follow_the_record():
    record = load_document(DEMO)
    record = record.model_copy(update={"memo": load_document(SEED001).memo})
    memo = build("memo", record, wraps="analysis")
    text = memo.plain_text()
    signers = record.memo.signers
    assert signers[0]["name"] in text and signers[1]["name"] in text
    sigs = [b for b in memo.blocks if type(b).__name__ == "Signature"]
    assert sigs[0].name == signers[0]["name"] and sigs[1].name == signers[1]["name"]
    assert memo.fiscal_year == 2569  # the year the analysis plans for
    assert memo.title == record.memo.subject  # the memo's own subject, as the officer wrote it
    assert record.memo.unit in text
    default = build("memo", load_document(DEMO), wraps="analysis")
    assert "พ.ศ. 2568" in default.title and "พ.ศ. 2569" in default.title  # both years, named


def test_html_never_links_unsafe_schemes():
    from prongsai.documents.model import Document as Doc
    from prongsai.documents.model import Paragraph, Run

    doc = Doc("progress", "t").add(
        Paragraph([Run("x", link="javascript:alert(1)"), Run("y", link="https://a.go.th")])
    )
    html = render(doc, "html").decode()
    assert "javascript:" not in html and 'href="https://a.go.th"' in html


def test_page_numbers_follow_the_digit_option():
    record = load_document(DEMO)
    thai = render(build("plan", record), "html").decode()
    arabic = render(build("plan", record, thai_digits=False), "html").decode()
    assert "counter(page, thai)" in thai and "counter(page, decimal)" in arabic
    memo = render(build("memo", record), "html").decode()
    assert "counter(page" not in memo  # a memo has no page numbers


def test_evidence_photos_only_from_the_evidence_folder(tmp_path):
    png = chart_png(Chart(["1"], {"2568": [90.0]}, "ภาพ", ""))
    (tmp_path / "photo.png").write_bytes(png)
    outside = tmp_path.parent / "outside.png"
    outside.write_bytes(png)
    record = load_document(SEED004)
    data = record.measures[0].model_dump()
    data["evidence"] = [
        {"kind": "photo", "ref": "photo.png"},
        {"kind": "photo", "ref": "../outside.png"},
        {"kind": "file", "ref": "report-2565.pdf"},
    ]
    m = Measure.model_validate(data)
    record = record.model_copy(update={"measures": [m]})
    doc = build("progress", record, evidence_dir=tmp_path)
    figures = [
        b
        for s in doc.blocks
        if type(s).__name__ == "Section"
        for b in s.blocks
        if type(b).__name__ == "Figure"
    ]
    assert len(figures) == 1 and figures[0].mime == "image/png"
    text = docx_text(render(doc, "docx"))
    # A photo outside the folder is neither embedded nor printed (the pre-audit names it).
    assert "outside.png" not in text and "ไม่พบไฟล์" not in text
    assert "report-2565.pdf" in text  # file names keep their digits
