"""Import of published scores from a CSV or XLSX file.

Two layouts: one row per fiscal year (a column per score), or one row per (year, key, value).
Each column is mapped to what it holds, guessed from its header (Thai or English) and corrected
by the user. A dry run checks every row and reports each problem with its row number and column,
and what would change; applying writes every year in one transaction (all or nothing), as a
background task through Django's task API, through ``cycle.actions.store_assessment`` (each
year a new version).

The upload and its state (its rows, mapping, progress, outcome) are a row of ``imports.ScoreImport``
named by a random token bound to the agency and the user that uploaded it: a worker on another
machine reads it, a restart loses nothing, and the status page reads the database. The request
only checks the file's type; a worker task (``read_scores``) reads its cells once, bounded, and
stores them: reading ("reading") comes before the mapping, which never reads the file again.
"""

from __future__ import annotations

import csv
import io
import logging
import re
import secrets
import zipfile
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task
from pydantic import ValidationError

from prongsai.importers import filetypes
from prongsai.importers.errors import ImportFailure
from prongsai.interchange.limits import LENIENT
from prongsai.interchange.models import Assessment as RecordAssessment
from prongsai.ita.edition import EditionError, all_editions, get_edition, nearest_edition
from prongsai.ita.numbers import fmt
from prongsai.thai.dates import ce_to_be
from prongsai.thai.digits import to_arabic_digits
from prongsai.web.cycle.actions import acting_as, store_assessment
from prongsai.web.cycle.models import Assessment
from prongsai.web.cycle.records import flat_published
from prongsai.web.imports.models import KEEP_SECONDS, ScoreImport, ScoreImportState
from prongsai.web.imports.score_targets import label
from prongsai.web.imports.score_targets import targets as targets  # the mapping step's choices

_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
log = logging.getLogger(__name__)


class ImportProblem(Exception):
    """A file that cannot be read as a table of scores (message in Thai)."""


# ---- targets a column (or a key) can map to (their list: ``imports.score_targets``) ------------


def _norm(text: str) -> str:
    # A Thai zero printed for the letter O of an OIT item: '๐16', 'ข้อ ๐๒๓'.
    t = re.sub(r"^(ข้อ\s*)?๐(?=[๐-๙0-9]{1,2}$)", r"\1o", str(text or "").strip())
    t = to_arabic_digits(t).lower()
    return re.sub(r"\s+", " ", t)


_ITEM = re.compile(r"^(?:ข้อ\s*|item\s*)?([ieo])\s*0*([1-9][0-9]?)$")
_PART = re.compile(r"eit\s*[-_ ]?\s*(?:ส่วนที่|part|p)?\s*\(?([12])\)?")
_TOOL = re.compile(r"\b(iit|eit|oit)\b|^(iit|eit|oit)")
_INDICATOR = re.compile(r"(?:ตัวชี้วัดที่|ตัวชี้วัด|indicator|ind\.?)\s*([0-9]{1,2})\b")


def guess(header: str) -> str:
    """What a column header (or a key of the long layout) names: a target value, or ''."""
    t = _norm(header)
    if not t:
        return ""
    m = _ITEM.match(t)
    if m:
        return f"items.{m.group(1)}{int(m.group(2))}"
    m = _PART.search(t)
    if m:
        return f"tools.EIT_{m.group(1)}"
    m = _INDICATOR.search(t)
    if m and 1 <= int(m.group(1)) <= 10:
        return f"indicators.{int(m.group(1))}"
    m = _TOOL.search(t)
    if m:
        return f"tools.{(m.group(1) or m.group(2)).upper()}"
    if t.isdecimal() and 1 <= int(t) <= 10:
        return f"indicators.{int(t)}"
    for ind in nearest_edition(max(all_editions())).indicators:
        if any(name and name in t for name in [ind.name_th, *ind.name_th_alt]):
            return f"indicators.{ind.id}"
    if "เกณฑ์" in t or "edition" in t:
        return "edition"
    if t in ("ปี", "พ.ศ.", "พ.ศ", "year", "ปี พ.ศ.") or "ปีงบ" in t or "fiscal" in t or t.startswith("ปีที่"):
        return "year"
    if "ภาพรวม" in t or "overall" in t or "total" in t or "คะแนนรวม" in t:
        return "overall"
    if "ระดับ" in t or "level" in t or "grade" in t:
        return "level"
    if t in ("key", "รายการ", "หัวข้อ", "คีย์", "field", "ตัวแปร", "ชื่อรายการ"):
        return "key"
    if t in ("value", "ค่า", "คะแนน", "score"):
        return "value"
    if t.startswith("ปี") or "year" in t:
        return "year"
    return ""


