"""Draft Thai narratives in the register of an official ITA report (seed 003, section 4).

Deterministic text from the numbers only: a score, its change, what set the level, the items that
lost points, the assessor's suggestions. Every sentence must be true for the data at hand: no
per-indicator pass mark (there is none), no "all ten indicators" unless all ten are scored, and
no sentence repeated across indicators (each names its own practice). People edit the draft.
Digits are arabic here; documents switch to Thai digits at rendering (item codes stay arabic).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from prongsai.ita.numbers import PRINTED, fmt
from prongsai.thai.digits import to_arabic_digits
from prongsai.thai.text import thai_list

CLASS_TH = {"keep_up": "รักษามาตรฐาน", "improve": "ควรพัฒนา", "urgent": "ต้องปรับปรุงโดยเร่งด่วน"}
CLASS_EN = {"keep_up": "keep up", "improve": "improve", "urgent": "urgent"}

TOOL_TH = {"IIT": "แบบวัด IIT", "EIT": "แบบวัด EIT", "OIT": "แบบวัด OIT"}

_PERSPECTIVE_TH = {
    "IIT": "จากการรับรู้ของบุคลากรภายในหน่วยงาน",
    "EIT": "จากการรับรู้ของผู้รับบริการหรือผู้มาติดต่อราชการ",
    "OIT": "จากการเปิดเผยข้อมูลสาธารณะบนเว็บไซต์ของหน่วยงาน",
}

# What each indicator asks of an agency, so advice names its own subject (indicator ids are the
# same in every edition 2563-2569; see the edition files).
_PRACTICE_TH = {
    1: "การปฏิบัติหน้าที่อย่างเป็นธรรม โปร่งใส และไม่เลือกปฏิบัติ",
    2: "การใช้จ่ายงบประมาณอย่างคุ้มค่า โปร่งใส และเปิดโอกาสให้ตรวจสอบได้",
    3: "การมอบหมายงานและการประเมินผลงานของผู้บังคับบัญชาอย่างเป็นธรรม",
    4: "การยืมและการใช้ทรัพย์สินของราชการให้เป็นไปตามระเบียบ",
    5: "การป้องกันและแก้ไขปัญหาการทุจริตโดยผู้บริหารให้ความสำคัญ",
    6: "การให้บริการตามขั้นตอนและระยะเวลาที่กำหนดอย่างเท่าเทียม",
    7: "การเผยแพร่ข้อมูลและการเปิดช่องทางรับฟังความคิดเห็นที่เข้าถึงได้ง่าย",
    8: "การปรับปรุงวิธีการให้บริการและการเปิดโอกาสให้ผู้รับบริการมีส่วนร่วม",
    9: "การเผยแพร่ข้อมูลบนเว็บไซต์ของหน่วยงานให้ครบถ้วนและเป็นปัจจุบันตามเกณฑ์",
    10: "การดำเนินการป้องกันการทุจริตและการเผยแพร่ผลการดำเนินการตามเกณฑ์",
}

_ITEM_CODE = re.compile(r"(?<![A-Za-z])([ieoIEO])\s?([0-9]{1,2})(?![0-9])")


@dataclass(slots=True, frozen=True)
class ItemLine:
    id: str
    name_th: str | None
    score: float
    previous: float | None = None


class ItemScoreLike(Protocol):
    """An item below full marks as the analysis has it (analysis.ItemScore): the narrative needs
    only these three."""

    id: str
    name_th: str | None
    score: float


@dataclass(slots=True, frozen=True)
class FullMarks:
    """What full marks on one indicator would give, when its tool holds the level down: the tool's
    and the overall's new scores, and whether that alone reaches ``level``."""

    tool: str
    tool_after: float
    overall_gain: float
    level: str
    reaches: bool


def level_th(label: str) -> str:
    """'ระดับผ่านดี', 'ระดับ C': a Latin label is set off by spaces from the Thai around it."""
    return f"ระดับ {label} " if label[:1].isascii() else f"ระดับ{label}"


