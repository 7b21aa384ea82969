"""ITA editions as data: the schema of an edition file, and its loader.

One YAML file per edition (fiscal year B.E.) under ``prongsai/ita/editions/``. Every fact carries
``source`` (keys of the file's ``sources`` table, or references written out) and, where it is not
certain, ``confidence: medium|low``. An administrator adds or corrects an edition by dropping a
file into the directory named by ``PRONGSAI_EDITIONS_DIR``; a file there replaces the packaged
file of the same edition.

Files are validated at load time: the schema (pydantic) and the cross-references (every item
points to a known indicator, weights sum to 1, …). A broken file raises :class:`EditionError`
naming the file, the key and the problem.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Annotated, Literal, TypeVar, cast

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

# libyaml's C parser when the wheel has it: the pure-Python one took 1.7 s for the editions.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

PACKAGED_DIR = Path(__file__).with_name("editions")
EDITIONS_DIR_ENV = "PRONGSAI_EDITIONS_DIR"
FORMAT = "prongsai-edition/1"
T = TypeVar("T")

Confidence = Literal["high", "medium", "low"]
ToolId = Literal["IIT", "EIT", "OIT"]
PartId = Literal["EIT_1", "EIT_2"]
CONFIDENCE_RANK = {"high": 2, "medium": 1, "low": 0}

CONFIDENCE_TH = {"high": "ยืนยันแล้ว", "medium": "ความเชื่อมั่นปานกลาง", "low": "ความเชื่อมั่นต่ำ"}


class EditionError(Exception):
    """An edition file that cannot be used, or an edition that does not exist."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Fact(_Strict):
    """Anything stated about an edition: where it comes from and how sure we are."""

    source: list[str] = Field(min_length=1)
    confidence: Confidence = "high"
    note: str | None = None

    @field_validator("source", mode="before")
    @classmethod
    def _one_or_many(cls, value: object) -> object:
        return [value] if isinstance(value, str) else value


class Source(_Strict):
    ref: str = Field(min_length=1, description="URL, repository path or document name")
    title: str | None = None


class PassMark(Fact):
    value: float = Field(ge=0, le=100)


class Derivation(Fact):
    """One way a tool's score follows from what lies below it (always a plain mean here)."""

    from_: Literal["indicators", "parts"] = Field(alias="from")
    rule: Literal["mean"] = "mean"


class Part(_Strict):
    id: PartId
    name_th: str
    name_en: str


class Tool(Fact):
    id: ToolId
    name_th: str
    name_en: str
    weight: float = Field(gt=0, le=1)
    indicators: list[int] = Field(min_length=1)
    parts: list[Part] = []
    # Ordered: the first derivation whose inputs are all known gives the computed score;
    # the others are checked against it.
    derive: list[Derivation] = Field(min_length=1)


class Indicator(Fact):
    id: int = Field(ge=1, le=10)
    name_th: str
    name_en: str
    tool: ToolId
    name_th_alt: list[str] = []
    # How the indicator follows from its items: a plain mean, or a mean of sub-indicator means.
    items_rule: Literal["mean", "mean_of_subindicators"] = "mean"
    items_rule_confidence: Confidence = "high"
    items_rule_source: list[str] = []


class SubIndicator(_Strict):
    id: str
    name_th: str
    indicator: int


class Item(_Strict):
    id: Annotated[str, Field(pattern=r"^[ieo][1-9][0-9]?$")]
    indicator: int
    subindicator: str | None = None
    name_th: str | None = None
    # Below the group's confidence where this one item's name or place is less sure.
    confidence: Confidence | None = None
    note: str | None = None


class ItemGroup(Fact):
    """Items of one tool that share a source: ids, names, indicators and the scoring scale."""

    tool: ToolId
    # 'continuous' = any score 0–100 (perception questions); a list = the only values printed.
    scale: Literal["continuous"] | list[float] = "continuous"
    scale_confidence: Confidence = "high"
    entries: list[Item] = Field(min_length=1)


class LevelRule(Fact):
    label: str
    label_en: str
    min_total: float = Field(ge=0, le=100)
    # Per-tool floor (IIT, EIT and OIT each at least this), from B.E. 2567 on.
    min_each_tool: float | None = Field(default=None, ge=0, le=100)
    passed: bool


