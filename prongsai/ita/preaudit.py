"""Pre-audit: before a plan or report is published, check it against what its edition asks for
and list, in Thai, what is missing. An OIT auditor looks for the same things.

Checks: all 10 indicators analysed; every measure with its five elements (measure, the analysis
it answers, steps, period, responsible unit); periods inside the fiscal year; a status for every
measure and evidence for every measure marked done; and the engine's findings on the numbers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from prongsai.interchange.models import Document, Evidence, Measure
from prongsai.ita.api import analyse_document, report_year
from prongsai.ita.edition import Edition, EditionError, get_edition
from prongsai.thai.dates import fiscal_year_bounds
from prongsai.thai.periods import parse_period
from prongsai.thai.text import thai_list


@dataclass(slots=True)
class Check:
    code: str
    severity: str  # error (blocks publishing) | warning
    message_th: str
    message_en: str
    measure: int | None = None


@dataclass(slots=True)
class PreauditResult:
    kind: str
    fiscal_year: int
    edition: int | None
    problems: list[Check] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)

    def to_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "fiscal_year": self.fiscal_year,
            "edition": self.edition,
            "ready": self.ready,
            "checked": self.checked,
            "problems": [asdict(p) for p in self.problems],
        }


def _label(m: Measure, n: int) -> str:
    return f"มาตรการที่ {m.no if m.no is not None else n} ({m.title[:40]})"


def _measure_checks(m: Measure, n: int, year: int, result: PreauditResult) -> None:
    missing = []
    if not m.title.strip():
        missing.append(("มาตรการ", "measure"))
    if not (m.analysis or m.indicators):
        missing.append(("ผลการวิเคราะห์ตัวชี้วัดที่สอดคล้อง", "the indicator analysis it answers"))
    if not (m.steps or "").strip():
        missing.append(("ขั้นตอนหรือวิธีการดำเนินการ", "steps"))
    if not (m.period or "").strip():
        missing.append(("ระยะเวลาดำเนินการ", "period"))
    if not (m.responsible or "").strip():
        missing.append(("ผู้รับผิดชอบ", "responsible unit"))
    for th, en in missing:
        result.problems.append(
            Check(
                "measure_element_missing",
                "error",
                f"{_label(m, n)} ยังไม่ระบุ{th}",
                f"measure {m.no or n}: {en} missing",
                m.no or n,
            )
        )
    if m.period:
        # Quarters, whole-year phrases and months without a year are read too: only a period
        # that names no time at all is unclear (prongsai.thai.periods).
        start, end = fiscal_year_bounds(year)
        span = parse_period(m.period, year)
        if span is None:
            result.problems.append(
                Check(
                    "period_unclear",
                    "warning",
                    f'{_label(m, n)} ระยะเวลา "{m.period}" ไม่ระบุวัน เดือน ไตรมาส หรือปีที่ตรวจสอบได้',
                    f"measure {m.no or n}: period '{m.period}' names no date, month, quarter or year",
                    m.no or n,
                )
            )
        elif span.start < start or span.end > end:
            result.problems.append(
                Check(
                    "period_outside_year",
                    "error",
                    f'{_label(m, n)} ระยะเวลา "{m.period}" อยู่นอกปีงบประมาณ พ.ศ. {year}',
                    f"measure {m.no or n}: period '{m.period}' is outside fiscal year {year}",
                    m.no or n,
                )
            )


def preaudit(
    doc: Document,
    kind: str,
    year: int | None = None,
    *,
    images: Callable[[Evidence], object] | None = None,
    emblem: bool | None = None,
) -> PreauditResult:
    """``images``: how documents will find evidence photos (None: only whether a photo is in the
    agency's store at all, i.e. has an id); ``emblem``: whether the agency has uploaded its ครุฑ
    (None: not known here, not checked)."""
    if kind not in ("analysis", "plan", "progress", "memo"):
        raise ValueError(f"unknown kind {kind!r} (analysis, plan, progress or memo)")
    if kind == "memo":
        return _memo_checks(doc, emblem)
    analysis = analyse_document(doc, year)[0] if doc.assessments else None
    plan_year = report_year(doc, analysis.fiscal_year if analysis else None)
    edition: Edition | None
    try:
        edition = get_edition(plan_year)
    except EditionError:
        edition = analysis.result.edition if analysis else None
    result = PreauditResult(kind, plan_year, edition.edition if edition else None)

    if kind in ("analysis", "plan"):
        result.checked.append("all 10 indicators analysed")
        if analysis is None:
            result.problems.append(
                Check("no_assessment", "error", "ยังไม่มีผลการประเมิน ITA ที่จะวิเคราะห์", "no assessment to analyse")
            )
        else:
            missing = [i.id for i in analysis.indicators if i.score is None]
            if missing:
                result.problems.append(
                    Check(
                        "indicators_not_analysed",
                        "error",
                        f"ยังวิเคราะห์ไม่ครบ 10 ตัวชี้วัด: ขาดคะแนนตัวชี้วัดที่ {thai_list(map(str, missing))}",
                        f"indicators without a score: {missing}",
                    )
                )
            for f in analysis.findings:
                if f.severity in ("error", "warning"):
                    result.problems.append(Check(f"numbers_{f.code}", "warning", f.message_th, f.message_en))
        result.checked.append("measures cover all 10 indicators")
        covered = {n for m in doc.measures for n in m.indicators}
        if not doc.measures:
            result.problems.append(Check("no_measures", "error", "ยังไม่มีมาตรการ", "no measures"))
        elif not covered.issuperset(range(1, 11)):
            gap = sorted(set(range(1, 11)) - covered)
            result.problems.append(
                Check(
                    "indicators_without_measure",
                    "warning",
                    f"ยังไม่มีมาตรการที่ระบุว่าตอบตัวชี้วัดที่ {thai_list(map(str, gap))}",
                    f"no measure names indicators {gap}",
                )
            )

    result.checked.append("five elements of every measure; periods inside the fiscal year")
    for n, m in enumerate(doc.measures, 1):
        _measure_checks(m, n, plan_year, result)

    if kind == "progress":
        result.checked.append("status of every measure; evidence for measures done")
        if not doc.measures:
            result.problems.append(Check("no_measures", "error", "ยังไม่มีมาตรการที่จะรายงานผล", "no measures"))
        for n, m in enumerate(doc.measures, 1):
            if m.status is None:
                result.problems.append(
                    Check(
                        "status_missing",
                        "error",
                        f"{_label(m, n)} ยังไม่ระบุสถานะการดำเนินการ",
                        f"measure {m.no or n}: no status",
                        m.no or n,
                    )
                )
            if m.status == "done" and not m.evidence:
                result.problems.append(
                    Check(
                        "evidence_missing",
                        "error",
                        f"{_label(m, n)} ดำเนินการเสร็จแล้วแต่ยังไม่มีหลักฐาน (ไฟล์ ลิงก์ หรือภาพถ่าย)",
                        f"measure {m.no or n}: done without evidence",
                        m.no or n,
                    )
                )
            if m.status in ("in_progress", "done") and not (m.result or "").strip():
                result.problems.append(
                    Check(
                        "result_missing",
                        "warning",
                        f"{_label(m, n)} ยังไม่ได้บันทึกผลการดำเนินงาน",
                        f"measure {m.no or n}: no result written",
                        m.no or n,
                    )
                )
            _photo_checks(m, n, images, result)
    return result


def photo_problems(doc: Document, images: Callable[[Evidence], object] | None = None) -> list[Check]:
    """Photos the documents cannot show (for the import review screen as well as the pre-audit)."""
    result = PreauditResult("progress", 0, None)
    for n, m in enumerate(doc.measures, 1):
        _photo_checks(m, n, images, result)
    return result.problems


def _photo_checks(
    m: Measure, n: int, images: Callable[[Evidence], object] | None, result: PreauditResult
) -> None:
    """A photo reference without its file is named here, never printed in a document."""
    for e in m.evidence:
        if e.kind != "photo":
            continue
        found = images(e) if images is not None else (e.id is not None or None)
        if found:
            continue
        shown = e.caption or e.ref
        result.problems.append(
            Check(
                "photo_missing",
                "warning",
                f'{_label(m, n)} ภาพประกอบ "{shown}" ยังไม่มีไฟล์ภาพในระบบ จึงไม่ปรากฏในรายงาน '
                "กรุณาอัปโหลดภาพ หรือลบรายการนี้",
                f"measure {m.no or n}: photo '{shown}' has no file in the evidence store; "
                "it is left out of the report",
                m.no or n,
            )
        )


def _memo_checks(doc: Document, emblem: bool | None) -> PreauditResult:
    memo = doc.memo
    result = PreauditResult(
        "memo", report_year(doc) if (doc.report_fiscal_year or doc.assessments) else 0, None
    )
    result.checked.append("memo head (ที่, วันที่), signers, the agency's emblem")
    for value, th, en in (
        (memo.ref_no if memo else None, "เลขที่หนังสือ (ที่)", "reference number"),
        (memo.date if memo else None, "วันที่", "date"),
    ):
        if not value:
            result.problems.append(
                Check("memo_field_missing", "warning", f"บันทึกข้อความยังไม่ระบุ{th}", f"memo: no {en}")
            )
    if not memo or not any((s.get("name") or "").strip() for s in memo.signers):
        result.problems.append(
            Check("memo_signer_missing", "warning", "บันทึกข้อความยังไม่ระบุชื่อผู้ลงนาม", "memo: no signer named")
        )
    if emblem is False:
        result.problems.append(
            Check(
                "memo_emblem_missing",
                "warning",
                "หน่วยงานยังไม่ได้อัปโหลดภาพตราครุฑ บันทึกข้อความจะเว้นที่ว่างไว้แทนตราครุฑ",
                "memo: the agency has no emblem (ครุฑ) uploaded; its space is left blank",
            )
        )
    return result
