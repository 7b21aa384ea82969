"""Thai text reports of scores, analyses and plans for the ``prongsai`` command."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from prongsai.interchange.models import Document
from prongsai.ita.analysis import Analysis
from prongsai.ita.api import AssessmentScore
from prongsai.ita.edition import CONFIDENCE_TH, Edition
from prongsai.ita.findings import Finding
from prongsai.ita.narrative import CLASS_TH
from prongsai.ita.numbers import fmt
from prongsai.ita.plan import Plan
from prongsai.report.table import table
from prongsai.thai.digits import to_thai_digits

if TYPE_CHECKING:  # the importer (pdfplumber, OCR) is loaded only by the commands that import
    from prongsai.importers.service import ImportResult
    from prongsai.ita.preaudit import PreauditResult

SEVERITY_TH = {"error": "ข้อผิดพลาด", "warning": "ข้อควรตรวจสอบ", "info": "ข้อสังเกต"}
BASIS_TH = {"computed": "คำนวณ", "published": "ตามที่ระบุ", "missing": "-"}
TOOL_TH = {"IIT": "IIT", "EIT": "EIT", "EIT_1": "EIT ส่วนที่ 1", "EIT_2": "EIT ส่วนที่ 2", "OIT": "OIT"}


def _digits(text: str, thai: bool) -> str:
    return to_thai_digits(text) if thai else text


def _wrap(text: str, indent: str = "    ") -> str:
    # Thai has no spaces between words; wrap only at the spaces that are there.
    return textwrap.fill(
        text, width=100, initial_indent=indent, subsequent_indent=indent, break_long_words=False
    )


def _findings(findings: Sequence[Finding], indent: str = "  ") -> list[str]:
    if not findings:
        return [f"{indent}ไม่พบความไม่สอดคล้องของตัวเลข"]
    return [f"{indent}- [{SEVERITY_TH[f.severity]}] {f.message_th}" for f in findings]


def _uncertain(edition: Edition) -> list[str]:
    facts = edition.uncertain_facts()
    low = [k for k, f in facts if f.confidence == "low"]
    medium = [k for k, f in facts if f.confidence == "medium"]
    lines = [f"หมายเหตุเกณฑ์ปี {edition.edition}: {edition.status}"]
    if low:
        lines.append(f"  {CONFIDENCE_TH['low']} ({len(low)}): {', '.join(low)}")
    if medium:
        lines.append(f"  {CONFIDENCE_TH['medium']} ({len(medium)}): {', '.join(medium)}")
    lines.append("  (prongsai editions --uncertain แสดงแหล่งที่มาของแต่ละข้อ)")
    return lines


def scores(
    doc: Document,
    results: list[AssessmentScore],
    thai_digits: bool = False,
    skipped: list[Finding] | None = None,
) -> str:
    out = [f"หน่วยงาน: {doc.agency.name}"]
    if skipped:
        out.append("")
        out.extend(_findings(skipped))
    for s in results:
        r = s.result
        out.append("")
        out.append(f"ผลการประเมิน ITA ปีงบประมาณ พ.ศ. {s.fiscal_year} (เกณฑ์ปี {s.edition.edition})")
        rows = [["ภาพรวม", fmt(r.overall.value), fmt(r.overall.published), BASIS_TH[r.overall.basis]]]
        for t, node in r.tools.items():
            rows.append([TOOL_TH[t], fmt(node.value), fmt(node.published), BASIS_TH[node.basis]])
        for n, node in r.indicators.items():
            name = s.edition.indicator_by_id[n].name_th
            rows.append([f"{n}. {name}", fmt(node.value), fmt(node.published), BASIS_TH[node.basis]])
        out.append(table(["รายการ", "คะแนน", "ที่ระบุ", "ที่มา"], rows, right={1, 2}))
        level = r.level.label or " หรือ ".join(r.level.candidates) or "-"
        passed = {True: "ผ่าน", False: "ไม่ผ่าน", None: "ยังระบุไม่ได้"}[r.level.passed]
        out.append(f"ระดับ: {level}   เกณฑ์ผ่าน {s.edition.pass_mark.value:g} คะแนน: {passed}")
        out.append("ผลการตรวจสอบตัวเลข:")
        out.extend(_findings(s.findings))
        out.extend(_uncertain(s.edition))
    return _digits("\n".join(out), thai_digits)


def analysis(doc: Document, a: Analysis, thai_digits: bool = False) -> str:
    ed = a.result.edition
    prev = a.previous_year
    out = [f"การวิเคราะห์ผลการประเมิน ITA ประจำปีงบประมาณ พ.ศ. {a.fiscal_year}: {doc.agency.name}", ""]
    out.append(_wrap(a.summary_th, ""))
    out.append("")
    head = ["แบบวัด", str(prev or "-"), str(a.fiscal_year), "ผลต่าง"]
    rows = [
        [TOOL_TH[c.path.split(".")[1]], fmt(c.previous), fmt(c.current), fmt(c.delta, True)] for c in a.tools
    ]
    rows.append(["ภาพรวม", fmt(a.overall.previous), fmt(a.overall.current), fmt(a.overall.delta, True)])
    out.append(table(head, rows, right={1, 2, 3}))
    out.append("")
    rows = [
        [
            f"{i.id}. {i.name_th}",
            fmt(i.previous),
            fmt(i.score),
            fmt(i.delta, True),
            CLASS_TH.get(i.classification or "", "-"),
        ]
        for i in a.indicators
    ]
    out.append(table(["ตัวชี้วัด", str(prev or "-"), str(a.fiscal_year), "ผลต่าง", "ข้อสรุป"], rows, {1, 2, 3}))
    out.append("")
    if a.strongest:
        out.append("จุดแข็ง: ตัวชี้วัดที่ " + ", ".join(str(n) for n in a.strongest))
        out.append("จุดที่ควรพัฒนา: ตัวชี้วัดที่ " + ", ".join(str(n) for n in a.weakest))
    else:
        out.append("ยังไม่มีคะแนนรายตัวชี้วัด")
    gap = a.level_target
    if gap is not None and not gap.reached:
        if a.reaches_target:
            items, total = a.reaches_target
            out.append(f"ระดับ {gap.label}: ได้เมื่อข้อ {', '.join(items)} ได้คะแนนเต็ม (ภาพรวม {fmt(total)} คะแนน)")
        else:
            short = [f"{t} {fmt(v)} < {gap.floor:g}" for t, v in gap.tools_short]
            if gap.total_short is not None:
                short.append(f"ภาพรวมขาด {fmt(gap.total_short)} คะแนน")
            out.append(f"สิ่งที่ยังขาดสำหรับระดับ {gap.label}: " + "; ".join(short))
    out.append("")
    out.append("ผลการวิเคราะห์รายตัวชี้วัด (ร่าง)")
    for i in a.indicators:
        if i.narrative_th:
            out.append(_wrap(i.narrative_th))
    if a.priorities:
        out.append("")
        out.append("ลำดับความสำคัญ: คะแนนภาพรวมที่จะเพิ่มขึ้นหากข้อหรือตัวชี้วัดนั้นได้คะแนนเต็ม")
        rows = [
            [
                "ตัวชี้วัด" if p.kind == "indicator" else "ข้อ",
                p.id,
                (p.name_th or "")[:50],
                fmt(p.score),
                f"+{p.gain:.2f}",
                "" if p.confidence == "high" else CONFIDENCE_TH[p.confidence],
            ]
            for p in a.priorities[:15]
        ]
        out.append(table(["ระดับ", "รหัส", "ชื่อ", "คะแนน", "เพิ่มขึ้น", "หมายเหตุ"], rows, {3, 4}))
    out.append("")
    out.append("ผลการตรวจสอบตัวเลข:")
    out.extend(_findings(a.findings))
    out.extend(_uncertain(ed))
    return _digits("\n".join(out), thai_digits)


def plan(doc: Document, p: Plan, thai_digits: bool = False) -> str:
    out = [
        f"ร่างมาตรการส่งเสริมคุณธรรมและความโปร่งใส ประจำปีงบประมาณ พ.ศ. {p.fiscal_year}: {doc.agency.name}",
        f"(จากผลการประเมิน ITA ปี พ.ศ. {p.assessed_year}; ครอบคลุมตัวชี้วัดที่ "
        + ", ".join(str(n) for n in p.indicators_covered())
        + ")",
    ]
    for m in p.measures:
        out.append("")
        out.append(f"{m.no}. {m.title}")
        out.append(
            f"   ตัวชี้วัดที่ {m.indicator} {m.indicator_name_th} ({CLASS_TH.get(m.classification or '', '-')})"
        )
        out.append("   ผลการวิเคราะห์ที่สอดคล้อง:")
        out.append(_wrap(m.analysis, "     "))
        out.append("   ขั้นตอนหรือวิธีการดำเนินการ:")
        out.extend(f"     - {s}" for s in m.steps)
        out.append(f"   ระยะเวลาดำเนินการ: {m.period}")
        out.append(f"   ผู้รับผิดชอบ: {m.responsible}")
        out.append(f"   หลักฐานสำหรับ OIT: {m.oit_evidence}")
    return _digits("\n".join(out), thai_digits)


def validation(
    path: Path,
    doc: Document,
    results: list[AssessmentScore],
    counts: dict[str, int],
    skipped: list[Finding] | None = None,
) -> str:
    out = [
        f"{path}: ถูกต้องตามรูปแบบ prongsai/1 (valid interchange file)",
        f"  หน่วยงาน {doc.agency.name}; ผลการประเมิน {len(doc.assessments)} ปี; "
        f"มาตรการ {len(doc.measures)} รายการ",
        f"  {SEVERITY_TH['error']} {counts['error']}, {SEVERITY_TH['warning']} {counts['warning']}, "
        f"{SEVERITY_TH['info']} {counts['info']}",
    ]
    if skipped:
        out.extend(_findings(skipped, "  "))
    for s in results:
        if s.findings:
            out.append(f"  ปี {s.fiscal_year}:")
            out.extend(_findings(s.findings, "    "))
    return "\n".join(out)


def editions(all_: dict[int, Edition], show_uncertain: bool) -> str:
    out = []
    for year, e in sorted(all_.items()):
        facts = e.uncertain_facts()
        low = sum(f.confidence == "low" for _, f in facts)
        out.append(f"{year}: {e.status} (ความเชื่อมั่นต่ำ {low}, ปานกลาง {len(facts) - low})")
        if show_uncertain:
            for key, f in facts:
                note = f" - {f.note}" if f.note else ""
                out.append(f"    [{f.confidence}] {key}{note}")
                out.append(f"        source: {'; '.join(e.source_refs(f))}")
    return "\n".join(out)


def preaudit(path: Path, result: PreauditResult) -> str:
    head = "พร้อมเผยแพร่" if result.ready else "ยังไม่พร้อมเผยแพร่"
    out = [f"{path}: ตรวจสอบก่อนเผยแพร่ ({result.kind}, ปีงบประมาณ พ.ศ. {result.fiscal_year}): {head}"]
    if not result.problems:
        out.append("  ไม่พบสิ่งที่ขาด")
    for p in result.problems:
        mark = "ต้องแก้ไข" if p.severity == "error" else "ควรตรวจสอบ"
        out.append(f"  - [{mark}] {p.message_th}")
    return "\n".join(out)


STATUS_TH = {"not_started": "ยังไม่ดำเนินการ", "in_progress": "อยู่ระหว่างดำเนินการ", "done": "เสร็จแล้ว"}
KIND_TH = {
    "analysis": "รายงานการวิเคราะห์",
    "measures_plan": "แผน/มาตรการ",
    "progress_report": "รายงานผลการดำเนินการ",
    "memo": "บันทึกข้อความ",
}


def import_summary(path: Path, result: ImportResult) -> str:
    """What the importer read from one file: enough to decide whether to open the review."""
    d = result.truth_view
    ex = result.extracted
    low = sorted(k for k, v in result.draft.provenance.items() if v["confidence"] < 0.75)
    a = d["agency"]
    place = " ".join(
        x
        for x in (
            a.get("district") and f"อำเภอ{a['district']}",
            a.get("province") and f"จังหวัด{a['province']}",
        )
        if x
    )
    lines = [
        f"{path}: {ex.method}" + (f", {ex.pages} หน้า" if ex.pages else "") + f", {len(ex.lines)} บรรทัด",
        f"  หน่วยงาน: {a.get('name') or '(ไม่พบ)'} {place}".rstrip(),
        f"  ประเภทเอกสาร: {', '.join(KIND_TH[k] for k in d['kinds']) or '(ไม่ทราบ)'}",
        f"  ปีงบประมาณของรายงาน: {d.get('report_fiscal_year_be') or '-'}",
    ]
    for s in d["assessments"]:
        tools = ", ".join(f"{TOOL_TH[k]} {fmt(v)}" for k, v in s["tools"].items() if v is not None)
        overall = fmt(s["overall"]) if s["overall"] is not None else "-"
        lines.append(
            f"  ผลการประเมินปี {s['year_be']}: ภาพรวม {overall}"
            + (f" ระดับ {s['level']}" if s["level"] else "")
            + (f"; {tools}" if tools else "")
            + f"; ตัวชี้วัด {len(s['indicators'])}, ข้อคำถาม {len(s['items'])}"
        )
    if d["memo"]:
        lines.append(f"  บันทึกข้อความ: เรื่อง {d['memo'].get('subject') or '-'}")
    rows = [
        [
            str(m["no"] or "-"),
            (m["title"] or "")[:50],
            STATUS_TH.get(m["status"], "-"),
            str(len(m["evidence"])),
        ]
        for m in d["measures"]
    ]
    if rows:
        lines.append(f"  มาตรการ {len(rows)} รายการ")
        lines.append(textwrap.indent(table(["ที่", "มาตรการ", "สถานะ", "หลักฐาน"], rows), "    "))
    if result.findings:
        lines.append("  ข้อควรตรวจสอบ:")
        lines += [f"    - {f['message_th']}" for f in result.findings]
    if low:
        lines.append(
            f"  ค่าที่ความมั่นใจต่ำ ควรตรวจทาน ({len(low)}): {', '.join(low[:12])}"
            + (" …" if len(low) > 12 else "")
        )
    return "\n".join(lines)
