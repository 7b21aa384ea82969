"""The ``prongsai`` command, run as a user runs it (a subprocess)."""

import json
import subprocess
import sys

import pytest

from .conftest import DEMO, DEMO_DIR


def run(*args, check_exit=None):
    proc = subprocess.run(
        [sys.executable, "-m", "prongsai", *map(str, args)], capture_output=True, text=True, timeout=120
    )
    if check_exit is not None:
        assert proc.returncode == check_exit, proc.stderr
    return proc


def test_score_json_shape():
    out = json.loads(run("score", DEMO, "--json", check_exit=0).stdout)
    first, second = out["assessments"]
    assert (first["fiscal_year"], second["fiscal_year"]) == (2567, 2568)
    assert second["edition"] == 2568
    computed = second["computed"]
    assert computed["overall"] == 93.96 and computed["level"] == "ผ่านดี"
    assert computed["tools"]["IIT"] == 99.89 and computed["indicators"]["10"] == 80.0
    f = next(f for f in second["findings"] if f["code"] == "change_mismatch")
    assert set(f) >= {"code", "published", "computed", "message_th", "message_en"}
    assert second["uncertain_facts"]


def test_score_text_is_a_thai_table():
    out = run("score", DEMO, check_exit=0).stdout
    assert "ผลการประเมิน ITA ปีงบประมาณ พ.ศ. 2568" in out
    assert "4. การใช้ทรัพย์สินของราชการ" in out and "93.96" in out
    assert "ความเชื่อมั่นต่ำ" in out  # unconfirmed facts are shown, not hidden
    thai = run("score", DEMO, "--thai-digits", check_exit=0).stdout
    assert "๙๓.๙๖" in thai


def test_analyze_and_plan():
    text = run("analyze", DEMO, check_exit=0).stdout
    assert "ลำดับความสำคัญ" in text and "ตัวชี้วัดที่ 10 การป้องกันการทุจริต" in text
    data = json.loads(run("analyze", DEMO, "--json", check_exit=0).stdout)["analysis"]
    assert data["weakest_indicators"] == [10] and data["priorities"][0]["gain"] == 4.0
    plan = json.loads(run("plan", DEMO, "--json", check_exit=0).stdout)
    assert plan["plan"]["indicators_covered"] == list(range(1, 11))
    assert plan["measures"][0]["indicators"] == [10]


def test_validate_and_truth_files():
    for f in sorted(DEMO_DIR.glob("*.json")):
        assert "prongsai/1" in run("validate", f, check_exit=0).stdout
    assert run("validate", DEMO_DIR / "srisongkhram.json", "--strict").returncode == 1
    out = json.loads(run("validate", DEMO, "--json", check_exit=0).stdout)
    assert out["valid"] and out["findings"]["warning"] == 1


def test_editions_lists_unconfirmed_facts():
    out = run("editions", "--uncertain", check_exit=0).stdout
    for year in range(2563, 2570):
        assert f"{year}:" in out
    assert "[low] levels.ไม่ผ่าน" in out and "source:" in out  # 2569: assumed unchanged


def test_schema_command():
    schema = json.loads(run("schema", check_exit=0).stdout)
    assert schema["title"].endswith("prongsai/1")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        ("{broken", "not valid JSON"),
        ('{"agency": {"name": "x"}, "assessments": [{"fiscal_year": 2555}]}', "unknown ITA edition 2555"),
        (
            '{"agency": {"name": "x"}, "assessments": [{"fiscal_year": 2568, "overall": 120}]}',
            "assessments[0].overall: score 120 is outside 0-100",
        ),
        ("[1, 2]", "expected a JSON object"),
    ],
)
def test_bad_input_is_one_clear_line_and_non_zero(tmp_path, content, message):
    path = tmp_path / "input.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    for command in ("score", "analyze", "plan", "validate"):
        proc = run(command, path)
        assert proc.returncode == 2
        assert proc.stdout == ""
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("prongsai: error: ")
        assert message in lines[0]
        assert "Traceback" not in proc.stderr


def test_year_not_in_file(tmp_path):
    proc = run("analyze", DEMO, "--year", "2560")
    assert proc.returncode == 2 and "no assessment for fiscal year 2560" in proc.stderr


