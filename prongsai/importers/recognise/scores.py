"""Published ITA scores: overall and level from sentences, tools / indicators / items from tables.

Values are taken as printed (no recomputation); the engine checks them afterwards.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TypedDict

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


class StatedChanges(TypedDict, total=False):
    """Year-over-year changes as the report prints them (the interchange's ``stated_changes``)."""

    overall: float
    tools: dict[str, float]
    indicators: dict[str, float]


@dataclass
class YearScores:
    year: int
    overall: FieldValue[float] | None = None
    level: FieldValue[str] | None = None
    tools: dict[str, FieldValue[float]] = field(default_factory=dict)
    indicators: dict[str, FieldValue[float]] = field(default_factory=dict)
    items: dict[str, FieldValue[float]] = field(default_factory=dict)
    stated_changes: StatedChanges = field(default_factory=StatedChanges)


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

    def put(self, year: int, kind: str, key: str | None, value: FieldValue[float]) -> None:
        """A score: the overall one (``kind`` 'overall'), else a tool's, an indicator's or an
        item's by ``key``. The first reading wins; a different second one is a finding."""
        ys = self.year(year)
        if kind == "overall":
            if ys.overall is None:
                ys.overall = value
            elif ys.overall.value != value.value:
                self._conflict(year, kind, ys.overall, value)
            return
        if key is None:
            raise ValueError(f"a score of {kind} needs its key")
        target: dict[str, FieldValue[float]] = getattr(ys, kind)
        old = target.get(key)
        if old is None:
            target[key] = value
        elif old.value != value.value:
            self._conflict(year, f"{kind}.{key}", old, value)

    def put_level(self, year: int, value: FieldValue[str]) -> None:
        ys = self.year(year)
        if ys.level is None:
            ys.level = value
        elif ys.level.value != value.value:
            self._conflict(year, "level", ys.level, value)

    def _conflict(
        self,
        year: int,
        path: str,
        first: FieldValue[float] | FieldValue[str],
        second: FieldValue[float] | FieldValue[str],
    ) -> None:
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
                    scores.put_level(year, FieldValue(level.group(1), [p.line], 0.85 * conf))
            else:
                scores.put(year, subject[0], subject[1], FieldValue(value, [p.line], 0.75 * conf))
            primary_year = primary_year or year
        if _is_heading(text) and not _PLAN_HEADING.search(text):
            found = [int(y.group(1)) for y in _YEAR_MENTION.finditer(text)]
            if found:
                context_year = found[-1]


# A heading of the measures ('และมาตรการส่งเสริม… ประจำปีงบประมาณ พ.ศ. ๒๕๖๗') names the plan's
# year, not the assessed one.
_PLAN_HEADING = re.compile(r"^\s*(?:และ)?(?:มาตรการ|แผน)")


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
        elif "tool" in roles and "score" in roles:
            _tool_score_table(table, _year_above(table, prose), scores, conf)
        elif "score" in roles and any(r.texts and _ITEM_ID.match(r.texts[0]) for r in table.rows):
            # 'ข้อ | รายการ | คะแนน' with O-numbers in the first column: items of the year above.
            _items_table(table, _year_above(table, prose), scores, conf)


_LEVEL_CELL = re.compile(r"^(?:ระดับ(?:ผลการประเมิน)?|level|ผลการประเมิน)$", re.I)


def _tool_score_table(table: Table, year: int | None, scores: Scores, conf: float) -> None:
    """'แบบวัด | คะแนน' with one score column: the tools (and overall, level) of the year above."""
    if year is None:
        return
    score_col = next(c for c, r in enumerate(table.header.roles) if r == "score")
    for row in table.rows:
        if len(row.texts) <= score_col:
            continue
        name, cell = clean(row.texts[0]), clean(row.texts[score_col])
        if _LEVEL_CELL.match(name):
            level = _level_in(cell)
            if level and _level_fits(level, year):
                scores.put_level(year, FieldValue(level, row.lines, 0.9 * conf))
            continue
        tool = next((t for t, rx in _TOOL_NAMES if rx.search(name)), None)
        value = number(cell)
        if tool is None or value is None or not 0 <= value <= 100:
            continue
        fv = FieldValue(value, row.lines, 0.9 * conf)
        scores.put(year, "overall" if tool == "overall" else "tools", tool, fv)
        scores.from_tables = True


def _level_in(text: str) -> str | None:
    t = clean(text).strip("\"“”'()")
    if re.fullmatch(r"AA|A|B|C|D|E|F", t):
        return t
    return t if t in _LEVEL_LABELS["thai"] else None


def scores_from_year_rows(lines: list[str], scores: Scores, conf: float) -> None:
    """A table with one year per row ('ปีงบประมาณ | คะแนน | ระดับ | ค่าเฉลี่ย…', annual reports):
    the score column is the first whose header names คะแนน and not an average, the level column
    the one headed ระดับ. Rows are read only under such a header; filling only what is empty."""
    header: tuple[int, int | None] | None = None
    for n, raw in enumerate(lines, 1):
        cells = [clean(c) for c in raw.split("\t")]
        if len(cells) < 2:
            header = None
            continue
        first = to_arabic_digits(cells[0])
        if re.fullmatch(r"(?:ปี(?:งบประมาณ)?|พ\.ศ\.|fiscal year|year)", first, re.I):
            score_col = next(
                (
                    i
                    for i, c in enumerate(cells)
                    if i
                    and re.search(r"คะแนน|score", c, re.I)
                    and not re.search(r"เฉลี่ย|average|เต็ม|เกณฑ์|เปลี่ยน", c, re.I)
                ),
                None,
            )
            level_col = next(
                (i for i, c in enumerate(cells) if i and re.search(r"ระดับ|level", c, re.I)), None
            )
            header = (score_col, level_col) if score_col is not None else None
            continue
        if header is None or not re.fullmatch(r"25\d\d", first):
            continue
        year, (score_col, level_col) = int(first), header
        value = number(cells[score_col]) if score_col < len(cells) else None
        if value is None or not 0 <= value <= 100:
            continue
        ys = scores.year(year)
        if ys.overall is None:
            ys.overall = FieldValue(value, [n], 0.9 * conf)
        if level_col is not None and level_col < len(cells) and ys.level is None:
            level = _level_in(cells[level_col])
            if level and _level_fits(level, year):
                ys.level = FieldValue(level, [n], 0.9 * conf)


def _year_columns(table: Table) -> dict[int, int]:
    return dict(sorted(table.header.years.items()))


def _diff_column(table: Table) -> int | None:
    return next((c for c, r in enumerate(table.header.roles) if r == "diff"), None)


def _tools_table(table: Table, scores: Scores, conf: float) -> None:
    cols = _year_columns(table)
    diff = _diff_column(table)
    for row in table.rows:
        name = row.texts[0] if row.texts else ""
        if _LEVEL_CELL.match(clean(name)):
            # 'ระดับผลการประเมิน | ผ่านดี | ผ่านดีเยี่ยม': each year's level under its column.
            for col, year in cols.items():
                level = _level_in(row.texts[col]) if col < len(row.texts) else None
                if level and _level_fits(level, year):
                    scores.put_level(year, FieldValue(level, row.lines, 0.9 * conf))
            continue
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
    if first.isdecimal() and 1 <= int(first) <= 10:
        return int(first)
    return indicator_heading(texts[0])


def _items_table(table: Table, year: int | None, scores: Scores, conf: float) -> None:
    if year is None:
        return
    score_col = next(c for c, r in enumerate(table.header.roles) if r == "score")
    printed_indicators: dict[str, FieldValue[float]] = {}
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


# --- scores in running text ---------------------------------------------------------------------
# News items, announcements and web pages state the result in sentences that the cue patterns
# above miss: words between the number and คะแนน, no space before คะแนน, typos (คะเเนน, คะแนนน),
# 'คะแนนเฉลี่ย … = 94.71', 'ได้ ๗๙.๗๒', a level after ':' or in a later sentence, English text.
# Each number is judged by its neighbourhood: what it is (a score has decimals or is followed by
# คะแนน / points), what the words just before it say (the agency's own result, or an average, a
# threshold, a change, a rank, a count), and what it belongs to (a tool, an indicator, an item, or
# the whole assessment). This pass only fills what the sentence patterns left empty.

_POINTS = r"(?:คะ\s?[แเ]{1,2}\s?น(?:\s?น)*|points?|pts\.?)"
_NUM = re.compile(r"(?<![\d.,:/\-+−])(\d{1,3}(?:\.\d{1,2})?)(?![\d:/]|[.,]\d|\s?-\s?\d)")
_AFTER_SCORE = re.compile(rf"\s*(?:{_POINTS}|(?:จาก)?\s*คะแนนเต็ม|out of 100|/\s*100)", re.I)
_NOT_SCORE_AFTER = re.compile(
    r"\s*(?:คน|ราย|หน่วยงาน|แห่ง|ข้อ|บาท|ล้าน|ครั้ง|%|ร้อยละ|เปอร์เซ็นต์|หมู่|อำเภอ|ตำบล|อปท|อบ[ตจ]|น\.|ชั่วโมง|"
    r"[ก-ฮ]\.[ก-ฮ]\.|ม\.ค|ก\.พ|มี\.ค|เม\.ย|พ\.ค|มิ\.ย|ก\.ค|ส\.ค|ก\.ย|ต\.ค|พ\.ย|ธ\.ค|"
    r"กว่า|agencies|staff|villages|residents|people|million|baht|percent|days|KB|MB|"
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December)\b)",
    re.I,
)
# Words that make the number something else than the agency's own score.
_OTHER = re.compile(
    r"ค่าเฉลี่ย|เฉลี่ยทั้ง|เฉลี่ยของ|เกณฑ์|เพิ่มขึ้น|ลดลง|สูงขึ้น|ต่ำลง|ขาดอีก|ต่ำกว่า|สูงกว่า|ไม่ถึง|ต้องได้|เต็ม|"
    r"ร้อยละ|คิดเป็น|อันดับ|ลำดับ|จำนวน|เป้าหมาย|ห่าง|ผลต่าง|ต่างกัน|เปลี่ยนแปลง|งบประมาณ|"
    r"average|mean|threshold|pass mark|below|above|up\b|down\b|increase|decrease|rose|fell|rank|"
    r"target|at least|or above|or more|budget|gap|change|national|nationwide|out of",
    re.I,
)
# Words that make it the agency's own (or a named part of it).
_OWN = re.compile(
    r"ได้|คะแนน|ผลการประเมิน|ภาพรวม|=|[:：]|เท่ากับ|คือ|"
    r"score[ds]?|scoring|overall|result|received|achieved|earned|rated|with",
    re.I,
)
_TOOL_WORDS = [
    ("EIT_1", re.compile(r"EIT\s*\)?\s*(?:ส่วนที่|ส่วน|part)\s*1(?!\d)", re.I)),
    ("EIT_2", re.compile(r"EIT\s*\)?\s*(?:ส่วนที่|ส่วน|part)\s*2(?!\d)", re.I)),
    ("IIT", re.compile(r"\bIIT\b|ผู้มีส่วนได้(?:ส่วน)?เสียภายใน|\binternal\b", re.I)),
    ("EIT", re.compile(r"\bEIT\b|ผู้มีส่วนได้(?:ส่วน)?เสียภายนอก|\bexternal\b", re.I)),
    ("OIT", re.compile(r"\bOIT\b|การเปิดเผยข้อมูลสาธารณะ|\bopen[- ]data\b", re.I)),
]
_ITEM_WORD = re.compile(r"(?<![A-Za-z])([oO])\s?(\d{1,2})(?!\d)")
_INDICATOR_WORD = re.compile(r"(?:ตัวชี้วัดที่|indicator)\s*(\d{1,2})(?!\d)", re.I)
# Years: 'ปีงบประมาณ พ.ศ. 2567', 'ปี 67', 'ITA 2024', 'FY 2024', 'B.E. 2568', 'in 2023'.
_YEAR_BE = re.compile(r"(?:พ\s*\.\s*ศ\s*\.?|ปีงบประมาณ|ประจำปี|ปี|B\.?\s?E\.?|ITA|ITAS?)\s*(25\d\d)(?!\d)", re.I)
_YEAR_SHORT = re.compile(r"(?:ปีงบประมาณ|ปี)\s*([5-7]\d)(?![\d.])")
# A C.E. year (ITA 2024), not a count ('EIT จำนวน 2000 คน').
_YEAR_CE = re.compile(
    r"(?<![\d.,])(20[1-4]\d)(?!\d|[.,]\d|\s*(?:คน|ราย|หน่วยงาน|แห่ง|บาท|ครั้ง|ข้อ|people|staff|respondents))"
)
_MONTH_BEFORE = re.compile(
    r"(?:ม\.ค|ก\.พ|มี\.ค|เม\.ย|พ\.ค|มิ\.ย|ก\.ค|ส\.ค|ก\.ย|ต\.ค|พ\.ย|ธ\.ค)\.?\s*$"
    r"|(?:มกราคม|กุมภาพันธ์|มีนาคม|เมษายน|พฤษภาคม|มิถุนายน|กรกฎาคม|สิงหาคม|กันยายน|ตุลาคม|พฤศจิกายน|ธันวาคม)\s*$"
)
_SENTENCE_END = re.compile(r"\.\s+(?=[A-Z\u0e01-\u0e2e])|[.!?]\s*$")
_AVERAGE = re.compile(r"ค่าเฉลี่ย|เฉลี่ยทั้ง|average|national|threshold|เกณฑ์", re.I)
_TOOL_AFTER = re.compile(r"\s*(?:points?\s*)?(?:on|in|for) the [^.,;()]{0,80}\((IIT|EIT|OIT)\)", re.I)
_THIS_YEAR = re.compile(r"ปีนี้|this year", re.I)
_LEVEL_LABELS = {
    "thai": ["ผ่านดีเยี่ยม", "ผ่านดี", "ไม่ผ่าน", "ผ่าน"],
    "grade": ["AA", "A", "B", "C", "D", "E", "F"],
    "english": [
        *("Passed with Excellence", "Pass with Excellence", "Excellent", "Very Good", "Good", "Pass", "Fail"),
    ],
}
_LEVEL_ANY = "|".join(re.escape(x) for labels in _LEVEL_LABELS.values() for x in labels)
# A level right after the score: '(ผ่านดี)', 'อยู่ในระดับ "ผ่าน"', 'ระดับผลการประเมิน : A', '(ระดับ B)'.
_LEVEL_NEXT = re.compile(
    rf"\s*(?:{_POINTS})?\s*(?:\(\s*(?:ระดับ|[Ll]evel|[Gg]rade)?\s*({_LEVEL_ANY})\s*\)"
    rf"|(?:ซึ่ง)?(?:จัด)?(?:อยู่)?(?:ใน)?\s*ระดับ(?:ผลการประเมิน)?\s*[:：]?\s*[\"“(]?\s*({_LEVEL_ANY})(?![A-Za-z])"
    rf"|\s*(?:points?)?\s*[—–,;]?\s*(?:[Ll]evel|[Gg]rade)\s*[\"“]?({_LEVEL_ANY})(?![A-Za-z])"
    rf"|\s*(?:points?)?\s*[—–]\s*[\"“]?({_LEVEL_ANY})(?![A-Za-z]))"
)
# A level stated in its own sentence: 'ผลการประเมินจึงอยู่ในระดับ "ไม่ผ่าน"', 'ระดับที่ได้รับคือระดับ B',
# 'rated "Excellent"', 'received the "Pass" rating', 'an AA grade'.
_LEVEL_SENTENCE = re.compile(
    rf"(?:(?:อยู่ใน|จัดอยู่ใน|ได้รับ(?:ผลการประเมิน)?(?:อยู่)?ใน|คือ|ผลการประเมิน(?:อยู่)?ใน)\s*ระดับ|ระดับผลการประเมิน)"
    rf"\s*[:：]?\s*[\"“(]?\s*({_LEVEL_ANY})(?![A-Za-z])"
    rf"|(?:rated|rating of|level of|grade of)\s*[\"“]?({_LEVEL_ANY})\b[\"”]?"
    rf"|(?:received|earned|achieved|got|obtained) (?:the |an? )?[\"“]?({_LEVEL_ANY})[\"”]?"
    rf" (?:rating|grade|level)"
    rf"|(?:in|placing it in) the [\"“]?({_LEVEL_ANY})[\"”]?(?: \([^)]*\))? (?:band|level|category)",
    re.I,
)