def _tidy(text: str) -> str:
    """Single spaces only. A text that already is (no run of spaces, no other whitespace: every
    whitespace character but the space is unprintable, no space at either end) is returned as
    it is, without splitting it."""
    if "  " in text or not text.isprintable() or text[:1] == " " or text[-1:] == " ":
        return " ".join(text.split())
    return text


def item_codes(text: str) -> set[str]:
    """Item ids named in free text ('ข้อ O16', 'o ๑๖', 'i11') as the engine spells them (o16)."""
    return {f"{m.group(1).lower()}{int(m.group(2))}" for m in _ITEM_CODE.finditer(to_arabic_digits(text))}


def change_th(delta: float | None, previous_year: int | None) -> str:
    """'เพิ่มขึ้นจากปี พ.ศ. 2567 0.42 คะแนน', 'ลดลง…', 'เท่ากับ…', or '' with no earlier year.

    The word says the direction, so the number is never signed (no 'ลดลง -10.00')."""
    if delta is None or previous_year is None:
        return ""
    key = (delta, previous_year)
    text = _CHANGE_TH.get(key)
    if text is None:
        size = fmt(abs(delta))
        if size == "0.00":
            text = f"เท่ากับปี พ.ศ. {previous_year}"
        else:
            text = f"{'เพิ่มขึ้น' if delta > 0 else 'ลดลง'}จากปี พ.ศ. {previous_year} {size} คะแนน"
        if len(_CHANGE_TH) < 20_000:  # changes are printed values: a few thousand at most per year
            _CHANGE_TH[key] = text
    return text


_CHANGE_TH: dict[tuple[float, int], str] = {}


_ITEM_TH: dict[tuple[str, str | None], str] = {}


def _item(i: ItemLine | ItemScoreLike) -> str:
    """'ข้อ o16 name' (the same few hundred items in every report, so each is written once)."""
    key = (i.id, i.name_th)
    text = _ITEM_TH.get(key)
    if text is None:
        text = f"ข้อ {i.id} {i.name_th}" if i.name_th else f"ข้อ {i.id}"
        if len(_ITEM_TH) < 10_000:
            _ITEM_TH[key] = text
    return text


def indicator_narrative(
    *,
    number: int,
    name_th: str,
    tool: str,
    score: float,
    delta: float | None,
    previous_year: int | None,
    classification: str,
    below_full: Sequence[ItemLine | ItemScoreLike],
    fell: Sequence[ItemLine] = (),
    full_marks: FullMarks | None = None,
    suggestions: Sequence[str] = (),
) -> str:
    frame = _FRAMES.get((number, name_th, tool)) or _frame(number, name_th, tool)
    printed = fmt(score)
    head = f"{frame.head} ได้คะแนน {printed} คะแนน" if printed != "100.00" else frame.head_full
    if delta is not None and previous_year is not None:
        change = _CHANGE_TH.get((delta, previous_year)) or change_th(delta, previous_year)
        head = f"{head} {change}"
    sentences = [head]
    item = _ITEM_TH.get
    if fell:
        fell_ids = {i.id for i in fell}
        listed = thai_list(
            [
                f"{item((i.id, i.name_th)) or _item(i)} (จาก {fmt(i.previous)} เป็น {fmt(i.score)} คะแนน)"
                for i in fell
                if i.previous is not None
            ]
        )
        sentences.append(f"ข้อที่ได้คะแนนลดลง ได้แก่ {listed}")
        others: Sequence[ItemLine | ItemScoreLike] = [i for i in below_full if i.id not in fell_ids]
    else:
        others = below_full
    if others:
        printed_as = PRINTED.get
        parts = [
            f"{item((i.id, i.name_th)) or _item(i)} ({printed_as(i.score) or fmt(i.score)} คะแนน)"
            for i in others
        ]
        # thai_list(parts), written out: every part is non-empty and starts with Thai ('ข้อ').
        listed = parts[0] if len(parts) == 1 else f"{' '.join(parts[:-1])} และ{parts[-1]}"
        sentences.append(f"{frame.others if fell else frame.below} ได้แก่ {listed}")
    if full_marks:
        f = full_marks
        text = (
            f"หากตัวชี้วัดนี้ได้คะแนนเต็ม {TOOL_TH.get(f.tool, f.tool)} จะเป็น {fmt(f.tool_after)} คะแนน"
            f" และคะแนนภาพรวมจะเพิ่มขึ้น {fmt(f.overall_gain)} คะแนน"
        )
        if f.reaches:
            text += f" ซึ่งเพียงพอให้หน่วยงานอยู่ใน{level_th(f.level)}"
        sentences.append(text)
    if suggestions:
        for s in suggestions:
            sentences.append(f"ผู้ตรวจประเมินให้ข้อเสนอแนะว่า {s.strip()}")
        # An assessor's criticism is never answered with "keep it up".
        sentences.append(frame.advice["urgent"] if classification == "urgent" else frame.suggested)
    else:
        sentences.append(frame.advice.get(classification) or frame.advice["urgent"])
    return _tidy(" ".join(sentences))


