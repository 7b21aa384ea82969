"""How long each text may be: the one table of limits, in characters (code points, as Django's
``max_length`` and pydantic's ``max_length`` count them).

The interchange format (``prongsai.interchange.models``), the Django models and forms of the web
app and the API's schemas all read their numbers from here; nothing writes a second copy.

Sized to real use (issue 11, item 4: an 80 KB measure title took 20 s to render, a 2 MB one
never returned). Beside each limit, the longest text of that field in the seed reports' ground
truth (``../shared/seeds/truth``), the demo data (``prongsai/demo``) and the importer's drafts
of the seed reports, measured on 2026-12-03 (scripts in the commit that added this file); the
limits leave 3-5 times that or more, and never less than what the web app's columns held
before. A field nobody has filled in the data yet is sized like its neighbours.

Over a limit: the web forms say so in Thai beside the field, the API answers 422 naming the
field, an import keeps the text in its draft and reports a finding, and accepting it is refused
with the field and its limit named. Nothing is ever shortened silently.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Final

# key -> limit. The comment: the longest seen (see above), and where else the number applies.
LIMITS: Final[Mapping[str, int]] = {
    # the agency (agencies.Agency's own columns hold these)
    "agency.name": 200,  # 32
    "agency.type": 80,  # 21
    "agency.district": 80,  # 8
    "agency.province": 80,  # 5
    # an assessment as published
    "assessment.level": 40,  # 12 ('ผ่านดีเยี่ยม (A)')
    "assessment.auditor_suggestion": 1000,  # 197, one suggestion
    "assessment.comment": 1000,  # none yet: one stakeholder comment, like a suggestion
    "assessment.narrative": 5000,  # none stored yet; seed 003's longest analysis paragraph 1,839
    # a measure of the plan
    "measure.title": 1000,  # 285
    "measure.analysis": 3000,  # 140 (seed 003's analysis paragraphs run to 1,839)
    "measure.steps": 3000,  # 568
    "measure.responsible": 300,  # 97
    "measure.period": 200,  # 33
    "measure.monitoring": 1000,  # 51
    # its progress
    "progress.result": 2000,  # 239
    "progress.outcome": 2000,  # 296
    "progress.suggestion": 1000,  # 80
    # its evidence (an imported note is stored as the caption: ref and caption the same)
    "evidence.ref": 300,  # 71
    "evidence.caption": 300,  # 44
    "evidence.url": 500,
    # approval
    "plan.return_comment": 2000,  # none yet: the executive's reasons to return a plan
    "approval.comment": 2000,
    # the memo (บันทึกข้อความ)
    "memo.unit": 200,  # 54
    "memo.ref_no": 60,  # 9
    "memo.subject": 300,  # 84
    "memo.to": 200,  # 26
    "memo.body": 6000,  # none yet; seed 001's memo paragraphs run to 1,143
    "memo.signer_name": 120,  # 22
    "memo.signer_position": 200,  # 52
    "memo.opinion": 1000,
    # what the importer and the normaliser write beside the data
    "document.source": 500,  # 24
    "document.inconsistency": 2000,  # 341
    "note.text": 2000,  # a normaliser's note (code, path, messages, values as printed)
}


# Validation context under which the interchange models let an over-limit text through: what is
# already stored (read back to print or show it) and what the importer found in a report (kept
# in the draft, reported as a finding, refused at accept). Everything else is checked.
LENIENT: Final[dict[str, str]] = {"text_limits": "lenient"}


def is_lenient(context: Any) -> bool:
    return isinstance(context, Mapping) and context.get("text_limits") == "lenient"


def limit(key: str) -> int:
    """The limit of ``key`` (a KeyError names an unknown key: a typo is not unlimited)."""
    return LIMITS[key]


# A text's place in an interchange document (indices and indicator keys generalised) -> its key.
_SHAPES: Final[Mapping[str, str]] = {
    "agency.name": "agency.name",
    "agency.type": "agency.type",
    "agency.district": "agency.district",
    "agency.province": "agency.province",
    "assessments[].level": "assessment.level",
    "assessments[].auditor_suggestions[]": "assessment.auditor_suggestion",
    "assessments[].narratives.*": "assessment.narrative",
    "measures[].title": "measure.title",
    "measures[].analysis": "measure.analysis",
    "measures[].steps": "measure.steps",
    "measures[].method": "measure.steps",  # the ground-truth files' name
    "measures[].responsible": "measure.responsible",
    "measures[].period": "measure.period",
    "measures[].monitoring": "measure.monitoring",
    "measures[].result": "progress.result",
    "measures[].outcome": "progress.outcome",
    "measures[].suggestion": "progress.suggestion",
    "measures[].evidence[]": "evidence.ref",  # a bare string (the ground-truth files')
    "measures[].evidence[].ref": "evidence.ref",
    "measures[].evidence[].caption": "evidence.caption",
    "memo.unit": "memo.unit",
    "memo.ref_no": "memo.ref_no",
    "memo.subject": "memo.subject",
    "memo.to": "memo.to",
    "memo.body": "memo.body",
    "memo.signers[].name": "memo.signer_name",
    "memo.signers[].position": "memo.signer_position",
    "memo.opinion": "memo.opinion",
    "source": "document.source",
    "inconsistencies[]": "document.inconsistency",
}

_INDEX = re.compile(r"\[\d+\]")
_NARRATIVE = re.compile(r"(\.narratives)\.[^.\[]+$")


def key_of(path: str) -> str | None:
    """'measures[3].evidence[0].ref' -> 'evidence.ref'; None for a place without a text limit."""
    shape = _NARRATIVE.sub(r"\1.*", _INDEX.sub("[]", path))
    return _SHAPES.get(shape)


# The field's name as a Thai reader knows it (the importer's findings, the review screen).
LABELS_TH: Final[Mapping[str, str]] = {
    "agency.name": "ชื่อหน่วยงาน",
    "agency.type": "ประเภทหน่วยงาน",
    "agency.district": "อำเภอ",
    "agency.province": "จังหวัด",
    "assessment.level": "ระดับผลการประเมิน",
    "assessment.auditor_suggestion": "ข้อเสนอแนะของผู้ตรวจประเมิน",
    "assessment.comment": "ความเห็นของผู้มีส่วนได้ส่วนเสีย",
    "assessment.narrative": "คำอธิบายผลรายตัวชี้วัด",
    "measure.title": "ชื่อมาตรการ",
    "measure.analysis": "ผลการวิเคราะห์ที่สอดคล้อง",
    "measure.steps": "ขั้นตอนหรือวิธีการดำเนินการ",
    "measure.responsible": "ผู้รับผิดชอบ",
    "measure.period": "ระยะเวลาดำเนินการ",
    "measure.monitoring": "การกำกับติดตาม",
    "progress.result": "ผลการดำเนินงาน",
    "progress.outcome": "ผลลัพธ์",
    "progress.suggestion": "ข้อเสนอแนะ",
    "evidence.ref": "หลักฐาน",
    "evidence.caption": "คำอธิบายหลักฐาน",
    "evidence.url": "ลิงก์หลักฐาน",
    "plan.return_comment": "เหตุผลที่ส่งกลับแก้ไข",
    "approval.comment": "ความเห็นของผู้อนุมัติ",
    "memo.unit": "ส่วนราชการ",
    "memo.ref_no": "ที่",
    "memo.subject": "เรื่อง",
    "memo.to": "เรียน",
    "memo.body": "ข้อความ",
    "memo.signer_name": "ชื่อผู้ลงนาม",
    "memo.signer_position": "ตำแหน่งผู้ลงนาม",
    "memo.opinion": "ความเห็นของผู้บริหาร",
    "document.source": "แหล่งที่มา",
    "document.inconsistency": "ข้อขัดแย้ง",
    "note.text": "หมายเหตุ",
}

_PLACES_TH: Final = (
    (re.compile(r"^measures\[(\d+)\]"), "มาตรการที่ {n} "),
    (re.compile(r"^assessments\[(\d+)\]"), "ผลการประเมินชุดที่ {n} "),
    (re.compile(r"^memo\.signers\[(\d+)\]"), "บันทึกข้อความ ผู้ลงนามคนที่ {n} "),
    (re.compile(r"^memo\."), "บันทึกข้อความ "),
)


def place_th(path: str) -> str:
    """'measures[2].title' -> 'มาตรการที่ 3 ' (the part of the document a field is in)."""
    for pattern, words in _PLACES_TH:
        m = pattern.match(path)
        if m:
            return words.format(n=int(m.group(1)) + 1 if m.groups() else "")
    return ""


def too_long_th(label: str, limit: int, length: int) -> str:
    """The Thai sentence every over-limit text is refused or reported with."""
    return f"{label} ยาว {length:,} ตัวอักษร เกินที่กำหนดไว้ {limit:,} ตัวอักษร กรุณาตัดให้สั้นลงก่อนบันทึก"


@dataclass(frozen=True)
class OverLimit:
    """A text longer than its limit: where (``measures[2].title``), which limit, how long."""

    path: str
    key: str
    limit: int
    length: int

    @property
    def message_en(self) -> str:
        return f"{self.path}: {self.length:,} characters, more than the {self.limit:,} allowed"

    @property
    def message_th(self) -> str:
        label = place_th(self.path) + LABELS_TH.get(self.key, self.path)
        return too_long_th(label, self.limit, self.length) + f" ({self.path})"

    def to_finding(self) -> dict[str, Any]:
        """As the importer reports what a person must fix before accepting a draft."""
        return {
            "code": "text_too_long",
            "severity": "error",
            "path": self.path,
            "message_en": self.message_en,
            "message_th": self.message_th,
            "limit": self.limit,
            "length": self.length,
        }


def _texts(node: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(node, str):
        yield path, node
    elif isinstance(node, Mapping):
        for k, v in node.items():
            if k != "provenance":
                yield from _texts(v, f"{path}.{k}" if path else str(k))
    elif isinstance(node, (list, tuple)):
        for i, v in enumerate(node):
            yield from _texts(v, f"{path}[{i}]")


def over_limits(document: Mapping[str, Any]) -> list[OverLimit]:
    """Every text of an interchange document (a dict: a draft, a JSON file) longer than its
    limit, in document order."""
    out = []
    for path, text in _texts(document, ""):
        key = key_of(path)
        if key is not None and len(text) > LIMITS[key]:
            out.append(OverLimit(path, key, LIMITS[key], len(text)))
    return out
