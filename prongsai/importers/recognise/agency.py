"""The agency (name, type, district, province), the memo (บันทึกข้อความ) and the report's fiscal year."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from prongsai.importers.recognise.measures import FieldValue
from prongsai.importers.recognise.places import known_province
from prongsai.importers.recognise.text import clean, match_key, years
from prongsai.thai.dates import find_thai_dates, fiscal_year_of
from prongsai.thai.digits import to_arabic_digits

TYPES = ["องค์การบริหารส่วนจังหวัด", "องค์การบริหารส่วนตำบล", "เทศบาลตำบล", "เทศบาลเมือง", "เทศบาลนคร"]
_ABBREVIATIONS = {
    "อบต": "องค์การบริหารส่วนตำบล",
    "อบจ": "องค์การบริหารส่วนจังหวัด",
    "ทต": "เทศบาลตำบล",
    "ทม": "เทศบาลเมือง",
    "ทน": "เทศบาลนคร",
}
_THAI_RUN = r"[\u0e01-\u0e2e\u0e30-\u0e3a\u0e40-\u0e4e]+"
# After the name: a space, the district, the province, a year phrase, punctuation or the end.
_NAME_END = r"(?=\s|อำเภอ|จังหวัด|ประจำปี|$|[^\u0e00-\u0e7f])"
_AGENCY = re.compile(rf"({'|'.join(TYPES)})\s?({_THAI_RUN}?){_NAME_END}")
_AGENCY_LOOSE = re.compile(rf"({'|'.join(TYPES)})\s?({_THAI_RUN})")
# 'อบต.X', 'อบต X', 'ทต.X', 'ทม. X', 'ทน.X': the short forms stand alone (not 'ตัวแทน…'); ทต/ทม/ทน
# need their dot, อบต/อบจ are never a part of a word.
_ABBR = re.compile(rf"(?<![\u0e01-\u0e4e])(?:(อบต|อบจ)\.?|(ทต|ทม|ทน)\.)\s?({_THAI_RUN}?){_NAME_END}")
# Signature titles: 'นายกเทศมนตรีตำบลแม่คะ' signs for เทศบาลตำบลแม่คะ.
_MAYOR = re.compile(rf"นายกเทศมนตรี(ตำบล|เมือง|นคร)\s?({_THAI_RUN}?){_NAME_END}")
# Agencies that are not local governments: hospitals, departments, universities, state enterprises.
_OTHER_AGENCY = re.compile(
    r"(?:(?:โรงพยาบาล|รพ\.)\s?[\u0e01-\u0e4e]+(?:\s?\(องค์การมหาชน\))?"
    r"|กรม[\u0e01-\u0e4e]{3,}|มหาวิทยาลัย[\u0e01-\u0e4e]{3,}|สถาบัน[\u0e01-\u0e4e]{3,}"
    r"|การ(?:ท่าเรือ|ไฟฟ้า|ประปา|รถไฟ|ทางพิเศษ|เคหะ|ยาง|กีฬา|ท่าอากาศยาน)[\u0e01-\u0e4e]*)"
)
_DISTRICT = re.compile(rf"(?:อำเภอ|อ\.)\s?({_THAI_RUN}?)(?=\s|จังหวัด|จ\.|$|[^\u0e00-\u0e7f])")
_PROVINCE = re.compile(rf"(?:จังหวัด|จ\.)\s?({_THAI_RUN}?)(?=\s|$|[^\u0e00-\u0e7f])")


@dataclass
class AgencyDraft:
    name: FieldValue[str] | None = None
    type: FieldValue[str] | None = None
    district: FieldValue[str] | None = None
    province: FieldValue[str] | None = None
    other_names: list[tuple[str, int]] = field(default_factory=list)


def find_agency(lines: list[str], memo_unit: FieldValue[str] | None, conf: float) -> AgencyDraft:
    """The spelling of the heading (or the memo header) is the name; other spellings are noted."""
    out = AgencyDraft()
    clean_hits: list[tuple[str, str, int, str]] = []  # (type, name, line, line text)
    for n, line in enumerate(lines, 1):
        for m in _AGENCY.finditer(line):
            if len(m.group(2)) >= 2 and m.group(2) not in _NOT_NAMES:
                clean_hits.append((m.group(1), m.group(2), n, line))
    if not clean_hits:
        for n, line in enumerate(lines, 1):
            for m in _ABBR.finditer(line):
                if len(m.group(3)) >= 2 and m.group(3) not in _NOT_NAMES:
                    clean_hits.append((_ABBREVIATIONS[m.group(1) or m.group(2)], m.group(3), n, line))
            for m in _MAYOR.finditer(line):
                if len(m.group(2)) >= 2 and m.group(2) not in _NOT_NAMES:
                    clean_hits.append(("เทศบาล" + m.group(1), m.group(2), n, line))
    unit_hit = _hit_in(memo_unit.value, memo_unit.lines[0]) if memo_unit is not None else None
    if not clean_hits:
        other = _other_agency(lines, memo_unit, conf)
        return other if other is not None else _english_agency(lines, conf)
    chosen = None
    if unit_hit is not None:
        chosen = unit_hit  # the memo's own unit (a wrapped header line read whole)
    elif memo_unit is not None:
        chosen = next((h for h in clean_hits if h[2] in memo_unit.lines), None)
    if chosen is None:
        # A heading: a short line near the top; else the spelling written most often.
        headings = [
            h for h in clean_hits if len(clean(h[3])) <= 200 and h[2] <= 40 and not _LINK_BAR.search(h[3])
        ]
        counts = Counter((t, nm) for t, nm, _, _ in clean_hits)
        chosen = headings[0] if headings else max(clean_hits, key=lambda h: counts[(h[0], h[1])])
    kind, name, line_no, text = chosen
    agree = sum(1 for h in clean_hits if h[1] == name)
    sure = conf * (0.95 if agree == len(clean_hits) else 0.8)
    out.name = FieldValue(kind + name, [line_no], sure)
    out.type = FieldValue(kind, [line_no], sure)
    after = text[text.find(name) + len(name) :]
    d = _DISTRICT.search(after)
    if d and len(d.group(1)) >= 2:
        out.district = FieldValue(d.group(1), [line_no], sure)
    p = _PROVINCE.search(after)
    if p and len(p.group(1)) >= 2:
        out.province = FieldValue(known_province(p.group(1)) or p.group(1), [line_no], sure)
    if kind == "องค์การบริหารส่วนจังหวัด":
        out.district = None  # a PAO is the province's: its name is the province
        out.province = FieldValue(known_province(name) or name, [line_no], sure)
    if out.district is None or out.province is None:
        _place_elsewhere(out, lines, kind, name, line_no, sure * 0.9)
    seen = {kind + name}
    for n, line in enumerate(lines, 1):
        for m in _AGENCY_LOOSE.finditer(line):
            run = m.group(1) + m.group(2)
            if run.startswith(kind + name):
                continue
            whole = _AGENCY.match(line, m.start())
            if whole and len(whole.group(2)) <= len(name) + 4:
                spelling = whole.group(1) + whole.group(2)  # the name ends cleanly (a space follows)
            else:
                spelling = m.group(1) + _closest_prefix(m.group(2), name)
            if spelling not in seen and len(spelling) > len(m.group(1)) + 1:
                seen.add(spelling)
                out.other_names.append((spelling, n))
    return out


def _closest_prefix(run: str, name: str) -> str:
    """A name run together with the words after it ('ต้นยางมีสได้มีการ…'): the prefix, of about the
    chosen name's length, that reads most like it."""
    lengths = range(max(2, len(name) - 3), min(len(run), len(name) + 3) + 1)
    return max((run[:k] for k in lengths), key=lambda p: fuzz.ratio(p, name), default=run)


