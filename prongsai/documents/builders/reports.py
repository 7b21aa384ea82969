"""The measures plan (seed 001's first table, seed 003 section 5), the progress report in both
layouts the seeds use (status columns: seeds 000/001; result columns: seeds 002/004) with an
evidence appendix (seed 004), and the memo that wraps any of them for approval (seed 001)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from prongsai.documents.builders.analysis import measures_table
from prongsai.documents.builders.common import (
    STATUS_ORDER,
    STATUS_TH,
    coverage_th,
    measure_label,
    officers,
    status_groups_th,
    status_summary_th,
    text_cell,
)
from prongsai.documents.model import (
    Block,
    Cell,
    Document,
    Figure,
    Heading,
    MemoHeader,
    PageBreak,
    Paragraph,
    Run,
    Section,
    Signature,
    Table,
)
from prongsai.interchange.models import Document as Record
from prongsai.interchange.models import Evidence, Measure
from prongsai.ita.analysis import Analysis
from prongsai.ita.api import report_year
from prongsai.ita.edition import nearest_edition
from prongsai.ita.numbers import fmt
from prongsai.thai.dates import thai_date

# (bytes, MIME) of an evidence photo from the agency's store, or None (see documents.service).
ImageLookup = Callable[[Evidence], "tuple[bytes, str] | None"]
# Per measure (by position), the photos found: the evidence, its bytes and MIME type.
Photos = dict[int, list[tuple[Evidence, bytes, str]]]

PLAN_TITLE = "มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน"
PROGRESS_TITLE = "รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน"


def build_plan(
    record: Record, measures: list[Measure], analysis: Analysis | None, *, thai_digits: bool = True
) -> Document:
    year = report_year(record, analysis.fiscal_year if analysis else None)
    agency = record.agency.name
    doc = Document(
        "plan", f"{PLAN_TITLE} ประจำปีงบประมาณ พ.ศ. {year} {agency}", thai_digits=thai_digits, fiscal_year=year
    )
    basis = f"จากผลการวิเคราะห์ผลการประเมิน ITA ประจำปีงบประมาณ พ.ศ. {analysis.fiscal_year} " if analysis else ""
    doc.add(
        Paragraph.of(
            f"{basis}{agency}ได้กำหนดมาตรการเพื่อขับเคลื่อนการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน "
            f"ประจำปีงบประมาณ พ.ศ. {year} จำนวน {len(measures)} มาตรการ {coverage_th(measures)} "
            "โดยแต่ละมาตรการระบุผลการวิเคราะห์ที่สอดคล้อง "
            "ขั้นตอนหรือวิธีการดำเนินการ ระยะเวลาดำเนินการ และผู้รับผิดชอบ ดังนี้"
        )
    )
    edition = analysis.result.edition if analysis else nearest_edition(year)
    names = {i.id: i.name_th for i in edition.indicators}
    table = measures_table(measures, names, analysis)
    # The plan also says how each measure is followed up (seed 001's การกำกับติดตาม column).
    table.header[0].append(Cell.of("การกำกับติดตาม"))
    table.widths = [2.8, 3.8, 4.6, 1.9, 2.0, 1.9]
    # Six columns of prose: on portrait pages most of each page was left empty, and a landscape
    # table alone left the title page empty; the whole plan is landscape.
    doc.landscape = True
    for row, m in zip(table.rows, measures, strict=True):
        row.append(text_cell(m.monitoring or "รายงานความก้าวหน้ารอบ 6 เดือน และสรุปผลเมื่อสิ้นปีงบประมาณ"))
    doc.add(table)
    return doc


def _has(measures: list[Measure], attr: str) -> bool:
    return any(getattr(m, attr) for m in measures)


def build_progress(
    record: Record,
    *,
    layout: str = "status",
    as_of: date | None = None,
    thai_digits: bool = True,
    images: ImageLookup | None = None,
) -> Document:
    """Both layouts carry every column the seeds have (steps, period, responsible, results,
    outcome, suggestion, evidence) when any measure has a value for it; ``status`` shows the
    status as three tick columns (seeds 000/001), ``result`` as words under the measure (002/004).
    Photos are embedded in the appendix from the agency's store; a photo that cannot be found
    is left out (the pre-audit and the import review name it), never printed as a path."""
    if layout not in ("status", "result"):
        raise ValueError(f"unknown progress layout {layout!r} (status or result)")
    year = report_year(record)
    agency = record.agency.name
    measures = record.measures
    doc = Document(
        "progress",
        f"{PROGRESS_TITLE} ประจำปีงบประมาณ พ.ศ. {year} {agency}",
        thai_digits=thai_digits,
        fiscal_year=year,
    )
    when = f" ณ วันที่ {thai_date(as_of)}" if as_of else ""
    doc.add(
        Paragraph.of(
            f"{agency}ได้ดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน ประจำปีงบประมาณ พ.ศ. {year}"
            f"{when} จำนวน {len(measures)} มาตรการ {status_summary_th(measures)} รายละเอียดดังนี้"
        )
    )
    photos = _photos(measures, images)
    evidence_text = {id(m): _evidence_lines(m, photos) for m in measures}
    columns: list[tuple[str, float, Callable[[Measure], Cell]]] = [
        ("ขั้นตอนหรือวิธีการดำเนินการ", 4.5, lambda m: text_cell(m.steps))
    ]
    optional = [
        ("period", "ระยะเวลาดำเนินการ", 2.2),
        ("responsible", "ผู้รับผิดชอบ", 2.2),
        ("result", "ผลการดำเนินงาน", 4.5),
        ("outcome", "ผลลัพธ์/ความสำเร็จ", 3.2),
        ("suggestion", "ข้อเสนอแนะ", 2.8),
    ]
    if layout == "status":
        # The tick columns take three places: results, outcome and suggestion share one column,
        # each under its own label, so rows stay short enough to sit several to a page.
        optional = optional[:2]
    for attr, label, width in optional:
        if _has(measures, attr):
            columns.append((label, width, _attribute_cell(attr)))
    if layout == "status" and any(_has(measures, a) for a in ("result", "outcome", "suggestion")):
        columns.append(("ผลการดำเนินงาน", 5.0, _results_cell))
    if any(evidence_text.values()):
        columns.append(("หลักฐาน", 3.0, lambda m: _lines_cell(evidence_text[id(m)])))

    if layout == "status":
        header = [
            [
                Cell.of("มาตรการ/โครงการ/กิจกรรม", rowspan=2),
                *[Cell.of(label, rowspan=2) for label, _, _ in columns],
                Cell.of("สถานะการดำเนินการ", colspan=3),
            ],
            [Cell.of(STATUS_TH[s]) for s in STATUS_ORDER],
        ]
        rows = []
        for m in measures:
            # "/" as the seeds mark it (TH Sarabun New has no check-mark glyph).
            marks = [Cell.of("/" if m.status == s else "", align="center") for s in STATUS_ORDER]
            rows.append([text_cell(measure_label(m)), *[make(m) for _, _, make in columns], *marks])
        widths = [4.0, *[w for _, w, _ in columns], 1.9, 1.9, 2.1]
    else:
        header = [[Cell.of("มาตรการ/โครงการ/กิจกรรม"), *[Cell.of(label) for label, _, _ in columns]]]
        rows = [
            [
                text_cell(
                    measure_label(m) + f"\n(สถานะ: {STATUS_TH[m.status] if m.status else 'ยังไม่ได้รายงาน'})"
                ),
                *[make(m) for _, _, make in columns],
            ]
            for m in measures
        ]
        widths = [4.0, *[w for _, w, _ in columns]]
    doc.add(Table(header, rows, widths, font_pt=14))
    doc.landscape = len(widths) > 5  # the whole report, so the title page carries the table
    appendix = _evidence_appendix(measures, photos)
    if appendix:
        doc.add(PageBreak(), Heading("ภาคผนวก ภาพประกอบการดำเนินการ", 1), *appendix)
    return doc


def _results_cell(m: Measure) -> Cell:
    """Result, outcome and suggestion in one cell, each after its label (the status layout)."""
    paragraphs = []
    for label, text in (("", m.result), ("ผลลัพธ์: ", m.outcome), ("ข้อเสนอแนะ: ", m.suggestion)):
        lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
        for i, line in enumerate(lines):
            runs = [Run(label, bold=True), Run(line)] if i == 0 and label else [Run(line)]
            paragraphs.append(Paragraph(runs, align="left", indent=False))
    return Cell(paragraphs or [Paragraph([Run("-")], align="left", indent=False)])


def _attribute_cell(attr: str) -> Callable[[Measure], Cell]:
    return lambda m: text_cell(getattr(m, attr))


def _photos(measures: list[Measure], images: ImageLookup | None) -> Photos:
    """Per measure (by position), the photos found in the agency's store."""
    out: Photos = {}
    if images is None:
        return out
    for k, m in enumerate(measures):
        for e in m.evidence:
            if e.kind not in ("photo", "file"):
                continue
            found = images(e)
            if found is not None:
                out.setdefault(k, []).append((e, found[0], found[1]))
    return out


