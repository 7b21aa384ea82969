"""Interchange format ``prongsai/1``: what the CLI, the API, the importers and the tests speak.

Published values only: every score may be missing. Input is forgiving where real documents are
(Thai digits, numbers as strings, a C.E. year, the ground-truth files' key names) and strict
where a mistake would be silent (unknown keys, a score outside 0–100, an unknown status).
Whatever the normaliser changed is recorded in ``notes`` so the engine can report it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Annotated, Any, Final, Literal

from pydantic import (
    AliasChoices,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError, core_schema

from prongsai.interchange.limits import LIMITS, is_lenient
from prongsai.thai.dates import ce_to_be
from prongsai.thai.digits import to_arabic_digits

FORMAT: Final = "prongsai/1"

# A year below this is taken as C.E. (no Thai B.E. fiscal year of the ITA is below 2500).
_CE_LIMIT = 2400
_ITEM_ID = re.compile(r"^[ieo][1-9][0-9]?$")


def _number(value: Any) -> Any:
    """Accept '๙๓.๙๖', ' 93.96 ', '+0.42', '−5.80' (unicode minus) as numbers; never true/false."""
    if isinstance(value, bool):
        raise ValueError("a number is expected, not true/false")
    if isinstance(value, str):
        return to_arabic_digits(value).strip().replace("\u2212", "-")
    return value


def _blank_is_missing(value: Any) -> Any:
    """A dash printed in a table is a missing score; an empty string is refused (write null), and
    so is true/false (a JSON boolean would otherwise pass as 1.0/0.0)."""
    if isinstance(value, bool):
        raise ValueError("a score must be a number, not true/false")
    if isinstance(value, str) and value.strip() == "":
        raise ValueError("an empty string is not a score: write null or leave the key out")
    return None if isinstance(value, str) and value.strip() in ("-", "–") else value


# Field before BeforeValidator keeps the bounds in the JSON Schema (minimum/maximum).
_Score = Annotated[float, Field(ge=0, le=100), BeforeValidator(_number)]
_Change = Annotated[float, Field(ge=-100, le=100), BeforeValidator(_number)]
Score = Annotated[_Score | None, BeforeValidator(_blank_is_missing)]  # a missing score is fine
Change = Annotated[_Change | None, BeforeValidator(_blank_is_missing)]
Year = Annotated[int, BeforeValidator(_number)]


def _too_long(limit: int, length: int) -> PydanticCustomError:
    return PydanticCustomError(
        "string_too_long",
        "String should have at most {max_length} characters (this one has {length})",
        {"max_length": limit, "length": length},
    )


@dataclass(frozen=True)
class Limit:
    """``Annotated[str, Limit("measure.title")]``: at most ``LIMITS[key]`` characters
    (``prongsai.interchange.limits``), with its maxLength in the JSON Schema. Under the LENIENT
    validation context a longer text is let through: stored data read back to show or print it,
    and an importer's draft (which reports the text as a finding instead)."""

    key: str

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        n = LIMITS[self.key]

        def check(value: str, info: ValidationInfo) -> str:
            if len(value) > n and not is_lenient(info.context):
                raise _too_long(n, len(value))
            return value

        return core_schema.with_info_after_validator_function(check, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        out = handler(schema)
        out["maxLength"] = LIMITS[self.key]
        return out


_NoteText = Annotated[str, Limit("note.text")]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Note(_Model):
    """Something the normaliser changed in the input, for the engine to report as a finding."""

    code: _NoteText
    path: _NoteText
    message_th: _NoteText
    message_en: _NoteText
    published: _NoteText | float | None = None
    computed: _NoteText | float | None = None


class Agency(_Model):
    name: Annotated[str, Field(min_length=1), Limit("agency.name")]
    type: Annotated[str, Limit("agency.type")] | None = None
    district: Annotated[str, Limit("agency.district")] | None = None
    province: Annotated[str, Limit("agency.province")] | None = None


class ToolScores(_Model):
    IIT: Score = None
    EIT: Score = None
    EIT_1: Score = None
    EIT_2: Score = None
    OIT: Score = None

    def known(self) -> dict[str, float]:
        return {k: v for k, v in self.model_dump().items() if v is not None}


class StatedChanges(_Model):
    """Year-over-year differences as the document printed them (to check against the scores)."""

    overall: Change = None
    tools: dict[Literal["IIT", "EIT", "EIT_1", "EIT_2", "OIT"], _Change] = {}
    indicators: dict[str, _Change] = {}

    @field_validator("indicators")
    @classmethod
    def _indicator_keys(cls, value: dict[str, float]) -> dict[str, float]:
        return _check_indicator_keys(value)


def _check_indicator_keys(value: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for key, score in value.items():
        k = to_arabic_digits(str(key)).strip()
        if not k.isdecimal() or not 1 <= int(k) <= 10:
            raise ValueError(f"indicator key {key!r} is not 1..10")
        out[str(int(k))] = score
    return out


def _normalise_item_key(key: str) -> str:
    """'O16', 'o๑๖', '๐๑๖' (Thai zero printed for the letter O) -> 'o16'."""
    k = str(key).strip()
    if k.startswith("๐"):
        k = "o" + k[1:]
    k = to_arabic_digits(k).lower()
    if not _ITEM_ID.match(k):
        raise ValueError(f"item key {key!r} is not an item id like i1, e7 or o16")
    return k


class Assessment(_Model):
    fiscal_year: Year = Field(validation_alias=AliasChoices("fiscal_year", "year_be"))
    edition: Year | None = Field(
        default=None, description="edition whose rules apply; defaults to fiscal_year"
    )
    overall: Score = None
    level: Annotated[str, Limit("assessment.level")] | None = None
    tools: ToolScores = ToolScores()
    indicators: dict[str, _Score] = {}
    items: dict[str, _Score] = {}
    stated_changes: StatedChanges = StatedChanges()
    auditor_suggestions: list[Annotated[str, Limit("assessment.auditor_suggestion")]] = []
    # Per indicator ('1'..'10'), the analysis text a person wrote or edited; documents print it
    # instead of the engine's draft narrative.
    narratives: dict[str, Annotated[str, Limit("assessment.narrative")]] = {}
    notes: list[Note] = []

    @model_validator(mode="before")
    @classmethod
    def _convert_ce_year(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        data = dict(data)
        notes = list(data.get("notes") or [])
        for key in ("fiscal_year", "year_be", "edition"):
            raw = data.get(key)
            if raw is None:
                continue
            try:
                number = float(_number(raw))
            except (TypeError, ValueError):
                continue  # the field validator reports it
            if not number.is_integer():
                continue  # likewise
            year = int(number)
            if 1900 <= year < _CE_LIMIT:
                data[key] = ce_to_be(year)
                notes.append(
                    Note(
                        code="year_converted_from_ce",
                        path=key,
                        published=year,
                        computed=ce_to_be(year),
                        message_th=f"ปี {year} เป็นปี ค.ศ. แปลงเป็น พ.ศ. {ce_to_be(year)}",
                        message_en=f"year {year} is C.E.; converted to B.E. {ce_to_be(year)}",
                    )
                )
        data["notes"] = notes
        if isinstance(data.get("level"), str):
            level = " ".join(data["level"].split())
            if level.startswith("(") and level.endswith(")") and level.count("(") == 1:
                level = level[1:-1].strip()  # "(ผ่านดี)"; but "A (ผ่าน)" is kept as printed
            data["level"] = level or None
        return data

    @field_validator("fiscal_year", "edition")
    @classmethod
    def _plausible_year(cls, value: int | None) -> int | None:
        if value is not None and not 2500 <= value <= 2700:
            raise ValueError(f"year {value} is neither a B.E. year (25xx) nor a C.E. year (19xx/20xx)")
        return value

    @field_validator("indicators", "narratives", mode="before")
    @classmethod
    def _indicator_keys(cls, value: Any) -> Any:
        return _check_indicator_keys(value) if isinstance(value, dict) else value

    @field_validator("items", mode="before")
    @classmethod
    def _item_keys(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            return value
        out: dict[str, Any] = {}
        for key, score in value.items():
            k = _normalise_item_key(key)
            if k in out:
                raise ValueError(f"item {k} is given twice")
            out[k] = score
        return out

    @property
    def edition_year(self) -> int:
        return self.edition or self.fiscal_year


Status = Literal["not_started", "in_progress", "done"]


class Evidence(_Model):
    kind: Literal["link", "file", "photo", "note"] = "note"
    ref: Annotated[str, Field(min_length=1), Limit("evidence.ref")] = Field(
        description="URL, file name or the note as printed"
    )
    caption: Annotated[str, Limit("evidence.caption")] | None = None
    added_on: dt.date | None = None
    # The evidence object in the agency's own store that holds the file (the web app's evidence
    # id). Documents embed a photo only through this id, resolved within the agency: a ``ref``
    # is a name to show, never a path to open.
    id: str | None = Field(default=None, max_length=64)


def _evidence_item(value: Any) -> Any:
    """A bare string is a link when it looks like one, a photo when it is an image, else a note."""
    if isinstance(value, str):
        text = value.strip()
        if re.match(r"^(https?://|www\.)", text):
            return {"kind": "link", "ref": text}
        if text.startswith("[image") or re.search(r"\.(jpe?g|png|gif|heic)\]?$", text, re.I):
            return {"kind": "photo", "ref": text}
        return {"kind": "note", "ref": text}
    return value


class Measure(_Model):
    no: Year | None = None
    title: Annotated[str, Field(min_length=1), Limit("measure.title")]
    analysis: Annotated[str, Limit("measure.analysis")] | None = Field(
        default=None, description="the indicator analysis it answers"
    )
    steps: Annotated[str, Limit("measure.steps")] | None = Field(
        default=None, validation_alias=AliasChoices("steps", "method")
    )
    responsible: Annotated[str, Limit("measure.responsible")] | None = None
    period: Annotated[str, Limit("measure.period")] | None = None
    indicators: list[int] = Field(default=[], validation_alias=AliasChoices("indicators", "indicator"))
    items: list[str] = []
    status: Status | None = None
    result: Annotated[str, Limit("progress.result")] | None = None
    outcome: Annotated[str, Limit("progress.outcome")] | None = None
    suggestion: Annotated[str, Limit("progress.suggestion")] | None = None
    monitoring: Annotated[str, Limit("measure.monitoring")] | None = None
    budget: Annotated[float, Field(ge=0), BeforeValidator(_number)] | None = None
    evidence: list[Annotated[Evidence, BeforeValidator(_evidence_item)]] = []

    @field_validator("indicators", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        if value is None:
            return []
        if isinstance(value, (int, str)):
            value = [value]
        out = []
        for v in value:
            n = int(to_arabic_digits(str(v)).strip())
            if not 1 <= n <= 10:
                raise ValueError(f"indicator {v!r} is not 1..10")
            out.append(n)
        return out

    @field_validator("items", mode="before")
    @classmethod
    def _items(cls, value: Any) -> Any:
        return [_normalise_item_key(v) for v in value] if isinstance(value, list) else value

    @field_validator("status", mode="before")
    @classmethod
    def _status_words(cls, value: Any) -> Any:
        thai = {
            "ยังไม่ดำเนินการ": "not_started",
            "อยู่ระหว่างดำเนินการ": "in_progress",
            "ดำเนินการเสร็จเรียบร้อยแล้ว": "done",
            "ดำเนินการแล้ว": "done",
        }
        return thai.get(value.strip(), value) if isinstance(value, str) else value


MemoDecision = Literal["approved", "acknowledged", "not_approved"]


class Memo(_Model):
    """The บันทึกข้อความ that wraps a report. Every field may be missing: the document keeps a
    dotted space to fill by hand. ``signers``: the preparer(s) first, the executive last."""

    unit: Annotated[str, Limit("memo.unit")] | None = Field(default=None, description="ส่วนราชการ")
    ref_no: Annotated[str, Limit("memo.ref_no")] | None = Field(default=None, description="ที่")
    date: dt.date | None = Field(default=None, description="วันที่")
    subject: Annotated[str, Limit("memo.subject")] | None = Field(default=None, description="เรื่อง")
    to: Annotated[str, Limit("memo.to")] | None = Field(default=None, description="เรียน")
    body: Annotated[str, Limit("memo.body")] | None = Field(
        default=None, description="the memo's text; paragraphs split by blank lines"
    )
    # A signer's name and position: the longer (position) limit here, the name's in _signers.
    signers: list[dict[str, Annotated[str, Limit("memo.signer_position")] | None]] = []
    opinion: Annotated[str, Limit("memo.opinion")] | None = Field(
        default=None, description="the executive's opinion (ความเห็น)"
    )
    decision: MemoDecision | None = Field(
        default=None, description="the executive's decision: approved, acknowledged or not_approved"
    )

    @field_validator("signers")
    @classmethod
    def _signer_names(cls, value: list[dict[str, str | None]], info: ValidationInfo) -> Any:
        n = LIMITS["memo.signer_name"]
        for signer in value:
            name = signer.get("name") or ""
            if len(name) > n and not is_lenient(info.context):
                raise _too_long(n, len(name))
        return value


class FieldSource(_Model):
    """Where an imported value came from: line numbers in the extracted text, and how sure the
    importer is (0-1). Reviewers check low-confidence fields first."""

    lines: list[int] = []
    confidence: float = Field(ge=0, le=1)


class Document(_Model):
    """A whole interchange file: one agency, its assessments, its measures."""

    format: Literal["prongsai/1"] = FORMAT
    agency: Agency
    report_fiscal_year: Year | None = Field(
        default=None, validation_alias=AliasChoices("report_fiscal_year", "report_fiscal_year_be")
    )
    assessments: list[Assessment] = []
    measures: list[Measure] = []
    memo: Memo | None = None
    # Kept so the importer's ground-truth files are valid interchange documents as they are.
    source: Annotated[str, Limit("document.source")] | None = None
    kinds: list[Literal["analysis", "measures_plan", "progress_report", "memo"]] = []
    inconsistencies: list[Annotated[str, Limit("document.inconsistency")]] = []
    # Only in importer drafts: per field path ('measures[2].status', 'agency.name') its source.
    provenance: dict[str, FieldSource] = {}

    @field_validator("report_fiscal_year", mode="before")
    @classmethod
    def _report_year(cls, value: Any) -> Any:
        try:
            number = float(_number(value))
        except (TypeError, ValueError):
            return value
        if number.is_integer() and 1900 <= number < _CE_LIMIT:
            return ce_to_be(int(number))  # plain conversion: the assessments carry the notes
        return value

    @field_validator("report_fiscal_year")
    @classmethod
    def _report_year_plausible(cls, value: int | None) -> int | None:
        if value is not None and not 2500 <= value <= 2700:
            raise ValueError(f"year {value} is neither a B.E. year (25xx) nor a C.E. year (19xx/20xx)")
        return value

    @model_validator(mode="after")
    def _one_assessment_per_year(self) -> Document:
        years = [a.fiscal_year for a in self.assessments]
        dupes = sorted({y for y in years if years.count(y) > 1})
        if dupes:
            raise ValueError(f"more than one assessment for fiscal year {dupes[0]}")
        return self

    def assessment(self, year: int) -> Assessment | None:
        return next((a for a in self.assessments if a.fiscal_year == year), None)