def _place_elsewhere(out: AgencyDraft, lines: list[str], kind: str, name: str, at: int, conf: float) -> None:
    """District and province printed elsewhere: after another writing of the name (the full
    form, 'อบต.X', an address 'ตำบลX อำเภอ… จังหวัด…'), on the line under the heading
    ('อำเภอศรีบุญเรือง จังหวัดหนองบัวลำภู'), or, for a local government, the one province the
    text names ('อันดับที่ 3 ของจังหวัดชลบุรี')."""
    short = [a for a, k in _ABBREVIATIONS.items() if k == kind]
    writings = [kind + name, *(f"{a}.{name}" for a in short), *(f"{a} {name}" for a in short)]
    if kind in ("องค์การบริหารส่วนตำบล", "เทศบาลตำบล"):
        writings.append("ตำบล" + name)
    for n, line in enumerate(lines, 1):
        key = line.replace(". ", ".")
        spots = [key.find(w) + len(w) for w in writings if w in key]
        under_heading = n == at + 1 or (n == at + 2 and not lines[at].strip())
        if under_heading and re.match(r"\s*(?:อำเภอ|อ\.|จังหวัด|จ\.)", line):
            spots.append(0)  # the heading's second line
        for spot in spots:
            after = key[spot:]
            if out.district is None and (d := _DISTRICT.search(after)) and len(d.group(1)) >= 2:
                out.district = FieldValue(d.group(1), [n], conf)
            if out.province is None and (p := _PROVINCE.search(after)) and len(p.group(1)) >= 2:
                out.province = FieldValue(known_province(p.group(1)) or p.group(1), [n], conf)
    if out.province is None:
        named = {
            (known_province(m.group(1)), n)
            for n, line in enumerate(lines, 1)
            # not an office's province ('สำนักงาน ป.ป.ช. ประจำจังหวัด…', 'สาธารณสุขจังหวัด…')
            for m in re.finditer(r"(?:^|(?<=\s)|(?<=ของ)|(?<=ใน))จังหวัด\s?([\u0e01-\u0e4e]+)", line)
        }
        provinces = {p for p, _ in named if p}
        if len(provinces) == 1:
            (province,) = provinces
            out.province = FieldValue(province, sorted(n for p, n in named if p == province)[:3], conf * 0.6)