def _shown_name(e: Evidence) -> str | None:
    """What to print for a file: its caption, else its bare name — never a path (an imported
    caption may be the path the report printed)."""
    for text in (e.caption, e.ref):
        text = (text or "").strip().removeprefix("[image:").removesuffix("]").strip()
        if text and not re.search(r"[\\/]|^[A-Za-z]:|^\[image", text):
            return text
    return None


def _evidence_lines(m: Measure, photos: Photos) -> list[list[Run]]:
    lines: list[list[Run]] = []
    embedded = {id(e) for k, found in photos.items() for e, _, _ in found}
    for e in m.evidence:
        if e.kind == "link":
            url = e.ref if e.ref.lower().startswith(("http://", "https://")) else f"https://{e.ref}"
            lines.append([Run(e.caption + " " if e.caption else ""), Run(e.ref, verbatim=True, link=url)])
        elif e.kind == "note":
            lines.append([Run(e.ref.strip())])
        elif id(e) in embedded:
            # A caption is prose (Thai digits); a bare file name keeps its digits as typed.
            name = _shown_name(e)
            lines.append([Run("ภาพประกอบ: "), Run(name or "ดูภาคผนวก", verbatim=bool(name and not e.caption))])
        elif e.kind == "file" and (name := _shown_name(e)):
            lines.append([Run("เอกสาร: "), Run(name, verbatim=not e.caption)])
        # A photo (or file) that is not in the store prints nothing: the pre-audit names it.
    return lines


