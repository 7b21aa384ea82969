"""Text lines -> an import draft: every field with its source lines and a confidence.

The draft's data is in the ground-truth schema of ../shared/seeds/truth (a valid interchange
``prongsai/1`` document); ``provenance`` maps each field path to where it came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, TypedDict, TypeVar

from prongsai.importers.errors import ImportFailure
from prongsai.importers.recognise.agency import MemoDraft, find_agency, find_memo, report_year
from prongsai.importers.recognise.measures import (
    FieldValue,
    MeasureDraft,
    appendix_evidence,
    is_measures_table,
    measures_from_table,
    merge_tables,
    table_kind,
)
from prongsai.importers.recognise.measures_text import measures_from_text, text_measures_kinds
from prongsai.importers.recognise.scores import (
    Scores,
    YearScores,
    scores_from_prose,
    scores_from_running_text,
    scores_from_tables,
    scores_from_year_rows,
)
from prongsai.importers.recognise.tables import Prose, Table, read_items, segment
from prongsai.importers.recognise.text import THAI, match_key
from prongsai.thai.digits import to_arabic_digits

_ANY_YEAR = re.compile(r"(?<!\d)(2[4-7]\d\d)(?!\d)")  # also misprints like ๒๖๖๖
TOOLS = ("IIT", "EIT", "EIT_1", "EIT_2", "OIT")
KIND_ORDER = ["analysis", "measures_plan", "progress_report", "memo"]
MEASURE_KEYS = ["no", "title", "method", "responsible", "period", "indicator", "status"]
MEASURE_KEYS += ["result", "outcome", "suggestion", "monitoring"]
_FFFD = "\ufffd"
# A title line that names the analysis ('รายงานการวิเคราะห์ผลการประเมิน …'), not a sentence
# that mentions one ('ตามที่ … ได้วิเคราะห์ผลการประเมิน …').
_ANALYSIS_TITLE = re.compile(r"^(?:\S*\s)?(?:รายงาน)?(?:ผล)?(?:การ)?วิเคราะห์ผล|^Analysis of\b", re.I | re.M)
_FLOATING_MARK = re.compile(r"(?:^|(?<=\s))[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]", re.M)
# English text about a Thai agency's ITA (news, English pages, annual reports) is read too.
_ENGLISH_ITA = re.compile(r"\bITA\b|Integrity\s*(?:and|&)\s*Transparency\s*Assessment", re.I)
_ITA_WORDS = ("คุณธรรมและความโปร่งใส", "ita", "มาตรการ", "ป.ป.ช", "การประเมินคุณธรรม")


V = TypeVar("V")


class Provenance(TypedDict):
    """Where a field of the draft came from: its source lines and how sure the importer is."""

    lines: list[int]
    confidence: float


class Note(TypedDict):
    """One of the importer's own notes, English and Thai, with the lines it is about."""

    code: str
    message_en: str
    message_th: str
    lines: list[int]


@dataclass
class Draft:
    data: dict[str, Any]  # the ground-truth schema: JSON values
    provenance: dict[str, Provenance] = field(default_factory=dict)
    findings: list[Note] = field(default_factory=list)

    def lines_of(self, path: str) -> list[int]:
        """The source lines of a field; none when the field was not read."""
        source = self.provenance.get(path)
        return source["lines"] if source else []

    def note(self, code: str, message_en: str, message_th: str, lines: list[int]) -> None:
        self.findings.append(
            {"code": code, "message_en": message_en, "message_th": message_th, "lines": lines}
        )


def _put(draft: Draft, path: str, fv: FieldValue[V] | None, confidence_cap: float = 1.0) -> V | None:
    if fv is None:
        return None
    draft.provenance[path] = {"lines": fv.lines, "confidence": round(min(fv.confidence, confidence_cap), 2)}
    return fv.value