@dataclass(slots=True, frozen=True)
class _Frame:
    """The fixed text of one indicator's narrative, written once per indicator and tool."""

    head: str  # 'ตัวชี้วัดที่ 9 … จากการเปิดเผยข้อมูลสาธารณะ…'
    head_full: str  # … 'ได้คะแนนเต็ม 100 คะแนน'
    below: str  # what its items below full marks are called
    others: str  # the same after the items that lost points
    advice: dict[str, str]  # the closing sentence by classification
    suggested: str  # the closing sentence after the assessor's suggestions (unless urgent)


_FRAMES: dict[tuple[int, str, str], _Frame] = {}


def _frame(number: int, name_th: str, tool: str) -> _Frame:
    practice = _PRACTICE_TH.get(number, name_th)
    head = f"ตัวชี้วัดที่ {number} {name_th} {_PERSPECTIVE_TH[tool]}"
    frame = _Frame(
        head=head,
        head_full=f"{head} ได้คะแนนเต็ม 100 คะแนน",
        below="ข้อคำถามที่ยังไม่ได้คะแนนเต็ม" if tool != "OIT" else "ข้อที่ยังไม่ได้คะแนนเต็ม",
        others="ข้ออื่นที่ยังไม่ได้คะแนนเต็ม",
        suggested=f"หน่วยงานจึงควรปรับปรุง{practice}ตามข้อเสนอแนะของผู้ตรวจประเมิน",
        advice={
            "keep_up": f"หน่วยงานจึงควรรักษาแนวทาง{practice}ไว้",
            "improve": f"หน่วยงานจึงควรพัฒนา{practice}ให้ดียิ่งขึ้น",
            "urgent": f"หน่วยงานจึงต้องเร่งปรับปรุง{practice}เป็นลำดับแรก",
        },
    )
    if len(_FRAMES) < 1_000:  # ten indicators, a name or two each per edition
        _FRAMES[(number, name_th, tool)] = frame
    return frame


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
    published_level: str | None = None,
    level_reason: str = "",
) -> str:
    """``level``: the engine's; ``published_level``: as NACC printed it. The printed level is what
    the report states; when the engine's differs, the difference is said, never hidden."""
    who = agency or "หน่วยงาน"
    if score is None:
        return f"{who}ยังไม่มีคะแนนภาพรวมของปีงบประมาณ พ.ศ. {year}"
    shown = published_level or level
    if shown:
        where = f"อยู่ในระดับ {shown}"
    elif level_candidates:
        where = f"อยู่ในระดับ {' หรือ '.join(level_candidates)} (ระบุได้เมื่อทราบคะแนนรายแบบวัด)"
    else:
        where = ""
    text = f"{who}ได้ผลการประเมินในภาพรวม ประจำปีงบประมาณ พ.ศ. {year} {fmt(score)} คะแนน {where}".rstrip()
    if delta is not None and previous_year is not None and previous_score is not None:
        if fmt(abs(delta)) == "0.00":
            text += f" เท่ากับปีงบประมาณ พ.ศ. {previous_year}"
        else:
            word = "เพิ่มขึ้น" if delta > 0 else "ลดลง"
            text += (
                f" {word} {fmt(abs(delta))} คะแนน เมื่อเทียบกับปีงบประมาณ พ.ศ. {previous_year}"
                f" ที่ได้ผลการประเมินในภาพรวม {fmt(previous_score)} คะแนน"
            )
        if previous_level:
            text += f" อยู่ในระดับ {previous_level}"
    if published_level and level and published_level != level:
        # Said as its own sentence: the report keeps the level NACC printed and says what the
        # year's rules give for the score, so a reader sees both and why they differ.
        text += (
            f" ทั้งนี้ ระดับ {published_level} เป็นระดับตามที่ประกาศผล"
            f" ส่วนเกณฑ์การประเมินประจำปี พ.ศ. {year} จัดคะแนน {fmt(score)} คะแนน ไว้ใน{level_th(level)}"
        )
    if level_reason:
        text += " " + level_reason
    return _tidy(text)