def _lines_cell(lines: list[list[Run]]) -> Cell:
    if not lines:
        return Cell.of("-")
    return Cell([Paragraph(runs, align="left", indent=False) for runs in lines])


def _evidence_appendix(measures: list[Measure], photos: Photos) -> list[Section]:
    """Per measure with photos: its heading, then each photo with its caption (seed 004)."""
    sections = []
    number = 0
    for k, m in enumerate(measures):
        found = photos.get(k)
        if not found:
            continue
        blocks: list[Block] = []
        for e, data, mime in found:
            number += 1
            caption = f"ภาพที่ {number} {_shown_name(e) or measure_label(m)}"
            blocks.append(Figure(data, caption, width_cm=12, mime=mime))
        sections.append(Section(Heading(measure_label(m), 2), blocks))
    return sections


MEMO_SUBJECT = {
    "analysis": "รายงานการวิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ (ITA) "
    "ประจำปีงบประมาณ พ.ศ. {assessed} และมาตรการส่งเสริมคุณธรรมและความโปร่งใส ประจำปีงบประมาณ พ.ศ. {year}",
    "plan": "ขออนุมัติ" + PLAN_TITLE + " ประจำปีงบประมาณ พ.ศ. {year}",
    "progress": PROGRESS_TITLE + " ประจำปีงบประมาณ พ.ศ. {year}",
}
MEMO_ASK = {
    "analysis": "จึงเรียนมาเพื่อโปรดทราบและพิจารณาให้ความเห็นชอบ และอนุญาตให้เผยแพร่บนเว็บไซต์ของหน่วยงาน",
    "plan": "จึงเรียนมาเพื่อโปรดพิจารณาอนุมัติ และอนุญาตให้เผยแพร่บนเว็บไซต์ของหน่วยงาน",
    "progress": "จึงเรียนมาเพื่อโปรดทราบ และอนุญาตให้เผยแพร่บนเว็บไซต์ของหน่วยงาน",
}
DECISIONS = {
    "analysis": [("acknowledged", "ทราบ"), ("approved", "เห็นชอบ"), ("not_approved", "ไม่เห็นชอบ")],
    "plan": [("approved", "อนุมัติ"), ("not_approved", "ไม่อนุมัติ")],
    "progress": [("acknowledged", "ทราบ"), ("approved", "อนุญาตให้เผยแพร่")],
}


