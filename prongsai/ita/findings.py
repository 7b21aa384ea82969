"""Findings: what the engine has to say about published numbers, in Thai and English.

Each finding has a stable ``code`` (for programs and tests), a severity, where it applies
(``path``, e.g. ``indicators.9``), the published and computed values, and one message per
language. ``confidence`` is below ``high`` when the rule that produced the computed value is not
confirmed, so that a user is never told "your number is wrong" on the strength of a guess.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

from prongsai.ita.numbers import fmt

Severity = Literal["error", "warning", "info"]


@dataclass(slots=True, frozen=True)
class Finding:
    code: str
    severity: Severity
    path: str
    message_th: str
    message_en: str
    published: float | str | None = None
    computed: float | str | None = None
    confidence: str = "high"

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


# Thai names of the places a number can sit, for messages.
def where_th(path: str) -> str:
    kind, _, key = path.partition(".")
    return {
        "overall": "คะแนนภาพรวม",
        "tools": f"คะแนนแบบวัด {key.replace('_', ' ส่วนที่ ')}",
        "indicators": f"คะแนนตัวชี้วัดที่ {key}",
        "subindicators": f"คะแนนตัวชี้วัดย่อย {key}",
        "items": f"คะแนนข้อ {key}",
        "level": "ระดับผลการประเมิน",
    }.get(kind, path)


def where_en(path: str) -> str:
    kind, _, key = path.partition(".")
    return {
        "overall": "overall score",
        "tools": f"{key} score",
        "indicators": f"indicator {key} score",
        "subindicators": f"sub-indicator {key} score",
        "items": f"item {key} score",
        "level": "level",
    }.get(kind, path)


_UNSURE_TH = " (กฎการคำนวณนี้ยังไม่ได้รับการยืนยัน จึงเป็นข้อสังเกต ไม่ใช่ข้อผิดพลาด)"
_UNSURE_EN = " (the rule behind the computed value is not confirmed: a notice, not an error)"


def mismatch(path: str, published: float, computed: float, confidence: str) -> Finding:
    kind = path.partition(".")[0]
    code = {"overall": "overall_mismatch", "tools": "tool_mismatch"}.get(kind, f"{kind[:-1]}_mismatch")
    unsure = confidence == "low"
    return Finding(
        code=code,
        severity="info" if unsure else "warning",
        path=path,
        published=published,
        computed=computed,
        confidence=confidence,
        message_th=(
            f"{where_th(path)} ที่ระบุ {fmt(published)} ไม่ตรงกับที่คำนวณได้ {fmt(computed)}"
            + (_UNSURE_TH if unsure else "")
        ),
        message_en=(
            f"published {where_en(path)} {fmt(published)} differs from the computed {fmt(computed)}"
            + (_UNSURE_EN if unsure else "")
        ),
    )


def derivations_differ(tool: str, used: str, other: str, a: float, b: float, conf: str) -> Finding:
    return Finding(
        code="tool_derivations_differ",
        severity="info",
        path=f"tools.{tool}",
        published=None,
        computed=a,
        confidence=conf,
        message_th=(
            f"คะแนนแบบวัด {tool} ที่คำนวณจาก{_FROM_TH[used]} ({fmt(a)}) "
            f"ไม่เท่ากับที่คำนวณจาก{_FROM_TH[other]} ({fmt(b)})"
        ),
        message_en=f"{tool} from its {used} ({fmt(a)}) differs from {tool} from its {other} ({fmt(b)})",
    )


_FROM_TH = {"parts": "ส่วนที่ ๑ และ ๒", "indicators": "ตัวชี้วัด"}


def out_of_range(path: str, value: float) -> Finding:
    return Finding(
        code="score_out_of_range",
        severity="error",
        path=path,
        published=value,
        message_th=f"{where_th(path)} {value:g} อยู่นอกช่วง 0–100 จึงไม่นำมาคำนวณ",
        message_en=f"{where_en(path)} {value:g} is outside 0-100 and was ignored",
    )


def unknown(kind: str, key: str, edition: int) -> Finding:
    """A published score for something the edition does not have (kind: item, indicator, tool)."""
    what_th = {"item": f"ข้อ {key}", "indicator": f"ตัวชี้วัดที่ {key}", "tool": f"แบบวัด {key}"}[kind]
    what_en = {"item": f"item {key}", "indicator": f"indicator {key}", "tool": key}[kind]
    return Finding(
        code=f"unknown_{kind}",
        severity="warning",
        path=f"{kind}s.{key}",
        published=key,
        message_th=f"เกณฑ์การประเมินปี {edition} ไม่มี{what_th} จึงไม่นำมาคำนวณ",
        message_en=f"edition {edition} has no {what_en}; it was ignored",
    )


def unexpected_item_value(item: str, value: float, scale: list[float], conf: str) -> Finding:
    allowed = ", ".join(f"{v:g}" for v in scale)
    return Finding(
        code="item_value_unexpected",
        severity="warning" if conf == "high" else "info",
        path=f"items.{item}",
        published=value,
        confidence=conf,
        message_th=f"คะแนนข้อ {item} = {value:g} แต่ข้อนี้ให้คะแนนได้เพียง {allowed}",
        message_en=f"item {item} scored {value:g}; this item is scored only {allowed}",
    )


def level_unknown_label(label: str, edition: int, labels: list[str]) -> Finding:
    return Finding(
        code="level_unknown_label",
        severity="warning",
        path="level",
        published=label,
        message_th=(f'ระดับ "{label}" ไม่มีในเกณฑ์การประเมินปี {edition} (ระดับที่มี: {" / ".join(labels)})'),
        message_en=f'level "{label}" does not exist in edition {edition} ({" / ".join(labels)})',
    )


def level_mismatch(published: str, computed: str, score: float, conf: str) -> Finding:
    unsure = conf == "low"
    return Finding(
        code="level_mismatch",
        severity="info" if unsure else "warning",
        path="level",
        published=published,
        computed=computed,
        confidence=conf,
        message_th=(
            f'คะแนน {fmt(score)} อยู่ในระดับ "{computed}" ไม่ใช่ "{published}" ตามที่ระบุ'
            + (_UNSURE_TH if unsure else "")
        ),
        message_en=(
            f'a score of {fmt(score)} is level "{computed}", not "{published}" as published'
            + (_UNSURE_EN if unsure else "")
        ),
    )


def level_undecided(candidates: list[str], missing: list[str], published: str | None) -> Finding:
    options = " หรือ ".join(candidates)
    return Finding(
        code="level_undecided",
        severity="info",
        path="level",
        published=published,
        computed=" | ".join(candidates),
        message_th=(f"ระบุระดับได้เพียงว่าเป็น {options} เพราะยังไม่ทราบคะแนนแบบวัด {', '.join(missing)}"),
        message_en=(
            f"the level is {' or '.join(candidates)}: it cannot be decided without the "
            f"{', '.join(missing)} score(s)"
        ),
    )


def change_mismatch(path: str, stated: float, computed: float, prev_year: int) -> Finding:
    return Finding(
        code="change_mismatch",
        severity="warning",
        path=path,
        published=stated,
        computed=computed,
        message_th=(
            f"ผลต่าง{where_th(path)}เทียบกับปี {prev_year} ที่ระบุ {fmt(stated, True)} "
            f"ไม่ตรงกับผลต่างของคะแนนทั้งสองปี {fmt(computed, True)}"
        ),
        message_en=(
            f"stated change of the {where_en(path)} since {prev_year} ({fmt(stated, True)}) "
            f"does not match the two scores ({fmt(computed, True)})"
        ),
    )


def change_without_previous(path: str, stated: float) -> Finding:
    return Finding(
        code="change_unverifiable",
        severity="info",
        path=path,
        published=stated,
        message_th=f"ตรวจสอบผลต่าง{where_th(path)} ไม่ได้ เพราะไม่มีคะแนนของปีก่อนหน้า",
        message_en=f"cannot check the stated change of the {where_en(path)}: no earlier score",
    )


def edition_unknown(year: int, edition: int) -> Finding:
    return Finding(
        code="edition_unknown",
        severity="warning",
        path=f"assessments[{year}]",
        published=year,
        message_th=(f"ปี {year}: ยังไม่มีเกณฑ์การประเมินปี {edition} ในระบบ จึงไม่ได้คำนวณคะแนนของปีนี้ (ปีอื่นคำนวณตามปกติ)"),
        message_en=f"{year}: no ITA edition {edition} is known, so this year is not scored (the others are)",
    )


def old_letter_grade(published: str, computed: str, edition: int) -> Finding:
    return Finding(
        code="level_old_grade",
        severity="info",
        path="level",
        published=published,
        computed=computed,
        message_th=(f'ระดับ "{published}" เป็นระดับแบบตัวอักษรของเกณฑ์เดิม เกณฑ์ปี {edition} ใช้ระดับ "{computed}"'),
        message_en=f'"{published}" is a grade of the old scale; edition {edition} grades this "{computed}"',
    )
