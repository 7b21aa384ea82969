"""Draft Thai narratives in the register of an official ITA report (seed 003, section 4).

Deterministic text from the numbers only: a score, its change, its classification and the items
below full marks. Nothing is said that the numbers do not show; people edit the draft.
Digits are arabic here; documents switch to Thai digits at rendering.
"""

from __future__ import annotations

from prongsai.ita.numbers import fmt

CLASS_TH = {"keep_up": "รักษามาตรฐาน", "improve": "ควรพัฒนา", "urgent": "ต้องปรับปรุงโดยเร่งด่วน"}
CLASS_EN = {"keep_up": "keep up", "improve": "improve", "urgent": "urgent"}

_PERSPECTIVE_TH = {
    "IIT": "จากการรับรู้ของบุคลากรภายในหน่วยงาน",
    "EIT": "จากการรับรู้ของผู้รับบริการหรือผู้มาติดต่อราชการ",
    "OIT": "จากการเปิดเผยข้อมูลสาธารณะบนเว็บไซต์ของหน่วยงาน",
}

_ADVICE_TH = {
    "keep_up": "จึงควรรักษามาตรฐานไว้และพัฒนาการดำเนินงานอย่างต่อเนื่อง",
    "improve": "จึงควรพัฒนาและปรับปรุงการดำเนินงานในตัวชี้วัดนี้ให้ดียิ่งขึ้น",
    "urgent": "ซึ่งต่ำกว่าเกณฑ์ผ่าน {pass_mark} คะแนน จึงต้องเร่งปรับปรุงการดำเนินงานในตัวชี้วัดนี้โดยด่วน",
}


def change_th(delta: float | None, previous_year: int | None) -> str:
    """'เพิ่มขึ้นจากปี พ.ศ. 2567 +0.42 คะแนน', 'ลดลง…', 'เท่ากับ…', or '' with no earlier year."""
    if delta is None or previous_year is None:
        return ""
    printed = fmt(delta, signed=True)
    if printed == "0.00":
        return f"เท่ากับปี พ.ศ. {previous_year}"
    word = "เพิ่มขึ้น" if delta > 0 else "ลดลง"
    return f"{word}จากปี พ.ศ. {previous_year} {printed} คะแนน"


def indicator_narrative(
    *,
    number: int,
    name_th: str,
    tool: str,
    score: float,
    delta: float | None,
    previous_year: int | None,
    classification: str,
    pass_mark: float,
    below_full: list[tuple[str, str | None, float]],
) -> str:
    parts = [
        f"จากการวิเคราะห์ผลการประเมิน ITA ตัวชี้วัดที่ {number} {name_th} พบว่า "
        f"{_PERSPECTIVE_TH[tool]} ได้คะแนน {fmt(score)} คะแนน"
    ]
    change = change_th(delta, previous_year)
    if change:
        parts.append(change)
    parts.append(_ADVICE_TH[classification].format(pass_mark=f"{pass_mark:g}"))
    sentence = " ".join(parts)
    if below_full:
        listed = ", ".join(
            f"{item} {name} ({fmt(value)} คะแนน)" if name else f"ข้อ {item} ({fmt(value)} คะแนน)"
            for item, name, value in below_full
        )
        noun = "ข้อคำถาม" if tool != "OIT" else "ข้อ"
        sentence += f" โดย{noun}ที่ยังไม่ได้คะแนนเต็ม ได้แก่ {listed}"
    return sentence


def overall_narrative(
    *,
    agency: str | None,
    year: int,
    score: float | None,
    level: str | None,
    level_candidates: list[str],
    delta: float | None,
    previous_year: int | None,
    previous_score: float | None,
    previous_level: str | None,
) -> str:
    who = agency or "หน่วยงาน"
    if score is None:
        return f"{who} ยังไม่มีคะแนนภาพรวมของปีงบประมาณ พ.ศ. {year}"
    if level:
        where = f"อยู่ในระดับ {level}"
    elif level_candidates:
        where = f"อยู่ในระดับ {' หรือ '.join(level_candidates)} (ระบุได้เมื่อทราบคะแนนรายแบบวัด)"
    else:
        where = ""
    text = f"{who} ได้ผลการประเมินในภาพรวม ประจำปีงบประมาณ พ.ศ. {year} {fmt(score)} คะแนน {where}".rstrip()
    if delta is not None and previous_year is not None and previous_score is not None:
        printed = fmt(delta, signed=True)
        if printed == "0.00":
            text += f" เท่ากับปีงบประมาณ พ.ศ. {previous_year}"
        else:
            word = "เพิ่มขึ้น" if delta > 0 else "ลดลง"
            text += (
                f" {word} {fmt(abs(delta))} คะแนน เมื่อเทียบกับปีงบประมาณ พ.ศ. {previous_year}"
                f" ที่ได้ผลการประเมินในภาพรวม {fmt(previous_score)} คะแนน"
            )
        if previous_level:
            text += f" อยู่ในระดับ {previous_level}"
    return text