def guess_mapping(headers: list[str]) -> list[str]:
    out, taken = [], set()
    for h in headers:
        g = guess(h)
        if g and g in taken:  # a second column naming the same thing is left for the user
            g = ""
        taken.add(g)
        out.append(g)
    return out


# ---- reading the file (once, in the worker) ---------------------------------------------------
#
# The upload request only looks at the file's type and structure (cheap); the worker reads it
# once (:func:`read_upload`), bounded in rows, columns and cell length, and stores the rows on the
# upload. The mapping page and the import read the stored rows, never the file.
#
# XLSX is read with lxml, not openpyxl: a 100 KB file of formatted empty cells (which compress
# about 1000:1) expands to ~47 MB of XML, ~5 million cells, that openpyxl turned into Python
# objects one by one (24 s of CPU, on every view of the mapping page); lxml builds them in C and
# only the first MAX_COLUMNS of a row are looked at (~3 s for the same file, once).

MAX_ROWS = 5_000  # data rows, header not counted
MAX_COLUMNS = 200
MAX_CELL = 500  # characters of one cell
MAX_UNZIPPED = 50 * 1024 * 1024  # an XLSX that inflates beyond this is refused (zip bomb)

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?([0-9]{1,7})$")


def _too_many_rows() -> ImportProblem:
    return ImportProblem(
        _("ไฟล์มีข้อมูลเกิน %(n)s แถว (รับได้สูงสุด %(n)s แถว ไม่รวมหัวคอลัมน์) กรุณาแยกไฟล์") % {"n": f"{MAX_ROWS:,}"}
    )


def _too_many_columns() -> ImportProblem:
    return ImportProblem(_("ไฟล์มีข้อมูลเกิน %(n)s คอลัมน์ (รับได้สูงสุด %(n)s คอลัมน์)") % {"n": MAX_COLUMNS})


def _too_long(row: int, column: int) -> ImportProblem:
    return ImportProblem(
        _("เซลล์แถวที่ %(row)s คอลัมน์ที่ %(col)s ยาวเกิน %(n)s ตัวอักษร (รับได้สูงสุด %(n)s ตัวอักษรต่อเซลล์)")
        % {"row": row, "col": column, "n": MAX_CELL}
    )


def check_upload(raw: bytes) -> str:
    """What the upload request checks before storing the file: its type and, for an XLSX, its
    structure and inflated size (reading the central directory only). Returns "xlsx" or "csv";
    ImportProblem (Thai) for a file that is neither. The cells are read later, by the worker."""
    if raw.startswith(filetypes.ZIP_LOCAL):
        try:
            z = filetypes.open_zip(raw, limits=filetypes.ZipLimits(total=MAX_UNZIPPED, ratio=None))
        except ImportFailure as exc:
            if exc.code == "zip_bomb":
                raise ImportProblem(_("ไฟล์ XLSX ขยายตัวใหญ่ผิดปกติ ระบบไม่เปิดไฟล์นี้")) from None
            raise ImportProblem(_("ไฟล์ XLSX เสียหาย เปิดไม่ได้")) from None
        with z:
            if "xl/workbook.xml" not in z.namelist():
                raise ImportProblem(_("ไฟล์นี้ไม่ใช่ไฟล์ XLSX"))
        return "xlsx"
    if filetypes.is_ole2(raw):
        raise ImportProblem(_("ไฟล์ Excel รุ่นเก่า (.xls) อ่านไม่ได้ กรุณาบันทึกเป็น .xlsx หรือ .csv"))
    if b"\x00" in raw[:4096] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportProblem(_("ไฟล์นี้ไม่ใช่ CSV หรือ XLSX"))
    return "csv"


