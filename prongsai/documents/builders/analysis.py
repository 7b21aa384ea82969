"""The analysis and development report (การนำผลการประเมิน ITA ไปสู่การพัฒนาองค์กร), after seed 003:
background and the edition's requirement, overall result, tools, indicators (tables with
differences and charts), auditor suggestions, the per-item analysis and the measures table."""

from __future__ import annotations

from prongsai.documents.builders.common import indicator_label, measure_label, text_cell
from prongsai.documents.model import BulletList, Cell, Chart, Document, Heading, Paragraph, Run, Table
from prongsai.interchange.models import Document as Record
from prongsai.interchange.models import Measure
from prongsai.ita.analysis import Analysis, Change
from prongsai.ita.api import report_year
from prongsai.ita.edition import Edition, EditionError, get_edition
from prongsai.ita.numbers import fmt
from prongsai.thai.text import thai_list

TOOL_TH = {
    "IIT": "IIT",
    "EIT": "EIT",
    "EIT_1": "EIT ส่วนที่ 1",
    "EIT_2": "EIT ส่วนที่ 2",
    "OIT": "OIT",
}


def requirement_edition(year: int, fallback: Edition) -> Edition:
    try:
        return get_edition(year)
    except EditionError:
        return fallback


def build_analysis(
    record: Record, analysis: Analysis, measures: list[Measure], *, thai_digits: bool = True
) -> Document:
    ed = analysis.result.edition
    year, prev = analysis.fiscal_year, analysis.previous_year
    plan_year = report_year(record, year)
    agency = record.agency.name
    doc = Document(
        "analysis",
        f"การนำผลการประเมิน ITA ไปสู่การพัฒนา{agency} ประจำปีงบประมาณ พ.ศ. {year}",
        thai_digits=thai_digits,
        fiscal_year=plan_year,
    )
    figures = 0

    def chart(
        categories: list[str], series: dict[str, list[float | None]], title: str, **size: float
    ) -> Chart:
        nonlocal figures
        figures += 1
        caption = f"ภาพที่ {figures} {title} ประจำปีงบประมาณ พ.ศ. {year}"
        return Chart(categories, series, title, caption, **size)

    missing = [str(i.id) for i in analysis.indicators if i.score is None]
    if len(missing) == len(analysis.indicators):
        coverage = "ในภาพรวม (ยังไม่มีคะแนนรายตัวชี้วัด)"
    elif missing:
        coverage = f"ตามตัวชี้วัดที่มีคะแนน (ยังไม่มีคะแนนตัวชี้วัดที่ {thai_list(missing)})"
    else:
        coverage = "ครอบคลุมทั้ง 10 ตัวชี้วัด"
    names = {i.id: i.name_th for i in ed.indicators}
    section = 0

    def heading(text: str) -> None:
        nonlocal section
        section += 1
        doc.add(Heading(f"{section}. {text}", 1))

    # 1. Background: what the next edition asks for.
    heading("ความเป็นมา")
    req = requirement_edition(plan_year, ed)
    item = req.document_items.analysis.item or req.document_items.measures.item
    item_name = req.item_by_id[item].name_th if item and item in req.item_by_id else None
    where = f" ในข้อ {item}{' ' + item_name if item_name else ''}" if item else ""
    doc.add(
        Paragraph.of(
            f"สำนักงาน ป.ป.ช. ได้กำหนดเกณฑ์การประเมิน ITA ประจำปีงบประมาณ พ.ศ. {req.edition}{where}"
            + (
                " โดยมีรายละเอียดดังนี้"
                if req.document_items.required_elements
                else " ให้หน่วยงานนำผลการประเมินไปวิเคราะห์และกำหนดมาตรการเพื่อพัฒนาองค์กร"
            )
        )
    )
    if req.document_items.required_elements:
        doc.add(BulletList([[Run(e.th)] for e in req.document_items.required_elements]))
    doc.add(
        Paragraph.of(
            f"{agency}จึงได้วิเคราะห์ผลการประเมิน ITA ประจำปีงบประมาณ พ.ศ. {year} {coverage} "
            "พร้อมทั้งกำหนดมาตรการเพื่อใช้เป็นแนวทางในการปรับปรุงหรือพัฒนาองค์กรต่อไป"
        )
    )

    # 2. Results.
    heading(f"ผลการประเมิน ITA ประจำปีงบประมาณ พ.ศ. {year}")
    doc.add(Heading(f"{section}.1 ผลการประเมินในภาพรวม", 2), Paragraph.of(analysis.summary_th))
    years = [y for y in (prev, year) if y is not None]
    overall_values = (
        [analysis.overall.previous, analysis.overall.current] if prev else [analysis.overall.current]
    )
    if analysis.overall.current is not None:
        doc.add(
            chart(
                ["ภาพรวม"],
                {f"ปีงบประมาณ {y}": [v] for y, v in zip(years, overall_values, strict=True)},
                "ผลการประเมินในภาพรวม",
                width_cm=11,
                height_cm=6.5,
            )
        )

    doc.add(Heading(f"{section}.2 ผลการประเมินรายเครื่องมือ", 2))
    tools = [c for c in analysis.tools if c.current is not None or c.previous is not None]
    if tools:
        doc.add(
            Paragraph.of(
                "ผลการประเมินรายเครื่องมือ แยกเป็น แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายใน (แบบวัด IIT) "
                "แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายนอก (แบบวัด EIT) และแบบวัดการเปิดเผยข้อมูลสาธารณะ (แบบวัด OIT) ดังนี้"
            )
        )
        doc.add(
            _change_table(
                "แบบวัด",
                [(TOOL_TH[c.path.split(".")[1]], c) for c in tools] + [("ภาพรวม", analysis.overall)],
                prev,
                year,
            )
        )
    else:
        doc.add(Paragraph.of(f"ผลการประเมินที่บันทึกไว้ของปีงบประมาณ พ.ศ. {year} ยังไม่มีคะแนนรายแบบวัด"))
    drops = [(c.path, c.delta) for c in tools if c.delta is not None and c.delta < 0]
    if drops:
        doc.add(
            Paragraph.of(
                "แบบวัดที่มีคะแนนลดลง ได้แก่ "
                + thai_list(
                    f"{TOOL_TH[path.split('.')[1]]} (ลดลง {fmt(abs(delta))} คะแนน)" for path, delta in drops
                )
            )
        )
    if tools:
        doc.add(
            chart(
                [TOOL_TH[c.path.split(".")[1]] for c in tools],
                {f"ปีงบประมาณ {y}": [c.previous if y == prev else c.current for c in tools] for y in years},
                "ผลการประเมินรายเครื่องมือ",
            )
        )

    doc.add(Heading(f"{section}.3 ผลการประเมินรายตัวชี้วัด", 2))
    scored = [i for i in analysis.indicators if i.score is not None]
    if scored:
        best = thai_list(f"ตัวชี้วัดที่ {n} {names[n]}" for n in analysis.strongest)
        worst = thai_list(f"ตัวชี้วัดที่ {n} {names[n]}" for n in analysis.weakest)
        hi = next(i.score for i in scored if i.id == analysis.strongest[0])
        lo = next(i.score for i in scored if i.id == analysis.weakest[0])
        text = (
            f"การประเมินรายตัวชี้วัดจำนวน {len(scored)} ตัวชี้วัด ตัวชี้วัดที่ได้คะแนนสูงสุด ได้แก่ {best} ({fmt(hi)} คะแนน) "
            f"และตัวชี้วัดที่ได้คะแนนต่ำสุด ได้แก่ {worst} ({fmt(lo)} คะแนน)"
        )
        changed = [(i.id, i.delta) for i in scored if i.delta is not None]
        if changed:
            up = [str(n) for n, delta in changed if delta > 0]
            down = [str(n) for n, delta in changed if delta < 0]
            same = [str(n) for n, delta in changed if delta == 0]
            parts = []
            for label, ids in (("เพิ่มขึ้น", up), ("ลดลง", down), ("คงที่", same)):
                if ids:
                    parts.append(f"{label} {len(ids)} ตัวชี้วัด (ตัวชี้วัดที่ {thai_list(ids)})")
            text += f" เมื่อเทียบกับปีงบประมาณ พ.ศ. {prev} มีตัวชี้วัดที่ได้คะแนน" + thai_list(parts)
        doc.add(Paragraph.of(text))
        doc.add(_indicator_table(analysis, prev, year))
    else:
        doc.add(Paragraph.of(f"ผลการประเมินที่บันทึกไว้ของปีงบประมาณ พ.ศ. {year} ยังไม่มีคะแนนรายตัวชี้วัด"))
    if scored:
        doc.add(
            chart(
                [str(i.id) for i in analysis.indicators],
                {
                    f"ปีงบประมาณ {y}": [i.previous if y == prev else i.score for i in analysis.indicators]
                    for y in years
                },
                "ผลการประเมินรายตัวชี้วัด",
            )
        )

    # 3. Auditor suggestions, when they were recorded.
    assessment = record.assessment(year)
    if assessment and assessment.auditor_suggestions:
        heading(f"ข้อเสนอแนะจากผู้ตรวจประเมิน ประจำปีงบประมาณ พ.ศ. {year}")
        doc.add(BulletList([[Run(s)] for s in assessment.auditor_suggestions]))

    # 4. Per-item analysis.
    heading(f"การวิเคราะห์ผลการประเมิน ITA ประจำปีงบประมาณ พ.ศ. {year}")
    if scored:
        doc.add(Paragraph.of(f"การวิเคราะห์ผลการประเมินของ{agency} รายตัวชี้วัดและรายข้อ ดังนี้"))
        doc.add(_item_table(analysis, assessment.narratives if assessment else {}))
    else:
        doc.add(
            Paragraph.of(
                "เมื่อได้รับคะแนนรายตัวชี้วัดแล้ว จะวิเคราะห์ผลรายตัวชี้วัดและรายข้อเพิ่มเติม "
                "ในขั้นนี้จึงกำหนดมาตรการจากคะแนนภาพรวมและเกณฑ์การประเมินของปีถัดไป"
            )
        )

    # 5. Development measures with the five elements.
    heading(f"แนวทางการพัฒนา{agency} ประจำปีงบประมาณ พ.ศ. {plan_year}")
    doc.add(
        Paragraph.of(
            f"จากผลการวิเคราะห์ข้างต้น {agency}ได้กำหนดมาตรการเพื่อขับเคลื่อนการส่งเสริมคุณธรรมและความโปร่งใส "
            f"ประจำปีงบประมาณ พ.ศ. {plan_year} ดังนี้"
        )
    )
    doc.add(measures_table(measures, names, analysis, assessment.narratives if assessment else None))
    return doc