class Levels(Fact):
    scheme: Literal["bands", "rating"]
    # Highest first; the first rule whose conditions hold gives the level.
    rules: list[LevelRule] = Field(min_length=2)
    decided_on: Literal["rounded_2dp"] = "rounded_2dp"
    # The first year of the pass-level scale: a letter grade printed then is the old habit, not
    # a contradiction (an info notice instead of a warning).
    old_grades_seen: bool = False


class DocumentItem(Fact):
    item: str | None = Field(description="OIT item id, null where unknown")


class Element(_Strict):
    th: str
    en: str


class DocumentItems(_Strict):
    analysis: DocumentItem
    measures: DocumentItem
    progress_report: DocumentItem
    required_elements: list[Element] = []
    required_elements_fact: Fact | None = None


class Edition(_Strict):
    """A whole edition file. Derived lookups are cached on first use."""

    model_config = ConfigDict(extra="forbid", frozen=True, ignored_types=(cached_property,))

    format: Literal["prongsai-edition/1"]
    edition: int = Field(ge=2560, le=2700, description="fiscal year B.E.")
    title_th: str
    status: str = Field(description="one line: how much of this edition is confirmed")
    sources: dict[str, Source]
    pass_mark: PassMark
    overall: Fact
    tools: list[Tool] = Field(min_length=3, max_length=3)
    indicators: list[Indicator] = Field(min_length=10, max_length=10)
    subindicators: list[SubIndicator] = []
    items: list[ItemGroup] = []
    items_unknown: dict[str, Fact] = {}
    levels: Levels
    document_items: DocumentItems
    notes: list[str] = []

    @model_validator(mode="after")
    def _cross_references(self) -> Edition:
        problems: list[str] = []
        for key, fact in self.facts():
            for ref in fact.source:
                if not _looks_like_reference(ref) and ref not in self.sources:
                    problems.append(f"{key}.source: unknown source key {ref!r}")
        weights = sum(t.weight for t in self.tools)
        if abs(weights - 1.0) > 1e-9:
            problems.append(f"tools: weights sum to {weights:g}, not 1")
        if [t.id for t in self.tools] != ["IIT", "EIT", "OIT"]:
            problems.append("tools: must be IIT, EIT, OIT in that order")
        if sorted(i.id for i in self.indicators) != list(range(1, 11)):
            problems.append("indicators: ids must be 1..10, each once")
        by_id = {i.id: i for i in self.indicators}
        for t in self.tools:
            for n in t.indicators:
                if n not in by_id:
                    problems.append(f"tools.{t.id}.indicators: unknown indicator {n}")
                elif by_id[n].tool != t.id:
                    problems.append(f"tools.{t.id}.indicators: indicator {n} belongs to {by_id[n].tool}")
            for d in t.derive:
                if d.from_ == "parts" and len(t.parts) < 2:
                    problems.append(f"tools.{t.id}.derive: derives from parts but lists fewer than 2")
        claimed = sorted(n for t in self.tools for n in t.indicators)
        if claimed != list(range(1, 11)):
            problems.append("tools: every indicator 1..10 must belong to exactly one tool")
        subs = {s.id: s for s in self.subindicators}
        for s in self.subindicators:
            if s.indicator not in by_id:
                problems.append(f"subindicators.{s.id}: unknown indicator {s.indicator}")
        seen: set[str] = set()
        for g, group in enumerate(self.items):
            for item in group.entries:
                key = f"items[{g}].{item.id}"
                if item.id in seen:
                    problems.append(f"{key}: duplicate item id")
                seen.add(item.id)
                if item.indicator not in by_id:
                    problems.append(f"{key}: unknown indicator {item.indicator}")
                    continue
                if by_id[item.indicator].tool != group.tool:
                    problems.append(f"{key}: indicator {item.indicator} is not a {group.tool} indicator")
                if item.subindicator is not None:
                    sub = subs.get(item.subindicator)
                    if sub is None:
                        problems.append(f"{key}: unknown subindicator {item.subindicator}")
                    elif sub.indicator != item.indicator:
                        problems.append(f"{key}: subindicator {sub.id} is under indicator {sub.indicator}")
        for ind in self.indicators:
            if ind.items_rule == "mean_of_subindicators":
                items = [i for grp in self.items for i in grp.entries if i.indicator == ind.id]
                if items and any(i.subindicator is None for i in items):
                    problems.append(f"indicators.{ind.id}: items_rule needs a subindicator on every item")
        mins = [r.min_total for r in self.levels.rules]
        if mins != sorted(mins, reverse=True):
            problems.append("levels.rules: must be ordered from the highest min_total down")
        if self.levels.rules[-1].min_total != 0:
            problems.append("levels.rules: the last rule must start at 0 so every score has a level")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def facts(self) -> Iterable[tuple[str, Fact]]:
        yield "pass_mark", self.pass_mark
        yield "overall", self.overall
        for t in self.tools:
            yield f"tools.{t.id}", t
            for n, d in enumerate(t.derive):
                yield f"tools.{t.id}.derive[{n}]", d
        for i in self.indicators:
            yield f"indicators.{i.id}", i
        for n, g in enumerate(self.items):
            yield f"items[{n}]", g
        for k, f in self.items_unknown.items():
            yield f"items_unknown.{k}", f
        yield "levels", self.levels
        for r in self.levels.rules:
            yield f"levels.{r.label}", r
        di = self.document_items
        for name in ("analysis", "measures", "progress_report"):
            yield f"document_items.{name}", getattr(di, name)
        if di.required_elements_fact:
            yield "document_items.required_elements_fact", di.required_elements_fact

    # ---- derived lookups -------------------------------------------------------------------

    @cached_property
    def tool_by_id(self) -> dict[str, Tool]:
        return {t.id: t for t in self.tools}

    @cached_property
    def indicator_by_id(self) -> dict[int, Indicator]:
        return {i.id: i for i in self.indicators}

    @cached_property
    def item_by_id(self) -> dict[str, Item]:
        return {i.id: i for g in self.items for i in g.entries}

    @cached_property
    def item_group_by_id(self) -> dict[str, ItemGroup]:
        return {i.id: g for g in self.items for i in g.entries}

    @cached_property
    def items_of_indicator(self) -> dict[int, list[Item]]:
        out: dict[int, list[Item]] = {i.id: [] for i in self.indicators}
        for g in self.items:
            for item in g.entries:
                out[item.indicator].append(item)
        return out

    @cached_property
    def part_ids(self) -> list[str]:
        return [p.id for t in self.tools for p in t.parts]

    def uncertain_facts(self) -> list[tuple[str, Fact]]:
        """Every fact of this edition below high confidence, with its key."""
        out = [(k, f) for k, f in self.facts() if f.confidence != "high"]
        for ind in self.indicators:
            if ind.items_rule_confidence != "high" and self.items_of_indicator[ind.id]:
                out.append(
                    (
                        f"indicators.{ind.id}.items_rule",
                        Fact(
                            source=ind.items_rule_source or ind.source,
                            confidence=ind.items_rule_confidence,
                            note=f"indicator {ind.id} = {ind.items_rule} of its items",
                        ),
                    )
                )
        for n, group in enumerate(self.items):
            if group.scale_confidence != "high":
                note = f"{group.tool} items scored {group.scale}"
                out.append(
                    (
                        f"items[{n}].scale",
                        Fact(source=group.source, confidence=group.scale_confidence, note=note),
                    )
                )
            for item in group.entries:
                if item.confidence and CONFIDENCE_RANK[item.confidence] < CONFIDENCE_RANK[group.confidence]:
                    note = item.note or f"{item.id} {item.name_th or '(name unknown)'}"
                    out.append(
                        (f"items.{item.id}", Fact(source=group.source, confidence=item.confidence, note=note))
                    )
        return out

    def source_refs(self, fact: Fact) -> list[str]:
        """The fact's sources written out (keys resolved to their references)."""
        return [self.sources[s].ref if s in self.sources else s for s in fact.source]