def level_reason_th(
    *,
    level: str | None,
    previous_level: str | None,
    fell: bool,
    target: str | None,
    total_short: float | None,
    tools_short: list[tuple[str, float]],
    floor: float | None,
    min_total: float | None,
    total_after: float | None,
) -> str:
    """Why the level is below ``target`` (the level lost, else the next one up) and what restores
    it: the tools under the level's floor and the overall's shortfall, as the engine computed them."""
    if not target or (not tools_short and total_short is None):
        return ""
    causes = []
    if tools_short and floor is not None:
        tools = thai_list(f"{TOOL_TH.get(t, t)} ({fmt(v)} คะแนน)" for t, v in tools_short)
        causes.append(f"{tools} ต่ำกว่า {floor:g} คะแนน ซึ่งเป็นคะแนนขั้นต่ำของทุกแบบวัดใน{level_th(target)}")
    if total_short is not None and min_total is not None:
        causes.append(f"คะแนนภาพรวมยังขาดอีก {fmt(total_short)} คะแนนจึงจะถึง {min_total:g} คะแนน")
    lead = (
        f"ระดับผลการประเมินลดลงจาก{level_th(target)}เนื่องจาก"
        if fell and previous_level == target
        else f"ยังไม่ถึง{level_th(target)}เนื่องจาก"
    )
    text = lead + thai_list(causes)
    if tools_short and floor is not None:
        tools = thai_list(TOOL_TH.get(t, t) for t, _ in tools_short)
        restore = f"หาก{tools} ได้คะแนนอย่างน้อย {floor:g} คะแนน"
        if total_after is not None and min_total is not None and total_after >= min_total:
            restore += f" คะแนนภาพรวมจะเป็นอย่างน้อย {fmt(total_after)} คะแนน และหน่วยงานจะอยู่ใน{level_th(target)}"
        elif total_after is not None and min_total is not None:
            restore += (
                f" คะแนนภาพรวมจะเป็น {fmt(total_after)} คะแนน ซึ่งยังต้องเพิ่มอีก"
                f" {fmt(min_total - total_after)} คะแนนจึงจะอยู่ใน{level_th(target)}"
            )
        text += " " + restore
    return _tidy(text)


def reach_th(items: list[str], names: dict[str, str | None], total_after: float, target: str) -> str:
    """' ทั้งนี้ เพียงข้อ o23 ได้คะแนนเต็ม คะแนนภาพรวมจะเป็น 97.96 คะแนน ซึ่งเพียงพอสำหรับระดับผ่านดีเยี่ยม'."""
    listed = thai_list(f"ข้อ {i}" for i in items)
    lead = f"เพียง{listed}" if len(items) == 1 else f"หาก{listed}"
    return f" ทั้งนี้ {lead} ได้คะแนนเต็ม คะแนนภาพรวมจะเป็น {fmt(total_after)} คะแนน ซึ่งเพียงพอสำหรับ{level_th(target)}"
