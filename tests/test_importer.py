"""The importer end to end: seeds and our own documents in other layouts, read into drafts and
measured against hand-written ground truth; provenance; findings; bad input; the CLI."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from prongsai.cli import main
from prongsai.importers import ImportFailure
from prongsai.importers.evaluate import compare, evaluate_pairs
from prongsai.importers.service import import_bytes, import_path, import_text
from prongsai.interchange import load_document
from tests.conftest import DEMO, SHARED, TRUTH, needs_shared

SEEDS = SHARED / "seeds"
HELD_OUT = Path(__file__).parent / "data" / "importer"
BLIND = Path(__file__).parent / "data" / "importer_blind"


def _truth_pairs(truth_dir: Path, source_dir: Path):
    pairs = []
    for t in sorted(truth_dir.glob("*.json")):
        truth = json.loads(t.read_text(encoding="utf-8"))
        pairs.append((t.stem, import_path(source_dir / truth["source"]).truth_view, truth))
    return pairs


@needs_shared
def test_seeds_reach_the_f1_target():
    report = evaluate_pairs(_truth_pairs(TRUTH, SEEDS))
    assert report.micro.f1 >= 0.95, report.micro
    for doc in report.documents:
        assert doc.total.f1 >= 0.9, (doc.name, doc.total)


@pytest.mark.parametrize("folder", [HELD_OUT, BLIND])
def test_documents_in_other_layouts(folder):
    """Written by us in layouts the seeds do not use (pipes, check marks, status words, arabic
    numbering, wrapped headers, a memo with ที่ and วันที่ on one line, scores only in sentences);
    the second set was written without sight of the importer: the code is not tuned to five files."""
    report = evaluate_pairs(_truth_pairs(folder, folder))
    assert report.micro.f1 >= 0.95, report.micro


@pytest.mark.parametrize("name,code", [("english_only", "not_thai"), ("unrelated_thai", "not_an_ita_report")])
def test_documents_that_are_not_ita_reports_are_refused(name, code):
    expected = (HELD_OUT / f"{name}.expect.txt").read_text().strip()
    assert expected == code
    with pytest.raises(ImportFailure) as err:
        import_path(HELD_OUT / f"{name}.txt")
    assert err.value.code == code
    assert err.value.message_th and err.value.message_en


@needs_shared
def test_seed_001_reads_memo_two_tables_and_findings():
    result = import_path(SEEDS / "001_956380a5a50bb225.txt")
    d = result.truth_view
    assert d["kinds"] == ["measures_plan", "progress_report", "memo"]
    assert d["memo"]["date"] == "2021-03-31"
    assert d["memo"]["ref_no"] == "ลย ๗๔๓๐๑/"
    assert [s["name"] for s in d["memo"]["signers"]] == ["นางสาวรำลวงค์ บับภาวน์", "นายคณะศักดิ์ จันพินิจ"]
    # plan table and status table merged: six measures, status from the status table
    assert [m["status"] for m in d["measures"]] == [
        "not_started",
        "not_started",
        None,
        None,
        "done",
        "done",
    ]
    assert d["measures"][1]["responsible"] == "สำนักปลัด กองคลัง กองช่าง"
    codes = {f["code"] for f in result.findings}
    assert "conflicting_agency_name" in codes  # ศรีสุวรรณ left in from another municipality
    assert "assessed_after_report_year" in codes  # ๒๕๖๗ in a 2564 memo
    assert "level_unknown_label" in codes  # the engine: "C" is not a level of 2567


@needs_shared
def test_seed_000_joins_the_row_split_over_a_page_break():
    d = import_path(SEEDS / "000_e9d7a321b73c9154.txt").truth_view
    assert len(d["measures"]) == 6
    split = d["measures"][3]
    assert "มาตร การ แผนงาน" in split["title"]
    assert split["status"] == "done"
    assert split["evidence"] == ["(ตรวจสอบในเว็ปไซด์ของหน่วยงาน)"]


@needs_shared
def test_seed_003_scores_and_indicator_printed_twice():
    result = import_path(SEEDS / "003_2ce7d8fef52d3b8e.txt")
    a2568 = next(a for a in result.truth_view["assessments"] if a["year_be"] == 2568)
    assert a2568["overall"] == 93.96 and a2568["level"] == "ผ่านดี"
    assert a2568["tools"]["EIT_1"] == 99.97 and a2568["tools"]["EIT"] is None
    assert a2568["items"]["o16"] == 0.0 and len(a2568["items"]) == 52
    assert a2568["indicators"]["8"] == 99.96  # the section 2.3 table, not section 4's 99.95
    printed_twice = [f for f in result.findings if f["code"] == "printed_twice_differently"]
    assert printed_twice and "99.95" in printed_twice[0]["message_en"]
    # The engine checks the stated changes too: section 2.2 prints −5.80, which is right.
    assert a2568["stated_changes"]["overall"] == -5.8


@needs_shared
def test_provenance_points_at_the_lines_that_hold_the_value():
    path = SEEDS / "001_956380a5a50bb225.txt"
    lines = path.read_text(encoding="utf-8").split("\n")
    result = import_path(path)
    prov = result.document.provenance
    assert prov["memo.date"].lines == [11]
    assert "๓๑ มีนาคม" in lines[10]
    for key, source in prov.items():
        assert 0 < source.confidence <= 1, key
        assert all(1 <= n <= len(lines) for n in source.lines), key
    # status read from a "/" is surer than status guessed from result text (seed 002)
    assert prov["measures[4].status"].confidence >= 0.9
    p002 = import_path(SEEDS / "002_6b2883afbb91bd3a.txt").document.provenance
    assert p002["measures[0].status"].confidence < 0.75


@needs_shared
def test_draft_is_a_valid_interchange_document(tmp_path):
    result = import_path(SEEDS / "004_6d1be2a9d93a9e58.txt")
    out = tmp_path / "draft.json"
    out.write_text(result.document.model_dump_json(), encoding="utf-8")
    doc = load_document(out)
    assert doc.agency.name == "องค์การบริหารส่วนตำบลทุ่งมะพร้าว"
    assert doc.measures[7].evidence[0].kind == "photo"
    assert doc.measures[0].evidence[0].kind == "link"


def test_our_own_analysis_report_reads_back():
    """The analysis report our documents module writes, as DOCX, imported: every score agrees
    with the record it was written from (a layout nobody tuned the importer to)."""
    from prongsai.documents.service import build, render

    record = load_document(DEMO)
    data = render(build("analysis", record, thai_digits=False), "docx")
    draft = import_bytes(data, "analysis.docx")
    assert draft.extracted.method == "docx"
    got = {a["year_be"]: a for a in draft.truth_view["assessments"]}
    for a in record.assessments:
        g = got[a.fiscal_year]
        assert g["overall"] == a.overall
        for k, v in a.indicators.items():
            assert g["indicators"][k] == v, (a.fiscal_year, k)
    assert draft.truth_view["agency"]["name"] == record.agency.name


@pytest.mark.skipif(not (shutil.which("soffice") or shutil.which("libreoffice")), reason="LibreOffice needed")
@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_held_out_documents_as_docx_and_pdf(tmp_path, fmt):
    from tests.importer_docs import CONVERTIBLE, to_docx, to_pdf

    pairs = []
    for name in CONVERTIBLE:
        docx = to_docx(HELD_OUT / f"{name}.txt", tmp_path / f"{name}.docx")
        path = docx if fmt == "docx" else to_pdf(docx, tmp_path / f"{name}.pdf")
        truth = json.loads((HELD_OUT / f"{name}.json").read_text(encoding="utf-8"))
        result = import_path(path)
        assert result.extracted.method == fmt
        pairs.append((name, result.truth_view, truth))
    report = evaluate_pairs(pairs)
    assert report.micro.f1 >= (0.95 if fmt == "docx" else 0.9), [(d.name, d.total) for d in report.documents]


def test_import_text_with_thai_digits_and_pipes():
    text = "\n".join(
        [
            "รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใส ประจำปีงบประมาณ พ.ศ. ๒๕๖๗",
            "เทศบาลเมืองทดสอบ อำเภอเมือง จังหวัดตัวอย่าง",
            "| ที่ | มาตรการ | ผลการดำเนินงาน |",
            "|---|---|---|",
            "| ๑ | เผยแพร่ข้อมูลทางเว็บไซต์ | ดำเนินการแล้ว https://example.go.th/a |",
            "| ๒ | อบรมบุคลากร | ยังไม่ได้ดำเนินการ |",
        ]
    )
    d = import_text(text).truth_view
    assert d["agency"] == {
        "name": "เทศบาลเมืองทดสอบ",
        "type": "เทศบาลเมือง",
        "district": "เมือง",
        "province": "ตัวอย่าง",
    }
    assert [(m["no"], m["status"]) for m in d["measures"]] == [(1, "done"), (2, "not_started")]
    assert d["measures"][0]["evidence"] == ["https://example.go.th/a"]
    assert d["report_fiscal_year_be"] == 2567


@needs_shared
def test_compare_counts_a_wrong_status_both_ways():
    truth = json.loads((TRUTH / "000_e9d7a321b73c9154.json").read_text(encoding="utf-8"))
    predicted = import_path(SEEDS / "000_e9d7a321b73c9154.txt").truth_view
    predicted["measures"][0]["status"] = "done"
    score = compare(predicted, truth)
    status = score.groups["measure.status"]
    assert (status.fp, status.fn) == (1, 1)


# --- CLI ------------------------------------------------------------------------------------------


@needs_shared
def test_cli_import_prints_a_summary(capsys):
    assert main(["import", str(SEEDS / "002_6b2883afbb91bd3a.txt")]) == 0
    out = capsys.readouterr().out
    assert "เทศบาลตำบลท่าแซะ" in out and "มาตรการ 4 รายการ" in out
    assert "2666" in out  # the misprinted year in measure 3's period is flagged


@needs_shared
def test_cli_import_writes_drafts_and_json(tmp_path, capsys):
    out_dir = tmp_path / "drafts"
    assert main(["import", str(SEEDS / "003_2ce7d8fef52d3b8e.txt"), "--json", "-o", str(out_dir)]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["extraction"]["method"] == "text"
    assert printed["draft"]["format"] == "prongsai/1"
    written = load_document(out_dir / "003_2ce7d8fef52d3b8e.json")
    assert len(written.measures) == 10
    assert not list(out_dir.glob("*.tmp"))


@needs_shared
def test_cli_import_bad_files_exit_2_and_write_nothing(tmp_path, capsys):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    junk = tmp_path / "junk.docx"
    junk.write_bytes(b"PK\x03\x04not really a zip")
    out_dir = tmp_path / "drafts"
    assert (
        main(["import", str(empty), str(junk), str(SEEDS / "000_e9d7a321b73c9154.txt"), "-o", str(out_dir)])
        == 2
    )
    err = capsys.readouterr().err
    assert "empty.txt" in err and "junk.docx" in err
    assert [p.name for p in out_dir.iterdir()] == ["000_e9d7a321b73c9154.json"]  # the good one only


@needs_shared
def test_cli_eval_on_the_seeds():
    proc = subprocess.run(
        [sys.executable, "-m", "prongsai", "import", "--eval", str(TRUTH)],
        capture_output=True,
        text=True,
        check=True,
    )
    overall = next(line for line in proc.stdout.splitlines() if line.startswith("Overall"))
    assert float(overall.split()[-1]) >= 0.95
    assert "measure.status" in proc.stdout


@needs_shared
def test_scores_read_by_ocr_are_marked_for_checking():
    from prongsai.importers.recognise import recognise

    lines = (SEEDS / "003_2ce7d8fef52d3b8e.txt").read_text(encoding="utf-8").split("\n")
    draft = recognise(lines, ocr=True)
    assert "numbers_from_ocr" in {f["code"] for f in draft.findings}
    scores = [v["confidence"] for k, v in draft.provenance.items() if k.startswith("assessments")]
    assert scores and max(scores) <= 0.5
    assert draft.provenance["agency.name"]["confidence"] > 0.5