def _level_fits(level: str, year: int) -> bool:
    if level in _LEVEL_LABELS["grade"]:
        return year <= 2565
    if level in _LEVEL_LABELS["thai"]:
        return year >= 2566
    return True


def _year_marks(text: str, primary: int | None) -> list[tuple[int, int]]:
    """(position, B.E. year) of every year named in the text, in order."""
    marks = [(m.end(), int(m.group(1))) for m in _YEAR_BE.finditer(text)]
    marks += [(m.end(), 2500 + int(m.group(1))) for m in _YEAR_SHORT.finditer(text)]
    marks += [(m.end(), int(m.group(1)) + 543) for m in _YEAR_CE.finditer(text)]
    if primary:
        marks += [(m.end(), primary) for m in _THIS_YEAR.finditer(text)]
    return sorted(marks)


def _number_subject(window: str) -> tuple[str, str | None]:
    best: tuple[int, str, str | None] = (-1, "overall", None)
    for tool, rx in _TOOL_WORDS:
        for m in rx.finditer(window):
            # 'EIT ส่วนที่ 1' is also an 'EIT' a few characters earlier: the part wins.
            if m.end() > best[0] and not (
                tool == "EIT" and best[2] in ("EIT_1", "EIT_2") and m.start() <= best[0]
            ):
                best = (m.end(), "tools", tool)
    for m in _INDICATOR_WORD.finditer(window):
        if m.end() > best[0] and 1 <= int(m.group(1)) <= 10:
            best = (m.end(), "indicators", str(int(m.group(1))))
    for m in _ITEM_WORD.finditer(window):
        if m.end() > best[0] and 1 <= int(m.group(2)) <= 50:
            best = (m.end(), "items", f"o{int(m.group(2))}")
    return best[1], best[2]


