"""Measures from the measures tables: fields by column, numbers, status, evidence, rows split
over page breaks, two tables about the same measures, and a photo appendix after the table."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from rapidfuzz import fuzz

from prongsai.importers.recognise.tables import STATUS_ROLES, Prose, Row, Table, header_role
from prongsai.importers.recognise.text import clean, match_key, split_number
from prongsai.ita.edition import nearest_edition
from prongsai.thai.digits import to_arabic_digits

TEXT_FIELDS = ("title", "method", "responsible", "period", "result", "outcome", "suggestion", "monitoring")
MEASURE_ROLES = {"title", "method", "period", "responsible", "monitoring", "result", "outcome", "suggestion"}

_MARK = re.compile(r"^\s*[/✓✔√☑✗xX]\s*")
_URL = re.compile(r"(?:https?://|www\.)[^\s<>()\[\]\"']+", re.I)
_IMAGE = re.compile(r"\[image:[^\]]*\]")
_NOTE = re.compile(r"\((?:[^()]*(?:ตรวจสอบ|เว็บไซต์|เว็ปไซด์|เวปไซต์|หลักฐาน|ภาพถ่าย|เอกสาร)[^()]*)\)")


V = TypeVar("V")
# A measure's field: its number and indicator are whole numbers, everything else text.
MeasureValue = str | int


@dataclass
class FieldValue(Generic[V]):
    value: V
    lines: list[int]
    confidence: float


@dataclass
class MeasureDraft:
    fields: dict[str, FieldValue[MeasureValue]] = field(default_factory=dict)
    evidence: list[FieldValue[str]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    source_table: int = 0

    def get(self, name: str) -> MeasureValue | None:
        f = self.fields.get(name)
        return f.value if f else None

    def text(self, name: str) -> str:
        """A text field's value; "" when the field is absent."""
        value = self.get(name)
        return value if isinstance(value, str) else ""

    def set(self, name: str, value: MeasureValue | None, lines: list[int], confidence: float) -> None:
        if value in (None, ""):
            return
        self.fields[name] = FieldValue(value, sorted(set(lines)), confidence)

    def append_text(self, name: str, text: str, lines: list[int], confidence: float) -> None:
        old = self.fields.get(name)
        if not text:
            return
        if old is None:
            self.set(name, text, lines, confidence)
        else:
            old.value = f"{old.value} {text}"
            old.lines = sorted(set(old.lines + lines))
            old.confidence = min(old.confidence, confidence)


def is_measures_table(table: Table) -> bool:
    roles = table.header.role_set
    return "title" in roles and len(roles & (MEASURE_ROLES | set(STATUS_ROLES) | {"status"})) >= 2


def table_kind(table: Table) -> str:
    """'progress_report' when the table reports status or results, else 'measures_plan'."""
    return "progress_report" if table.has("result", "outcome", "status", *STATUS_ROLES) else "measures_plan"


_INDICATOR_NAMES: list[tuple[int, str]] | None = None


def _indicator_names() -> list[tuple[int, str]]:
    global _INDICATOR_NAMES
    if _INDICATOR_NAMES is None:
        names = []
        for year in (2568, 2567, 2566):
            for ind in nearest_edition(year).indicators:
                for name in [ind.name_th, *ind.name_th_alt]:
                    names.append((ind.id, match_key(name)))
        _INDICATOR_NAMES = names
    return _INDICATOR_NAMES


def indicator_heading(text: str) -> int | None:
    """'๑. การปฏิบัติหน้าที่' -> 1: a heading row naming an ITA indicator."""
    no, rest = split_number(text)
    key = match_key(rest)
    if not key or len(key) > 40:
        return None
    for ind, name in _indicator_names():
        if fuzz.ratio(key, name) >= 88 and (no is None or no == ind):
            return ind
    return None


_OPENING_INDICATOR = re.compile(r"^\s*ตัวชี้วัดที่\s*([0-9๐-๙]{1,2})(?![0-9๐-๙.])")
_INDICATOR_NO = re.compile(r"ตัวชี้วัดที่\s*([0-9๐-๙]{1,2})")