def test_document_command_writes_each_format(tmp_path):
    for fmt in ("docx", "pdf", "html"):
        out = tmp_path / f"analysis.{fmt}"
        proc = run("document", "analysis", DEMO, "-o", out, check_exit=0)
        assert proc.stdout.strip() == str(out) and out.stat().st_size > 10_000
    assert (tmp_path / "fonts" / "THSarabunNew-Regular.ttf").is_file()  # the page's fonts beside it
    assert (tmp_path / "analysis.pdf").read_bytes().startswith(b"%PDF")
    out = tmp_path / "memo.docx"
    run("document", "memo", DEMO, "--wraps", "plan", "-o", out, check_exit=0)
    assert out.is_file()


def test_document_command_bad_requests(tmp_path):
    proc = run("document", "progress", DEMO, "-o", tmp_path / "p.pdf")
    assert proc.returncode == 0  # seed 003's measures have no status yet: an empty status report
    empty = tmp_path / "empty.json"
    empty.write_text('{"agency": {"name": "x"}}', encoding="utf-8")
    proc = run("document", "analysis", empty, "-o", tmp_path / "a.pdf")
    assert proc.returncode == 2 and "needs at least one assessment" in proc.stderr
    proc = run("document", "analysis", DEMO, "-o", tmp_path / "a.odt")
    assert proc.returncode == 2 and "unknown format 'odt'" in proc.stderr


def test_preaudit_command():
    proc = run("preaudit", "plan", DEMO)
    assert proc.returncode == 0 and "พร้อมเผยแพร่" in proc.stdout
    proc = run("preaudit", "progress", DEMO_DIR / "srisongkhram.json")
    assert proc.returncode == 1 and "ยังไม่พร้อมเผยแพร่" in proc.stdout
    data = json.loads(run("preaudit", "plan", DEMO, "--json").stdout)
    assert data["ready"] is True and data["fiscal_year"] == 2569


def test_document_errors_are_one_line(tmp_path):
    proc = run("document", "plan", DEMO, "-o", tmp_path / "missing" / "plan.pdf")
    assert proc.returncode == 2 and "no such directory" in proc.stderr and "Traceback" not in proc.stderr
    bare = tmp_path / "bare.json"
    bare.write_text('{"agency": {"name": "x"}, "measures": [{"title": "t"}]}', encoding="utf-8")
    for args in (("document", "progress", bare), ("preaudit", "progress", bare)):
        proc = run(*args, "-o", tmp_path / "x.pdf") if args[0] == "document" else run(*args)
        assert proc.returncode == 2 and "no report_fiscal_year" in proc.stderr, proc.stderr


def test_a_year_without_an_edition_is_a_finding_and_the_rest_is_scored(tmp_path):
    path = tmp_path / "years.json"
    path.write_text(
        json.dumps(
            {
                "agency": {"name": "x"},
                "assessments": [
                    {"fiscal_year": 2562, "overall": 80},
                    {"fiscal_year": 2566, "tools": {"IIT": 95, "EIT": 90, "OIT": 80}},
                    {"fiscal_year": 2570, "overall": 91},
                ],
            }
        ),
        encoding="utf-8",
    )
    out = json.loads(run("score", path, "--json", check_exit=0).stdout)
    assert [a["fiscal_year"] for a in out["assessments"]] == [2566]
    assert out["assessments"][0]["computed"]["level"] == "ผ่าน"  # 87.50, OIT under the 85 floor
    assert [f["published"] for f in out["skipped"]] == [2562, 2570]
    assert "2570" in run("validate", path, check_exit=0).stdout


def test_score_without_assessments_says_so(tmp_path):
    path = tmp_path / "empty.json"
    path.write_text('{"agency": {"name": "x"}}', encoding="utf-8")
    proc = run("score", path)
    assert proc.returncode == 2 and "no assessment to score" in proc.stderr


@pytest.mark.parametrize(
    ("value", "message"), [(True, "not true/false"), ("", "empty string is not a score")]
)
def test_booleans_and_empty_strings_are_not_scores(tmp_path, value, message):
    path = tmp_path / "bad.json"
    data = {"agency": {"name": "x"}, "assessments": [{"fiscal_year": 2568, "overall": value}]}
    path.write_text(json.dumps(data), encoding="utf-8")
    proc = run("score", path)
    assert proc.returncode == 2 and message in proc.stderr