def scores_from_running_text(prose: list[Prose], scores: Scores, conf: float) -> None:
    """Scores stated in running text (see above); fills only what is still empty."""
    primary = min(scores.by_year, default=None) if len(scores.by_year) == 1 else None
    if scores.by_year:
        primary = next((y for y, ys in scores.by_year.items() if ys.overall is not None), primary)
    level_wanted: list[tuple[int, int]] = []  # (year, line) of an overall read here without a level
    texts = [(p.line, to_arabic_digits(p.text)) for p in prose]
    for line, text in texts:
        if not re.search(r"\d", text):
            continue
        marks = _year_marks(text, primary)
        year_spans = [
            (m.start(), m.end()) for rx in (_YEAR_BE, _YEAR_SHORT, _YEAR_CE) for m in rx.finditer(text)
        ]
        prev_end = 0
        digit_ends = [d.end() for d in re.finditer(r"\d+(?:[.,]\d+)*", text)]
        year_ends = {b for _, b in year_spans}

        def _is_year_end(b: int, year_ends: set[int] = year_ends) -> bool:
            return b in year_ends

        for m in _NUM.finditer(text):
            start, end = m.span(1)
            if any(a <= start < b for a, b in year_spans):
                continue
            value = float(m.group(1))
            after = _AFTER_SCORE.match(text, end)
            if _NOT_SCORE_AFTER.match(text, end) and not after:
                continue
            if _MONTH_BEFORE.search(text[max(0, start - 14) : start]):
                continue  # the year of a date ('10 ส.ค. 67 จากคะแนนเต็ม 100'), not a score
            if "." not in m.group(1) and not after:
                continue  # counts, ranks, dates: a score has decimals or says it is points
            # The words since the number before ('จากปี 2566 ที่ได้ 91.20': those after the year).
            window_start = max([prev_end, start - 80] + [b for b in digit_ends if b <= start])
            window = text[window_start:start]
            # The sentence so far, from the last number that is not a year: 'The national average
            # for 2025 was 93.82', "The PAO's score in 2021 was 89.90".
            sentence = max([0, start - 80] + [b for b in digit_ends if b <= start and not _is_year_end(b)])
            sentence = max([sentence] + [e.end() for e in _SENTENCE_END.finditer(text, 0, start)])
            said = text[sentence:start]
            prev_end = end
            sign = text[max(0, start - 2) : start]
            if "+" in sign or "-" in sign or "−" in sign or not 0 <= value <= 100:
                continue
            if (_OTHER.search(window) or _AVERAGE.search(said)) and not _english_earlier_score(text, start):
                continue
            kind, key = _number_subject(text[max(0, start - 90, sentence - 60 if sentence else 0) : start])
            named_after = _TOOL_AFTER.match(text, end)  # 'scored 96.20 on the … Assessment (IIT)'
            if named_after:
                kind, key = "tools", named_after.group(1).upper()
            if kind == "overall" and not _OWN.search(said) and not _english_earlier_score(text, start):
                continue
            opened = max([0] + [e.end() for e in _SENTENCE_END.finditer(text, 0, start)])
            year = _year_of(text, start, end, marks, primary, opened)
            if year is None:
                continue
            fv = FieldValue(value, [line], 0.7 * conf)
            ys = scores.year(year)
            if kind == "overall":
                if ys.overall is None:
                    ys.overall = fv
                    primary = primary or year
                    lv = _LEVEL_NEXT.match(text, end)
                    level = next((g for g in lv.groups() if g), None) if lv else None
                    if level and _level_fits(level, year) and ys.level is None:
                        ys.level = FieldValue(level, [line], 0.7 * conf)
                    elif ys.level is None:
                        level_wanted.append((year, line))
            else:
                target = getattr(ys, kind)
                if key not in target:
                    target[key] = FieldValue(value, [line], 0.65 * conf)
    for year, ys in sorted(scores.by_year.items()):
        if ys.overall is not None and ys.level is None and ys.overall.lines:
            _level_after(ys, ys.overall, texts, conf)
            if ys.level is None and year == primary and (year, ys.overall.lines[0]) not in level_wanted:
                level_wanted.insert(0, (year, ys.overall.lines[0]))
    for year, line in level_wanted[:1]:  # the level said in a later sentence: the subject's only
        ys = scores.by_year[year]
        for other_line, text in texts:
            if other_line < line or other_line > line + 8 or ys.level is not None:
                continue
            for m in _LEVEL_SENTENCE.finditer(text):
                level = next(g for g in m.groups() if g)
                level = next((x for x in _LEVEL_ANY.split("|") if x.lower() == level.lower()), level)
                before = text[max(0, m.start() - 12) : m.start()]
                if re.search(r"ถึง|ให้ได้|จะ|ต้อง|rather than|instead of", before):
                    continue
                named = [y for p, y in _year_marks(text, year) if p <= m.start()]
                if named and named[-1] != year:
                    continue
                if _level_fits(level, year):
                    ys.level = FieldValue(level, [other_line], 0.6 * conf)
                    break


