"""The measure library: curated measures keyed to indicators and items, drawn from what agencies
actually do (the seeds). Data in ``library/measures.yaml``; this module validates and serves it."""

from __future__ import annotations

from functools import cached_property, lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from prongsai.ita.edition import SAFE_LOADER

LIBRARY_FILE = Path(__file__).with_name("library") / "measures.yaml"

PeriodName = Literal["full_year", "q1", "q2", "q3", "q4", "h1", "h2"]
# Who a measure is written for: its wording names their offices and executives.
AgencyKind = Literal["local", "central", "university", "state_enterprise", "public_organization"]
AGENCY_KINDS: tuple[str, ...] = ("local", "central", "university", "state_enterprise", "public_organization")

# Name or type prefixes and words, checked in this order (องค์การบริหารส่วน… is local before any
# other องค์การ; a university's name may contain สถาบัน).
_KIND_WORDS: list[tuple[str, tuple[str, ...]]] = [
    (
        "local",
        (
            "เทศบาล",
            "องค์การบริหารส่วน",
            "อบต",
            "อบจ",
            "ทต.",
            "ทม.",
            "ทน.",
            "เมืองพัทยา",
            "กรุงเทพมหานคร",
            "องค์กรปกครองส่วนท้องถิ่น",
        ),
    ),
    ("university", ("มหาวิทยาลัย", "สถาบันเทคโนโลยี", "สถาบันบัณฑิต", "university")),
    ("public_organization", ("องค์การมหาชน", "public organization")),
    (
        "state_enterprise",
        (
            "รัฐวิสาหกิจ",
            "การไฟฟ้า",
            "การประปา",
            "การท่าเรือ",
            "การรถไฟ",
            "การทางพิเศษ",
            "การเคหะ",
            "ธนาคาร",
            "บริษัท",
            "องค์การ",
            "สำนักงานสลากกินแบ่ง",
            "state enterprise",
        ),
    ),
]


def agency_kind(agency_type: str | None, name: str | None = None) -> str:
    """The kind of agency a plan is written for, from its type (as recorded) or its name; an
    agency that is none of the others is a central government agency (กรม, สำนักงาน, จังหวัด)."""
    for text in (agency_type, name):
        if not text:
            continue
        folded = text.strip().lower()
        for kind, words in _KIND_WORDS:
            if any(folded.startswith(w) or (len(w) > 4 and w in folded) for w in words):
                return kind
    return "central"


class LibraryError(Exception):
    """The measure library file cannot be used."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class MonthSpan(_Strict):
    """Months of the fiscal year, 10 = October (first month) … 9 = September (last)."""

    start_month: int = Field(ge=1, le=12)
    end_month: int = Field(ge=1, le=12)


class LibraryMeasure(_Strict):
    id: str = Field(pattern=r"^[a-z0-9-]+$")
    title_th: str = Field(min_length=5)
    title_en: str = Field(min_length=5)
    indicators: list[int] = Field(min_length=1)
    # Item ids per edition (items are renumbered between editions): {"2568": ["o16"], ...}
    items: dict[str, list[str]] = {}
    steps_th: list[str] = Field(min_length=2)
    responsible_th: str
    period: PeriodName | MonthSpan = "full_year"
    oit_evidence_th: str = Field(min_length=5, description="what it lets the agency publish for the OIT")
    source: list[str] = Field(min_length=1, description="where agencies do this (seed ids) or why")
    # The kinds of agency whose offices and titles the wording uses (default: local government).
    agency_kinds: list[AgencyKind] = Field(default=["local"], min_length=1)

    @model_validator(mode="after")
    def _indicators_in_range(self) -> LibraryMeasure:
        bad = [n for n in self.indicators if not 1 <= n <= 10]
        if bad:
            raise ValueError(f"indicators out of 1..10: {bad}")
        return self


class Library(_Strict):
    model_config = ConfigDict(extra="forbid", frozen=True, ignored_types=(cached_property,))

    format: Literal["prongsai-measures/1"]
    sources: dict[str, str]
    measures: list[LibraryMeasure] = Field(min_length=30)

    @model_validator(mode="after")
    def _checks(self) -> Library:
        problems = []
        ids = [m.id for m in self.measures]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            problems.append(f"duplicate measure ids: {dupes}")
        present = {k for m in self.measures for k in m.agency_kinds}
        for kind in [k for k in AGENCY_KINDS if k in present]:
            for n in range(1, 11):
                count = sum(n in m.indicators and kind in m.agency_kinds for m in self.measures)
                if count < 3:
                    problems.append(f"indicator {n} has {count} measures for {kind}; at least 3 are required")
        for m in self.measures:
            for s in m.source:
                if s not in self.sources:
                    problems.append(f"measures.{m.id}.source: unknown source key {s!r}")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def for_indicator(self, indicator: int, kind: str = "local") -> list[LibraryMeasure]:
        """The measures for one indicator written for this kind of agency, in library order."""
        return self._by_indicator.get((indicator, kind), [])

    @cached_property
    def _by_indicator(self) -> dict[tuple[int, str], list[LibraryMeasure]]:
        out: dict[tuple[int, str], list[LibraryMeasure]] = {}
        for m in self.measures:
            for n in m.indicators:
                for kind in m.agency_kinds:
                    out.setdefault((n, kind), []).append(m)
        return out


def load_library(path: Path = LIBRARY_FILE) -> Library:
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    except (OSError, yaml.YAMLError) as exc:
        raise LibraryError(f"{path}: cannot read: {exc}") from None
    try:
        return Library.model_validate(raw)
    except ValidationError as exc:
        detail = "; ".join(
            f"{'.'.join(str(x) for x in e['loc']) or '(top level)'}: {e['msg']}" for e in exc.errors()
        )
        raise LibraryError(f"{path}: {detail}") from None


@lru_cache(maxsize=1)
def library() -> Library:
    return load_library()