def _hit_in(text: str, line: int) -> tuple[str, str, int, str] | None:
    """The local government a memo's unit names ('สำนักปลัด อบต.โคกสะอาด อ.ปลาปาก จ.นครพนม')."""
    for rx, expand in ((_AGENCY, None), (_ABBR, _ABBREVIATIONS)):
        for m in rx.finditer(text):
            if expand is None and len(m.group(2)) >= 2 and m.group(2) not in _NOT_NAMES:
                return m.group(1), m.group(2), line, text
            if expand is not None and len(m.group(3)) >= 2 and m.group(3) not in _NOT_NAMES:
                return expand[m.group(1) or m.group(2)], m.group(3), line, text
    return None


def _other_agency(lines: list[str], memo_unit: FieldValue[str] | None, conf: float) -> AgencyDraft | None:
    """A hospital, department, university or state enterprise named in the memo's unit or in the
    first lines (its banner), not one mentioned further down (link bars, parent offices)."""
    places = [(memo_unit.value, memo_unit.lines[0])] if memo_unit is not None else []
    top = [(t, n) for n, t in enumerate(lines, 1) if t.strip() and not _LINK_BAR.search(t)][:5]
    for text, n in places + top:
        m = _OTHER_AGENCY.search(text)
        if m:
            name = re.sub(r"^รพ\.\s?", "โรงพยาบาล", clean(m.group(0)))
            return AgencyDraft(name=FieldValue(name, [n], conf * 0.8))
    return None


# A menu or link bar ('หน่วยงานที่เกี่ยวข้อง : อบจ.… | เทศบาล…', 'หน้าแรก › …') names other agencies.
_LINK_BAR = re.compile(r"\||›|»|^\s*(?:หน่วยงานที่เกี่ยวข้อง|ลิงก์|ลิ้งค์|เว็บไซต์ที่เกี่ยวข้อง)")
_NOT_NAMES = {"โทร", "นั้น", "ดังกล่าว", "แห่งนี้", "ที่"}