def _looks_like_reference(ref: str) -> bool:
    return ref.startswith(("http://", "https://", "github.com/", "seed ")) or " " in ref


# ---- loading ---------------------------------------------------------------------------------


def _format_validation_error(path: Path, exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        loc = ".".join(str(x) for x in err["loc"]) or "(top level)"
        msg = err["msg"].removeprefix("Value error, ")
        parts.append(f"{loc}: {msg}")
    return f"{path}: " + "; ".join(parts)


def load_edition_file(path: Path) -> Edition:
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    except OSError as exc:
        raise EditionError(f"{path}: cannot read: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark else ""
        raise EditionError(f"{path}:{where}: not valid YAML: {getattr(exc, 'problem', exc)}") from None
    if not isinstance(raw, dict):
        raise EditionError(f"{path}: (top level): expected a mapping of keys, got {type(raw).__name__}")
    try:
        edition = Edition.model_validate(raw)
    except ValidationError as exc:
        raise EditionError(_format_validation_error(path, exc)) from None
    if path.stem != str(edition.edition):
        raise EditionError(f"{path}: edition: file name says {path.stem}, file says {edition.edition}")
    return edition


def edition_dirs() -> list[Path]:
    dirs = [PACKAGED_DIR]
    extra = os.environ.get(EDITIONS_DIR_ENV)
    if extra:
        dirs.append(Path(extra))
    return dirs


@lru_cache(maxsize=64)
def _load_one(path: Path) -> Edition:
    return load_edition_file(path)


@lru_cache(maxsize=4)
def _files(dirs: tuple[Path, ...]) -> dict[int, Path]:
    """Edition files by the year in their name (later directories override the packaged files)."""
    files: dict[int, Path] = {}
    for d in dirs:
        if not d.is_dir():
            raise EditionError(f"{d}: editions directory does not exist ({EDITIONS_DIR_ENV})")
        for path in sorted(d.glob("*.yaml")):
            files[int(path.stem) if path.stem.isdecimal() else -len(files) - 1] = path
    return files


@lru_cache(maxsize=4)
def _load_all(dirs: tuple[Path, ...]) -> dict[int, Edition]:
    editions: dict[int, Edition] = {}
    for path in _files(dirs).values():
        ed = _load_one(path)
        editions[ed.edition] = ed
    return editions


def all_editions() -> dict[int, Edition]:
    return _load_all(tuple(edition_dirs()))


# Editions already found, by year and editions directory: the engine asks for one per agency-year.
_BY_YEAR: dict[tuple[int, str | None], Edition] = {}


def get_edition(year: int) -> Edition:
    """One edition, reading only its own file when it is named by its year (a command that needs
    two editions does not parse all seven)."""
    key = (year, os.environ.get(EDITIONS_DIR_ENV))
    hit = _BY_YEAR.get(key)
    if hit is None:
        hit = _BY_YEAR[key] = _find_edition(year)
    return hit


def _find_edition(year: int) -> Edition:
    dirs = tuple(edition_dirs())
    path = _files(dirs).get(year)
    if path is not None:
        ed = _load_one(path)
        if ed.edition == year:
            return ed
    editions = _load_all(dirs)
    try:
        return editions[year]
    except KeyError:
        known = ", ".join(str(y) for y in sorted(editions))
        raise EditionError(f"unknown ITA edition {year} (known editions: {known})") from None


def nearest_edition(year: int) -> Edition:
    """The edition of ``year``, else the closest one: for what every edition shares (the 10
    indicators' names), never for a year's own rules."""
    editions = all_editions()
    return editions.get(year) or editions[min(editions, key=lambda y: abs(y - year))]


def clear_cache() -> None:
    _BY_YEAR.clear()
    _DERIVED.clear()
    _load_all.cache_clear()
    _files.cache_clear()
    _load_one.cache_clear()


# ---- what the engine derives from an edition, once ----------------------------------------------

_DERIVED: dict[tuple[int, str], tuple[Edition, object]] = {}


def per_edition(edition: Edition, key: str, build: Callable[[Edition], T]) -> T:
    """``build(edition)``, computed once per edition object and kept: lookups that depend on the
    edition alone (layouts, sensitivities, orders) are not rebuilt for every agency."""
    hit = _DERIVED.get((id(edition), key))
    if hit is not None and hit[0] is edition:
        return cast(T, hit[1])  # what `build` made for this key: the cache holds every kind
    value = build(edition)
    _DERIVED[(id(edition), key)] = (edition, value)
    return value
