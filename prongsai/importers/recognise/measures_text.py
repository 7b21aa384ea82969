"""Measures written as text rather than tables: numbered lines and headings (มาตรการที่ 1 …,
๑. …, 1) …, (1) …, bullets, 'Measure 1:'), labelled sub-lines under them (วิธีการ : …,
1.3 ระยะเวลา …, – ผู้รับผิดชอบ: …, Steps: …) and steps, period and responsible written in one
sentence ('… ดำเนินการโดย … ระหว่างเดือน … ถึง … มีกองคลังเป็นผู้รับผิดชอบ').

A numbered or bulleted line is a measure when it names one (starts with มาตรการ, โครงการ,
กิจกรรม, ประกาศ, คำสั่ง, นโยบาย, แผน) or when labelled sub-lines follow it; checklist items
(O1 …, MOIT 1 …) and sub-numbers (9.1 …) never start one. An issue heading (ประเด็นที่ 1 …)
carries the indicator it names to the measure labelled under it (มาตรการ : …).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from prongsai.importers.recognise.measures import (
    FieldValue,
    MeasureDraft,
    evidence_in,
    indicator_in_cell,
    status_from_text,
    status_from_words,
)
from prongsai.importers.recognise.text import clean
from prongsai.thai.digits import to_arabic_digits

_D = r"[0-9๐-๙]"
# Words a measure's own title starts with.
MEASURE_WORDS = r"(?:มาตรการ|โครงการ|กิจกรรม|ประกาศ|คำสั่ง|นโยบาย|แผน|Measure|Project|Activity)"
_MEASURE_HEAD = re.compile(
    rf"^(?:มาตรการ|Measure|กิจกรรม|โครงการ)(?:ที่)?\s*({_D}{{1,2}})\s*[.:：)\-–—]?\s*(.*)$", re.I
)
_ISSUE_HEAD = re.compile(rf"^(?:ประเด็น(?:ที่)?|Issue)\s*({_D}{{1,2}})\s*[.:：)]?\s*(.*)$", re.I)
_NUMBERED = re.compile(rf"^(?:\(({_D}{{1,2}})\)|({_D}{{1,2}})\s*[.)](?!{_D}))\s*(.+)$")
_BULLET = re.compile(r"^[•●▪◦■□❖➢➤►○∙·*]\s*(.+)$|^[-–—]\s+(.+)$")
_SUB_NUMBER = re.compile(rf"^{_D}{{1,2}}\.{_D}{{1,2}}\.?\s*")
_INDICATOR_HEAD = re.compile(rf"^ตัวชี้วัดที่\s*({_D}{{1,2}})|^Indicator\s+(\d{{1,2}})\b", re.I)

# label -> field; "title" is a measure named under an issue, "skip" a labelled line of no field.
_LABELS: list[tuple[str, str]] = [
    (
        r"วิธีการ(?:ดำเนินการ|ดำเนินงาน)?|วิธีดำเนินการ|ขั้นตอน(?:การดำเนินการ|การดำเนินงาน)?|กิจกรรมที่ดำเนินการ"
        r"|Steps?|Method|Actions?|Activities",
        "method",
    ),
    (r"ระยะเวลา(?:ดำเนินการ|การดำเนินการ)?|ช่วงเวลา|กำหนดเวลา|Period|Timeline|Timeframe", "period"),
    (r"ผู้รับผิดชอบ|หน่วยงานที่รับผิดชอบ|หน่วยงานรับผิดชอบ|Responsible(?: unit| person)?|Owner", "responsible"),
    (r"สถานะ(?:การดำเนินการ|การดำเนินงาน)?|Status", "status"),
    (r"ผลการดำเนินงาน|ผลการดำเนินการ|ผลการปฏิบัติงาน|Results?|Progress", "result"),
    (r"ผลลัพธ์|ผลที่ได้รับ|Outcomes?", "outcome"),
    (r"ข้อเสนอแนะ|ปัญหา(?:และ|/)?อุปสรรค|Suggestions?", "suggestion"),
    (r"การติดตาม(?:ผล|ประเมินผล)?|Monitoring", "monitoring"),
    (r"หลักฐาน(?:ประกอบ)?|เอกสารหลักฐาน|ดาวน์โหลด|ลิงก์|Evidence|Download|Link", "evidence"),
    (r"มาตรการ|Measure", "title"),
    (r"วัตถุประสงค์|งบประมาณ|ผลการวิเคราะห์|เป้าหมาย|ตัวชี้วัด|Objective|Budget|Target", "skip"),
]
# 'วิธีการ : …', 'สถานะ ณ 31 มี.ค. 66: …' (a few words before the colon), or 'ระยะเวลา มกราคม …'.
_LABEL = re.compile(
    r"^(?P<label>" + "|".join(f"(?:{p})" for p, _ in _LABELS) + r")"
    r"(?:(?P<qual>[^:：]{0,24}?)\s*[:：]|\s*[-–](?=\s)|(?=\s))\s*(?P<value>.*)$",
    re.I,
)
# A label inside a one-line measure: 'ผู้รับผิดชอบ: กองคลัง', '(ระยะเวลา: ม.ค. 68, ผู้รับผิดชอบ: …)'.
_INLINE_LABEL = re.compile(
    r"(?:(?<=[\s(,;])|^)(?P<label>" + "|".join(f"(?:{p})" for p, _ in _LABELS) + r")\s*[:：]\s*", re.I
)
_LABEL_SEPARATOR = re.compile(rf"^{MEASURE_WORDS}\s*[:：]", re.I)
_FIELD_OF = [(re.compile(f"^(?:{p})$", re.I), f) for p, f in _LABELS]

_MONTH = (
    r"(?:มกราคม|กุมภาพันธ์|มีนาคม|เมษายน|พฤษภาคม|มิถุนายน|กรกฎาคม|สิงหาคม|กันยายน|ตุลาคม|พฤศจิกายน|ธันวาคม"
    r"|ม\.ค\.|ก\.พ\.|มี\.ค\.|เม\.ย\.|พ\.ค\.|มิ\.ย\.|ก\.ค\.|ส\.ค\.|ก\.ย\.|ต\.ค\.|พ\.ย\.|ธ\.ค\.)"
)
_DATE = rf"(?:วันที่\s*)?(?:{_D}{{1,2}}\s*)?(?:เดือน\s*)?{_MONTH}\s*(?:พ\.\s*ศ\.\s*)?(?:{_D}{{4}}|{_D}{{2}})?"
_WHOLE_YEAR = rf"ตลอดปี(?:งบประมาณ)?(?:\s*(?:พ\.\s*ศ\.\s*)?{_D}{{4}})?"
# 'ระหว่างเดือนตุลาคม 2568 ถึงเดือนมีนาคม 2569', 'ตั้งแต่ 1 ตุลาคม 2568 ถึง 30 กันยายน 2569', 'ภายในเดือนธันวาคม 2568'
_PERIOD_PROSE = re.compile(
    rf"(?:ระหว่าง|ตั้งแต่|ภายใน|ในช่วง|ช่วง|ในเดือน)\s*{_DATE}(?:\s*(?:ถึง|จนถึง|[-–—])\s*{_DATE})?|{_WHOLE_YEAR}"
)
# 'มีสำนักปลัดเทศบาลเป็นผู้รับผิดชอบหลัก', 'โดยกองการศึกษาเป็นผู้รับผิดชอบ'
_RESP_BEFORE = re.compile(r"(?:^|\s)(?:มี|โดย(?:มี)?)\s*(?P<who>\S[^\s]*?)\s*เป็นผู้รับผิดชอบ(?:หลัก)?")
# 'ผู้รับผิดชอบคือกองคลัง…', 'ผู้รับผิดชอบ งานนิติการ สำนักปลัด', 'มอบหมายให้ ทุกกอง', 'รับผิดชอบโดย กองช่าง'
_RESP_AFTER = re.compile(
    r"(?:(?<=\s)|^)(?:ผู้รับผิดชอบ(?:หลัก)?(?:\s*(?:คือ|ได้แก่|[:：]))?|มอบหมายให้|รับผิดชอบโดย|Responsible\s*:)\s*(?P<who>.+)$"
)
# Where the title of a one-line measure ends and what it says about itself begins.
_TITLE_END = re.compile(
    r"\s+(?=(?:เทศบาล|องค์การ|อบต|อบจ|หน่วยงาน|มหาวิทยาลัย|โรงพยาบาล|กรม|สำนักงาน)\S*\s*(?:จะ|ได้|ให้)"
    r"|ให้|โดยจะ|จะดำเนินการ|ดำเนินการโดย|มอบหมายให้|ผู้รับผิดชอบ|รับผิดชอบโดย"
    r"|ดำเนินการแล้ว|ดำเนินการเสร็จ|อยู่ระหว่าง(?:การ)?ดำเนินการ|ยังไม่(?:ได้)?ดำเนินการ)"
)
_STATUS_START = re.compile(
    r"^(?:ดำเนินการ(?:แล้ว(?:เสร็จ)?|เสร็จ(?:สิ้น|เรียบร้อย)(?:แล้ว)?)|อยู่ระหว่าง(?:การ)?ดำเนินการ"
    r"|ยังไม่(?:ได้)?ดำเนินการ)"
)
# Connectives trimmed from the ends of steps written in prose.
_STEPS_LEAD = re.compile(
    r"^(?:(?:เทศบาล|องค์การบริหารส่วน|อบต|หน่วยงาน|มหาวิทยาลัย|โรงพยาบาล|กรม)\S*?จะ\s*)?"
    r"(?:ดำเนินการโดย|ให้)?\s*"
)
_STEPS_TAIL = re.compile(r"\s*(?:โดย(?:จะ)?(?:ดำเนินการ)?|ระยะเวลา(?:ดำเนินการ)?|ทั้งนี้|,)\s*$")
_URLS = re.compile(r"(?:https?://|www\.)[^\s<>()\[\]\"']+", re.I)
_UNIT = re.compile(r"^(?:กอง|สำนัก|งาน|ฝ่าย|ศูนย์|หน่วย|ทุกกอง|ทุกส่วน|คณะทำงาน|คณะกรรมการ)\S*(?:\s\S+){0,3}$")
_DASH_ONLY = re.compile(r"^[\s\-–—.]*$")
_CHECKLIST = re.compile(r"^(?:O|o|MOIT|IIT|EIT|i|e)\s*\d", re.I)


@dataclass
class _Open:
    measure: MeasureDraft
    field: str | None = None  # the labelled field that a following unlabelled line continues
    indent: int = 0


def label_of(text: str) -> tuple[str, str] | None:
    """('method', 'value') for a labelled line, None otherwise."""
    m = _LABEL.match(text)
    if not m or _MEASURE_HEAD.match(text) or _ISSUE_HEAD.match(text):
        return None
    label = m.group("label")
    field = next(f for rx, f in _FIELD_OF if rx.match(label))
    value = m.group("value").strip()
    if m.group("qual") is None and not value:
        return None
    if field == "title" and m.group("qual") is None:
        return None  # 'มาตรการเผยแพร่…' is a title, 'มาตรการ : …' a label
    if m.group("qual") and field not in ("status", "result", "period") and len(m.group("qual").strip()) > 12:
        return None
    return field, value


def _head(text: str) -> tuple[str, int | None, str] | None:
    """('measure' | 'issue' | 'numbered' | 'bullet', number, rest) for a line that may start one."""
    if _CHECKLIST.match(text) or _SUB_NUMBER.match(text):
        return None
    if m := _ISSUE_HEAD.match(text):
        return "issue", int(to_arabic_digits(m.group(1))), m.group(2)
    if m := _MEASURE_HEAD.match(text):
        return "measure", int(to_arabic_digits(m.group(1))), m.group(2)
    if m := _NUMBERED.match(text):
        return "numbered", int(to_arabic_digits(m.group(1) or m.group(2))), m.group(3)
    if m := _BULLET.match(text):
        return "bullet", None, m.group(1) or m.group(2)
    if re.match(MEASURE_WORDS, text, re.I) and len(text) <= 200 and not _LABEL_SEPARATOR.match(text):
        # 'ประกาศเจตนารมณ์ No Gift Policy' with labelled lines under it, no number.
        return "heading", None, text
    return None


def _inline(m: MeasureDraft, rest: str, line: int, conf: float, *, keep_measure_word: bool) -> None:
    """Title and what a one-line measure says of itself: responsible, period, steps, result."""
    rest = clean(rest)
    quoted = re.match(r'^มาตรการ\s*["“”](?P<t>[^"“”]+)["“”]\s*(?P<rest>.*)$', rest)
    if quoted:
        title, after = quoted.group("t"), quoted.group("rest")
    else:
        cut = _TITLE_END.search(rest)
        if cut and cut.start() >= 6:
            title, after = rest[: cut.start()], rest[cut.end() :]
        else:
            title, after = rest, ""
    labelled = _inline_labels(after if quoted else rest)
    if quoted and labelled and labelled[0][0].start() == 0:
        _apply_inline_labels(m, after, labelled, line, conf)
        after = ""
    elif not quoted and labelled and labelled[0][0].start() >= 6:
        # 'โครงการปรับปรุงเว็บไซต์ (ระยะเวลา: ม.ค.-มี.ค. 68, ผู้รับผิดชอบ: สำนักปลัด)'
        title = rest[: labelled[0][0].start()].rstrip(" (,;–-")
        after = ""
        _apply_inline_labels(m, rest, labelled, line, conf)
    if not keep_measure_word:
        title = re.sub(r"^มาตรการ\s+", "", title)
    m.set("title", title.strip(), [line], conf)
    after = after.strip()
    if not after:
        return
    if _STATUS_START.match(after):
        m.set("result", after, [line], conf * 0.9)
        status, sure = status_from_text(after)
        m.set("status", status, [line], conf * sure)
        return
    ends = [len(after)]
    resp = _RESP_BEFORE.search(after) or _RESP_AFTER.search(after)
    if resp:
        m.set("responsible", clean(resp.group("who")).rstrip("."), [line], conf * 0.8)
        ends.append(resp.start())
    period = _PERIOD_PROSE.search(after)
    if period:
        m.set("period", clean(period.group(0)), [line], conf * 0.8)
        ends.append(period.start())
    steps = after[: min(ends)]
    steps = _STEPS_TAIL.sub("", _STEPS_LEAD.sub("", steps, count=1)).strip()
    if _UNIT.match(steps) and len(steps) <= 60:
        # 'ดำเนินการโดย กองการศึกษา': carried out by a unit, which is who is responsible.
        if m.get("responsible") is None:
            m.set("responsible", steps, [line], conf * 0.7)
        return
    if len(steps) >= 8:
        m.set("method", steps, [line], conf * 0.7)


_STATUS_WORDS = (
    ("done", r"ดำเนินการแล้ว(?:เสร็จ)?|ดำเนินการเสร็จ(?:สิ้น|เรียบร้อย)?(?:แล้ว)?|Completed|Done"),
    ("in_progress", r"อยู่ระหว่าง(?:การ)?ดำเนินการ|กำลังดำเนินการ|In progress|Ongoing"),
    ("not_started", r"ยังไม่(?:ได้)?ดำเนินการ|Not started"),
)
_CHECKED = r"(?:[☑☒✓✔■●]|\(\s*[/✓✔xX]\s*\)|\[\s*[/✓✔xX]\s*\])\s*"


def _status_of(value: str) -> tuple[str | None, float]:
    """'☑ ดำเนินการแล้ว ☐ อยู่ระหว่าง…', '( ) … (/) อยู่ระหว่างดำเนินการ': the ticked option; a
    status written out otherwise."""
    for status, words in _STATUS_WORDS:
        if re.search(_CHECKED + f"(?:{words})", value, re.I):
            return status, 0.95
    options = sum(bool(re.search(words, value, re.I)) for _, words in _STATUS_WORDS)
    if options >= 2:
        return None, 0.0  # the options printed, none ticked
    return status_from_words(value)


def _inline_labels(text: str) -> list[tuple[re.Match[str], str]]:
    return [
        (lm, f)
        for lm in _INLINE_LABEL.finditer(text)
        if (f := next(f for rx, f in _FIELD_OF if rx.match(lm.group("label")))) not in ("title", "skip")
    ]


def _apply_inline_labels(
    m: MeasureDraft, text: str, labelled: list[tuple[re.Match[str], str]], line: int, conf: float
) -> None:
    ends = [lm.start() for lm, _ in labelled[1:]] + [len(text)]
    for (lm, f), end in zip(labelled, ends, strict=True):
        value = text[lm.end() : end].strip().rstrip(",;").strip()
        if value.endswith(")") and value.count("(") < value.count(")"):
            value = value[:-1].rstrip()
        _apply_label(m, f, value, line, conf * 0.9)


def _apply_label(m: MeasureDraft, field: str, value: str, line: int, conf: float) -> str | None:
    value = clean(value)
    if field == "skip":
        return None
    if field == "evidence":
        links = _URLS.findall(value)
        for ev in links or ([value] if value and not _DASH_ONLY.match(value) else []):
            m.evidence.append(_fv(ev, line, conf))
        return "evidence"
    if _DASH_ONLY.match(value):
        return None
    if field == "status":
        status, sure = _status_of(value)
        m.set("status", status, [line], conf * min(sure, 0.9))
        return None
    if field == "title":
        m.set("title", value, [line], conf)
        return "title"
    m.append_text(field, value, [line], conf * 0.9)
    return field


def _fv(value: str, line: int, conf: float) -> FieldValue[str]:
    return FieldValue(value, [line], conf * 0.9)


def measures_from_text(lines: list[str], skip: set[int], conf: float = 1.0) -> list[MeasureDraft]:
    """Measures set out as text in ``lines`` (1-based line numbers in ``skip`` are tables)."""
    candidates: list[tuple[MeasureDraft, str, bool]] = []  # measure, head kind, has labels
    open_: _Open | None = None
    indicator: int | None = None
    issue: tuple[int | None, int | None, int] | None = None  # (no, indicator, line) of an open issue
    blank = False
    named: set[int] = set()  # measures whose line starts with มาตรการ, โครงการ…

    def close() -> None:
        nonlocal open_
        open_ = None

    for n, raw in enumerate(lines, 1):
        if n in skip:
            close()
            continue
        text = clean(raw)
        if not text:
            blank = True
            continue
        indent = len(raw) - len(raw.lstrip())
        if (im := _INDICATOR_HEAD.match(text)) and not _LABEL.match(text):
            indicator = int(to_arabic_digits(im.group(1) or im.group(2)))
            close()
            blank = False
            continue
        label = label_of(_SUB_NUMBER.sub("", re.sub(r"^[-–—•●▪◦*]\s*", "", text)))
        if open_ is not None and label is not None:
            field, value = label
            if field == "title" and open_.measure.get("title"):
                field = "skip"
            open_.field = _apply_label(open_.measure, field, value, n, conf)
            open_.measure.lines.append(n)
            candidates[-1] = (candidates[-1][0], candidates[-1][1], True)
            blank = False
            continue
        if issue is not None and open_ is None and label is not None and label[0] == "title":
            m = MeasureDraft(lines=[n])
            m.set("no", issue[0], [issue[2]], conf)
            if issue[1] is not None:
                m.set("indicator", issue[1], [issue[2]], conf * 0.9)
            m.set("title", clean(label[1]), [n], conf)
            candidates.append((m, "issue", True))
            open_ = _Open(m, "title", indent)
            blank = False
            continue
        head = _head(text)
        if head is not None and not (
            head[0] in ("numbered", "bullet") and open_ is not None and open_.field == "method" and not blank
        ):
            kind, no, rest = head
            if kind == "issue":
                close()
                found = indicator_in_cell(rest)
                issue = (no, found, n)
                blank = False
                continue
            m = MeasureDraft(lines=[n])
            if no is not None:
                m.set("no", no, [n], conf)
            if indicator is not None:
                m.set("indicator", indicator, [n], conf * 0.8)
            _inline(m, rest, n, conf, keep_measure_word=kind != "measure")
            if re.match(MEASURE_WORDS, clean(rest), re.I):
                named.add(id(m))
            if kind == "measure" and not m.get("title"):
                m.fields.pop("title", None)
            candidates.append((m, kind, False))
            open_ = _Open(m, None, indent)
            issue = None
            blank = False
            continue
        if open_ is not None and open_.field is not None:
            m = open_.measure
            if open_.field == "evidence" and (links := evidence_in(text) or _looks_like_evidence(text)):
                for ev in links if isinstance(links, list) else [text]:
                    m.evidence.append(_fv(ev, n, conf))
                m.lines.append(n)
                blank = False
                continue
            prose_field = open_.field in ("method", "result", "outcome", "suggestion")
            if not blank and indent > open_.indent and prose_field:
                m.append_text(open_.field, text, [n], conf * 0.8)
                m.lines.append(n)
                continue
        if open_ is not None and not open_.measure.get("title") and not blank:
            open_.measure.set("title", text, [n], conf)
            open_.field = None
            continue
        close()
        blank = False
    return [m for m, kind, labelled in candidates if _is_measure(m, kind, labelled, id(m) in named)]


def _looks_like_evidence(text: str) -> bool:
    return bool(re.search(r"\.(?:pdf|jpe?g|png|docx?|xlsx?)\b|ภาพ|รูปถ่าย", text, re.I)) and len(text) < 120


def _is_measure(m: MeasureDraft, kind: str, labelled: bool, named: bool) -> bool:
    title = m.text("title")
    if not title:
        return False
    if kind == "heading":  # an unnumbered heading is a measure only by what is set out under it
        said = any(m.get(f) for f in ("method", "period", "responsible", "status", "result", "outcome"))
        return said or bool(m.evidence)
    if kind in ("measure", "issue") or labelled:
        return True
    said = any(m.get(f) for f in ("responsible", "period", "status", "result")) or bool(m.evidence)
    # A numbered 'มาตรการ…' line is a measure by its name; a numbered โครงการ/กิจกรรม/ประกาศ line (a
    # news item's list of activities) only when it says more (owner, period, status, a link).
    return named and (said or (kind == "numbered" and re.match(r"มาตรการ|Measure", title, re.I) is not None))


def text_measures_kinds(measures: list[MeasureDraft]) -> set[str]:
    """A plan when steps, periods or owners are set out (or only titles are listed); a progress
    report when statuses or results are given."""
    kinds = set()
    if any(m.get(f) for m in measures for f in ("status", "result", "outcome", "suggestion")):
        kinds.add("progress_report")
    if any(m.get(f) for m in measures for f in ("method", "period", "responsible")) or not kinds:
        kinds.add("measures_plan")
    return kinds