# --- memo ---------------------------------------------------------------------------------------

_MEMO_LABELS = {
    "unit": r"ส่วนราชการ",
    "ref_no": r"ที่",
    "date": r"วันที่",
    "subject": r"เรื่อง",
    "to": r"เรียน",
}
# 'นายก…' (the mayor's title) is a position, not a person.
_PERSON = re.compile(r"^\(?\s*((?:นาย(?!ก)|นางสาว|นาง|น\.ส\.|ว่าที่\s*ร\.ต\.|ว่าที่ร้อยตรี|ดร\.)\s*\S.*?)\s*\)?$")


# The executive's decision between signature blocks ('- อนุมัติ', '☑ อนุมัติ ☐ ไม่อนุมัติ').
# A date written under a signature ('24 ต.ค. 2567', '๕ เมษายน ๒๕๖๖'), not part of the position.
_DATE_LINE = re.compile(r"^(?:วันที่\s*)?[0-9๐-๙]{1,2}\s*\S+\s*[0-9๐-๙]{2,4}$")
_DECISION = re.compile(r"^(?:[-–☐☑✓✔/\[]|(?:อนุมัติ|ไม่อนุมัติ|ทราบ|เห็นชอบ|เห็นควร)(?:\s|$))")


_RULE = re.compile(r"^[-–—_=*.·\s]{5,}$")
_PHONE = re.compile(r"\s*(?:โทร(?:ศัพท์)?\.?|Tel\.?)\s*[:：]?\s*[0-9๐-๙][0-9๐-๙ \-,]*(?:ต่อ\s*[0-9๐-๙]+)?\s*$")


@dataclass
class MemoDraft:
    fields: dict[str, FieldValue[str]] = field(default_factory=dict)  # unit, ref_no, subject, to
    date: FieldValue[dt.date] | None = None
    signers: list[dict[str, FieldValue[str] | None]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)

    def has(self, key: str) -> bool:
        return self.date is not None if key == "date" else key in self.fields

    @property
    def found(self) -> bool:
        """Any field of the header was read."""
        return bool(self.fields) or self.date is not None


def find_memo(lines: list[str], conf: float) -> MemoDraft | None:
    start = next((i for i, t in enumerate(lines[:60]) if match_key(t) == "บันทึกข้อความ"), None)
    if start is None:
        return None
    memo = MemoDraft(lines=[start + 1])
    i = start + 1
    pending: str | None = None
    last: str | None = None  # the field an unlabelled line may continue (a wrapped unit or subject)
    while i < len(lines) and i < start + 40:
        text = clean(lines[i])
        i += 1
        if not text or _RULE.match(text):
            continue
        if pending:  # the label stood alone; its value is the next line
            _memo_field(memo, pending, text, i, conf * 0.9)
            pending = None
            if memo.fields.get("to"):
                break
            continue
        hit = False
        for key, label in _MEMO_LABELS.items():
            if memo.has(key):
                continue
            m = re.match(rf"^{label}(?:\s+|\s*[:：]\s*|$)(.*)$", text)
            if not m or (key == "ref_no" and not m.group(0).startswith("ที่ ") and m.group(1)):
                continue
            hit = True
            value = m.group(1).strip()
            if key == "ref_no" and "วันที่" in value:
                # The official layout puts ที่ and วันที่ on one line.
                value, _, date_text = value.partition("วันที่")
                value = value.strip()
                _memo_field(memo, "date", date_text.strip(), i, conf)
            if value:
                _memo_field(memo, key, value, i, conf)
                last = key
            else:
                pending = key
            break
        if memo.fields.get("to"):
            break
        if not hit and last in ("unit", "subject") and len(text) <= 120:
            # A borderless two-column header wraps the unit or the subject onto the next line.
            old = memo.fields[last]
            thai_both = re.search(r"[\u0e01-\u0e4e]$", old.value) and re.match(r"[\u0e01-\u0e4e]", text)
            joint = "" if thai_both else " "
            memo.fields[last] = FieldValue(old.value + joint + text, [*old.lines, i], old.confidence * 0.9)
            last = None
            continue
        if not hit and memo.found:
            break
    memo.signers = _signers(lines, i, conf)
    return memo