def read_table(raw: bytes) -> list[list[str]]:
    """Rows of cells as text, header first, at most MAX_ROWS + 1 rows of MAX_COLUMNS cells of
    MAX_CELL characters. The type is decided by the content, not the name."""
    if check_upload(raw) == "xlsx":
        return _read_xlsx(raw)
    return _read_csv(raw)


def _decode(raw: bytes) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp874", errors="strict")  # TIS-620 / Windows Thai


class _Table:
    """Rows as they are read, bounded: a row beyond the limits that holds anything is refused
    at once; empty rows and columns beyond them cost nothing."""

    def __init__(self) -> None:
        self.rows: list[list[str]] = []
        self.width = 0

    def add(self, number: int, cells: dict[int, str] | list[str]) -> None:
        """Row ``number`` (1-based, as the spreadsheet numbers it): cells by 0-based column."""
        items = cells.items() if isinstance(cells, dict) else enumerate(cells)
        kept: dict[int, str] = {}
        for col, text in items:
            if not text:
                continue
            if col >= MAX_COLUMNS:
                raise _too_many_columns()
            if len(text) > MAX_CELL:
                raise _too_long(number, col + 1)
            kept[col] = text
        if not kept:
            return
        if number > MAX_ROWS + 1:
            raise _too_many_rows()
        while len(self.rows) < number - 1:
            self.rows.append([])
        row = [""] * (max(kept) + 1)
        for col, text in kept.items():
            row[col] = text
        if len(self.rows) == number - 1:
            self.rows.append(row)
        else:  # the same row number twice (a broken file): merged
            old = self.rows[number - 1]
            old.extend([""] * (len(row) - len(old)))
            for col, text in kept.items():
                old[col] = text
        self.width = max(self.width, len(row))

    def done(self) -> list[list[str]]:
        if not self.rows:
            raise ImportProblem(_("ไฟล์ไม่มีข้อมูล"))
        rows = [r + [""] * (self.width - len(r)) for r in self.rows]
        if not any(rows[0]):
            raise ImportProblem(_("แถวแรกของไฟล์ต้องเป็นหัวคอลัมน์"))
        return rows


def _read_csv(raw: bytes) -> list[list[str]]:
    try:
        text = _decode(raw)
    except UnicodeDecodeError:
        raise ImportProblem(_("อ่านตัวอักษรในไฟล์ไม่ได้ กรุณาบันทึกเป็น CSV แบบ UTF-8")) from None
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;|")
    except csv.Error:
        dialect = csv.excel
    table = _Table()
    try:
        for number, row in enumerate(csv.reader(io.StringIO(text), dialect), start=1):
            table.add(number, [c.strip() for c in row])
    except csv.Error:  # a field beyond csv's own limit (128 KB) or a stray NUL
        raise ImportProblem(_("อ่านไฟล์ CSV ไม่ได้ (รูปแบบไม่ถูกต้อง)")) from None
    return table.done()


def _read_xlsx(raw: bytes) -> list[list[str]]:
    from lxml import etree

    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as z:
            sheet = _first_sheet(z, etree)
            cells = _sheet_cells(z, sheet, etree)  # (row, col, type, value) of the first sheet
            wanted = {int(v) for _r, _c, t, v in cells if t == "s" and v.isdecimal()}
            strings = _shared_strings(z, wanted, etree)
    except ImportProblem:
        raise
    except Exception:  # a broken archive or XML: zipfile, lxml and KeyError alike
        raise ImportProblem(_("ไฟล์ XLSX เสียหาย เปิดไม่ได้")) from None
    table = _Table()
    row_cells: dict[int, str] = {}
    current = None
    for number, col, kind, value in cells:
        if number != current:
            if current is not None:
                table.add(current, row_cells)
            current, row_cells = number, {}
        row_cells[col] = _xlsx_text(kind, value, strings)
    if current is not None:
        table.add(current, row_cells)
    return table.done()


def _parser_options() -> dict:
    # No entities, no network, no huge text nodes: a hostile file cannot expand.
    return {"resolve_entities": False, "no_network": True, "huge_tree": False}