def _level_after(
    ys: YearScores, overall: FieldValue[float], texts: list[tuple[int, str]], conf: float
) -> None:
    """The level printed right after an overall score read by the sentence patterns."""
    line = overall.lines[0]
    for n, text in texts:
        if n != line:
            continue
        for m in _NUM.finditer(text):
            if abs(float(m.group(1)) - float(overall.value)) < 0.001:
                lv = _LEVEL_NEXT.match(text, m.end())
                level = next((g for g in lv.groups() if g), None) if lv else None
                if level and _level_fits(level, ys.year):
                    ys.level = FieldValue(level, [line], 0.7 * conf)
                    return


# '98.12 points out of 100 in ITA 2024', '91.07 (level A) in fiscal year 2021'.
_YEAR_AFTER = re.compile(
    r"\s*(?:points?\s*)?(?:out of 100\s*)?(?:\([^)]{0,30}\)\s*)?in\s*(?:the\s*)?"
    r"(?:ITA\s*|fiscal\s*(?:year\s*)?|FY\s*)?(20[0-4]\d|25\d\d)(?!\d)",
    re.I,
)


def _english_earlier_score(text: str, start: int) -> bool:
    """'up from 94.50 in 2023': an earlier year's own score, not a change."""
    if not re.search(r"(?:up|down) from\s*$", text[max(0, start - 12) : start], re.I):
        return False
    number = re.compile(r"\d+(?:\.\d+)?").match(text, start)
    return bool(number and _YEAR_AFTER.match(text, number.end()))


def _year_of(
    text: str, start: int, end: int, marks: list[tuple[int, int]], primary: int | None, sentence: int = 0
) -> int | None:
    m = _YEAR_AFTER.match(text, end)
    if m:  # '94.50 in 2023'
        y = int(m.group(1))
        return y + 543 if y < 2500 else y
    # In English the year named in an earlier sentence is not this one's ('… up from 85.10 in 2024.
    # Its internal (IIT) score was 91.50.'); Thai sentences are not cut by full stops.
    opened = 0 if re.search(r"[\u0e01-\u0e2e]", text) else sentence
    before = [y for p, y in marks if opened <= p <= start]
    if before:
        return before[-1]
    stop = _SENTENCE_END.search(text, end)
    after = [y for p, y in marks if end < p <= (stop.start() if stop else len(text))]
    return after[0] if after and not primary else primary