def _memo_field(memo: MemoDraft, key: str, value: str, line: int, conf: float) -> None:
    if key == "unit":
        value = _PHONE.sub("", value).strip()  # 'โทร. ๐ ๔๒๕๑ ๙๐๓๒' is the unit's number, not its name
    if key == "date":
        dates = find_thai_dates(value)
        if dates:
            memo.date = FieldValue(dates[0], [line], conf)
        return
    memo.fields[key] = FieldValue(value, [line], conf)


def _signers(lines: list[str], start: int, conf: float) -> list[dict[str, FieldValue[str] | None]]:
    """Names in signature blocks, each with the position printed under it (one or more lines)."""
    out = []
    i = start
    while i < len(lines):
        text = clean(lines[i])
        i += 1
        m = _PERSON.match(text) if text and len(text) <= 60 else None
        if not m:
            continue
        name = m.group(1).strip().strip("()")
        name_line = i
        position: list[tuple[str, int]] = []
        while i < len(lines):
            nxt = clean(lines[i])
            if not nxt:
                i += 1
                continue
            if (
                _PERSON.match(nxt)
                or nxt.startswith(("ความเห็น", "(ลงชื่อ)", "ลงชื่อ", "ลงนาม", "คำสั่ง"))
                or _DATE_LINE.match(nxt)
                or _DECISION.match(nxt)
                or len(nxt) > 80
                or len(position) >= 3
            ):
                break
            position.append((nxt, i + 1))
            i += 1
        out.append(
            {
                "name": FieldValue(name, [name_line], conf * 0.9),
                "position": FieldValue(" ".join(p for p, _ in position), [n for _, n in position], conf * 0.8)
                if position
                else None,
            }
        )
    return out


# --- the report's fiscal year -------------------------------------------------------------------


def report_year(lines: list[str], memo: MemoDraft | None, assessed: set[int]) -> FieldValue[int] | None:
    """The fiscal year the measures or progress are about: the year named most often (with
    ปีงบประมาณ / ประจำปี / พ.ศ. or in a date), other than the assessed years; the memo's date
    only when nothing is named (a memo of October asks approval for the year just ended)."""
    mentioned: list[tuple[int, int]] = []
    for n, line in enumerate(lines, 1):
        text = to_arabic_digits(line)
        for m in re.finditer(r"(?:พ\s*\.\s*ศ\s*\.?|ปีงบประมาณ|ประจำปี)\s*(25\d\d)(?!\d)", text):
            mentioned.append((int(m.group(1)), n))
        for m in re.finditer(r"(?<!\d)\d{1,2}/\d{1,2}/(\d{2})(?!\d)", text):  # 25/04/65
            mentioned.append((2500 + int(m.group(1)), n))
        for d in find_thai_dates(line):  # '๓๑ มีนาคม ๒๕๖๔' (a year named by a date)
            if not re.search(r"พ\s*\.\s*ศ", line):
                mentioned.append((d.year + 543, n))
        # English sources: 'Fiscal Year 2025', 'FY 2025' (C.E.) and 'B.E. 2568'.
        for m in re.finditer(r"\b(?:fiscal\s+year|FY)\s*(20\d\d)(?!\d)", text, re.I):
            mentioned.append((int(m.group(1)) + 543, n))
        for m in re.finditer(r"\bB\.\s?E\.\s*(25\d\d)(?!\d)", text):
            mentioned.append((int(m.group(1)), n))
    if not mentioned and memo and memo.date is not None:
        dated = memo.date
        return FieldValue(fiscal_year_of(dated.value), dated.lines, dated.confidence * 0.7)
    plausible = [(y, n) for y, n in mentioned if 2550 <= y <= 2600]
    if not plausible:
        found = [y for line in lines for y in years(line) if 2550 <= y <= 2600]
        return FieldValue(max(found), [], 0.4) if found else None
    # The year named most often, leaving out the assessed years (a report quotes last year's
    # result and plans for this year); a tie goes to the later year.
    pool = [(y, n) for y, n in plausible if y not in assessed] or plausible
    counts = Counter(y for y, _ in pool)
    year = max(counts, key=lambda y: (counts[y], y))
    lines_of = [n for y, n in pool if y == year]
    sure = 0.8 if counts[year] > 1 and len(counts) > 1 else 0.65
    return FieldValue(year, lines_of[:3], sure)