def _change_table(label: str, rows: list[tuple[str, Change]], prev: int | None, year: int) -> Table:
    header = [
        [
            Cell.of(label, rowspan=2),
            Cell.of("ผลการประเมิน", colspan=2 if prev else 1),
            Cell.of("ผลต่าง", rowspan=2),
        ],
        [*([Cell.of(f"ปีงบประมาณ {prev}")] if prev else []), Cell.of(f"ปีงบประมาณ {year}")],
    ]
    body = []
    for name, c in rows:
        cells = [Cell.of(name)]
        if prev:
            cells.append(Cell.of(fmt(c.previous), align="right"))
        cells += [
            Cell.of(fmt(c.current), align="right"),
            Cell.of(fmt(c.delta, True) if c.delta is not None else "-", align="right"),
        ]
        body.append(cells)
    return Table(header, body, [3, 2, 2, 2] if prev else [3, 2, 2])


def _indicator_table(analysis: Analysis, prev: int | None, year: int) -> Table:
    header = [
        [
            Cell.of("ตัวชี้วัด", rowspan=2),
            Cell.of("รายละเอียดตัวชี้วัด", rowspan=2),
            Cell.of("ปีงบประมาณ", colspan=2 if prev else 1),
            Cell.of("ผลต่าง", rowspan=2),
        ],
        [*([Cell.of(str(prev))] if prev else []), Cell.of(str(year))],
    ]
    body = []
    for i in analysis.indicators:
        cells = [Cell.of(str(i.id), align="center"), Cell.of(i.name_th)]
        if prev:
            cells.append(Cell.of(fmt(i.previous), align="right"))
        cells += [
            Cell.of(fmt(i.score), align="right"),
            Cell.of(fmt(i.delta, True) if i.delta is not None else "-", align="right"),
        ]
        body.append(cells)
    return Table(header, body, [1.2, 5, 2, 2, 2] if prev else [1.2, 5, 2, 2])