def check_is_ita_report(lines: list[str], source: str | None) -> None:
    text = "\n".join(lines)
    letters = sum(map(str.isalpha, text))
    if not letters:
        raise ImportFailure("no_text", "the file has no readable text", "ไฟล์ไม่มีข้อความที่อ่านได้", source=source)
    if len(THAI.findall(text)) / letters < 0.2 and not _ENGLISH_ITA.search(text):
        raise ImportFailure(
            "not_thai",
            "the text is not Thai; only Thai ITA reports can be imported",
            "เอกสารนี้ไม่ใช่ภาษาไทย นำเข้าได้เฉพาะรายงาน ITA ภาษาไทย",
            source=source,
        )
    key = match_key(text)
    if not any(word in key for word in _ITA_WORDS) and not _ENGLISH_ITA.search(text):
        raise ImportFailure(
            "not_an_ita_report",
            "no ITA report content found (no measures, scores or mention of the integrity and "
            "transparency assessment)",
            "ไม่พบเนื้อหารายงาน ITA (ไม่มีมาตรการ คะแนน หรือการกล่าวถึงการประเมินคุณธรรมและความโปร่งใส)",
            source=source,
        )


# Invisible format characters: word joiners that keep a name on one line, zero-width spaces that
# Thai word processors put between words, a BOM. They never belong to a value; line numbers stay.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))