def _first_sheet(z: zipfile.ZipFile, etree) -> str:
    book = etree.fromstring(z.read("xl/workbook.xml"), etree.XMLParser(**_parser_options()))
    first = book.find(f"{_MAIN}sheets/{_MAIN}sheet")
    if first is None:
        raise ImportProblem(_("ไฟล์ XLSX ไม่มีแผ่นงาน"))
    rid = first.get(f"{_REL}id")
    try:
        rels = etree.fromstring(z.read("xl/_rels/workbook.xml.rels"), etree.XMLParser(**_parser_options()))
        target = next(r.get("Target") for r in rels.iter(f"{_PKG_REL}Relationship") if r.get("Id") == rid)
    except (KeyError, StopIteration):
        return "xl/worksheets/sheet1.xml"
    target = target.lstrip("/")
    return target if target.startswith("xl/") else f"xl/{target}"


def _col_index(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n - 1


def _sheet_cells(z: zipfile.ZipFile, name: str, etree) -> list[tuple[int, int, str, str]]:
    """(row number, 0-based column, type, raw value) of every cell with a value; a value beyond
    MAX_COLUMNS or MAX_ROWS refuses the file. Python sees only the cells with a value (their
    ``<v>`` or ``<is>``) and the ends of rows: empty formatted cells stay in C."""
    out: list[tuple[int, int, str, str]] = []
    last_row = 0  # the number of the row read before this one
    tags = (f"{_MAIN}v", f"{_MAIN}is", f"{_MAIN}row")
    with z.open(name) as f:
        for _event, el in etree.iterparse(f, events=("end",), tag=tags, **_parser_options()):
            if el.tag == tags[2]:  # the end of a row: drop it and the rows before it
                r = el.get("r")
                last_row = int(r) if r and r.isdecimal() else last_row + 1
                el.clear()
                while el.getprevious() is not None:
                    del el.getparent()[0]
                continue
            c = el.getparent()
            row = c.getparent() if c is not None else None
            if c is None or c.tag != f"{_MAIN}c" or row is None:
                continue
            value = el.text or "" if el.tag == tags[0] else "".join(el.itertext())
            if not value:
                continue
            r = row.get("r")
            row_no = int(r) if r and r.isdecimal() else last_row + 1
            ref = _REF.match(c.get("r") or "")
            col = _col_index(ref.group(1)) if ref else row.index(c)
            kind = c.get("t") or "n"
            if col >= MAX_COLUMNS:
                raise _too_many_columns()
            if row_no > MAX_ROWS + 1:
                raise _too_many_rows()
            if len(value) > MAX_CELL and kind != "s":
                raise _too_long(row_no, col + 1)
            out.append((row_no, col, kind, value))
    return out


def _shared_strings(z: zipfile.ZipFile, wanted: set[int], etree) -> dict[int, str]:
    """The shared strings the cells refer to (only those: a file may hold millions)."""
    if not wanted or "xl/sharedStrings.xml" not in z.namelist():
        return {}
    last = max(wanted)
    out: dict[int, str] = {}
    with z.open("xl/sharedStrings.xml") as f:
        for n, (_event, si) in enumerate(
            etree.iterparse(f, events=("end",), tag=f"{_MAIN}si", **_parser_options())
        ):
            if n in wanted:
                # Rich text: the runs' <t>, not the phonetic hints (<rPh>).
                texts = (t.text or "" for t in si.iter(f"{_MAIN}t") if t.getparent().tag != f"{_MAIN}rPh")
                out[n] = "".join(texts)
            si.clear()
            while si.getprevious() is not None:
                del si.getparent()[0]
            if n >= last:
                break
    return out


def _xlsx_text(kind: str, value: str, strings: dict[int, str]) -> str:
    if kind == "s":
        return strings.get(int(value), "").strip() if value.isdecimal() else ""
    if kind == "b":
        return "TRUE" if value == "1" else "FALSE"
    if kind in ("str", "inlineStr", "e"):
        return value.strip()
    try:
        return _cell_text(float(value))
    except ValueError:
        return value.strip()


def _cell_text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))  # a year or a whole score typed as a number
    if isinstance(v, float):
        return repr(v) if len(repr(v)) < 12 else f"{v:.6f}".rstrip("0")
    return str(v).strip()


