"""Rebuild table rows from extracted text, whatever way the converter wrote them.

Three encodings occur (the seeds and our own DOCX/PDF extraction):

- row per line, cells separated by tabs (seeds 001-003, our DOCX and PDF extraction); a blank
  line inside such a table is where a page broke;
- cell per line, each cell starting with one tab, continuation lines without a tab, rows apart
  by blank lines that are not reliable (seeds 000 and 004): rows are rebuilt by the table's width;
- pipes, ``| a | b |`` (markdown converters), read as tab rows.

The output is a flat sequence of ``Prose`` lines and ``Row``s with their source line numbers;
``segment`` then groups rows under recognised header rows into ``Table``s.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from rapidfuzz import fuzz, process

from prongsai.importers.recognise.text import clean, match_key

_PAGE_NUMBER = re.compile(
    r"^\s*(?:[-–]\s*[0-9๐-๙]{1,3}\s*[-–]|หน้า\s*[0-9๐-๙]{1,3}(?:\s*/\s*[0-9๐-๙]{1,3})?)\s*$"
)
_PIPE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")


@dataclass
class Cell:
    text: str
    lines: list[int]

    @property
    def clean(self) -> str:
        return clean(self.text)

    def extend(self, text: str, line: int) -> None:
        self.text = f"{self.text}\n{text}" if self.text.strip() else text
        self.lines.append(line)


@dataclass
class Row:
    cells: list[Cell]
    page_break_before: bool = False  # a repeated header or (tab rows) a blank line came before
    style: str = "tabs"  # tabs | cells | pipes: how the converter wrote it
    spill: list[tuple[str, int]] = field(default_factory=list)  # tab-less lines under a tab row

    @property
    def lines(self) -> list[int]:
        return sorted({n for c in self.cells for n in c.lines})

    @cached_property
    def texts(self) -> list[str]:  # read after the row is complete; cells do not change then
        return [c.clean for c in self.cells]


@dataclass
class Prose:
    text: str
    line: int


Item = Prose | Row


def _pipe_cells(line: str) -> list[str] | None:
    if line.count("|") < 2:
        return None
    body = line.strip()
    body = body[1:] if body.startswith("|") else body
    body = body[:-1] if body.endswith("|") else body
    return [c.strip() for c in body.split("|")]


def _is_cell_line(line: str) -> bool:
    """One cell of a cell-per-line table: a single leading tab and no other tab."""
    return line.startswith("\t") and "\t" not in line[1:]


def read_items(lines: list[str]) -> list[Item]:
    """Lines (1-based numbers) -> prose lines and rows, in document order."""
    items: list[Item] = []
    i = 0
    n = len(lines)
    blank_before = False
    while i < n:
        line = lines[i]
        if not line.strip():
            blank_before = True
            i += 1
            continue
        if _PIPE_SEPARATOR.match(line):
            i += 1
            continue
        if _PAGE_NUMBER.match(line):
            blank_before = True  # '- 2 -' between a table and its repeated header: a page break
            i += 1
            continue
        pipes = _pipe_cells(line) if "\t" not in line else None
        if pipes is not None:
            items.append(
                Row([Cell(t, [i + 1]) for t in pipes], page_break_before=blank_before, style="pipes")
            )
        elif "\t" in line and not _is_cell_line(line):
            row = Row([Cell(t, [i + 1]) for t in line.split("\t")], page_break_before=blank_before)
            # Lines without tabs right below a tab row spill from one of its cells; which one is
            # known only once the columns are (the measure's title, for measures tables).
            while i + 1 < n and lines[i + 1].strip() and "\t" not in lines[i + 1] and "|" not in lines[i + 1]:
                if not _continues_row(lines, i + 1) or _PAGE_NUMBER.match(lines[i + 1]):
                    break
                i += 1
                row.spill.append((lines[i], i + 1))
            items.append(row)
        elif _is_cell_line(line):
            i = _read_cell_block(lines, i, items)
            blank_before = False
            continue
        else:
            items.append(Prose(line, i + 1))
        blank_before = False
        i += 1
    return items


def _continues_row(lines: list[str], j: int) -> bool:
    """A tab-less line under a tab row is part of it only if the table goes on after it."""
    k = j
    while k < len(lines) and lines[k].strip() and "\t" not in lines[k]:
        k += 1
    return k < len(lines) and "\t" in lines[k] and not _is_cell_line(lines[k])


def _read_cell_block(lines: list[str], start: int, items: list[Item]) -> int:
    """Read a cell-per-line table starting at ``start``; append its rows; return the next index."""
    # Tokens: ("cell", text, line) | ("cont", text, line) | ("blank", "", 0)
    tokens: list[tuple[str, str, int]] = []
    i = start
    n = len(lines)
    while i < n:
        line = lines[i]
        if _is_cell_line(line):
            tokens.append(("cell", line[1:], i + 1))
        elif not line.strip() or _PAGE_NUMBER.match(line):
            tokens.append(("blank", "", 0))
        elif "\t" in line or _pipe_cells(line) is not None:
            break
        else:
            tokens.append(("cont", line, i + 1))
        i += 1
    # Groups of cells between blank lines; a group may open with continuation lines.
    groups: list[list[Cell]] = []
    opens_with_cont: list[bool] = []
    current: list[Cell] | None = None
    for tok in tokens:
        if tok[0] == "blank":
            current = None
            continue
        if current is None:
            current = []
            groups.append(current)
            opens_with_cont.append(tok[0] == "cont")
        if tok[0] == "cell":
            current.append(Cell(tok[1], [tok[2]]))
        elif current:
            current[-1].extend(tok[1], tok[2])
        else:
            current.append(Cell(tok[1], [tok[2]]))
            current[-1].lines = [tok[2]]
    sizes = Counter(
        len(g) for g, cont in zip(groups, opens_with_cont, strict=True) if not cont and len(g) > 1
    )
    width = sizes.most_common(1)[0][0] if sizes else max((len(g) for g in groups), default=1)

    rows: list[list[Cell]] = []
    trailing_prose: list[Cell] = []
    for group, cont in zip(groups, opens_with_cont, strict=True):
        if cont and rows and len(rows[-1]) < width:
            # Continuation after a blank line inside a cell (004, measure 8).
            rows[-1][-1].extend(group[0].text, group[0].lines[0])
            rows[-1].extend(group[1:])
            continue
        if cont and (not rows or len(rows[-1]) >= width) and len(group) == 1:
            trailing_prose.append(group[0])  # the table has ended: prose after it
            continue
        if rows and len(rows[-1]) < width and len(rows[-1]) + len(group) <= width:
            rows[-1].extend(group)  # a row broken by a blank line (004, measure 9)
            continue
        while len(group) > width:
            # Leading cells beyond the width are prose that shares the tab (004's opening paragraph).
            items.append(Prose(group[0].text, group[0].lines[0]))
            group = group[1:]
        rows.append(list(group))
    for cells in rows:
        # A paragraph indented with a tab right above the header shares its group (b05, 004).
        while len(cells) > 2 and len(clean(cells[0].text)) > 60 and header_of(Row(cells[1:])) is not None:
            items.append(Prose(cells[0].text, cells[0].lines[0]))
            cells = cells[1:]
        items.append(Row(cells, style="cells"))
    for cell in trailing_prose:
        for k, text in enumerate(cell.text.split("\n")):
            items.append(Prose(text, cell.lines[min(k, len(cell.lines) - 1)]))
    return i


# --- header vocabulary -------------------------------------------------------------------------

# Column names the seeds and other reports use, by role. Matched without whitespace, fuzzily.
HEADER_WORDS: dict[str, list[str]] = {
    "no": ["ที่", "ลำดับ", "ลำดับที่", "ข้อ"],
    "title": [
        "มาตรการ",
        "มาตรการ/แนวทาง",
        "มาตรการ/กิจกรรม",
        "มาตรการ/โครงการ",
        "มาตรการ/โครงการ/กิจกรรม",
        "มาตรการหรือโครงการหรือกิจกรรม",
        "โครงการ/กิจกรรม",
        "ชื่อมาตรการ",
    ],
    "method": [
        "ขั้นตอนหรือวิธีการ",
        "ขั้นตอนหรือวิธีการดำเนินการ",
        "วิธีการดำเนินการ",
        "ขั้นตอนการดำเนินการ",
        "ขั้นตอน",
        "วิธีการ",
        "ขั้นตอน/วิธีการ",
    ],
    "period": ["ระยะเวลาดำเนินการ", "ระยะเวลาการดำเนินการ", "ช่วงระยะเวลาการดำเนินการ", "ระยะเวลา"],
    "responsible": ["ผู้รับผิดชอบ", "หน่วยงานที่รับผิดชอบ", "หน่วยงานผู้รับผิดชอบ", "ผู้รับผิดชอบหลัก"],
    "monitoring": ["การกำกับติดตาม", "การติดตามผล", "การกำกับติดตามผล"],
    "result": [
        "ผลการดำเนินงาน",
        "ผลการดำเนินการ",
        "สรุปผลการดำเนินการ",
        "สรุปผลการดำเนินการตามมาตรการฯ",
        "สรุปผลการดำเนินการตามมาตรการ",
        "ผลการดำเนินงานตามมาตรการ",
    ],
    "outcome": ["ผลลัพธ์/ความสำเร็จของการดำเนินงาน", "ผลลัพธ์", "ผลสัมฤทธิ์", "ผลลัพธ์ที่ได้"],
    "suggestion": ["ข้อเสนอแนะ", "ปัญหาอุปสรรค/ข้อเสนอแนะ", "ปัญหา/อุปสรรค/ข้อเสนอแนะ", "ปัญหาอุปสรรค"],
    "status": ["สถานะการดำเนินการ", "สถานะ", "สถานะการดำเนินงาน"],
    "not_started": ["ยังไม่ดำเนินการ", "ยังไม่ได้ดำเนินการ"],
    "in_progress": ["อยู่ระหว่างดำเนินการ", "กำลังดำเนินการ", "อยู่ระหว่างการดำเนินการ"],
    "done": ["ดำเนินการเสร็จเรียบร้อยแล้ว", "ดำเนินการแล้วเสร็จ", "ดำเนินการแล้ว", "เสร็จสิ้น", "แล้วเสร็จ"],
    "evidence": ["หลักฐาน", "เอกสารหลักฐาน", "หมายเหตุ", "หลักฐาน/หมายเหตุ"],
    "analysis": ["ผลการวิเคราะห์ตัวชี้วัดที่นำไปปฏิบัติ", "ผลการวิเคราะห์", "ผลการวิเคราะห์ตัวชี้วัด"],
    "indicator": ["ตัวชี้วัด", "ตัวชี้วัดที่", "ตัวชี้วัดที่เกี่ยวข้อง", "ตัวชี้วัดที่สอดคล้อง", "ตัวชี้วัดการประเมิน"],
    "question": [
        "ข้อคำถาม",
        "ข้อความคำถาม",
        "ข้อความถาม",
        "ข้อความ",
        "รายละเอียดตัวชี้วัด",
        "ชื่อตัวชี้วัด",
        "ประเด็น",
        "ประเด็นการประเมิน",
    ],
    "score": ["คะแนน", "ผลการประเมิน", "ผลคะแนน", "คะแนนที่ได้"],
    "diff": ["ผลต่าง", "เพิ่มขึ้น/ลดลง", "ผลต่าง(+/-)"],
    "tool": ["แบบวัด", "เครื่องมือ", "เครื่องมือการประเมิน"],
    "budget": ["งบประมาณ", "งบประมาณ(บาท)", "งบประมาณที่ใช้", "งบประมาณ(บาท)ที่ใช้"],
    "year": ["ปีงบประมาณ"],
}
_HEADER_KEYS = [(role, match_key(w)) for role, words in HEADER_WORDS.items() for w in words]
_WORDS = [w for _, w in _HEADER_KEYS]
_EXACT = {w: role for role, w in reversed(_HEADER_KEYS)}  # the first role listed wins
STATUS_ROLES = ("not_started", "in_progress", "done")


def header_role(text: str) -> tuple[str | None, float]:
    """The role of a header cell and how sure we are (1.0 exact, lower for fuzzy matches)."""
    return _role_of_key(match_key(text))


@lru_cache(maxsize=4096)
def _role_of_key(key: str) -> tuple[str | None, float]:
    if not key or len(key) > 45:
        return None, 0.0
    if re.fullmatch(r"(ปีงบประมาณ|ปี|พ\.?ศ\.?)?(25\d\d)", key):
        return "year", 1.0
    if key in _EXACT:
        return _EXACT[key], 1.0
    # OCR damage and small wording changes still read (มาตรฐาน for มาตรการ scores 0.86).
    best = process.extractOne(key, _WORDS, scorer=fuzz.ratio, score_cutoff=84)
    if best is None:
        return None, 0.0
    return _HEADER_KEYS[best[2]][0], best[1] / 100 * 0.95


@dataclass
class Header:
    roles: list[str | None]
    confidence: float
    rows: list[Row]
    years: dict[int, int] = field(default_factory=dict)  # column -> B.E. year

    @property
    def role_set(self) -> frozenset[str]:
        return frozenset(r for r in self.roles if r)


def header_of(row: Row) -> Header | None:
    """A header row: two or more short cells naming known columns, and nothing else filled."""
    roles: list[str | None] = []
    scores: list[float] = []
    filled = 0
    for text in row.texts:
        if not text:
            roles.append(None)
            continue
        filled += 1
        role, score = header_role(text)
        roles.append(role)
        if role:
            scores.append(score)
    # Most filled cells name a known column; an unknown one is short (a header, not data).
    texts = [t for t in row.texts if t]
    if len(scores) < 2 or len(scores) < 0.6 * filled or any(len(match_key(t)) > 45 for t in texts):
        return None
    header = Header(roles, sum(scores) / len(scores), [row])
    _note_years(header, row)
    return header


def _note_years(header: Header, row: Row) -> None:
    from prongsai.importers.recognise.text import years

    for col, text in enumerate(row.texts):
        found = years(text)
        if len(found) == 1:
            header.years[col] = found[0]


def merge_subheader(header: Header, row: Row) -> bool:
    """A second header row under the first (status columns, year columns): fold it in."""
    sub = header_of(row)
    texts = row.texts
    if sub is None and _wrapped_header(header, row):
        return True
    if sub is None:
        # A row of years only ('', '', '๒๕๖๗', '๒๕๖๘', '') is a sub-header too.
        filled = [t for t in texts if t]
        if not filled or not all(header_role(t)[0] == "year" for t in filled):
            return False
        sub = Header([("year" if t else None) for t in texts], 1.0, [row])
        _note_years(sub, row)
    width = max(len(header.roles), len(sub.roles))
    roles = header.roles + [None] * (width - len(header.roles))
    for col, role in enumerate(sub.roles):
        if role is None:
            continue
        if roles[col] in (None, "status", "score", "year", "indicator") or role in STATUS_ROLES:
            roles[col] = role if role != "year" or roles[col] is None else roles[col]
    header.roles = roles
    header.years.update(sub.years)
    header.rows.append(row)
    return True


def _wrapped_header(header: Header, row: Row) -> bool:
    """Column names wrapped onto a second line ('หน่วยงานที่' / 'รับผิดชอบ'): read each column's
    two halves together; the row is the header's second line if that names more columns."""
    top = header.rows[0].texts
    bottom = row.texts
    if not any(bottom) or any(len(match_key(t)) > 20 for t in bottom):
        return False
    roles = list(header.roles) + [None] * (len(bottom) - len(header.roles))
    gained = 0
    for col, low in enumerate(bottom):
        if not low or col >= len(top) or not top[col]:
            continue
        role, _ = header_role(top[col] + low)
        if role and role != roles[col]:
            roles[col] = role
            gained += 1
    if not gained:
        return False
    header.roles = roles
    header.rows.append(row)
    return True