def recognise(lines: list[str], *, source: str | None = None, ocr: bool = False) -> Draft:
    lines = [line.translate(_INVISIBLE) for line in lines]
    check_is_ita_report(lines, source)
    conf = 0.8 if ocr else 1.0
    items = read_items(lines)
    tables, outside = segment(items)
    prose = [i for i in outside if isinstance(i, Prose)]
    # Tab rows outside any table are prose too (000 opens with a paragraph indented by tabs).
    text_outside = [
        p
        for i in outside
        for p in ([i] if isinstance(i, Prose) else [Prose(c.text, c.lines[0]) for c in i.cells])
    ]

    memo = find_memo(lines, conf)
    agency = find_agency(lines, memo.fields.get("unit") if memo else None, conf)
    scores = Scores()
    scores_from_tables(tables, prose, scores, conf)
    scores_from_prose(text_outside, scores, conf)
    # Analysis cells of a measures table ('ตัวชี้วัดที่ ๑ … ได้ ๙๘.๑๐ คะแนน …') state scores too.
    in_cells = [
        Prose(c.text, c.lines[0])
        for t in tables
        if is_measures_table(t)
        for r in t.rows
        for col, c in enumerate(r.cells)
        if col < len(t.header.roles) and t.header.roles[col] is None and c.text and c.lines
    ]
    scores_from_running_text(text_outside + in_cells, scores, conf)
    scores_from_year_rows(lines, scores, conf)

    groups: list[list[MeasureDraft]] = []
    kinds: set[str] = set()
    last_table_line = 0
    tables = _join_across_page_furniture(tables, lines)
    for index, table in enumerate(tables):
        if not is_measures_table(table):
            continue
        ms = measures_from_table(table, index, ocr)
        if ms:
            groups.append(ms)
            kinds.add(table_kind(table))
            last_table_line = max(last_table_line, max(r.lines[-1] for r in table.rows))
    measures = merge_tables(groups)
    appendix_evidence(measures, prose, last_table_line)
    if not measures:
        # Measures set out as numbered lines, headings and labelled sub-lines instead of a table.
        in_tables = {n for t in tables for r in (*t.header.rows, *t.rows) for n in r.lines}
        measures = measures_from_text(lines, in_tables, conf)
        if measures:
            kinds |= text_measures_kinds(measures)
    if scores.from_tables:
        kinds.add("analysis")
    heading = "\n".join([t for t in (line.strip() for line in lines) if t][:4])
    broken_down = any(ys.indicators for ys in scores.by_year.values())
    if _ANALYSIS_TITLE.search(heading) or (broken_down and any(m.get("indicator") for m in measures)):
        # An analysis by its title, or measures set against the indicator scores they answer.
        kinds.add("analysis")
    if memo is not None and memo.found:
        kinds.add("memo")

    draft = Draft(data={})
    d = draft.data
    d["source"] = source
    d["kinds"] = [k for k in KIND_ORDER if k in kinds]
    d["agency"] = {
        "name": _put(draft, "agency.name", agency.name) or "",
        "type": _put(draft, "agency.type", agency.type),
        "district": _put(draft, "agency.district", agency.district),
        "province": _put(draft, "agency.province", agency.province),
    }
    assessed = set(scores.by_year)
    # A bare result announcement is about an assessed year, not a report for a fiscal year: the
    # report's year is given only when it sets out measures, reports on them, is a memo, or
    # analyses results looking to a later year.
    about_a_year = bool(measures) or bool(set(d["kinds"]) - {"analysis"})
    year_fv = report_year(lines, memo, assessed) if d["kinds"] or measures else None
    if not about_a_year and year_fv is not None and year_fv.value in assessed:
        year_fv = None  # an analysis only of assessed years names no year of its own
    d["report_fiscal_year_be"] = _put(draft, "report_fiscal_year_be", year_fv)
    d["assessments"] = [
        _assessment(draft, i, scores.by_year[y]) for i, y in enumerate(sorted(scores.by_year))
    ]
    d["memo"] = _memo(draft, memo) if memo is not None and memo.found else None
    d["measures"] = [_measure(draft, i, m) for i, m in enumerate(measures)]
    d["inconsistencies"] = []
    for f in scores.findings:
        draft.note(f.code, f.message_en, f.message_th, f.lines)
    for other, line in agency.other_names:
        draft.note(
            "conflicting_agency_name",
            f"the agency is also named '{other}' (line {line}); "
            f"'{d['agency']['name']}' from the heading is kept",
            f"ชื่อหน่วยงานพิมพ์เป็น '{other}' (บรรทัด {line}) ใช้ '{d['agency']['name']}' ตามหัวเรื่อง",
            [line],
        )
    if not d["agency"]["name"]:
        draft.note(
            "agency_not_found",
            "no agency name found; enter it before accepting the draft",
            "ไม่พบชื่อหน่วยงาน กรุณากรอกก่อนยืนยันร่าง",
            [],
        )
    if ocr and d["assessments"]:
        # Tesseract's Thai model misreads Thai digits (๒๕๖๘ as ๒๕๒๕): every number needs a look.
        for path, prov in draft.provenance.items():
            if path.startswith("assessments"):
                prov["confidence"] = min(prov["confidence"], 0.5)
        draft.note(
            "numbers_from_ocr",
            "the scores were read by OCR, which often misreads Thai digits; check each against the scan",
            "คะแนนอ่านด้วย OCR ซึ่งมักอ่านเลขไทยผิด กรุณาตรวจทุกค่ากับเอกสารต้นฉบับ",
            [],
        )
    whole = "\n".join(lines)
    if _FFFD in whole or len(_FLOATING_MARK.findall(whole)) >= 3:
        # A text layer with unmapped glyphs (U+FFFD) or marks floating on their own: what could be
        # read is kept, every value at low confidence for the reviewer.
        for prov in draft.provenance.values():
            prov["confidence"] = min(prov["confidence"], 0.5)
        draft.note(
            "damaged_text",
            "the extracted text is damaged (unreadable characters or detached Thai marks); "
            "check every value against the original",
            "ข้อความที่อ่านได้มีตัวอักษรเสียหาย กรุณาตรวจทุกค่ากับเอกสารต้นฉบับ",
            [],
        )
    if not (d["assessments"] or d["measures"] or d["memo"]):
        # An ITA page in a form the importer does not know: the draft keeps what was found (the
        # agency, the year), every value at low confidence, and says so.
        for prov in draft.provenance.values():
            prov["confidence"] = min(prov["confidence"], 0.5)
        draft.note(
            "nothing_recognised",
            "no scores, measures or memo were recognised in this document; enter them by hand "
            "or check that it is an ITA report",
            "ไม่พบคะแนน มาตรการ หรือบันทึกข้อความในเอกสารนี้ กรุณากรอกเองหรือตรวจสอบว่าเป็นรายงาน ITA",
            [],
        )
    _year_checks(draft, lines)
    d["inconsistencies"] = [f["message_en"] for f in draft.findings]
    return draft