def indicator_in_cell(text: str) -> int | None:
    """'ตัวชี้วัดที่ 8 การปรับปรุงการทำงาน', '8', '๘. การปรับปรุงการทำงาน' -> 8."""
    if not text:
        return None
    m = _INDICATOR_NO.search(text)
    if m:
        n = int(to_arabic_digits(m.group(1)))
        return n if 1 <= n <= 10 else None
    bare = to_arabic_digits(text).strip().rstrip(".")
    if bare.isdecimal():
        return int(bare) if 1 <= int(bare) <= 10 else None
    return indicator_heading(text)


def _status_from_marks(table: Table, row: Row) -> tuple[str | None, list[tuple[str, list[int]]]]:
    """The one marked status column, and whatever else those cells say (evidence notes)."""
    marked, notes = [], []
    for role in STATUS_ROLES:
        cell = table.cell(row, role)
        if cell is None:
            continue
        text = cell.clean
        if _MARK.match(text):
            marked.append(role)
            text = _MARK.sub("", text, count=1)
        text = text.strip().strip("-").strip()
        if text:
            notes.append((text, cell.lines))
    return (marked[0] if len(marked) == 1 else None), notes


_NOT_STARTED = re.compile(r"ยังไม่(?:ได้)?(?:มีการ)?ดำเนินการ|ยังไม่ได้จัด|ยังไม่ได้ทำ")
_IN_PROGRESS = re.compile(r"อยู่ระหว่าง|กำลังดำเนินการ|แต่(?:ยัง)?ไม่ได้|บางส่วน|ยังไม่แล้วเสร็จ|ยังไม่เสร็จ")


def status_from_text(text: str) -> tuple[str | None, float]:
    """Status read from a result: not started, partly done, or reported as carried out."""
    if not text:
        return None, 0.0
    if _NOT_STARTED.search(text) and not re.search(r"แล้วเสร็จ|เรียบร้อย", text):
        return "not_started", 0.8
    if _IN_PROGRESS.search(text):
        return "in_progress", 0.7
    return "done", 0.7


def status_from_words(text: str) -> tuple[str | None, float]:
    """A status written out: the status column's own words, read like a result when unclear."""
    role, score = header_role(text)
    if role in STATUS_ROLES:
        return role, max(score, 0.85)
    return status_from_text(text) if len(text) > 3 else (None, 0.0)


def evidence_in(text: str) -> list[str]:
    """Links, image placeholders and verification notes, in the order written."""
    found = []
    for m in re.finditer(f"{_URL.pattern}|{_IMAGE.pattern}|{_NOTE.pattern}", text, re.I):
        found.append((m.start(), m.group(0).rstrip(".,;")))
    return [t for _, t in sorted(found)]


def _row_has_number(table: Table, row: Row) -> bool:
    for role in ("no", "title"):
        cell = table.cell(row, role)
        if cell is not None and cell.clean:
            if role == "no":
                return bool(re.match(r"^[0-9๐-๙]{1,2}\.?$", cell.clean))
            return split_number(cell.clean)[0] is not None
    return False


