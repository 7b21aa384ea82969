"""What every builder shares: who the agency's officers are, the year a report is about, and the
measures table cells. Builders know the ITA and the agency, never a file format."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Unpack

from prongsai.documents.model import Cell, CellOptions, Paragraph, Run
from prongsai.interchange.models import Agency, Measure
from prongsai.interchange.models import Document as Record
from prongsai.thai.text import thai_list

STATUS_TH = {
    "not_started": "ยังไม่ดำเนินการ",
    "in_progress": "อยู่ระหว่างดำเนินการ",
    "done": "ดำเนินการเสร็จเรียบร้อยแล้ว",
}
STATUS_ORDER = ["not_started", "in_progress", "done"]


@dataclass(slots=True, frozen=True)
class Officers:
    unit: str  # ส่วนราชการ of the memo: the office that prepares the reports
    preparer_position: str
    executive_position: str  # the approver


def officers(agency: Agency) -> Officers:
    """Titles by the kind of local government; a central agency gets neutral titles."""
    name = agency.name
    if name.startswith("เทศบาล"):
        executive = "นายกเทศมนตรี" + name.removeprefix("เทศบาล")
        return Officers(f"สำนักปลัด{name}", "หัวหน้าสำนักปลัดเทศบาล", executive)
    if name.startswith("องค์การบริหารส่วน"):
        level = "ตำบล" if "ตำบล" in name else "จังหวัด"
        return Officers(f"สำนักปลัด{name}", f"หัวหน้าสำนักปลัดองค์การบริหารส่วน{level}", "นายก" + name)
    return Officers(name, "ผู้จัดทำรายงาน", f"หัวหน้าส่วนราชการ {name}")


def text_cell(text: str | None, **kw: Unpack[CellOptions]) -> Cell:
    """A cell whose text keeps the document's line breaks (steps written as '- …' lines)."""
    lines = [line.strip() for line in (text or "-").splitlines() if line.strip()] or ["-"]
    return Cell([Paragraph([Run(line)], align="left", indent=False) for line in lines], **kw)


def measure_label(m: Measure) -> str:
    return f"{m.no}. {m.title}" if m.no is not None else m.title


def status_counts(measures: list[Measure]) -> dict[str | None, int]:
    counts: dict[str | None, int] = {s: 0 for s in [*STATUS_ORDER, None]}
    for m in measures:
        counts[m.status] += 1
    return counts


def indicator_label(m: Measure, names: dict[int, str]) -> str:
    if not m.indicators:
        return "-"
    return "\n".join(f"ตัวชี้วัดที่ {n} {names.get(n, '')}".rstrip() for n in m.indicators)


def status_groups_th(measures: list[Measure]) -> str:
    """'ดำเนินการเสร็จเรียบร้อยแล้ว 2 มาตรการ … และยังไม่ได้รายงานสถานะ 2 มาตรการ': every measure
    counted once, so the parts add up to the total (seed 001 left two out); one state alone reads
    'ดำเนินการเสร็จเรียบร้อยแล้วทั้ง 4 มาตรการ'."""
    counts = status_counts(measures)
    groups = [(STATUS_TH[s], counts[s]) for s in reversed(STATUS_ORDER) if counts[s]]
    if counts[None]:
        groups.append(("ยังไม่ได้รายงานสถานะ", counts[None]))
    if len(groups) == 1:
        return f"{groups[0][0]}ทั้ง {groups[0][1]} มาตรการ"
    return thai_list(f"{label} {n} มาตรการ" for label, n in groups)


def status_summary_th(measures: list[Measure]) -> str:
    """The counts after 'จำนวน N มาตรการ': 'แยกเป็น …', or 'ซึ่ง…ทั้ง N มาตรการ'."""
    text = status_groups_th(measures)
    if not text:
        return ""
    return f"ซึ่ง{text}" if "ทั้ง " in text and " และ" not in text else f"แยกเป็น {text}"


def coverage_th(measures: list[Measure]) -> str:
    """Which indicators the measures answer, only as far as they do ('ครอบคลุมทั้ง 10 ตัวชี้วัด' only
    when all ten are named)."""
    covered = sorted({n for m in measures for n in m.indicators})
    if len(covered) == 10:
        return "ครอบคลุมทั้ง 10 ตัวชี้วัด"
    if covered:
        return f"ครอบคลุมตัวชี้วัดที่ {thai_list(map(str, covered))}"
    return ""


_PREFIXES = (
    "องค์การบริหารส่วนจังหวัด",
    "องค์การบริหารส่วนตำบล",
    "เทศบาลนคร",
    "เทศบาลเมือง",
    "เทศบาลตำบล",
)
_PLACE = re.compile(r"(?:ตำบล|อำเภอ|จังหวัด|นคร|เมือง)([\u0e01-\u0e4e]{3,})")


def unbreakable_names(record: Record) -> list[str]:
    """Place and person names in a record that no dictionary knows, longest first, so that a
    renderer never breaks a line inside them ("ศรีสัง / คราม", "ท่ามะพ / ลา")."""
    a = record.agency
    texts = [a.name, a.district or "", a.province or ""]
    names: set[str] = set()
    for prefix in _PREFIXES:
        if a.name.startswith(prefix) and len(a.name) > len(prefix):
            names.add(a.name.removeprefix(prefix))  # the prefix itself breaks between words
            break
    else:
        if len(a.name) <= 20:
            names.add(a.name)
    names.update(x for x in (a.district, a.province) if x)
    memo = record.memo
    if memo:
        texts += [memo.unit or "", memo.to or ""]
        for signer in memo.signers:
            texts.append(signer.get("position") or "")
            names.update(part for part in (signer.get("name") or "").split() if len(part) > 2)
    for text in texts:
        names.update(m.group(1) for m in _PLACE.finditer(text))
    return sorted((n for n in names if n and " " not in n), key=len, reverse=True)
