"""The importer on material written without reading it (tests/data/importer_unseen/), and focused
tests of the general fixes that set called for: scores in running text, English sources, the report
year of bare announcements, the evaluator's canonical keys, damaged text and a Word-made PDF."""

from __future__ import annotations

import json
import subprocess
import tempfile
from collections import defaultdict
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prongsai.importers import ImportFailure
from prongsai.importers.evaluate import Counts, compare, evaluate_pairs
from prongsai.importers.service import import_path, import_text

ROOT = Path(__file__).resolve().parent.parent
UNSEEN = ROOT / "tests" / "data" / "importer_unseen"
SEED_003 = ROOT.parent / "shared" / "seeds" / "003_2ce7d8fef52d3b8e.txt"
EMPTY = {"kinds": [], "agency": {}, "assessments": [], "measures": [], "memo": None}

# Reached when these tests were written (bench/importer_classes.py), less a small margin.
FLOORS = {"A": 0.98, "B": 0.97, "C": 0.97, "D": 0.96, "E": 0.97, "all": 0.97}


def _unseen_scores() -> dict[str, float]:
    pairs = []
    for t in sorted(UNSEEN.glob("*.json")):
        truth = json.loads(t.read_text(encoding="utf-8"))
        try:
            predicted = import_path(UNSEEN / truth["source"]).truth_view
        except ImportFailure:
            predicted = EMPTY
        pairs.append((t.stem, predicted, truth))
    report = evaluate_pairs(pairs)
    by_class: dict[str, Counts] = defaultdict(Counts)
    for doc in report.documents:
        by_class[doc.name.split("_", 1)[0]] += doc.total
    return {**{c: n.f1 for c, n in by_class.items()}, "all": report.micro.f1}


@pytest.mark.skipif(not UNSEEN.is_dir(), reason="tests/data/importer_unseen is absent")
def test_unseen_set_does_not_fall_below_what_was_reached():
    got = _unseen_scores()
    low = {k: round(got[k], 3) for k, floor in FLOORS.items() if got[k] < floor}
    assert not low, f"F1 fell below the floor: {low} (floors {FLOORS})"


# --- scores in running text ---------------------------------------------------------------------


def _years(text: str) -> dict[int, dict]:
    return {a["year_be"]: a for a in import_text(text).truth_view["assessments"]}


def test_words_between_number_and_points_typos_and_level_later():
    text = (
        "เทศบาลตำบลทดสอบ อำเภอเมือง จังหวัดทดสอบ\n"
        "เทศบาลตำบลทดสอบได้รับผลการประเมิน ITA ประจำปีงบประมาณ พ.ศ. 2567 ได้คะแนน 88.40คะเเนน "
        "จากคะแนนเต็ม 100 คะแนน ซึ่งสูงกว่าค่าเฉลี่ยทั้งประเทศ 90.11 คะแนน\n"
        'ทั้งนี้ผลการประเมินจึงอยู่ในระดับ "ผ่าน"\n'
    )
    years = _years(text)
    assert set(years) == {2567}
    assert years[2567]["overall"] == 88.40
    assert years[2567]["level"] == "ผ่าน"


def test_an_earlier_year_and_tools_in_running_text():
    text = (
        "องค์การบริหารส่วนตำบลทดสอบ\n"
        "ผลการประเมิน ITA ประจำปีงบประมาณ พ.ศ. ๒๕๖๘ ได้คะแนนรวม ๙๑.๒๐ คะแนนน\n"
        "ระดับผลการประเมิน : ผ่านดี\n"
        "เพิ่มขึ้นจากปีงบประมาณ พ.ศ. ๒๕๖๗ ที่ได้ ๘๗.๕๐ คะแนน และสูงกว่าค่าเฉลี่ย (๘๙.๐๒ คะแนน)\n"
        "แยกเป็นแบบวัด IIT ๙๕.๑๐ คะแนน แบบวัด EIT ส่วนที่ ๑ (ผู้รับบริการ) ๙๐.๐๐ คะแนน\n"
    )
    years = _years(text)
    assert years[2568]["overall"] == 91.20 and years[2568]["level"] == "ผ่านดี"
    assert years[2567]["overall"] == 87.50
    # A line that names no year is about the year of the first overall score read.
    assert years[2568]["tools"]["IIT"] == 95.10 and years[2568]["tools"]["EIT_1"] == 90.00
    assert import_text(text).truth_view["report_fiscal_year_be"] is None  # a bare announcement


_DISTRACTORS = [
    "มีหน่วยงานเข้ารับการประเมิน {n:,} หน่วยงาน",
    "ค่าเฉลี่ยทั้งประเทศ {s} คะแนน",
    "สูงกว่าเกณฑ์ {i} คะแนน",
    "เพิ่มขึ้น {d} คะแนน",
    "อยู่ในอันดับที่ {i} จาก {n} แห่ง",
    "โทร. 0{i}-{i}1-{i}23",
    "เมื่อวันที่ {i} ส.ค. {yy}",
    "วันที่ ๑{i} ก.ย. ๖๗",
    "จากคะแนนเต็ม 100 คะแนน",
    "ผู้ตอบแบบวัด EIT จำนวน {n} คน",
    "งบประมาณ {n:,} บาท",
    "ต่ำกว่าค่าเฉลี่ยจังหวัด ({s} คะแนน)",
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.sampled_from(_DISTRACTORS), min_size=1, max_size=4),
    st.lists(st.sampled_from(_DISTRACTORS), min_size=0, max_size=3),
    st.integers(10, 99),
    st.integers(1000, 9000),
    st.decimals(min_value=50, max_value=99, places=2).map(str),
    st.decimals(min_value="0.10", max_value="9.90", places=2).map(str),
)
def test_distractor_numbers_are_never_the_score(before, after, i, n, s, d):
    fill = {"i": i, "n": n, "s": s, "d": d, "yy": 67}
    head = " ".join(x.format(**fill) for x in before)
    tail = " ".join(x.format(**fill) for x in after)
    text = (
        "เทศบาลตำบลทดสอบ\n"
        f"ข่าวประชาสัมพันธ์ {head}\n"
        f"เทศบาลตำบลทดสอบได้รับผลการประเมิน ITA ประจำปีงบประมาณ พ.ศ. 2567 ได้ 93.27 คะแนน {tail}\n"
    )
    years = _years(text)
    assert years[2567]["overall"] == 93.27
    assert set(years) == {2567}
    assert not any(years[2567]["tools"].values())