def measures_from_table(table: Table, index: int, ocr: bool) -> list[MeasureDraft]:
    base = 0.8 if ocr else 1.0
    conf = table.header.confidence * base
    numbered = sum(_row_has_number(table, r) for r in table.rows) >= max(2, len(table.rows) // 2)
    has_status = any(r in table.header.role_set for r in STATUS_ROLES)
    out: list[MeasureDraft] = []
    indicator: int | None = None
    for row in table.rows:
        title_cell = table.cell(row, "title")
        texts = [t for t in row.texts if t]
        if not texts:
            continue
        first = row.texts[0] if row.texts else ""
        only_first = len(texts) == 1 and first
        if only_first and indicator_heading(first) is not None:
            indicator = indicator_heading(first)  # 003: the indicator row above its measures
            continue
        if title_cell is None:
            continue
        if out and _is_continuation(table, row, numbered, has_status):
            _merge_into(out[-1], table, row, conf * 0.85)
            continue
        m = MeasureDraft(lines=row.lines, source_table=index)
        no, title = split_number(title_cell.clean)
        no_cell = table.cell(row, "no")
        if no_cell is not None and no is None:
            no, _ = split_number(no_cell.clean + " ")
        if not title.strip():
            if out:  # an unnumbered row whose title cell is empty continues the one above
                _merge_into(out[-1], table, row, conf * 0.8)
            continue
        if row.spill:  # a title too long for its cell went on under the row (b01)
            title = " ".join([title, *(clean(t) for t, _ in row.spill)])
        m.set("title", clean(title), title_cell.lines + [n for _, n in row.spill], conf)
        if no is not None:
            m.set("no", no, title_cell.lines, conf)
        elif indicator is not None:
            m.set("no", indicator, title_cell.lines, conf * 0.9)
        ind_cell = table.cell(row, "indicator")
        linked = indicator_in_cell(ind_cell.clean) if ind_cell is not None else None
        if linked is None and ind_cell is None:
            # An analysis column without a header we know ('ประเด็นจากผลการวิเคราะห์') whose cell
            # opens with the indicator it discusses: 'ตัวชี้วัดที่ ๙ การเปิดเผยข้อมูล ได้ …'.
            for col, role in enumerate(table.header.roles):
                if role is None and col < len(row.cells):
                    opening = _OPENING_INDICATOR.match(row.cells[col].clean)
                    if opening:
                        ind_cell = row.cells[col]
                        linked = int(to_arabic_digits(opening.group(1)))
                        linked = linked if 1 <= linked <= 10 else None
                        break
        if linked is not None and ind_cell is not None:  # the cell it was read from
            m.set("indicator", linked, ind_cell.lines, conf * 0.9)
        elif indicator is not None:
            m.set("indicator", indicator, title_cell.lines, conf * 0.9)
        for role in TEXT_FIELDS[1:]:
            cell = table.cell(row, role)
            if cell is not None and cell.clean:
                m.set(role, cell.clean, cell.lines, conf)
        _status_and_evidence(m, table, row, conf)
        out.append(m)
    _spilled_fragments(out)
    if table.has("responsible"):
        # A responsible cell merged down over several rows is printed once, in its first row; the
        # rows under it have an empty cell (D_35/D_38: Word's vertical merge).
        for above, m in itertools.pairwise(out):
            if m.get("responsible") is None and above.fields.get("responsible") is not None:
                fv = above.fields["responsible"]
                m.set("responsible", fv.value, fv.lines, fv.confidence * 0.6)
    return out


def _is_continuation(table: Table, row: Row, numbered: bool, has_status: bool) -> bool:
    """A row split over a page break: after the break, without its own number (numbered tables)
    or with every status column empty (status tables)."""
    if not row.page_break_before:
        return False
    if numbered:
        return not _row_has_number(table, row)
    if has_status:
        return all(not ((c := table.cell(row, r)) and c.text.strip()) for r in STATUS_ROLES)
    return False


def _merge_into(m: MeasureDraft, table: Table, row: Row, conf: float) -> None:
    for role in TEXT_FIELDS:
        cell = table.cell(row, role)
        if cell is not None and cell.clean:
            m.append_text(role, clean(cell.clean), cell.lines, conf)
    m.lines = sorted(set(m.lines + row.lines))
    if m.get("status") is None:
        _status_and_evidence(m, table, row, conf)


def _status_and_evidence(m: MeasureDraft, table: Table, row: Row, conf: float) -> None:
    status, notes = _status_from_marks(table, row)
    if status:
        m.set("status", status, row.lines, min(conf, 0.95))
    words = table.cell(row, "status")
    if status is None and words is not None and words.clean:
        # One สถานะ column written in words ('ดำเนินการแล้ว', 'อยู่ระหว่างดำเนินการ').
        st, c = status_from_words(words.clean)
        if st:
            m.set("status", st, words.lines, min(conf, c))
    for text, lines in notes:
        for ev in evidence_in(text) or [text]:
            m.evidence.append(FieldValue(ev, lines, conf * 0.9))
    for role in ("evidence",):
        cell = table.cell(row, role)
        if cell is not None and cell.clean.strip("-–— "):  # '-' is an empty cell
            for ev in evidence_in(cell.clean) or [cell.clean]:
                m.evidence.append(FieldValue(ev, cell.lines, conf * 0.9))
    for role in ("result", "outcome"):
        cell = table.cell(row, role)
        if cell is not None and cell.clean:
            for ev in evidence_in(cell.clean):
                if _URL.match(ev):
                    m.evidence.append(FieldValue(ev, cell.lines, conf * 0.8))
    if m.get("status") is None and not any(r in table.header.role_set for r in STATUS_ROLES):
        st, c = status_from_text(m.text("result"))
        if st:
            m.set("status", st, m.fields["result"].lines, c * conf)


def _spilled_fragments(measures: list[MeasureDraft]) -> None:
    """A column printed once per page as a merged cell leaves a bare year in the next row
    (001: '๒๕๖๔' under the monitoring of row 6 ends row 5's text): give it back."""
    for prev, cur in itertools.pairwise(measures):
        for role in ("monitoring", "period", "responsible"):
            f = cur.fields.get(role)
            if f and re.fullmatch(r"[0-9๐-๙]{2,4}", str(f.value)) and prev.get(role):
                prev.append_text(role, str(f.value), f.lines, f.confidence * 0.8)
                del cur.fields[role]


def merge_tables(groups: list[list[MeasureDraft]]) -> list[MeasureDraft]:
    """Two tables about the same measures (a plan table, then a status table) become one list:
    what the first says wins; the second adds status, results and evidence."""
    if not groups:
        return []
    merged = list(groups[0])
    for group in groups[1:]:
        pairs = _align(merged, group)
        if pairs is None:
            merged.extend(group)
            continue
        for target, extra in pairs:
            for name, value in extra.fields.items():
                if name not in target.fields:
                    target.fields[name] = value
            target.evidence.extend(extra.evidence)
            target.lines = sorted(set(target.lines + extra.lines))
    return merged


def _similar(a: MeasureDraft, b: MeasureDraft) -> float:
    return fuzz.token_set_ratio(match_key(a.text("title")), match_key(b.text("title")))


def _align(
    first: list[MeasureDraft], second: list[MeasureDraft]
) -> list[tuple[MeasureDraft, MeasureDraft]] | None:
    if not second:
        return []
    if len(first) == len(second):
        scores = [_similar(a, b) for a, b in zip(first, second, strict=True)]
        if sum(scores) / len(scores) >= 55:
            return list(zip(first, second, strict=True))
    pairs, used = [], set()
    for b in second:
        best = max(
            ((i, _similar(a, b)) for i, a in enumerate(first) if i not in used),
            key=lambda t: t[1],
            default=None,
        )
        if best and best[1] >= 70:
            used.add(best[0])
            pairs.append((first[best[0]], b))
    return pairs if len(pairs) >= max(1, len(second) // 2) else None


def appendix_evidence(measures: list[MeasureDraft], prose: list[Prose], after_line: int) -> None:
    """Photos and links in an appendix after the table, under headings that repeat the measures."""
    current: MeasureDraft | None = None
    by_no = {m.get("no"): m for m in measures if m.get("no") is not None}
    for p in prose:
        if p.line <= after_line:
            continue
        text = clean(p.text)
        if not text:
            continue
        no, rest = split_number(text)
        heading = _heading_match(measures, by_no, no, rest)
        if heading is not None:
            current = heading
            continue
        if current is None:
            continue
        for ev in evidence_in(text):
            if not _NOTE.fullmatch(ev):
                current.evidence.append(FieldValue(ev, [p.line], 0.7))


def _heading_match(
    measures: list[MeasureDraft], by_no: dict[MeasureValue | None, MeasureDraft], no: int | None, rest: str
) -> MeasureDraft | None:
    key = match_key(rest)
    if len(key) < 8 or no not in by_no:
        return None  # captions ('1.1 มีการ…') and unnumbered lines are not headings
    for m in [by_no[no]]:
        title = match_key(m.text("title"))
        if title and fuzz.partial_ratio(key[:60], title) >= 85:
            return m
    return None
