"""The review form of an imported draft: every field of the interchange document as one form
field named by its path (``agency.name``, ``assessments[1].tools.OIT``, ``measures[3].status``,
``measures[0].evidence[2].ref``), with the source lines and confidence the importer gave it.

``fields_of(draft)`` lays the draft out for the template; ``apply_post(draft, post)`` writes the
reviewer's values back and validates the result as an interchange ``Document``, each error
named by its field and said in Thai. Nothing here touches the database.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from pydantic import ValidationError

from prongsai.interchange.limits import LABELS_TH, key_of, over_limits, place_th
from prongsai.interchange.models import Document
from prongsai.ita.numbers import fmt
from prongsai.thai.dates import be_numeric, parse_be_date, thai_date
from prongsai.web.cycle.records import memo_has_content

LOW_CONFIDENCE = 0.75
TOOLS = ("IIT", "EIT", "EIT_1", "EIT_2", "OIT")
STATUS_CHOICES = (
    ("", "— ไม่ระบุ —"),
    ("not_started", "ยังไม่ดำเนินการ"),
    ("in_progress", "อยู่ระหว่างดำเนินการ"),
    ("done", "ดำเนินการเสร็จเรียบร้อยแล้ว"),
)
EVIDENCE_KINDS = (("link", "ลิงก์"), ("file", "ไฟล์"), ("photo", "ภาพถ่าย"), ("note", "บันทึก"))
MEASURE_TEXT = (
    ("title", "มาตรการ/กิจกรรม", "textarea"),
    ("analysis", "ประเด็นที่ต้องแก้ไข/การวิเคราะห์", "textarea"),
    ("steps", "วิธีการดำเนินการ/ขั้นตอน", "textarea"),
    ("responsible", "ผู้รับผิดชอบ", "text"),
    ("period", "ระยะเวลาดำเนินการ", "text"),
    ("result", "ผลการดำเนินการ", "textarea"),
    ("outcome", "ผลลัพธ์/ความสำเร็จ", "textarea"),
    ("suggestion", "ข้อเสนอแนะ", "textarea"),
    ("monitoring", "การกำกับติดตาม", "textarea"),
)
MEMO_TEXT = (
    ("unit", "ส่วนราชการ"),
    ("ref_no", "ที่"),
    ("subject", "เรื่อง"),
    ("to", "เรียน"),
)
# Provenance keys are the importer's (ground-truth schema) names; form names are the document's.
_PROV_RENAMES = (
    (re.compile(r"^report_fiscal_year_be$"), "report_fiscal_year"),
    (re.compile(r"^(measures\[\d+\])\.method$"), r"\1.steps"),
    (re.compile(r"^(measures\[\d+\])\.indicator$"), r"\1.indicators"),
    (re.compile(r"^(measures\[\d+\]\.evidence\[\d+\])$"), r"\1.ref"),
)


def provenance_of(draft: dict) -> dict[str, dict]:
    out = {}
    for key, source in (draft.get("provenance") or {}).items():
        for pattern, repl in _PROV_RENAMES:
            key = pattern.sub(repl, key)
        out[key] = source
    return out


@dataclass
class Field:
    name: str
    label: str
    value: str
    kind: str = "text"  # text | textarea | score | number | list | select | date
    choices: tuple = ()
    lines: list[int] = field(default_factory=list)
    confidence: float | None = None
    error: str = ""
    help: str = ""
    section: str = ""  # where the field sits, for lists of errors and low-confidence fields

    @property
    def low(self) -> bool:
        return self.confidence is not None and self.confidence < LOW_CONFIDENCE

    @property
    def lines_attr(self) -> str:
        return " ".join(str(n) for n in self.lines)

    @property
    def dom_id(self) -> str:
        return "f-" + re.sub(r"[^A-Za-z0-9_-]", "-", self.name)

    @property
    def percent(self) -> str:
        return "" if self.confidence is None else f"{round(self.confidence * 100)}%"


@dataclass
class Layout:
    """The draft for the template: sections of fields, and every field by name."""

    agency: list[Field]
    report: list[Field]
    assessments: list[dict]
    memo: list[Field]
    signers: list[list[Field]]
    measures: list[dict]
    by_name: dict[str, Field]

    @property
    def low(self) -> list[Field]:
        return sorted((f for f in self.by_name.values() if f.low), key=lambda f: f.confidence or 0)

    @property
    def errors(self) -> list[Field]:
        return [f for f in self.by_name.values() if f.error]


def _text(v: Any) -> str:
    return "" if v is None else str(v)


def _be_date(v: Any) -> str:
    """A draft's ISO date as the form shows dates: วว/ดด/ปปปป in the Buddhist era."""
    try:
        return be_numeric(dt.date.fromisoformat(str(v)))
    except ValueError:
        return _text(v)