# ---- the dry run -----------------------------------------------------------------------------


@dataclass
class RowError:
    row: int  # as the spreadsheet numbers it: the header is row 1
    column: str
    problem: str


@dataclass
class YearChange:
    fiscal_year: int
    new: bool
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # (what, before, after)
    unchanged: int = 0


@dataclass
class DryRun:
    layout: str  # wide | long
    rows: int
    errors: list[RowError]
    years: dict[int, dict]  # fiscal year -> published data after the import
    changes: list[YearChange]
    mapping_problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.errors and not self.mapping_problems and bool(self.years)


def _parse_year(text: str) -> int | None:
    t = to_arabic_digits(text).strip()
    if t.endswith(".0"):
        t = t[:-2]
    if not t.isdecimal():
        return None
    y = int(t)
    if 1900 <= y < 2400:
        y = ce_to_be(y)
    return y if 2500 <= y <= 2700 else None


def _parse_score(text: str) -> tuple[float | None, str | None]:
    t = to_arabic_digits(text).strip().replace("\u2212", "-").replace(",", "").rstrip("%").strip()
    try:
        v = float(t)
    except ValueError:
        return None, _("“%(text)s” ไม่ใช่ตัวเลข") % {"text": text}
    if v != v or not 0 <= v <= 100:
        return None, _("คะแนน %(value)s ต้องอยู่ระหว่าง 0 ถึง 100") % {"value": text}
    return v, None


def _set(data: dict, target: str, value) -> None:
    kind, _sep, key = target.partition(".")
    if kind in ("tools", "indicators", "items"):
        data.setdefault(kind, {})[key] = value
    else:
        data[kind] = value