def _join_across_page_furniture(tables: list[Table], lines: list[str]) -> list[Table]:
    """A measures table whose header is repeated on the next page after a running footer and
    header ('เทศบาลตำบล… หน้า /', '2 3', the document's title) is one table: its first row there
    may be the rest of the row the page cut (Word-made PDFs)."""
    out: list[Table] = []
    for table in tables:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.rows
            and table.rows
            and is_measures_table(prev)
            and table.header.roles == prev.header.roles
            and table.first_line - prev.rows[-1].lines[-1] <= 8
            and all(len(lines[n - 1]) <= 120 for n in range(prev.rows[-1].lines[-1] + 1, table.first_line))
        ):
            table.rows[0].page_break_before = True
            out[-1] = Table(prev.header, prev.rows + table.rows, prev.context_lines)
            continue
        out.append(table)
    return out


def _assessment(draft: Draft, i: int, ys: YearScores) -> dict[str, Any]:
    p = f"assessments[{i}]"
    out: dict[str, Any] = {
        "year_be": ys.year,
        "overall": _put(draft, f"{p}.overall", ys.overall),
        "level": _put(draft, f"{p}.level", ys.level),
        "tools": {
            t: _put(draft, f"{p}.tools.{t}", ys.tools.get(t)) for t in ("IIT", "EIT", "EIT_1", "EIT_2", "OIT")
        },
        "indicators": {
            k: _put(draft, f"{p}.indicators.{k}", v)
            for k, v in sorted(ys.indicators.items(), key=lambda t: int(t[0]))
        },
        "items": {k: _put(draft, f"{p}.items.{k}", v) for k, v in ys.items.items()},
    }
    if ys.stated_changes:
        out["stated_changes"] = ys.stated_changes
    return out


def _memo(draft: Draft, memo: MemoDraft) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in ("unit", "ref_no", "date", "subject", "to"):
        if key == "date":
            date = _put(draft, "memo.date", memo.date)
            out[key] = date.isoformat() if date is not None else None
        else:
            out[key] = _put(draft, f"memo.{key}", memo.fields.get(key))
    out["signers"] = [
        {
            "name": _put(draft, f"memo.signers[{i}].name", s["name"]),
            "position": _put(draft, f"memo.signers[{i}].position", s["position"]),
        }
        for i, s in enumerate(memo.signers)
    ]
    return out


def _measure(draft: Draft, i: int, m: MeasureDraft) -> dict[str, Any]:
    p = f"measures[{i}]"
    out: dict[str, Any] = {key: _put(draft, f"{p}.{key}", m.fields.get(key)) for key in MEASURE_KEYS}
    evidence = []
    for k, ev in enumerate(m.evidence):
        draft.provenance[f"{p}.evidence[{k}]"] = {"lines": ev.lines, "confidence": round(ev.confidence, 2)}
        evidence.append(ev.value)
    out["evidence"] = evidence
    return out


def _year_checks(draft: Draft, lines: list[str]) -> None:
    """Conflicting years: results of a year after the report's own, and years in a measure's
    period far from the report's (001 prints ๒๕๖๗ in a 2564 memo; 002 prints ๒๖๖๖)."""
    d = draft.data
    report = d["report_fiscal_year_be"]
    if report is None:
        return
    for i, a in enumerate(d["assessments"]):
        if a["year_be"] > report:
            where = draft.lines_of(f"assessments[{i}].overall")
            draft.note(
                "assessed_after_report_year",
                f"results are given for {a['year_be']}, after the report's fiscal year {report}; "
                "one of the two years is probably misprinted",
                f"ผลการประเมินระบุปี {a['year_be']} ซึ่งหลังปีงบประมาณของรายงาน ({report}) ปีใดปีหนึ่งอาจพิมพ์ผิด",
                where,
            )
    for i, m in enumerate(d["measures"]):
        for y in (int(y) for y in _ANY_YEAR.findall(to_arabic_digits(m.get("period") or ""))):
            if not report - 2 <= y <= report + 1:
                draft.note(
                    "implausible_year",
                    f"measure {m.get('no') or i + 1}: the period names the year {y}, "
                    f"far from the report's fiscal year {report}",
                    f"มาตรการที่ {m.get('no') or i + 1}: ระยะเวลาระบุปี {y} "
                    f"ซึ่งห่างจากปีงบประมาณของรายงาน ({report})",
                    draft.lines_of(f"measures[{i}].period"),
                )
