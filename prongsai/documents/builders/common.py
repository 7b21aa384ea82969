"""What every builder shares: who the agency's officers are, the year a report is about, and the
measures table cells. Builders know the ITA and the agency, never a file format."""

from __future__ import annotations

from dataclasses import dataclass

from prongsai.documents.model import Cell, Paragraph, Run
from prongsai.interchange.models import Agency, Document, Measure

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


def report_year(doc: Document) -> int:
    """The fiscal year the measures run in: stated, else the year after the latest assessment."""
    if doc.report_fiscal_year:
        return doc.report_fiscal_year
    if doc.assessments:
        return max(a.fiscal_year for a in doc.assessments) + 1
    raise ValueError("the document states no report year and has no assessment to infer it from")


def text_cell(text: str | None, **kw) -> Cell:
    """A cell whose text keeps the document's line breaks (steps written as '- …' lines)."""
    lines = [line.strip() for line in (text or "-").splitlines() if line.strip()] or ["-"]
    return Cell([Paragraph([Run(line)], align="left", indent=False) for line in lines], **kw)


def measure_title(m: Measure) -> str:
    return f"{m.no}. {m.title}" if m.no is not None else m.title


def indicator_label(m: Measure, names: dict[int, str]) -> str:
    if not m.indicators:
        return "-"
    return "\n".join(f"ตัวชี้วัดที่ {n} {names.get(n, '')}".rstrip() for n in m.indicators)