def dry_run(rows: list[list[str]], mapping: list[str], agency) -> DryRun:
    header, body = rows[0], rows[1:]
    mapping = (mapping + [""] * len(header))[: len(header)]
    problems = []
    used = [m for m in mapping if m]
    for m in set(used):
        if used.count(m) > 1:
            problems.append(_("มีหลายคอลัมน์ที่จับคู่กับ “%(target)s”") % {"target": label(m)})
    long = "key" in mapping or "value" in mapping
    if "year" not in mapping:
        problems.append(_("ต้องมีคอลัมน์ปีงบประมาณ"))
    if long and not ("key" in mapping and "value" in mapping):
        problems.append(_("แบบแถวละหนึ่งค่าต้องมีทั้งคอลัมน์ชื่อรายการและคอลัมน์ค่า"))
    if long and any(m not in ("", "year", "key", "value") for m in mapping):
        problems.append(_("แบบแถวละหนึ่งค่าใช้ได้เฉพาะคอลัมน์ปี ชื่อรายการ และค่า"))
    if not long and not any(m not in ("", "year") for m in mapping):
        problems.append(_("ยังไม่ได้จับคู่คอลัมน์คะแนนใดเลย"))
    result = DryRun("long" if long else "wide", len(body), [], {}, [], problems)
    if problems:
        return result

    col = {m: i for i, m in enumerate(mapping) if m}
    errors = result.errors
    found: dict[int, dict] = {}  # fiscal year -> imported values
    first_row: dict[int, int] = {}
    origin: dict[tuple[int, str], tuple[int, str]] = {}  # (year, target) -> (row, column)
    seen: dict[tuple, int] = {}
    for n, row in enumerate(body, start=2):
        if not any(row):
            continue
        ytext = row[col["year"]]
        year = _parse_year(ytext)
        if year is None:
            errors.append(
                RowError(n, header[col["year"]], _("ปี “%(text)s” ไม่ใช่ปี พ.ศ. เช่น 2568") % {"text": ytext})
                if ytext
                else RowError(n, header[col["year"]], _("ไม่มีปีงบประมาณ"))
            )
            continue
        if long:
            cells = []
            ktext = row[col["key"]]
            target = guess(ktext)
            if target in ("", "year", "key", "value"):
                errors.append(
                    RowError(n, header[col["key"]], _("ไม่รู้จักรายการ “%(text)s”") % {"text": ktext})
                    if ktext
                    else RowError(n, header[col["key"]], _("ไม่มีชื่อรายการ"))
                )
                continue
            cells.append((target, header[col["value"]], row[col["value"]]))
            key = (year, target)
            if key in seen:
                errors.append(
                    RowError(
                        n,
                        header[col["key"]],
                        _("“%(what)s” ของปี %(year)s ซ้ำกับแถวที่ %(row)s")
                        % {"what": label(target), "year": year, "row": seen[key]},
                    )
                )
                continue
            seen[key] = n
        else:
            if year in first_row:
                errors.append(
                    RowError(
                        n,
                        header[col["year"]],
                        _("ปี %(year)s ซ้ำกับแถวที่ %(row)s") % {"year": year, "row": first_row[year]},
                    )
                )
                continue
            cells = [(m, header[i], row[i]) for i, m in enumerate(mapping) if m not in ("", "year")]
        first_row.setdefault(year, n)
        values = found.setdefault(year, {})
        for target, column, text in cells:
            if not text.strip() or text.strip() == "-":
                continue
            origin[(year, target)] = (n, column)
            if target == "level":
                values["level"] = text.strip()
            elif target == "edition":
                ed = _parse_year(text)
                if ed is None or ed not in all_editions():
                    errors.append(RowError(n, column, _("ไม่มีเกณฑ์การประเมินปี “%(text)s”") % {"text": text}))
                else:
                    values["edition"] = ed
            else:
                v, problem = _parse_score(text)
                if problem:
                    errors.append(RowError(n, column, problem))
                else:
                    _set(values, target, v)

    # Per year: the edition must exist and know every item; the merged record must validate.
    existing = {
        a.fiscal_year: a for a in Assessment.objects.filter(agency=agency, fiscal_year__in=list(found))
    }
    for year, values in sorted(found.items()):
        row_no = first_row[year]
        before = dict(existing[year].published) if year in existing else {}
        ed_year = values.get("edition") or before.get("edition") or year
        try:
            edition = get_edition(ed_year)
        except EditionError:
            errors.append(
                RowError(
                    row_no,
                    header[col["year"]],
                    _("ยังไม่มีเกณฑ์การประเมินของปี %(year)s ในระบบ (ระบุคอลัมน์เกณฑ์ปี)") % {"year": ed_year},
                )
            )
            continue
        for item in values.get("items", {}):
            if item not in edition.item_by_id:
                n, column = origin[(year, f"items.{item}")]
                errors.append(
                    RowError(
                        n, column, _("เกณฑ์ปี %(ed)s ไม่มีข้อ %(item)s") % {"ed": edition.edition, "item": item}
                    )
                )
        for part in ("EIT_1", "EIT_2"):
            if part in values.get("tools", {}) and part not in edition.part_ids:
                n, column = origin[(year, f"tools.{part}")]
                errors.append(
                    RowError(n, column, _("เกณฑ์ปี %(ed)s ไม่แบ่ง EIT เป็นสองส่วน") % {"ed": edition.edition})
                )
        merged = _merge(before, values)
        try:  # merged with the stored year, read as it is: a text over its limit is refused at apply
            RecordAssessment.model_validate({"fiscal_year": year, **merged}, context=LENIENT)
        except ValidationError as exc:
            for err in exc.errors():
                where = ".".join(str(x) for x in err["loc"])
                errors.append(RowError(row_no, where, err["msg"].removeprefix("Value error, ")))
            continue
        result.years[year] = merged
        result.changes.append(_changes(year, before, values, year not in existing))
    errors.sort(key=lambda e: e.row)
    return result


def _merge(before: dict, values: dict) -> dict:
    data = {k: v for k, v in before.items() if k not in ("fiscal_year", "year_be")}
    for key, v in values.items():
        if isinstance(v, dict):
            data[key] = {**(data.get(key) or {}), **v}
        else:
            data[key] = v
    return data


def _show(v) -> str:
    if v is None:
        return "–"
    return fmt(v) if isinstance(v, float | int) and not isinstance(v, bool) and v <= 100 else str(v)