@dataclass
class Table:
    header: Header
    rows: list[Row] = field(default_factory=list)
    context_lines: list[int] = field(default_factory=list)

    def cell(self, row: Row, role: str) -> Cell | None:
        """The cell under the column of ``role`` (the first such column)."""
        for col, r in enumerate(self.header.roles):
            if r == role:
                return row.cells[col] if col < len(row.cells) else None
        return None

    def has(self, *roles: str) -> bool:
        return any(r in self.header.role_set for r in roles)

    @property
    def first_line(self) -> int:
        return self.header.rows[0].lines[0]


def segment(items: list[Item]) -> tuple[list[Table], list[Item]]:
    """Group rows under their header rows. A header repeated after a page break continues the
    table it repeats; prose ends a table. Returns the tables and the items outside any table."""
    tables: list[Table] = []
    outside: list[Item] = []
    current: Table | None = None
    awaiting_sub = False
    page_break = False
    for item in items:
        if isinstance(item, Prose):
            if item.text.strip():
                current = None
            outside.append(item)
            continue
        header = header_of(item)
        if current is not None and awaiting_sub and merge_subheader(current.header, item):
            awaiting_sub = False
            continue
        if current is not None and _repeats(current, item):
            page_break = True
            awaiting_sub = True
            continue
        if header is not None:
            current = Table(header)
            tables.append(current)
            awaiting_sub = True
            page_break = False
            continue
        awaiting_sub = False
        if current is not None and item.style != current.header.rows[0].style:
            current = None  # rows written another way are not this table's (a memo's closing lines)
        if current is None:
            outside.append(item)
            continue
        if page_break:
            item.page_break_before = True
            page_break = False
        current.rows.append(item)
    return tables, outside


def _repeats(table: Table, row: Row) -> bool:
    """The table's own header (or its sub-header) printed again at the top of a new page."""
    keys = [match_key(t) for t in row.texts]
    for h in table.header.rows:
        theirs = [match_key(t) for t in h.texts]
        if keys == theirs:
            return True
        if any(keys) and fuzz.ratio("|".join(keys), "|".join(theirs)) >= 85:
            return True
    return False
