from prongsai.interchange import load_document, parse_document
from prongsai.ita.preaudit import preaudit

from .conftest import DEMO, DEMO_DIR


def codes(result):
    return sorted({p.code for p in result.problems})


def test_seed_003_plan_is_ready_except_for_its_own_numbers():
    result = preaudit(load_document(DEMO), "plan")
    assert result.fiscal_year == 2569 and result.edition == 2569
    assert result.ready
    # The only remarks: the stated −5.6 against −5.80; measures cover indicators 1–10.
    assert codes(result) == ["numbers_change_mismatch"]


def test_missing_elements_are_listed_in_thai():
    doc = parse_document(
        {
            "agency": {"name": "เทศบาลตำบลทดสอบ"},
            "report_fiscal_year": 2569,
            "assessments": [{"fiscal_year": 2568, "indicators": {str(n): 90 for n in range(1, 10)}}],
            "measures": [
                {
                    "no": 1,
                    "title": "มาตรการเผยแพร่ประมวลจริยธรรม",
                    "indicators": [9],
                    "steps": "- จัดทำประกาศ",
                    "period": "1 ตุลาคม 2567 ถึง 30 กันยายน 2568",
                },
                {
                    "no": 2,
                    "title": "มาตรการประเมินความเสี่ยง",
                    "steps": "",
                    "responsible": "สำนักปลัด",
                    "period": "ตามความเหมาะสม",
                },
            ],
        }
    )
    result = preaudit(doc, "plan")
    assert not result.ready
    assert codes(result) == [
        "indicators_not_analysed",
        "indicators_without_measure",
        "measure_element_missing",
        "period_outside_year",
        "period_unclear",
    ]
    messages = [p.message_th for p in result.problems]
    assert "ยังวิเคราะห์ไม่ครบ 10 ตัวชี้วัด: ขาดคะแนนตัวชี้วัดที่ 10" in messages
    assert any("มาตรการที่ 1" in m and "ยังไม่ระบุผู้รับผิดชอบ" in m for m in messages)
    assert any("มาตรการที่ 2" in m and "ขั้นตอนหรือวิธีการดำเนินการ" in m for m in messages)
    assert any("อยู่นอกปีงบประมาณ พ.ศ. 2569" in m for m in messages)


def test_progress_report_needs_status_and_evidence():
    result = preaudit(load_document(DEMO_DIR / "srisongkhram.json"), "progress")
    found = codes(result)
    assert "status_missing" in found  # measures 3 and 4 have no mark
    doc = parse_document(
        {
            "agency": {"name": "x"},
            "report_fiscal_year": 2569,
            "measures": [
                {
                    "no": 1,
                    "title": "t",
                    "analysis": "a",
                    "steps": "s",
                    "responsible": "r",
                    "period": "ต.ค. 68 - ก.ย. 69",
                    "status": "done",
                }
            ],
        }
    )
    result = preaudit(doc, "progress")
    assert codes(result) == ["evidence_missing", "result_missing"]


def _plan_with_periods(*periods: str):
    return parse_document(
        {
            "agency": {"name": "x"},
            "report_fiscal_year": 2569,
            "measures": [
                {"no": k, "title": "t", "analysis": "a", "steps": "s", "responsible": "r", "period": p}
                for k, p in enumerate(periods, 1)
            ],
        }
    )


def test_periods_written_as_text_are_understood():
    """Quarters, the whole year, months with B.E. years and Thai digits are periods, not
    unreadable text (issue 12, defect 6); only a period naming no time is flagged."""
    readable = (
        "ไตรมาส 1-2",
        "ตลอดปีงบประมาณ",
        "ต.ค. 2568 - มี.ค. 2569",
        "มกราคม – มีนาคม 2569",
        "ปีงบประมาณ พ.ศ. 2569",
        "ภายใน 30 ก.ย. 69",
        "๑ ต.ค. ๖๘ - ๓๑ มี.ค. ๖๙",
        "ทุกเดือน",
    )
    result = preaudit(_plan_with_periods(*readable, "ตามความเหมาะสม"), "plan")
    flagged = [(p.code, p.measure) for p in result.problems if p.code.startswith("period")]
    assert flagged == [("period_unclear", len(readable) + 1)]


def test_a_period_outside_the_year_is_an_error():
    result = preaudit(_plan_with_periods("ตลอดปีงบประมาณ พ.ศ. 2568", "ต.ค. 2025 - ก.ย. 2026"), "plan")
    assert [(p.code, p.measure) for p in result.problems if p.code.startswith("period")] == [
        ("period_outside_year", 1)
    ]


def test_progress_without_measures_is_not_ready():
    doc = parse_document({"agency": {"name": "x"}, "report_fiscal_year": 2569})
    result = preaudit(doc, "progress")
    assert not result.ready and codes(result) == ["no_measures"]


def test_earlier_year_uses_its_own_findings():
    doc = load_document(DEMO)
    data = doc.model_dump(mode="json")
    data["assessments"][0]["overall"] = 90.0  # 2567 published overall that disagrees
    data.pop("report_fiscal_year", None)
    result = preaudit(parse_document(data), "plan", year=2567)
    assert result.fiscal_year == 2568
    assert "numbers_overall_mismatch" in codes(result)