# --- English sources ----------------------------------------------------------------------------


def test_english_source_years_are_converted_to_buddhist_era():
    text = (
        "Huai Test SAO\nMae Test District, Chiang Mai\n\n"
        "Huai Test Subdistrict Administrative Organization passed the Integrity and Transparency "
        "Assessment for fiscal year 2025 with an overall score of 88.40, up from 85.10 in 2024. "
        "The national average was 93.82. Its internal (IIT) score was 91.50.\n"
    )
    d = import_text(text).truth_view
    years = {a["year_be"]: a for a in d["assessments"]}
    assert years[2568]["overall"] == 88.40 and years[2567]["overall"] == 85.10
    assert years[2568]["tools"]["IIT"] == 91.50
    assert d["agency"]["name"] == "Huai Test Subdistrict Administrative Organization"
    assert d["agency"]["type"] == "องค์การบริหารส่วนตำบล"
    assert (d["agency"]["district"], d["agency"]["province"]) == ("Mae Test", "Chiang Mai")


def test_english_text_with_nothing_about_the_ita_is_refused():
    with pytest.raises(ImportFailure) as exc:
        import_text("Quarterly newsletter\nThe library opens at 9.30 on weekdays. Tel 02-123-4567.\n")
    assert exc.value.code == "not_thai"


# --- damaged text, the evaluator's keys -----------------------------------------------------------


def test_damaged_text_still_gives_what_it_can_with_low_confidence():
    text = "เทศบาลตำบลทดสอบ\nผลการประเมิน ITA ประจำปี 2567 ได้คะแนน 90.50 คะแนน อยู่ในระดับผ่านดี \ufffd\ufffd\n"
    result = import_text(text)
    assert result.truth_view["assessments"][0]["overall"] == 90.50
    assert any(f["code"] == "damaged_text" for f in result.draft.findings)
    assert all(p["confidence"] <= 0.5 for p in result.draft.provenance.values())


def test_evaluator_reads_the_interchange_canonical_keys():
    legacy = {
        "report_fiscal_year_be": 2568,
        "assessments": [{"year_be": 2567, "overall": 90.0}],
        "measures": [{"no": 1, "title": "อบรม", "method": "บรรยาย", "indicator": 3}],
    }
    canonical = {
        "report_fiscal_year": 2568,
        "assessments": [{"fiscal_year": 2567, "overall": 90.0}],
        "measures": [{"no": 1, "title": "อบรม", "steps": "บรรยาย", "indicators": [3]}],
    }
    total = compare(legacy, canonical).total
    assert (total.fp, total.fn) == (0, 0) and total.tp == 6


# --- a Word-made PDF of seed 003 ------------------------------------------------------------------


def _soffice() -> str | None:
    from tests.importer_docs import SOFFICE

    return SOFFICE


def test_seed_003_docx_with_word_tables_printed_to_pdf_by_libreoffice():
    if not SEED_003.is_file():
        pytest.skip("../shared/seeds is absent")
    if _soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    from docx import Document

    doc = Document()
    rows: list[list[str]] = []

    def flush() -> None:
        if rows:
            width = max(len(r) for r in rows)
            table = doc.add_table(rows=len(rows), cols=width)
            table.style = "Table Grid"
            for i, r in enumerate(rows):
                for j, c in enumerate(r):
                    table.cell(i, j).text = c
            rows.clear()

    for line in SEED_003.read_text(encoding="utf-8").splitlines():
        if "\t" in line:
            rows.append([c.strip() for c in line.split("\t")])
        else:
            flush()
            doc.add_paragraph(line)
    flush()
    with tempfile.TemporaryDirectory(prefix="seed003-pdf-") as tmp:
        work = Path(tmp)
        doc.save(work / "seed003.docx")
        subprocess.run(
            [
                _soffice(),
                "--headless",
                "--norestore",
                f"-env:UserInstallation={(work / 'profile').as_uri()}",
                "--convert-to",
                "pdf",
                "--outdir",
                str(work),
                str(work / "seed003.docx"),
            ],
            capture_output=True,
            timeout=240,
            check=True,
        )
        result = import_path(work / "seed003.pdf")
    d = result.truth_view
    years = {a["year_be"]: a for a in d["assessments"]}
    assert result.extracted.method == "pdf"
    assert set(years) == {2567, 2568}
    assert years[2567]["overall"] == 99.76 and years[2568]["overall"] == 93.96
    assert sum(v is not None for a in years.values() for v in a["indicators"].values()) == 20
    assert d["report_fiscal_year_be"] == 2569