def _changes(year: int, before: dict, imported: dict, new: bool) -> YearChange:
    """What the file's values change (values it leaves blank are kept and not listed)."""
    b, a = flat_published(before), flat_published(imported)
    out = YearChange(year, new)
    for key, v in a.items():
        old = b.get(key)
        if old == v or (
            isinstance(old, float | int) and isinstance(v, float | int) and float(old) == float(v)
        ):
            out.unchanged += 1
        else:
            out.changes.append((label(key), _show(old), _show(v)))
    return out


# ---- the upload and its state, in the database --------------------------------------------------


def _sweep() -> None:
    """Uploads older than a day are gone (their scores, when applied, are stored)."""
    ScoreImport.objects.filter(created__lt=timezone.now() - timedelta(seconds=KEEP_SECONDS)).delete()


def _row(token: str, agency_id: int, user_id: int, *, with_rows: bool = False) -> ScoreImport:
    if not _TOKEN.match(token or ""):
        raise KeyError(token)
    rows = ScoreImport.objects.filter(token=token, agency_id=agency_id, uploaded_by_id=user_id)
    row = (rows if with_rows else rows.defer("data", "rows")).first()
    if row is None:
        raise KeyError(token)
    return row


def _meta(row: ScoreImport) -> dict:
    return {
        "agency": row.agency_id,
        "user": row.uploaded_by_id,
        "name": row.file_name,
        "mapping": row.mapping,
        "state": row.state,
        "done": row.done,
        "total": row.total,
        "error": row.error,
        "years": row.years,
    }


def store(raw: bytes, name: str, agency_id: int, user_id: int) -> str:
    """Keep an upload whose type :func:`check_upload` accepted; its cells are read by the worker
    (:func:`read_upload`, enqueued by the caller)."""
    _sweep()
    token = secrets.token_urlsafe(24)
    ScoreImport.objects.create(
        token=token,
        agency_id=agency_id,
        uploaded_by_id=user_id,
        file_name=name[:200],
        data=raw,
        state=ScoreImportState.READING,
    )
    return token


class NotRead(Exception):
    """The upload's cells are not read yet (the worker is at it) or could not be read: ``meta``
    says which (state "reading" or "failed" with the Thai error)."""

    def __init__(self, meta: dict):
        super().__init__(meta.get("state"))
        self.meta = meta


def table(token: str, agency_id: int, user_id: int) -> tuple[list[list[str]], dict]:
    """The rows the worker read from the upload (header first) and its state; KeyError unless
    this user uploaded it for this agency (or once it is stored); NotRead before the rows exist.
    Never reads the file: the mapping page calls this on every view."""
    row = _row(token, agency_id, user_id, with_rows=True)
    if row.state == ScoreImportState.DONE:
        raise KeyError(token)
    meta = _meta(row) if row.state != ScoreImportState.READING else meta_of(token, agency_id, user_id)
    if not row.rows or meta["state"] == ScoreImportState.READING:
        raise NotRead(meta)
    return row.rows, meta


def load(token: str, agency_id: int, user_id: int) -> tuple[bytes, dict]:
    """The stored file and its state; KeyError unless this user uploaded it for this agency (or
    once its data is gone: stored already)."""
    row = _row(token, agency_id, user_id, with_rows=True)
    raw = bytes(row.data)
    if not raw:
        raise KeyError(token)
    return raw, _meta(row)


# The scores of every year are stored in one transaction, and a file is read in seconds: a row
# still "reading" or "running" after this was cut off by a worker that stopped (its transaction
# wrote nothing).
RUN_LIMIT = timedelta(minutes=10)


def meta_of(token: str, agency_id: int, user_id: int) -> dict:
    """The state of an upload (progress of its import) without its data; an import whose worker
    stopped is failed here, not "กำลังนำเข้า" for ever."""
    row = _row(token, agency_id, user_id)
    now = timezone.now()
    if row.state in (ScoreImportState.RUNNING, ScoreImportState.READING) and row.updated < now - RUN_LIMIT:
        if row.state == ScoreImportState.RUNNING:
            message = _("การนำเข้าหยุดกลางคันเพราะเครื่องประมวลผลหยุดทำงาน ไม่ได้บันทึกข้อมูลใด กรุณานำเข้าอีกครั้ง")
        else:
            message = _("การอ่านไฟล์หยุดกลางคันเพราะเครื่องประมวลผลหยุดทำงาน กรุณาอัปโหลดไฟล์อีกครั้ง")
        ScoreImport.objects.filter(pk=row.pk, state=row.state).update(
            state=ScoreImportState.FAILED, error=message, updated=now
        )
        row.refresh_from_db()
    return _meta(row)


