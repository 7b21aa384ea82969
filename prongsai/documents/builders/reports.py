"""The measures plan (seed 001's first table, seed 003 section 5), the progress report in both
layouts the seeds use (status columns: seeds 000/001; result columns: seeds 002/004) with an
evidence appendix (seed 004), and the memo that wraps any of them for approval (seed 001)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from prongsai.documents.builders.analysis import measures_table
from prongsai.documents.builders.common import (
    STATUS_ORDER,
    STATUS_TH,
    measure_label,
    officers,
    status_counts,
    text_cell,
)
from prongsai.documents.model import (
    BulletList,
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
from prongsai.interchange.models import Measure
from prongsai.ita.analysis import Analysis
from prongsai.ita.api import report_year
from prongsai.ita.edition import nearest_edition
from prongsai.thai.dates import thai_date

PLAN_TITLE = "มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน"
PROGRESS_TITLE = "รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน"
IMAGE_MIME = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}


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
            f"ประจำปีงบประมาณ พ.ศ. {year} ให้ครอบคลุมทั้ง 10 ตัวชี้วัด โดยแต่ละมาตรการระบุผลการวิเคราะห์ที่สอดคล้อง "
            "ขั้นตอนหรือวิธีการดำเนินการ ระยะเวลาดำเนินการ และผู้รับผิดชอบ ดังนี้"
        )
    )
    edition = analysis.result.edition if analysis else nearest_edition(year)
    names = {i.id: i.name_th for i in edition.indicators}
    table = measures_table(measures, names, analysis)
    # The plan also says how each measure is followed up (seed 001's การกำกับติดตาม column).
    table.header[0].append(Cell.of("การกำกับติดตาม"))
    table.widths = [2.8, 3.8, 4.6, 1.9, 2.0, 1.9]
    for row, m in zip(table.rows, measures, strict=True):
        row.append(text_cell(m.monitoring or "รายงานความก้าวหน้ารอบ 6 เดือน และสรุปผลเมื่อสิ้นปีงบประมาณ"))
    doc.add(table)
    return doc


def build_progress(
    record: Record,
    *,
    layout: str = "status",
    as_of: date | None = None,
    thai_digits: bool = True,
    evidence_dir: Path | None = None,
) -> Document:
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
    counts = status_counts(measures)
    unknown = counts[None]
    summary = ", ".join(f"{STATUS_TH[s]} {counts[s]} มาตรการ" for s in STATUS_ORDER)
    doc.add(
        Paragraph.of(
            f"{agency}ได้ดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน ประจำปีงบประมาณ พ.ศ. {year}"
            f"{when} จำนวน {len(measures)} มาตรการ แยกเป็น {summary}"
            + (f" และยังไม่ได้รายงานสถานะ {unknown} มาตรการ" if unknown else "")
            + " รายละเอียดดังนี้"
        )
    )
    if layout == "status":
        header = [
            [
                Cell.of("มาตรการ", rowspan=2),
                Cell.of("ขั้นตอนหรือวิธีการ", rowspan=2),
                Cell.of("สถานะการดำเนินการ", colspan=3),
            ],
            [Cell.of(STATUS_TH[s]) for s in STATUS_ORDER],
        ]
        rows = []
        for m in measures:
            marks = [Cell.of("/" if m.status == s else "", align="center") for s in STATUS_ORDER]
            rows.append([text_cell(measure_label(m)), text_cell(m.steps), *marks])
        doc.add(Table(header, rows, [4.2, 6.0, 1.9, 1.9, 2.0], font_pt=14))
    else:
        header = [
            [Cell.of("มาตรการ"), Cell.of("ผลการดำเนินงาน"), Cell.of("ผลลัพธ์/ความสำเร็จ"), Cell.of("ข้อเสนอแนะ")]
        ]
        rows = [
            [
                text_cell(measure_label(m) + (f"\n({STATUS_TH[m.status]})" if m.status else "")),
                text_cell(m.result),
                text_cell(m.outcome),
                text_cell(m.suggestion),
            ]
            for m in measures
        ]
        doc.add(Table(header, rows, [4.0, 5.0, 4.0, 3.0], font_pt=14))
    appendix = _evidence_appendix(measures, evidence_dir)
    if appendix:
        doc.add(PageBreak(), Heading("ภาคผนวก หลักฐานการดำเนินการ", 1), *appendix)
    return doc


def _evidence_appendix(measures: list[Measure], base: Path | None) -> list[Section]:
    """Per measure: its links, notes and photos. A photo is embedded only when its file is found
    under ``base`` (the record's evidence folder); otherwise it is listed as not found."""
    sections = []
    for m in measures:
        if not m.evidence:
            continue
        blocks = []
        listed = []
        for e in m.evidence:
            image = _image(e.ref, base) if e.kind in ("photo", "file") else None
            if image is not None:
                data, mime, name = image
                blocks.append(Figure(data, e.caption or name, width_cm=12, mime=mime))
            elif e.kind == "link":
                url = e.ref if e.ref.lower().startswith(("http://", "https://")) else f"https://{e.ref}"
                listed.append([Run("ลิงก์: "), Run(e.ref, verbatim=True, link=url)])
            elif e.kind == "photo":
                listed.append([Run("ภาพประกอบ (ไม่พบไฟล์ภาพ): "), Run(e.ref, verbatim=True)])
            elif e.kind == "file":
                listed.append([Run("ไฟล์: "), Run(e.ref, verbatim=True)])
            else:
                listed.append([Run(e.ref)])
        if listed:
            blocks.insert(0, BulletList(listed))
        sections.append(Section(Heading(measure_label(m), 2), blocks))
    return sections


def _image(ref: str, base: Path | None) -> tuple[bytes, str, str] | None:
    """A PNG or JPEG inside ``base`` (never elsewhere on the machine), checked by its bytes."""
    if base is None:
        return None
    root = base.resolve()
    path = (root / ref).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        return None
    mime = IMAGE_MIME.get(path.suffix.lower())
    data = path.read_bytes()
    if mime == "image/png" and data.startswith(b"\x89PNG\r\n\x1a\n"):
        return data, mime, path.name
    if mime == "image/jpeg" and data.startswith(b"\xff\xd8\xff"):
        return data, mime, path.name
    return None


def build_memo(
    record: Record, wrapped: Document, *, kind: str, memo_date: date | None = None, thai_digits: bool = True
) -> Document:
    """A บันทึกข้อความ asking the executive to approve (or take note of) a report."""
    off = officers(record.agency)
    memo = record.memo
    year = wrapped.fiscal_year or report_year(record)
    subject = {
        "analysis": f"รายงานผลการวิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ (ITA) "
        f"และแนวทางการพัฒนา ประจำปีงบประมาณ พ.ศ. {year}",
        "plan": f"ขออนุมัติ{PLAN_TITLE} ประจำปีงบประมาณ พ.ศ. {year}",
        "progress": f"{PROGRESS_TITLE} ประจำปีงบประมาณ พ.ศ. {year}",
    }[kind]
    day = memo_date or (memo.date if memo and memo.date else date.today())
    signers = memo.signers if memo else []
    header = MemoHeader(
        unit=(memo.unit if memo and memo.unit else off.unit),
        ref_no=(memo.ref_no if memo and memo.ref_no else "........................"),
        date=thai_date(day),
        subject=(memo.subject if memo and memo.subject else subject),
        to=(memo.to if memo and memo.to else off.executive_position),
    )
    doc = Document(
        "memo", subject, thai_digits=thai_digits, page_numbers=False, show_title=False, fiscal_year=year
    )
    doc.add(header)
    doc.add(
        Paragraph.of(
            "ตามที่ สำนักงาน ป.ป.ช. ได้กำหนดให้หน่วยงานภาครัฐดำเนินการตามเกณฑ์การประเมินคุณธรรมและความโปร่งใส"
            f"ในการดำเนินงานของหน่วยงานภาครัฐ (ITA) นั้น {header.unit}ได้จัดทำ"
            f"{wrapped.title.removesuffix(' ' + record.agency.name)} เรียบร้อยแล้ว "
            "รายละเอียดตามเอกสารที่แนบมาพร้อมนี้",
            space_before=6,
        )
    )
    doc.add(Paragraph.of(_memo_facts(record, kind)))
    ask = {
        "analysis": "เพื่อโปรดทราบและพิจารณาให้ความเห็นชอบ และอนุญาตให้เผยแพร่บนเว็บไซต์ของหน่วยงาน",
        "plan": "เพื่อโปรดพิจารณาอนุมัติ และอนุญาตให้เผยแพร่บนเว็บไซต์ของหน่วยงาน",
        "progress": "เพื่อโปรดทราบ และอนุญาตให้เผยแพร่บนเว็บไซต์ของหน่วยงาน",
    }[kind]
    doc.add(Paragraph.of(f"จึงเรียนมา{ask}"))
    # Signers in the record's order: the preparer, then the executive.
    preparer = signers[0] if signers else {}
    executive = signers[1] if len(signers) > 1 else {}
    doc.add(Signature(preparer.get("name"), [preparer.get("position") or off.preparer_position]))
    doc.add(Paragraph.of(f"ความเห็นของ{off.executive_position}", indent=False, space_before=12))
    doc.add(Paragraph.of("." * 150, indent=False))
    doc.add(Paragraph.of("." * 150, indent=False))
    doc.add(Signature(executive.get("name"), [executive.get("position") or off.executive_position]))
    return doc


def _memo_facts(record: Record, kind: str) -> str:
    measures = record.measures
    if kind == "progress":
        counts = status_counts(measures)
        return f"มาตรการทั้งหมด {len(measures)} มาตรการ " + " ".join(
            f"{STATUS_TH[s]} {counts[s]} มาตรการ" for s in STATUS_ORDER
        )
    if kind == "plan":
        covered = sorted({n for m in measures for n in m.indicators})
        return (
            f"มาตรการทั้งหมด {len(measures)} มาตรการ ครอบคลุมตัวชี้วัดที่ {', '.join(map(str, covered))}"
            if covered
            else f"มาตรการทั้งหมด {len(measures)} มาตรการ"
        )
    latest = max(record.assessments, key=lambda a: a.fiscal_year) if record.assessments else None
    return (
        f"การวิเคราะห์ครอบคลุมทั้ง 10 ตัวชี้วัดของผลการประเมินประจำปีงบประมาณ พ.ศ. {latest.fiscal_year} "
        f"พร้อมมาตรการ {len(measures)} มาตรการ"
        if latest
        else ""
    )