def _item_table(analysis: Analysis, written: dict[str, str]) -> Table:
    """``written``: narratives a person wrote (by indicator id), printed over the engine's draft."""
    ed = analysis.result.edition
    header = [[Cell.of("ตัวชี้วัด"), Cell.of("ข้อคำถาม"), Cell.of("คะแนน"), Cell.of("ผลการวิเคราะห์")]]
    body = []
    for ind in analysis.indicators:
        items = [i for i in ed.items_of_indicator[ind.id] if i.id in analysis.result.items]
        own = (written.get(str(ind.id)) or "").strip()
        narrative = own or ind.narrative_th or "ไม่มีคะแนนของตัวชี้วัดนี้ในผลการประเมินที่บันทึกไว้"
        body.append(
            [
                Cell.of(f"{ind.id}. {ind.name_th}", bold=True, rowspan=1 + len(items)),
                Cell.of(""),
                Cell.of(fmt(ind.score), align="right", bold=True),
                Cell.of(narrative, rowspan=1 + len(items)),
            ]
        )
        for it in items:
            # Without the official wording only the item's code is printed (its indicator names
            # the row group): never a guessed or placeholder text.
            body.append(
                [
                    Cell.of(f"{it.id} {it.name_th}" if it.name_th else it.id),
                    Cell.of(fmt(analysis.result.items[it.id]), align="right"),
                ]
            )
    return Table(header, body, [2.6, 5.6, 1.4, 6.4], font_pt=14)