_FIELDS = {"mapping", "state", "done", "total", "error", "years"}


def update(token: str, **changes) -> dict:
    unknown = set(changes) - _FIELDS
    if unknown:
        raise ValueError(f"not a field of a score import: {sorted(unknown)}")
    ScoreImport.objects.filter(token=token).update(**changes, updated=timezone.now())
    return _meta(ScoreImport.objects.defer("data", "rows").get(token=token))


def discard(token: str) -> None:
    ScoreImport.objects.filter(token=token).delete()


# ---- reading, in the worker ---------------------------------------------------------------------


def read_upload(token: str) -> str:
    """Read the upload's cells once and store them; the upload waits for its mapping then, or is
    failed with the Thai reason (too many rows, a broken file...)."""
    row = ScoreImport.objects.filter(token=token, state=ScoreImportState.READING).first()
    if row is None:
        return "missing"
    try:
        rows = read_table(bytes(row.data))
    except ImportProblem as exc:
        update(token, state=ScoreImportState.FAILED, error=str(exc))
        return "failed"
    except Exception:  # never left "reading": say so in Thai
        log.exception("score import %s: the file could not be read", row.pk)
        update(token, state=ScoreImportState.FAILED, error=_("ไฟล์เสียหาย เปิดไม่ได้"))
        return "failed"
    ScoreImport.objects.filter(pk=row.pk, state=ScoreImportState.READING).update(
        rows=rows, state=ScoreImportState.MAPPING, total=len(rows) - 1, updated=timezone.now()
    )
    return "mapping"


@task()
def read_scores(token: str) -> str:
    """Background task: read an uploaded score file once (see :func:`read_upload`)."""
    return read_upload(token)


# ---- applying --------------------------------------------------------------------------------


def apply(token: str, agency_id: int, user_id: int) -> dict:
    """Check the file again (the data may have changed since the dry run) and store every year in
    one transaction. Progress and the outcome are written on the upload's row; progress outside
    the transaction, so the status page sees it move."""
    from prongsai.web.agencies.models import Agency

    try:
        rows, meta = table(token, agency_id, user_id)
    except (KeyError, NotRead):
        return {"state": "missing"}
    row = ScoreImport.objects.select_related("uploaded_by").defer("data", "rows").get(token=token)
    agency = Agency.objects.get(pk=agency_id)
    run = dry_run(rows, meta.get("mapping") or [], agency)
    if not run.ok:
        update(token, state=ScoreImportState.FAILED, error=_("ไฟล์มีข้อผิดพลาด ไม่ได้บันทึกข้อมูลใด"))
        return {"state": "failed"}
    total = len(run.years)
    update(token, state=ScoreImportState.RUNNING, done=0, total=total, error="")
    try:
        with acting_as(row.uploaded_by), transaction.atomic():
            for year, data in sorted(run.years.items()):
                # Stored texts read as they are; store_assessment refuses one over its limit, naming it.
                record = RecordAssessment.model_validate({"fiscal_year": year, **data}, context=LENIENT)
                store_assessment(agency, record, user=row.uploaded_by)
    except Exception as exc:  # nothing was stored: the transaction rolled back
        update(
            token,
            state=ScoreImportState.FAILED,
            done=0,
            error=_("บันทึกไม่สำเร็จ ไม่มีข้อมูลใดถูกบันทึก (%(error)s)") % {"error": str(exc)[:200]},
        )
        return {"state": "failed"}
    years = sorted(run.years)
    # The data is stored now; keep only the outcome.
    ScoreImport.objects.filter(token=token).update(
        state=ScoreImportState.DONE, done=total, years=years, data=b"", rows=None, updated=timezone.now()
    )
    return {"state": "done", "years": years}


@task()
def import_scores(token: str, agency_id: int, user_id: int) -> dict:
    """Background task: apply a checked score file (see :func:`apply`)."""
    return apply(token, agency_id, user_id)