def similar_names(a: str, b: str) -> bool:
    return fuzz.ratio(match_key(a), match_key(b)) >= 80


# --- English sources ----------------------------------------------------------------------------

_EN_WORD = r"[A-Z][a-z]+(?:-[A-Z]?[a-z]+)?"
_EN_KINDS = [
    (r"Subdistrict Municipality", "เทศบาลตำบล"),
    (r"Town Municipality", "เทศบาลเมือง"),
    (r"City Municipality", "เทศบาลนคร"),
    (r"Subdistrict Administrative Organi[sz]ation|SAO", "องค์การบริหารส่วนตำบล"),
    (r"Provincial Administrative Organi[sz]ation|PAO", "องค์การบริหารส่วนจังหวัด"),
    (r"(?:Rajabhat |Rajamangala )?University|Hospital(?: \(Public Organi[sz]ation\))?|Organi[sz]ation", None),
]
_EN_AGENCY = re.compile(
    rf"\b((?:{_EN_WORD} ){{1,4}}?)({'|'.join(k for k, _ in _EN_KINDS)})(?![A-Za-z])"
    rf"|\b((?:Department|Office|Ministry) of (?:the )?(?:{_EN_WORD}(?: and)? ?){{1,5}})"
)
_EN_EXPAND = {
    "SAO": "Subdistrict Administrative Organization",
    "PAO": "Provincial Administrative Organization",
}
_EN_NOT_NAME = {
    "The",
    "A",
    "An",
    "Our",
    "Its",
    "Neighbouring",
    "National",
    "Anti",
    "Corruption",
    "Commission",
}


def _english_agency(lines: list[str], conf: float) -> AgencyDraft:
    """'Huai Kaeo SAO' -> Huai Kaeo Subdistrict Administrative Organization, its type, district and
    province as printed ('Mae On District, Chiang Mai'); the first name near the top is the agency."""
    out = AgencyDraft()
    for n, line in enumerate(lines[:40], 1):
        for m in _EN_AGENCY.finditer(line):
            if m.group(3):
                name, kind = m.group(3).strip(), None
            else:
                words = m.group(1).split()
                while words and words[0] in _EN_NOT_NAME:
                    words.pop(0)
                if not words or "National" in m.group(1) or "Anti-Corruption" in m.group(1):
                    continue
                suffix = _EN_EXPAND.get(m.group(2), m.group(2))
                name = " ".join(words) + " " + suffix
                kind = next((t for k, t in _EN_KINDS if re.fullmatch(k, m.group(2))), None)
            out.name = FieldValue(name, [n], conf * 0.7)
            if kind:
                out.type = FieldValue(kind, [n], conf * 0.7)
                if kind == "องค์การบริหารส่วนจังหวัด":
                    out.province = FieldValue(" ".join(name.split()[:-3]), [n], conf * 0.6)
            _english_place(out, lines, conf * 0.6)
            return out
    return out


_EN_DISTRICT = re.compile(
    rf"(?:in )?((?:{_EN_WORD} ){{0,2}}{_EN_WORD}) [Dd]istrict(?:,\s*((?:{_EN_WORD} ?){{1,3}}))?"
)


def _english_place(out: AgencyDraft, lines: list[str], conf: float) -> None:
    for n, line in enumerate(lines[:40], 1):
        m = _EN_DISTRICT.search(line)
        if m:
            out.district = FieldValue(m.group(1).removeprefix("in ").strip(), [n], conf)
            if m.group(2) and out.province is None:
                out.province = FieldValue(m.group(2).strip().removesuffix(" Province").strip(), [n], conf)
            return
