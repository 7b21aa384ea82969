"""Measures written as text rather than tables (recognise/measures_text.py): numbered lines with
labelled sub-lines, one-line measures with their owner, prose plans, sub-numbered projects,
bullets with statuses, issue headings tied to indicators, English plans, and checklists that are
not measures. Texts are our own, in the forms agencies publish."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from prongsai.importers.recognise.measures_text import label_of, measures_from_text
from prongsai.importers.service import import_text

HEAD = (
    "องค์การบริหารส่วนตำบลทดสอบ อำเภอเมือง จังหวัดทดสอบ\n"
    "มาตรการส่งเสริมคุณธรรมและความโปร่งใส ประจำปีงบประมาณ พ.ศ. 2568\n\n"
)


def _measures(body: str) -> list[dict]:
    return import_text(HEAD + body).truth_view["measures"]


def _draft(body: str) -> dict:
    return import_text(HEAD + body).truth_view


def test_numbered_lines_with_labelled_sub_lines():
    d = _draft(
        "๑. มาตรการเปิดเผยข้อมูลข่าวสาร\n"
        "    วิธีการ : ตรวจสอบเว็บไซต์ทุกเดือน\n"
        "    ระยะเวลา : ตุลาคม ๒๕๖๗ – กันยายน ๒๕๖๘\n"
        "    ผู้รับผิดชอบ : สำนักปลัด\n\n"
        "๒. มาตรการป้องกันการรับสินบน\n"
        "    วิธีการ : ประกาศ No Gift Policy\n"
        "    ผู้รับผิดชอบ : ทุกกอง\n"
    )
    ms = d["measures"]
    assert [(m["no"], m["title"]) for m in ms] == [
        (1, "มาตรการเปิดเผยข้อมูลข่าวสาร"),
        (2, "มาตรการป้องกันการรับสินบน"),
    ]
    assert ms[0]["method"] == "ตรวจสอบเว็บไซต์ทุกเดือน"
    assert ms[0]["period"] == "ตุลาคม ๒๕๖๗ – กันยายน ๒๕๖๘"
    assert ms[1]["responsible"] == "ทุกกอง"
    assert d["kinds"] == ["measures_plan"]
    assert d["report_fiscal_year_be"] == 2568


def test_one_line_measures_name_their_owner():
    ms = _measures(
        "1. มาตรการลดขั้นตอนการให้บริการ มอบหมายให้ กองช่าง และกองคลัง\n"
        "2) มาตรการตรวจสอบข้อมูลบนเว็บไซต์ ผู้รับผิดชอบ งานประชาสัมพันธ์ สำนักปลัด\n"
    )
    assert [(m["title"], m["responsible"]) for m in ms] == [
        ("มาตรการลดขั้นตอนการให้บริการ", "กองช่าง และกองคลัง"),
        ("มาตรการตรวจสอบข้อมูลบนเว็บไซต์", "งานประชาสัมพันธ์ สำนักปลัด"),
    ]


def test_prose_plan_steps_period_and_responsible_are_natural_spans():
    (m,) = _measures(
        "มาตรการที่ 2 มาตรการบริหารความเสี่ยง เทศบาลจะแต่งตั้งคณะทำงานและจัดประชุมปีละ 2 ครั้ง "
        "ระยะเวลาดำเนินการตั้งแต่ 1 ตุลาคม 2567 ถึง 30 กันยายน 2568 ผู้รับผิดชอบคือกองคลัง\n"
    )
    assert m["no"] == 2 and m["title"] == "มาตรการบริหารความเสี่ยง"
    assert m["method"] == "แต่งตั้งคณะทำงานและจัดประชุมปีละ 2 ครั้ง"
    assert m["period"] == "ตั้งแต่ 1 ตุลาคม 2567 ถึง 30 กันยายน 2568"
    assert m["responsible"] == "กองคลัง"
    (m,) = _measures(
        "มาตรการที่ 3 มาตรการสร้างวัฒนธรรมองค์กร ให้จัดอบรมบุคลากร ภายในเดือนธันวาคม 2567 โดยกองการศึกษาเป็นผู้รับผิดชอบ\n"
    )
    assert (m["method"], m["period"], m["responsible"]) == (
        "จัดอบรมบุคลากร",
        "ภายในเดือนธันวาคม 2567",
        "กองการศึกษา",
    )


def test_sub_numbered_project_items_and_bullets_with_status():
    ms = _measures(
        "1) โครงการอบรมจริยธรรม\n"
        "   1.1 วัตถุประสงค์ เพื่อให้บุคลากรมีความรู้\n"
        "   1.2 วิธีดำเนินการ อบรมบุคลากร 50 คน\n"
        "   1.3 ระยะเวลา มีนาคม 2568\n"
        "   1.4 ผู้รับผิดชอบ สำนักปลัด\n"
        "   1.5 งบประมาณ 20,000 บาท\n\n"
        "• กิจกรรมเผยแพร่คู่มือประชาชน\n"
        "   – ขั้นตอน: จัดทำคู่มือ → เผยแพร่บนเว็บไซต์\n"
        "   – สถานะ ณ 31 มี.ค. 68: อยู่ระหว่างดำเนินการ\n"
    )
    assert ms[0]["title"] == "โครงการอบรมจริยธรรม" and ms[0]["method"] == "อบรมบุคลากร 50 คน"
    assert ms[0]["period"] == "มีนาคม 2568" and ms[0]["responsible"] == "สำนักปลัด"
    assert ms[1]["no"] is None and ms[1]["status"] == "in_progress"
    assert ms[1]["method"] == "จัดทำคู่มือ → เผยแพร่บนเว็บไซต์"


def test_progress_in_labelled_lines_and_quoted_one_liners():
    d = _draft(
        "มาตรการที่ ๑ การเผยแพร่ข้อมูล\n"
        "สถานะ: ดำเนินการแล้ว\n"
        "ผลการดำเนินงาน: เผยแพร่ข่าว ๕๒ เรื่อง\n"
        "หลักฐาน: https://example.go.th/ita\n"
        "          ภาพถ่ายหน้าเว็บไซต์ (web.jpg)\n\n"
        '๒. มาตรการ "จัดการเรื่องร้องเรียน" ยังไม่ได้ดำเนินการ เนื่องจากรอคู่มือ\n'
    )
    a, b = d["measures"]
    assert (a["no"], a["title"], a["status"]) == (1, "การเผยแพร่ข้อมูล", "done")
    assert a["evidence"] == ["https://example.go.th/ita", "ภาพถ่ายหน้าเว็บไซต์ (web.jpg)"]
    assert (b["title"], b["status"]) == ("จัดการเรื่องร้องเรียน", "not_started")
    assert b["result"] == "ยังไม่ได้ดำเนินการ เนื่องจากรอคู่มือ"
    assert d["kinds"] == ["progress_report"]


def test_issue_heading_gives_number_and_indicator_to_its_measure():
    (m,) = _measures(
        "ประเด็นที่ ๒ ตัวชี้วัดที่ ๘ การปรับปรุงระบบการทำงาน ได้ ๘๑.๒๔ คะแนน\n"
        "    ผลการวิเคราะห์ : ยังไม่มีบริการออนไลน์\n"
        "    มาตรการ : มาตรการพัฒนาระบบบริการออนไลน์\n"
        "    ระยะเวลา : มกราคม – กันยายน ๒๕๖๘\n"
    )
    assert (m["no"], m["title"], m["indicator"]) == (2, "มาตรการพัฒนาระบบบริการออนไลน์", 8)


def test_english_measures_plan():
    d = import_text(
        "Example University\nMeasures to Promote Integrity and Transparency (ITA)\n"
        "Fiscal Year 2025 (B.E. 2568)\n\n"
        "Measure 1: Improve public communication\n"
        "Steps: redesign the website.\nPeriod: October 2024 – March 2025\n"
        "Responsible: Public Relations Division\n"
    ).truth_view
    (m,) = d["measures"]
    assert (m["no"], m["title"], m["responsible"]) == (
        1,
        "Improve public communication",
        "Public Relations Division",
    )


def test_checklists_are_not_measures():
    ms = _measures(
        "ตัวชี้วัดที่ 9 การเปิดเผยข้อมูล\n9.1 ข้อมูลพื้นฐาน\n"
        "O1 โครงสร้าง  ลิงก์ https://example.go.th/o1\n"
        "MOIT 2 หน่วยงานมีการเปิดเผยข้อมูล\n  หลักฐาน: คำสั่งแต่งตั้ง\n  URL: https://example.go.th/m2\n"
        "1. ประชาชนเข้าชมเว็บไซต์ 500 ครั้ง\n"
    )
    assert ms == []


def test_labels_with_and_without_colon():
    assert label_of("วิธีการ : อบรม") == ("method", "อบรม")
    assert label_of("ระยะเวลา มกราคม 2568") == ("period", "มกราคม 2568")
    assert label_of("สถานะ ณ 31 มี.ค. 66: ดำเนินการแล้ว") == ("status", "ดำเนินการแล้ว")
    assert label_of("มาตรการเผยแพร่ข้อมูล") is None
    assert label_of("ผู้รับผิดชอบ") is None


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet="กขคงมาตรการโครงกิจ .:-•()0123456789\n", max_size=80), max_size=12))
def test_arbitrary_lines_never_raise_and_measures_have_titles(chunks):
    lines = "\n".join(chunks).splitlines()
    for m in measures_from_text(lines, set()):
        assert m.get("title")


# --- score tables without year columns, year-per-row tables, report year of an analysis ----------


def test_tool_table_with_one_score_column_takes_the_year_above():
    d = import_text(
        "สรุปผลการประเมิน ITA ประจำปีงบประมาณ พ.ศ. ๒๕๖๘\nมหาวิทยาลัยทดสอบ\n"
        "แบบวัด\tคะแนน\nIIT\t93.40\nEIT ส่วนที่ 1\t88.20\nEIT ส่วนที่ 2\t91.60\nOIT\t83.75\n"
        "คะแนนภาพรวม\t88.49\nระดับ\tผ่าน\n\n"
        "ข้อ\tรายการ\tคะแนน\nO12\tรายการจัดซื้อจัดจ้าง\t50\nO19\tสถิติเรื่องร้องเรียน\t0\n"
    ).truth_view
    (a,) = d["assessments"]
    assert (a["year_be"], a["overall"], a["level"]) == (2568, 88.49, "ผ่าน")
    assert a["tools"]["EIT_1"] == 88.2 and a["tools"]["OIT"] == 83.75
    assert a["items"] == {"o12": 50, "o19": 0}
    assert d["report_fiscal_year_be"] is None  # an analysis of the assessed year only


def test_year_per_row_table_leaves_out_the_average_column():
    d = import_text(
        "รายงานประจำปี 2567 การทดสอบแห่งประเทศไทย\nการประเมินคุณธรรมและความโปร่งใส (ITA)\n"
        "ปีงบประมาณ\tคะแนน กทท.\tระดับ\tค่าเฉลี่ยรัฐวิสาหกิจ\n"
        "2565\t95.20\tAA\t92.36\n2566\t96.05\tผ่านดีเยี่ยม\t93.11\n"
    ).truth_view
    got = {a["year_be"]: (a["overall"], a["level"]) for a in d["assessments"]}
    assert got == {2565: (95.2, "AA"), 2566: (96.05, "ผ่านดีเยี่ยม")}


def test_analysis_column_links_measures_to_indicators_and_gives_their_scores():
    d = import_text(
        "มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน ประจำปีงบประมาณ พ.ศ. ๒๕๖๙\n"
        "เทศบาลตำบลทดสอบ อำเภอทดสอบ จังหวัดทดสอบ\n"
        "ผลการประเมิน ประจำปีงบประมาณ พ.ศ. ๒๕๖๘ ได้ ๙๑.๒๑ คะแนน\n\n"
        "ที่\tประเด็นจากผลการวิเคราะห์\tมาตรการ/โครงการ/กิจกรรม\tระยะเวลาดำเนินการ\tผู้รับผิดชอบ\n"
        "๑\tตัวชี้วัดที่ ๑ การปฏิบัติหน้าที่ ได้ ๙๘.๑๐ คะแนน บางส่วนยังไม่ตามขั้นตอน\tมาตรการหนึ่ง\t"
        "ตุลาคม ๒๕๖๘\tทุกกอง\n"
        "๒\tตัวชี้วัดที่ ๙ การเปิดเผยข้อมูล ได้ ๘๕.๐๐ คะแนน\tมาตรการสอง\tมีนาคม ๒๕๖๙\tสำนักปลัด\n"
    ).truth_view
    assert [m["indicator"] for m in d["measures"]] == [1, 9]
    (a,) = d["assessments"]
    assert a["year_be"] == 2568 and a["indicators"] == {"1": 98.1, "9": 85.0}
    assert d["kinds"] == ["analysis", "measures_plan"]


def test_analysis_by_its_title_not_by_a_sentence_that_mentions_one():
    title = "รายงานการวิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใส ประจำปีงบประมาณ พ.ศ. ๒๕๖๗\n"
    body = "เทศบาลเมืองทดสอบ ได้ ๙๕.๔๒ คะแนน อยู่ในระดับ ผ่านดีเยี่ยม\n"
    assert import_text(title + body).truth_view["kinds"] == ["analysis"]
    sentence = "ตามที่เทศบาลได้วิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใส ประจำปี 2567 แล้ว\n"
    assert "analysis" not in import_text(sentence + body).truth_view["kinds"]


# --- agency names, places and memo headers ------------------------------------------------------


def _agency(text: str) -> dict:
    return {k: v for k, v in import_text(text).truth_view["agency"].items() if v}


ITA = "ผลการประเมิน ITA ประจำปีงบประมาณ พ.ศ. 2567 ได้ 91.20 คะแนน\n"


def test_abbreviations_with_and_without_dot_or_space_are_expanded():
    assert _agency("ทม.บ้านทดสอบ\n" + ITA)["name"] == "เทศบาลเมืองบ้านทดสอบ"
    assert _agency("ทน. ทดสอบนคร\n" + ITA)["name"] == "เทศบาลนครทดสอบนคร"
    assert _agency("อบต ห้วยทดสอบ\n" + ITA)["name"] == "องค์การบริหารส่วนตำบลห้วยทดสอบ"
    assert "name" not in _agency("ตัวแทนชุมชนร่วมประชุม\n" + ITA)


def test_signature_title_names_the_municipality():
    got = _agency(ITA + "\n        (นายทดสอบ  ใจดี)\n        นายกเทศมนตรีตำบลแม่ทดสอบ\n")
    assert (got["name"], got["type"]) == ("เทศบาลตำบลแม่ทดสอบ", "เทศบาลตำบล")


def test_pao_province_is_its_name_and_provinces_end_where_the_text_runs_on():
    got = _agency("ข่าว\nองค์การบริหารส่วนจังหวัดพิจิตรได้คะแนนภาพรวม 95.10 คะแนน (ITA)\n")
    assert got["province"] == "พิจิตร" and "district" not in got


def test_place_from_the_line_under_the_heading_an_address_or_the_short_form():
    got = _agency("เทศบาลตำบลหนองทดสอบ\nอำเภอศรีบุญเรือง จังหวัดหนองบัวลำภู\n" + ITA)
    assert (got["district"], got["province"]) == ("ศรีบุญเรือง", "หนองบัวลำภู")
    got = _agency("องค์การบริหารส่วนตำบลห้วยทดสอบ\n" + ITA + "หมู่ที่ 4 ตำบลห้วยทดสอบ อำเภอแม่ทา จังหวัดลำพูน 51140\n")
    assert (got["district"], got["province"]) == ("แม่ทา", "ลำพูน")
    got = _agency("เทศบาลเมืองทดสอบใต้\n" + ITA + "อันดับที่ 3 ของจังหวัดชลบุรี\nวิทยากรจาก ป.ป.ช. ประจำจังหวัดระยอง\n")
    assert got["province"] == "ชลบุรี"


def test_hospitals_departments_universities_from_the_banner():
    assert _agency("รพ.บ้านทดสอบ (องค์การมหาชน)\n" + ITA)["name"] == "โรงพยาบาลบ้านทดสอบ (องค์การมหาชน)"
    got = _agency("ศูนย์ปฏิบัติการต่อต้านการทุจริต (ศปท.)\nกรมทดสอบพลังงาน  กระทรวงพลังงาน\n" + ITA)
    assert got == {"name": "กรมทดสอบพลังงาน"}
    assert _agency("มหาวิทยาลัยทดสอบวิชาการ\n" + ITA)["name"] == "มหาวิทยาลัยทดสอบวิชาการ"


def test_memo_header_wrapped_over_two_lines_with_a_phone_number():
    d = import_text(
        "บันทึกข้อความ\n"
        "ส่วนราชการ สำนักปลัดเทศบาล เทศบาลตำบล โทร. ๐ ๕๓๑๒ ๑๘๘๐\n"
        "ดอนทดสอบ อำเภอแม่ริม จังหวัดเชียงใหม่\n"
        "ที่ ชม ๕๒๑๐๑/๒๒๓ วันที่ ๑๙ สิงหาคม ๒๕๖๘\n"
        "เรื่อง รายงานผลการประเมินคุณธรรมและความโปร่งใส (ITA) ประจำ\n"
        "ปีงบประมาณ พ.ศ. ๒๕๖๘\n"
        "-----------------------------------------\n"
        "เรียน นายกเทศมนตรีตำบลดอนทดสอบ\n"
        "ตามที่ ... ได้ ๙๕.๒๐ คะแนน\n"
        "(นายทดสอบ ดีมาก)\nปลัดเทศบาลตำบลดอนทดสอบ\n๑๙ ส.ค. ๒๕๖๘\n"
    ).truth_view
    memo = d["memo"]
    assert memo["unit"] == "สำนักปลัดเทศบาล เทศบาลตำบลดอนทดสอบ อำเภอแม่ริม จังหวัดเชียงใหม่"
    assert memo["subject"].endswith("ประจำปีงบประมาณ พ.ศ. ๒๕๖๘")
    assert memo["to"] == "นายกเทศมนตรีตำบลดอนทดสอบ"
    assert memo["signers"][0]["position"] == "ปลัดเทศบาลตำบลดอนทดสอบ"
    assert d["agency"]["name"] == "เทศบาลตำบลดอนทดสอบ" and d["agency"]["province"] == "เชียงใหม่"


def test_level_row_of_a_tools_table_and_plan_heading_year():
    d = import_text(
        "บันทึกข้อความ\nเรื่อง รายงานผลการประเมิน ITA\n"
        "แบบวัด\tปี ๒๕๖๗\tปี ๒๕๖๘\nIIT\t๙๕.๖๐\t๙๗.๑๐\nคะแนนรวม\t๙๔.๑๒\t๙๖.๖๑\n"
        "ระดับผลการประเมิน\tผ่านดี\tผ่านดีเยี่ยม\n"
    ).truth_view
    assert {a["year_be"]: a["level"] for a in d["assessments"]} == {2567: "ผ่านดี", 2568: "ผ่านดีเยี่ยม"}
    d = import_text(
        "การวิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใส ประจำปีงบประมาณ พ.ศ. ๒๕๖๖\n"
        "และมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน ประจำปีงบประมาณ พ.ศ. ๒๕๖๗\n"
        "องค์การบริหารส่วนตำบลทดสอบ\n\n"
        "องค์การบริหารส่วนตำบลทดสอบ ได้คะแนนภาพรวม ๘๖.๔๗ คะแนน อยู่ในระดับผ่าน\n"
    ).truth_view
    assert [(a["year_be"], a["overall"]) for a in d["assessments"]] == [(2566, 86.47)]


def test_responsible_cell_merged_down_applies_to_the_rows_under_it():
    ms = import_text(
        "รายงานผลการดำเนินการตามมาตรการ ITA ประจำปีงบประมาณ พ.ศ. ๒๕๖๕\nเทศบาลตำบลทดสอบ\n\n"
        "ที่\tมาตรการ\tวิธีการดำเนินการ\tผู้รับผิดชอบ\n"
        "๑\tมาตรการหนึ่ง\tปรับปรุงเว็บไซต์\tสำนักปลัด\n"
        "๒\tมาตรการสอง\tจัดทำแผนภูมิ\t\n"
        "๓\tมาตรการสาม\tเผยแพร่แผน\tกองคลัง\n"
    ).truth_view["measures"]
    assert [m["responsible"] for m in ms] == ["สำนักปลัด", "สำนักปลัด", "กองคลัง"]


def test_measures_table_continues_after_a_running_footer_and_repeated_header():
    head = "ที่\tมาตรการ/โครงการ/กิจกรรม\tขั้นตอนหรือวิธีการดำเนินการ\tระยะเวลาดำเนินการ\tผู้รับผิดชอบ\n"
    ms = import_text(
        "มาตรการส่งเสริมคุณธรรมและความโปร่งใส ประจำปีงบประมาณ พ.ศ. ๒๕๖๙\nเทศบาลตำบลทดสอบ\n\n"
        + head
        + "๑\tมาตรการหนึ่ง\tอบรม\tตุลาคม ๒๕๖๘\tสำนักปลัด\n"
        + "๒\tมาตรการการใช้ทรัพย์สินของ\t๑. จัดทำแนวปฏิบัติการยืม\tธันวาคม ๒๕๖๘ – กันยายน\tกองคลัง\n"
        + "เทศบาลตำบลทดสอบ หน้า /\n1 2\n\nมาตรการส่งเสริมคุณธรรมและความโปร่งใส ประจำปีงบประมาณ พ.ศ. ๒๕๖๙\n"
        + head
        + "\tราชการ\tทรัพย์สินของราชการ\t๒๕๖๙\t\n"
        + "๓\tมาตรการสาม\tเผยแพร่\tมีนาคม ๒๕๖๙\tสำนักปลัด\n"
    ).truth_view["measures"]
    assert [m["no"] for m in ms] == [1, 2, 3]
    assert ms[1]["title"].replace(" ", "") == "มาตรการการใช้ทรัพย์สินของราชการ"
    assert ms[1]["period"].replace(" ", "") == "ธันวาคม๒๕๖๘–กันยายน๒๕๖๙"


def test_unnumbered_heading_with_labels_dash_labels_and_carried_out_by_a_unit():
    ms = _measures(
        "มาตรการที่ ๑ : การเปิดเผยข้อมูลสาธารณะ\n"
        "  - วิธีดำเนินการ - ปรับปรุงเว็บไซต์ทุกเดือน\n"
        "  - หน่วยงานที่รับผิดชอบ : สำนักปลัด\n\n"
        "ประกาศเจตนารมณ์การป้องกันการรับสินบน (No Gift Policy)\n"
        "  ผู้รับผิดชอบ : ทุกส่วนราชการ\n\n"
        "(๓) โครงการอบรมคุณธรรม ดำเนินการโดย กองการศึกษา ภายในเดือนมีนาคม ๒๕๖๘\n\n"
        "ทั้งนี้ให้ทุกส่วนราชการถือปฏิบัติ\n"
    )
    assert [(m["no"], m["title"]) for m in ms] == [
        (1, "การเปิดเผยข้อมูลสาธารณะ"),
        (None, "ประกาศเจตนารมณ์การป้องกันการรับสินบน (No Gift Policy)"),
        (3, "โครงการอบรมคุณธรรม"),
    ]
    assert ms[0]["method"] == "ปรับปรุงเว็บไซต์ทุกเดือน" and ms[0]["responsible"] == "สำนักปลัด"
    assert ms[2]["responsible"] == "กองการศึกษา" and ms[2]["method"] is None


def test_a_heading_alone_is_not_a_measure_and_an_unknown_page_is_a_draft_with_a_finding():
    assert _measures("มาตรการส่งเสริมคุณธรรมของหน่วยงาน\nวัตถุประสงค์ : เพื่อความโปร่งใส\n") == []
    result = import_text("องค์การบริหารส่วนตำบลทดสอบ\nหน้ารวมเอกสาร ITA ของหน่วยงาน\n")
    assert result.truth_view["agency"]["name"] == "องค์การบริหารส่วนตำบลทดสอบ"
    assert "nothing_recognised" in {f["code"] for f in result.draft.findings}


def test_labels_inside_a_one_line_measure():
    ms = _measures(
        "ตัวชี้วัดที่ 9 การเปิดเผยข้อมูล\n"
        "- โครงการปรับปรุงเว็บไซต์ (ระยะเวลา: ม.ค.-มี.ค. 68, ผู้รับผิดชอบ: สำนักปลัด)\n"
        '2. มาตรการ "ลดขั้นตอน" สถานะ: ดำเนินการแล้ว\n'
    )
    assert (ms[0]["title"], ms[0]["period"], ms[0]["responsible"], ms[0]["indicator"]) == (
        "โครงการปรับปรุงเว็บไซต์",
        "ม.ค.-มี.ค. 68",
        "สำนักปลัด",
        9,
    )
    assert (ms[1]["title"], ms[1]["status"]) == ("ลดขั้นตอน", "done")


def test_english_plan_with_dash_heads_numbered_lines_and_a_ce_fiscal_year():
    d = import_text(
        "Nong Test Subdistrict Administrative Organization (SAO), Mueang District, Lampang\n"
        "ITA Measures Plan, Fiscal Year 2025\n\n"
        "Measure 1 – Open data on the website\nTimeline: October 2024 – March 2025\n"
        "Responsible unit: Office of the Permanent Secretary\n\n"
        "2. No Gift Policy campaign\nActions: announce the policy; report gifts.\nStatus: Completed\n"
    ).truth_view
    assert d["agency"]["type"] == "องค์การบริหารส่วนตำบล"
    assert d["report_fiscal_year_be"] == 2568
    a, b = d["measures"]
    assert (a["no"], a["title"], a["period"]) == (1, "Open data on the website", "October 2024 – March 2025")
    assert (b["no"], b["method"], b["status"]) == (2, "announce the policy; report gifts.", "done")


def test_status_sub_line_with_ticked_options():
    ms = _measures(
        "1. มาตรการเผยแพร่ข้อมูล\n"
        "   สถานะ : ☑ ดำเนินการแล้ว ☐ อยู่ระหว่างดำเนินการ ☐ ยังไม่ดำเนินการ\n"
        "2. มาตรการป้องกันสินบน\n"
        "   สถานะ : ( ) ดำเนินการแล้ว (/) อยู่ระหว่างดำเนินการ ( ) ยังไม่ดำเนินการ\n"
        "3. มาตรการตรวจสอบ\n"
        "   สถานะ : ดำเนินการแล้ว อยู่ระหว่างดำเนินการ ยังไม่ดำเนินการ\n"
    )
    assert [m["status"] for m in ms] == ["done", "in_progress", None]


def test_one_line_progress_with_status_words_after_the_title():
    ms = _measures(
        "มาตรการที่ 1 มาตรการเผยแพร่ข้อมูลต่อสาธารณะ ดำเนินการแล้วเสร็จ โดยเผยแพร่ข้อมูลครบทุกข้อ\n"
        "มาตรการที่ 2 มาตรการป้องกันสินบน อยู่ระหว่างดำเนินการ เนื่องจากรอคำสั่ง\n"
    )
    assert [(m["title"], m["status"]) for m in ms] == [
        ("มาตรการเผยแพร่ข้อมูลต่อสาธารณะ", "done"),
        ("มาตรการป้องกันสินบน", "in_progress"),
    ]


def test_a_date_year_and_a_count_of_respondents_are_neither_score_nor_year():
    d = import_text(
        "เทศบาลตำบลทดสอบ\n"
        "ข่าวประชาสัมพันธ์ ผู้ตอบแบบวัด EIT จำนวน 2000 คน เมื่อวันที่ 10 ส.ค. 67 จากคะแนนเต็ม 100 คะแนน\n"
        "เทศบาลตำบลทดสอบได้รับผลการประเมิน ITA ประจำปีงบประมาณ พ.ศ. 2567 ได้ 93.27 คะแนน\n"
    ).truth_view
    (a,) = d["assessments"]
    assert (a["year_be"], a["overall"]) == (2567, 93.27)
    assert not any(a["tools"].values())


def test_numbered_measure_titles_alone_but_not_a_news_list_of_activities():
    assert [m["title"] for m in _measures("1. มาตรการเผยแพร่ข้อมูล\n2. มาตรการป้องกันสินบน\n")] == [
        "มาตรการเผยแพร่ข้อมูล",
        "มาตรการป้องกันสินบน",
    ]
    assert _measures("1. โครงการอบรมคุณธรรม มีผู้เข้าร่วม 120 คน\n2. กิจกรรมจิตอาสาพัฒนาวัด\n") == []


def test_a_link_bar_at_the_top_does_not_name_the_agency():
    got = _agency(
        "หน่วยงานที่เกี่ยวข้อง : อบจ.ลำพูน | เทศบาลตำบลอื่นทดสอบ | อำเภอแม่ทา\nหน้าแรก › ข่าว\n"
        "องค์การบริหารส่วนตำบลห้วยทดสอบ อำเภอแม่ทา จังหวัดลำพูน\n" + ITA
    )
    assert got["name"] == "องค์การบริหารส่วนตำบลห้วยทดสอบ" and got["province"] == "ลำพูน"


def test_prose_period_in_ช่วงเดือน_and_owner_with_โดยมี():
    (m,) = _measures(
        "มาตรการที่ 1 มาตรการอบรมจริยธรรม ให้จัดอบรมบุคลากรทุกคน ในช่วงเดือนมกราคม – มีนาคม 2568 "
        "โดยมีสำนักปลัดเป็นผู้รับผิดชอบ\n"
    )
    assert (m["method"], m["period"], m["responsible"]) == (
        "จัดอบรมบุคลากรทุกคน",
        "ในช่วงเดือนมกราคม – มีนาคม 2568",
        "สำนักปลัด",
    )
