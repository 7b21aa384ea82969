"""Published ITA scores: overall and level from sentences, tools / indicators / items from tables.

Values are taken as printed (no recomputation); the engine checks them afterwards.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from prongsai.importers.recognise.measures import FieldValue, indicator_heading
from prongsai.importers.recognise.tables import Prose, Row, Table
from prongsai.importers.recognise.text import clean, number, years
from prongsai.thai.digits import to_arabic_digits

LEVELS = ["ผ่านดีเยี่ยม", "ผ่านดี", "ไม่ผ่าน", "ผ่าน", "AA", "A", "B", "C", "D", "E", "F"]
_LEVEL = re.compile(
    r"อยู่ใน\s*ระดับ\s*(?:ผลการประเมิน\s*)?[(\"“]?\s*(" + "|".join(LEVELS) + r")(?![A-Za-z])\s*[)\"”]?"
)
_OVERALL = re.compile(
    r"(?:มีค่าคะแนน(?:\s*เท่ากับ)?"
    r"|ได้(?:รับ)?(?:ผล)?(?:ค่า)?คะแนน(?:ภาพรวม|รวม|(ต่ำสุด|สูงสุด|ต่ำที่สุด|สูงที่สุด))?(?:\s*(?:เท่ากับ|คือ))?"
    r"|ได้(?=\s*\d{1,3}\.\d{1,2}\s*คะแนน)"  # 'ซึ่งได้ ๘๗.๙๐ คะแนน'"
    r"|ได้(?:รับ)?ผลการประเมิน(?:ในภาพรวม|ภาพรวม)?(?:\s*เท่ากับ)?|คะแนน(?:ภาพรวม|รวม)(?:\s*เท่ากับ)?"
    r"|ผลการประเมิน(?:ในภาพรวม|ภาพรวม)(?:\s*เท่ากับ|\s*ได้)?)"
    r"\s*(?:คะแนน\s*)?(\d{1,3}(?:\.\d{1,2})?)(?!\d)"
)
_YEAR_MENTION = re.compile(r"(?:พ\s*\.\s*ศ\s*\.?|ปีงบประมาณ|ประจำปี|ปี)\s*(25\d\d)(?!\d)")
# An OIT item printed with the Thai digit ๐ (or 0) for the letter O reads as o: ๐๑๖ -> o16.
_ITEM_ID = re.compile(r"^\s*(?:([ieoIEO])|[๐0])\s*([0-9๐-๙]{1,2})(?![0-9๐-๙.])")
_TOOL_NAMES = [
    ("EIT_1", re.compile(r"EIT\s*(?:ส่วนที่|ส่วน|part)\s*(?:1|๑)", re.I)),
    ("EIT_2", re.compile(r"EIT\s*(?:ส่วนที่|ส่วน|part)\s*(?:2|๒)", re.I)),
    ("IIT", re.compile(r"\bIIT\b|ภายใน", re.I)),
    ("EIT", re.compile(r"\bEIT\b|ภายนอก", re.I)),
    ("OIT", re.compile(r"\bOIT\b|เปิดเผยข้อมูล", re.I)),
    ("overall", re.compile(r"ภาพรวม|รวม|overall", re.I)),
]


@dataclass
class YearScores:
    year: int
    overall: FieldValue | None = None
    level: FieldValue | None = None
    tools: dict[str, FieldValue] = field(default_factory=dict)
    indicators: dict[str, FieldValue] = field(default_factory=dict)
    items: dict[str, FieldValue] = field(default_factory=dict)
    stated_changes: dict[str, dict[str, float] | float] = field(default_factory=dict)


@dataclass
class ScoreFinding:
    code: str
    message_en: str
    message_th: str
    lines: list[int]


class Scores:
    def __init__(self) -> None:
        self.by_year: dict[int, YearScores] = {}
        self.findings: list[ScoreFinding] = []
        self.from_tables = False

    def year(self, year: int) -> YearScores:
        return self.by_year.setdefault(year, YearScores(year))

    def put(self, year: int, kind: str, key: str | None, value: FieldValue) -> None:
        ys = self.year(year)
        if kind in ("overall", "level"):
            old = getattr(ys, kind)
            if old is None:
                setattr(ys, kind, value)
            elif old.value != value.value:
                self._conflict(year, kind, old, value)
            return
        target: dict[str, FieldValue] = getattr(ys, kind)
        old = target.get(key)
        if old is None:
            target[key] = value
        elif old.value != value.value:
            self._conflict(year, f"{kind}.{key}", old, value)

    def _conflict(self, year: int, path: str, first: FieldValue, second: FieldValue) -> None:
        self.findings.append(
            ScoreFinding(
                "printed_twice_differently",
                f"{path} for {year} is printed as {first.value} (line {first.lines[0]}) and as "
                f"{second.value} (line {second.lines[0]}); the first is kept",
                f"{path} ปี {year} พิมพ์ไว้สองค่า: {first.value} (บรรทัด {first.lines[0]}) และ "
                f"{second.value} (บรรทัด {second.lines[0]}) ใช้ค่าแรก",
                first.lines + second.lines,
            )
        )


def scores_from_prose(prose: list[Prose], scores: Scores, conf: float) -> None:
    """'… ประจำปีงบประมาณ พ.ศ.2563 … มีค่าคะแนนเท่ากับ 51.12 อยู่ในระดับ C'.

    The score belongs to what its clause names last (a tool, an indicator, else the whole
    assessment). Its year is the last one named before it on the line, else the year of the
    first score read (the assessment the report is about), else the year of the heading above."""
    context_year: int | None = None
    primary_year: int | None = None  # the year of the first score read: the report's subject
    for p in prose:
        text = to_arabic_digits(p.text)
        clause_start = 0
        # 'ได้คะแนน…' appears in many sentences: an overall score needs the ITA named on its line
        # or a level after it.
        about_ita = bool(re.search(r"ITA|คุณธรรมและความโปร่งใส|ภาพรวม|ตัวชี้วัด|แบบวัด", text))
        for m in _OVERALL.finditer(text):
            mentioned = [int(y.group(1)) for y in _YEAR_MENTION.finditer(text, 0, m.start())]
            year = mentioned[-1] if mentioned else (primary_year or context_year)
            # The cue sits just before its score ('… (IIT) ได้คะแนน 92.10'); a tool named earlier in
            # a long paragraph is not this score's subject.
            subject = _subject(text[max(clause_start, m.start() - 80) : m.start()])
            clause_start = m.end()
            value = float(m.group(2))
            if year is None or not 0 <= value <= 100 or (m.group(1) and subject[0] == "overall"):
                continue  # 'ได้คะแนนสูงสุด 100' of nothing named is not the overall score
            fv = FieldValue(value, [p.line], 0.85 * conf)
            if subject[0] == "overall":
                level = _LEVEL.match(text, m.end()) or _LEVEL.match(text, _skip_unit(text, m.end()))
                if not (about_ita or level):
                    continue
                scores.put(year, "overall", None, fv)
                if level:
                    scores.put(year, "level", None, FieldValue(level.group(1), [p.line], 0.85 * conf))
            else:
                scores.put(year, subject[0], subject[1], FieldValue(value, [p.line], 0.75 * conf))
            primary_year = primary_year or year
        if _is_heading(text):
            found = [int(y.group(1)) for y in _YEAR_MENTION.finditer(text)]
            if found:
                context_year = found[-1]


_TOOL_CUES = [
    ("IIT", re.compile(r"\bIIT\b|ผู้มีส่วนได้(?:ส่วน)?เสียภายใน")),
    ("EIT", re.compile(r"\bEIT\b|ผู้มีส่วนได้(?:ส่วน)?เสียภายนอก")),
    ("OIT", re.compile(r"\bOIT\b|การเปิดเผยข้อมูลสาธารณะ")),
]
_INDICATOR_CUE = re.compile(r"ตัวชี้วัดที่\s*(\d{1,2})(?!\d)")


def _subject(clause: str) -> tuple[str, str | None]:
    """What a clause names last before its score: ('tools', 'IIT'), ('indicators', '9') or overall."""
    best: tuple[int, str, str | None] = (-1, "overall", None)
    for tool, rx in _TOOL_CUES:
        for m in rx.finditer(clause):
            if m.start() > best[0]:
                best = (m.start(), "tools", tool)
    for m in _INDICATOR_CUE.finditer(clause):
        if m.start() > best[0] and 1 <= int(m.group(1)) <= 10:
            best = (m.start(), "indicators", str(int(m.group(1))))
    return best[1], best[2]


def _skip_unit(text: str, pos: int) -> int:
    m = re.compile(r"\s*คะแนน\s*").match(text, pos)
    return m.end() if m else pos


def _is_heading(text: str) -> bool:
    t = clean(text)
    return 0 < len(t) <= 160 and not _OVERALL.search(t)


def scores_from_tables(tables: list[Table], prose: list[Prose], scores: Scores, conf: float) -> None:
    for table in tables:
        roles = table.header.role_set
        if "tool" in roles and table.header.years:
            _tools_table(table, scores, conf)
        elif "indicator" in roles and table.header.years:
            _indicator_table(table, scores, conf)
        elif "indicator" in roles and "score" in roles:
            _items_table(table, _year_above(table, prose), scores, conf)


def _year_columns(table: Table) -> dict[int, int]:
    return dict(sorted(table.header.years.items()))


def _diff_column(table: Table) -> int | None:
    return next((c for c, r in enumerate(table.header.roles) if r == "diff"), None)


def _tools_table(table: Table, scores: Scores, conf: float) -> None:
    cols = _year_columns(table)
    diff = _diff_column(table)
    for row in table.rows:
        name = row.texts[0] if row.texts else ""
        tool = next((t for t, rx in _TOOL_NAMES if rx.search(name)), None)
        if tool is None:
            continue
        for col, year in cols.items():
            value = number(row.texts[col]) if col < len(row.texts) else None
            if value is None or value < 0:
                continue
            fv = FieldValue(value, row.lines, 0.95 * conf)
            scores.put(year, "overall" if tool == "overall" else "tools", tool, fv)
            scores.from_tables = True
        if diff is not None and diff < len(row.texts) and cols:
            change = number(row.texts[diff])
            if change is not None:
                latest = scores.year(max(cols.values())).stated_changes
                if tool == "overall":
                    latest["overall"] = change
                else:
                    latest.setdefault("tools", {})[tool] = change


def _indicator_table(table: Table, scores: Scores, conf: float) -> None:
    cols = _year_columns(table)
    diff = _diff_column(table)
    for row in table.rows:
        ind = _indicator_of(row)
        if ind is None:
            continue
        for col, year in cols.items():
            value = number(row.texts[col]) if col < len(row.texts) else None
            if value is not None and value >= 0:
                scores.put(year, "indicators", str(ind), FieldValue(value, row.lines, 0.95 * conf))
                scores.from_tables = True
        if diff is not None and diff < len(row.texts) and cols:
            change = number(row.texts[diff])
            if change is not None:
                latest = scores.year(max(cols.values())).stated_changes
                latest.setdefault("indicators", {})[str(ind)] = change


def _indicator_of(row: Row) -> int | None:
    texts = row.texts
    if not texts:
        return None
    first = to_arabic_digits(texts[0]).strip().rstrip(".")
    if first.isdigit() and 1 <= int(first) <= 10:
        return int(first)
    return indicator_heading(texts[0])


def _items_table(table: Table, year: int | None, scores: Scores, conf: float) -> None:
    if year is None:
        return
    score_col = next(c for c, r in enumerate(table.header.roles) if r == "score")
    printed_indicators: dict[str, FieldValue] = {}
    for row in table.rows:
        texts = row.texts
        value = number(texts[score_col]) if score_col < len(texts) else None
        item = None
        for text in texts[:2]:
            m = _ITEM_ID.match(text)
            if m:
                letter = (m.group(1) or "o").lower()
                item = f"{letter}{int(to_arabic_digits(m.group(2)))}"
                break
        if item and value is not None and 0 <= value <= 100:
            scores.put(year, "items", item, FieldValue(value, row.lines, 0.9 * conf))
            scores.from_tables = True
            continue
        ind = indicator_heading(texts[0]) if texts else None
        if ind is not None and value is not None:
            printed_indicators[str(ind)] = FieldValue(value, row.lines, 0.85 * conf)
    ys = scores.year(year)
    scores.from_tables |= bool(printed_indicators)
    for key, fv in printed_indicators.items():
        # The section-2 indicator table is the reference; a second printing only fills gaps.
        if key not in ys.indicators:
            ys.indicators[key] = fv
        elif ys.indicators[key].value != fv.value:
            scores._conflict(year, f"indicators.{key}", ys.indicators[key], fv)


def _year_above(table: Table, prose: list[Prose]) -> int | None:
    """The year of the nearest heading above a table that has no year columns (003 section 4)."""
    found = None
    for p in prose:
        if p.line >= table.first_line:
            break
        if _is_heading(p.text):
            ys = years(p.text)
            if ys:
                found = ys[-1]
    return found