def _score(v: Any) -> str:
    return "" if v is None else fmt(v)


def _number(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def fields_of(
    draft: dict, values: dict[str, str] | None = None, errors: dict[str, str] | None = None
) -> Layout:
    """Every editable field of the draft; ``values`` (a posted form) replace the draft's values so
    a refused form is shown again as the reviewer typed it."""
    prov = provenance_of(draft)
    by_name: dict[str, Field] = {}
    values = values or {}
    errors = errors or {}
    # A text the importer read longer than its limit: said at the field before any save (the
    # importer's finding says it too), until the reviewer shortens it.
    too_long = {o.path: too_long_th(o.limit, o.length) for o in over_limits(draft)}
    where = {"section": _("หน่วยงานและปี")}

    def f(name: str, label: str, value: str, kind: str = "text", **kw) -> Field:
        src = prov.get(name) or {}
        out = Field(
            name,
            label,
            values.get(name, value),
            kind,
            lines=list(src.get("lines") or []),
            confidence=src.get("confidence"),
            error=errors.get(name, "") or ("" if name in values else too_long.get(name, "")),
            section=where["section"],
            **kw,
        )
        by_name[name] = out
        return out

    agency = draft.get("agency") or {}
    agency_fields = [
        f("agency.name", _("ชื่อหน่วยงาน"), _text(agency.get("name"))),
        f("agency.type", _("ประเภท"), _text(agency.get("type"))),
        f("agency.district", _("อำเภอ"), _text(agency.get("district"))),
        f("agency.province", _("จังหวัด"), _text(agency.get("province"))),
    ]
    report = [
        f(
            "report_fiscal_year",
            _("ปีงบประมาณของรายงาน/แผนมาตรการ (พ.ศ.)"),
            _number(draft.get("report_fiscal_year")),
            "number",
        )
    ]

    assessments = []
    for i, a in enumerate(draft.get("assessments") or []):
        p = f"assessments[{i}]"
        where["section"] = _("ผลการประเมินปี %(year)s") % {"year": a.get("fiscal_year") or "?"}
        main = [
            f(f"{p}.fiscal_year", _("ปีงบประมาณที่ประเมิน (พ.ศ.)"), _number(a.get("fiscal_year")), "number"),
            f(f"{p}.overall", _("คะแนนภาพรวม"), _score(a.get("overall")), "score"),
            f(f"{p}.level", _("ระดับ"), _text(a.get("level"))),
        ]
        tools = a.get("tools") or {}
        tool_fields = [
            f(f"{p}.tools.{t}", t.replace("_", " ส่วนที่ "), _score(tools.get(t)), "score") for t in TOOLS
        ]
        inds = a.get("indicators") or {}
        ind_fields = [
            f(f"{p}.indicators.{n}", _("ตัวชี้วัดที่ %(n)s") % {"n": n}, _score(inds.get(str(n))), "score")
            for n in range(1, 11)
        ]
        item_fields = [f(f"{p}.items.{k}", k, _score(v), "score") for k, v in (a.get("items") or {}).items()]
        skip = values.get(f"{p}.skip") == "on"
        assessments.append(
            {
                "index": i,
                "prefix": p,
                "year": a.get("fiscal_year"),
                "main": main,
                "tools": tool_fields,
                "indicators": ind_fields,
                "items": item_fields,
                "skip": skip,
            }
        )

    memo = draft.get("memo")
    memo_fields: list[Field] = []
    signers: list[list[Field]] = []
    if memo is not None:
        where["section"] = _("บันทึกข้อความ")
        for key, label in MEMO_TEXT:
            memo_fields.append(f(f"memo.{key}", _(label), _text(memo.get(key))))
        date = memo.get("date")
        hint = ""
        if date:
            try:
                hint = thai_date(dt.date.fromisoformat(date))
            except ValueError:
                hint = ""
        memo_fields.insert(2, f("memo.date", _("วันที่ (วว/ดด/ปปปป พ.ศ.)"), _be_date(date), "date", help=hint))
        for j, s in enumerate(memo.get("signers") or []):
            signers.append(
                [
                    f(f"memo.signers[{j}].{key}", _(label), _text(s.get(key)))
                    for key, label in (("name", "ชื่อผู้ลงนาม"), ("position", "ตำแหน่ง"))
                ]
            )

    measures = []
    for i, m in enumerate(draft.get("measures") or []):
        p = f"measures[{i}]"
        where["section"] = _("มาตรการที่ %(n)s") % {"n": m.get("no") or i + 1}
        head = [
            f(f"{p}.no", _("ลำดับ"), _number(m.get("no")), "number"),
            f(f"{p}.status", _("สถานะ"), _text(m.get("status")), "select", choices=STATUS_CHOICES),
        ]
        texts = [f(f"{p}.{key}", _(label), _text(m.get(key)), kind) for key, label, kind in MEASURE_TEXT]
        lists = [
            f(
                f"{p}.indicators",
                _("ตัวชี้วัด (เลข 1–10 คั่นด้วยจุลภาค)"),
                ", ".join(str(n) for n in m.get("indicators") or []),
                "list",
            ),
            f(f"{p}.items", _("ข้อ (เช่น o16, i3)"), ", ".join(m.get("items") or []), "list"),
            f(f"{p}.budget", _("งบประมาณ (บาท)"), _number(m.get("budget")), "number"),
        ]
        evidence = []
        for j, e in enumerate(m.get("evidence") or []):
            q = f"{p}.evidence[{j}]"
            evidence.append(
                {
                    "ref": f(f"{q}.ref", _("หลักฐาน %(n)s") % {"n": j + 1}, _text(e.get("ref")), "textarea"),
                    "kind": f(f"{q}.kind", _("ชนิด"), _text(e.get("kind")), "select", choices=EVIDENCE_KINDS),
                }
            )
        measures.append(
            {
                "index": i,
                "prefix": p,
                "no": m.get("no") or i + 1,
                "title": m.get("title") or "",
                "head": head,
                "texts": texts,
                "lists": lists,
                "evidence": evidence,
                "skip": values.get(f"{p}.skip") == "on",
            }
        )
    return Layout(agency_fields, report, assessments, memo_fields, signers, measures, by_name)


# ---- writing the reviewer's values back --------------------------------------------------------

_PATH = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def _steps(name: str) -> list[str | int]:
    return [int(idx) if idx else key for key, idx in _PATH.findall(name)]


def _put(doc: dict, name: str, value: Any) -> None:
    *parents, last = _steps(name)
    node: Any = doc
    for step in parents:
        if isinstance(step, int):
            node = node[step]
        else:
            if node.get(step) is None:
                node[step] = {}
            node = node[step]
    if value is None and isinstance(last, str) and isinstance(parents[-1] if parents else None, str):
        container = parents[-1]
        if container in ("indicators", "items"):  # dicts of scores: absent, not null
            node.pop(last, None)
            return
    node[last] = value


def _loc_name(loc: tuple) -> str:
    out = ""
    for step in loc:
        if isinstance(step, int):
            out += f"[{step}]"
        else:
            out += ("." if out else "") + str(step)
    return out


def too_long_th(limit: object, length: object) -> str:
    return _("ข้อความยาว %(length)s ตัวอักษร เกินที่กำหนดไว้ %(limit)s ตัวอักษร กรุณาตัดให้สั้นลง") % {
        "length": f"{length:,}" if isinstance(length, int) else "?",
        "limit": f"{limit:,}" if isinstance(limit, int) else limit,
    }


def _named(loc_name: str) -> str:
    """A place in the draft no form field shows, as a Thai reader knows it."""
    key = key_of(loc_name)
    return (place_th(loc_name) + LABELS_TH[key]) if key else loc_name


def thai_error(err: dict) -> str:
    kind, msg, ctx = err.get("type", ""), err.get("msg", ""), err.get("ctx") or {}
    if kind == "string_too_long":
        return too_long_th(ctx.get("max_length"), ctx.get("length"))
    if kind in ("less_than_equal", "less_than"):
        return _("ค่าต้องไม่เกิน %(n)s") % {"n": ctx.get("le", ctx.get("lt"))}
    if kind in ("greater_than_equal", "greater_than"):
        return _("ค่าต้องไม่น้อยกว่า %(n)s") % {"n": ctx.get("ge", ctx.get("gt"))}
    if kind in ("float_parsing", "int_parsing", "float_type", "int_type", "int_from_float", "finite_number"):
        return _("ต้องเป็นตัวเลข")
    if kind in ("string_too_short", "missing"):
        return _("ต้องกรอกข้อมูล")
    if kind in ("literal_error", "enum"):
        return _("ค่าไม่อยู่ในตัวเลือกที่กำหนด")
    if kind.startswith("date"):
        return _("วันที่ไม่ถูกต้อง ใช้รูปแบบ วว/ดด/ปปปป (ปี พ.ศ.)")
    if "is not 1..10" in msg:
        return _("ตัวชี้วัดต้องเป็นเลข 1 ถึง 10")
    if "item id" in msg or "given twice" in msg:
        return _("รหัสข้อไม่ถูกต้องหรือซ้ำ (เช่น i1, e7, o16)")
    if "B.E. year" in msg:
        return _("ปีต้องเป็นปี พ.ศ. เช่น 2568")
    if "more than one assessment" in msg:
        return _("มีผลการประเมินของปีเดียวกันมากกว่าหนึ่งชุด")
    return _("ค่าไม่ถูกต้อง")


@dataclass
class Outcome:
    doc: dict  # the corrected draft, all items kept (skipped ones too), provenance included
    record: Document | None  # what would be written: skipped items left out; None on errors
    errors: dict[str, str]  # form name -> Thai message ("" key: about the whole draft)
    values: dict[str, str]


def _clean(field_: Field, raw: str) -> Any:
    text = raw.replace("\r\n", "\n").strip()
    if field_.kind == "list":
        return [p for p in re.split(r"[,\s]+", text) if p]
    if text == "":
        return None
    if field_.kind == "date":
        with contextlib.suppress(ValueError):  # else the record's validation names the error
            return parse_be_date(text).isoformat()
    return text


def apply_post(draft: dict, post) -> Outcome:
    """The draft with the posted values, and the record to write (or the errors, in Thai)."""
    doc = copy.deepcopy(draft)
    layout = fields_of(draft)
    values: dict[str, str] = {}
    for name, fld in layout.by_name.items():
        if name not in post:
            continue
        raw = post.get(name, "")
        values[name] = raw
        value = _clean(fld, raw)
        if name == "agency.name" and value is None:
            value = ""
        if name.endswith(".title") and value is None:
            value = ""
        _put(doc, name, value)
    for key in ("measures", "assessments"):
        for i in range(len(doc.get(key) or [])):
            if post.get(f"{key}[{i}].skip") == "on":
                values[f"{key}[{i}].skip"] = "on"
    # An evidence note left empty is taken away, not refused.
    for m in doc.get("measures") or []:
        m["evidence"] = [e for e in m.get("evidence") or [] if (e.get("ref") or "").strip()]

    errors: dict[str, str] = {}
    kept = {
        key: [i for i in range(len(doc.get(key) or [])) if values.get(f"{key}[{i}].skip") != "on"]
        for key in ("measures", "assessments")
    }
    data = copy.deepcopy(doc)
    for key, idx in kept.items():
        data[key] = [data[key][i] for i in idx]
    data.pop("provenance", None)
    record = None
    try:
        record = Document.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            loc = list(err["loc"])
            if len(loc) >= 2 and loc[0] in kept and isinstance(loc[1], int) and loc[1] < len(kept[loc[0]]):
                loc[1] = kept[loc[0]][loc[1]]  # back to the form's numbering
            name = _loc_name(tuple(loc))
            while name and name not in layout.by_name and "." in name:
                name = name.rsplit(".", 1)[0]  # a dict's key error names its container
            if name in layout.by_name:
                errors.setdefault(name, thai_error(err))
            else:  # no field of the form shows it: the message names it
                errors.setdefault("", f"{_named(_loc_name(tuple(loc)))}: {thai_error(err)}")
    if record is not None:
        # The stored draft, normalised; a skipped part still invalid keeps the values as typed.
        with contextlib.suppress(ValidationError):
            doc = Document.model_validate(doc).model_dump(mode="json")
        if record.measures and record.report_fiscal_year is None and not record.assessments:
            errors["report_fiscal_year"] = _("ต้องระบุปีงบประมาณของรายงานเพื่อสร้างแผนมาตรการ")
        memo = memo_has_content(record.memo)
        if memo and not record.measures and not record.assessments and record.report_fiscal_year is None:
            errors["report_fiscal_year"] = _("ต้องระบุปีงบประมาณของรายงานเพื่อบันทึกบันทึกข้อความ")
        if not record.measures and not record.assessments and not memo:
            errors[""] = _("ไม่มีผลการประเมิน มาตรการ หรือบันทึกข้อความให้บันทึก")
    return Outcome(doc, None if errors else record, errors, values)


def same_agency(name: str, agency_name: str) -> bool:
    a, b = re.sub(r"\s+", "", name or ""), re.sub(r"\s+", "", agency_name or "")
    return bool(a and b) and (a == b or a in b or b in a)