def build_memo(
    record: Record,
    wrapped: Document,
    *,
    kind: str,
    memo_date: date | None = None,
    thai_digits: bool = True,
    emblem: tuple[bytes, str] | None = None,
) -> Document:
    """A บันทึกข้อความ asking the executive to approve (or take note of) a report. Values from the
    record's memo (the web form, or an imported memo) win; what is unknown is left as a dotted
    space to fill by hand, never invented (no date is assumed)."""
    off = officers(record.agency)
    memo = record.memo
    year = wrapped.fiscal_year or report_year(record)
    latest = max(record.assessments, key=lambda a: a.fiscal_year) if record.assessments else None
    assessed = latest.fiscal_year if latest else year - 1
    subject = MEMO_SUBJECT[kind].format(year=year, assessed=assessed)
    day = memo_date or (memo.date if memo and memo.date else None)
    header = MemoHeader(
        unit=(memo.unit if memo and memo.unit else off.unit),
        ref_no=(memo.ref_no if memo and memo.ref_no else None),
        date=thai_date(day) if day else None,
        subject=(memo.subject if memo and memo.subject else subject),
        to=(memo.to if memo and memo.to else off.executive_position),
        emblem=emblem[0] if emblem else None,
        emblem_mime=emblem[1] if emblem else "image/png",
    )
    doc = Document(
        "memo",
        header.subject,
        thai_digits=thai_digits,
        page_numbers=False,
        show_title=False,
        fiscal_year=year,
    )
    doc.add(header)
    if memo and memo.body and memo.body.strip():
        paragraphs = [p.strip() for p in memo.body.replace("\r\n", "\n").split("\n\n") if p.strip()]
        for i, text in enumerate(paragraphs):
            doc.add(Paragraph.of(" ".join(text.split("\n")), space_before=6 if i == 0 else 0))
    else:
        for i, text in enumerate(_memo_body(record, kind, header.unit, year, assessed)):
            doc.add(Paragraph.of(text, space_before=6 if i == 0 else 0))
        doc.add(Paragraph.of(MEMO_ASK[kind]))
    signers = [s for s in (memo.signers if memo else []) if s.get("name") or s.get("position")]
    preparers = signers[:-1] if len(signers) > 1 else signers
    executive = signers[-1] if len(signers) > 1 else {}
    for p in preparers or [{}]:
        doc.add(Signature(p.get("name"), [p.get("position") or off.preparer_position]))
    exec_position = executive.get("position") or off.executive_position
    doc.add(Paragraph.of(f"ความเห็นของ{_short_title(exec_position)}", indent=False, space_before=12))
    if memo and memo.opinion and memo.opinion.strip():
        doc.add(Paragraph.of(memo.opinion.strip()))
    else:
        doc.add(Paragraph.of("." * 150, indent=False))
    chosen = memo.decision if memo else None
    marks = "    ".join(f"({' / ' if chosen == key else '   '}) {label}" for key, label in DECISIONS[kind])
    doc.add(Paragraph.of(marks, indent=False))
    doc.add(Signature(executive.get("name"), [exec_position]))
    return doc


def _short_title(position: str) -> str:
    """'ความเห็นของนายกเทศมนตรีตำบลศรีสังคราม' reads well; a long acting title keeps its first part."""
    return position.split(" ปฏิบัติหน้าที่")[0]


def _memo_body(record: Record, kind: str, unit: str, year: int, assessed: int) -> list[str]:
    """The memo's default text, every number from the record (counts that add up, the score and
    level as printed, both years named for what they are)."""
    measures = record.measures
    agency = record.agency.name
    office = unit.split(" อำเภอ")[0]  # the office itself, without its address
    latest = record.assessment(assessed)
    result = ""
    if latest and latest.overall is not None:
        result = f" {agency}ได้คะแนนในภาพรวม {fmt(latest.overall)} คะแนน"
        if latest.level:
            result += f" อยู่ในระดับ {latest.level.strip()}"
    background = (
        "ตามที่ สำนักงาน ป.ป.ช. ได้ประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ (ITA) "
        f"ประจำปีงบประมาณ พ.ศ. {assessed}{result} นั้น"
    )
    if kind == "analysis":
        scored = sum(1 for v in (latest.indicators if latest else {}).values() if v is not None)
        scope = " ครบทั้ง 10 ตัวชี้วัด" if scored == 10 else ""
        count = f" จำนวน {len(measures)} มาตรการ" if measures else ""
        return [
            background,
            f"{office}ได้วิเคราะห์ผลการประเมินดังกล่าว{scope} และกำหนดมาตรการส่งเสริมคุณธรรมและความโปร่งใส "
            f"ประจำปีงบประมาณ พ.ศ. {year}{count} เพื่อเป็นแนวทางในการพัฒนาองค์กร รายละเอียดตามเอกสารที่แนบมาพร้อมนี้",
        ]
    if kind == "plan":
        return [
            background
            if latest
            else "ตามที่ สำนักงาน ป.ป.ช. ได้กำหนดให้หน่วยงานภาครัฐจัดทำมาตรการส่งเสริมคุณธรรมและความโปร่งใส"
            "ภายในหน่วยงานตามเกณฑ์การประเมิน ITA นั้น",
            f"{office}ได้จัดทำ{PLAN_TITLE} ประจำปีงบประมาณ พ.ศ. {year} จำนวน {len(measures)} มาตรการ "
            f"{coverage_th(measures)} เรียบร้อยแล้ว รายละเอียดตามเอกสารที่แนบมาพร้อมนี้",
        ]
    return [
        f"ตามที่{agency}ได้กำหนดมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน ประจำปีงบประมาณ พ.ศ. {year} "
        f"จำนวน {len(measures)} มาตรการ นั้น",
        f"{office}ได้ติดตามผลการดำเนินการตามมาตรการดังกล่าวแล้ว ปรากฏว่า {status_groups_th(measures)} "
        "รายละเอียดตามรายงานที่แนบมาพร้อมนี้",
    ]