def measures_table(
    measures: list[Measure],
    names: dict[int, str],
    analysis: Analysis | None,
    written: dict[str, str] | None = None,
) -> Table:
    """The five elements NACC asks for: measure, the analysis it answers, steps, period, responsible.
    ``written``: narratives a person wrote, by indicator id, over the engine's drafts."""
    narratives = {i.id: i.narrative_th for i in analysis.indicators} if analysis else {}
    for k, text in (written or {}).items():
        if text and text.strip():
            narratives[int(k)] = text.strip()
    header = [
        [
            Cell.of("มาตรการ/โครงการ/กิจกรรม"),
            Cell.of("ผลการวิเคราะห์ตัวชี้วัดที่สอดคล้อง"),
            Cell.of("ขั้นตอนหรือวิธีการดำเนินการ"),
            Cell.of("ระยะเวลาดำเนินการ"),
            Cell.of("ผู้รับผิดชอบ"),
        ]
    ]
    body = []
    for m in measures:
        answered = m.analysis or "\n".join(filter(None, (narratives.get(n) for n in m.indicators)))
        answered = answered or indicator_label(m, names)
        label = measure_label(m)
        if m.indicators:
            label += f"\n(ตัวชี้วัดที่ {thai_list(map(str, m.indicators))})"
        body.append(
            [
                text_cell(label),
                text_cell(answered),
                text_cell(m.steps),
                text_cell(m.period),
                text_cell(m.responsible),
            ]
        )
    return Table(header, body, [3.0, 4.4, 5.0, 2.0, 2.2], font_pt=14)
