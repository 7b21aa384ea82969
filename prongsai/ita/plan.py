"""Draft a measures plan from an analysis: every one of the 10 indicators answered, weakest first.

Each drafted measure carries the five elements NACC asks for (seed 003 section 1): the measure,
the indicator analysis it answers, steps, period and responsible unit; plus the OIT evidence it
produces and the points it is worth. The plan is for the fiscal year after the assessed one
(ITA 2568 is analysed to plan 2569). People edit the draft afterwards.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from prongsai.interchange.models import Measure
from prongsai.ita.analysis import CLASS_ORDER, Analysis, IndicatorAnalysis
from prongsai.ita.edition import Edition, EditionError, get_edition, per_edition
from prongsai.ita.library import Library, LibraryMeasure, MonthSpan, library
from prongsai.ita.narrative import item_codes
from prongsai.thai.dates import be_to_ce, thai_date

# How many measures an indicator gets by its classification.
MEASURES_PER_CLASS = {"urgent": 3, "improve": 2, "keep_up": 1, None: 1}

_NAMED_PERIODS = {
    "full_year": (10, 9),
    "q1": (10, 12),
    "q2": (1, 3),
    "q3": (4, 6),
    "q4": (7, 9),
    "h1": (10, 3),
    "h2": (4, 9),
}


@dataclass(slots=True)
class PlannedMeasure:
    no: int
    library_id: str
    title: str
    indicator: int
    indicator_name_th: str
    classification: str | None
    analysis: str  # the indicator analysis the measure answers
    steps: list[str]
    period: str
    period_start: date
    period_end: date
    responsible: str
    oit_evidence: str
    items: list[str] = field(default_factory=list)
    gain: float | None = None

    def to_interchange(self) -> Measure:
        return Measure(
            no=self.no,
            title=self.title,
            analysis=self.analysis,
            steps="\n".join(f"- {s}" for s in self.steps),
            responsible=self.responsible,
            period=self.period,
            indicators=[self.indicator],
            items=self.items,
            status="not_started",
        )

    def to_dict(self) -> dict[str, object]:
        return {
            "no": self.no,
            "library_id": self.library_id,
            "title": self.title,
            "indicator": self.indicator,
            "indicator_name_th": self.indicator_name_th,
            "classification": self.classification,
            "analysis": self.analysis,
            "steps": self.steps,
            "period": self.period,
            "period_start": self.period_start.isoformat(),
            "period_end": self.period_end.isoformat(),
            "responsible": self.responsible,
            "oit_evidence": self.oit_evidence,
            "items": self.items,
            "gain_to_full": None if self.gain is None else round(self.gain, 4),
        }


@dataclass(slots=True)
class Plan:
    fiscal_year: int  # the year the measures run in
    assessed_year: int
    measures: list[PlannedMeasure]

    def indicators_covered(self) -> list[int]:
        return sorted({m.indicator for m in self.measures})

    def to_dict(self) -> dict[str, object]:
        return {
            "fiscal_year": self.fiscal_year,
            "assessed_year": self.assessed_year,
            "indicators_covered": self.indicators_covered(),
            "measures": [m.to_dict() for m in self.measures],
        }


def period_dates(period: str | MonthSpan, fiscal_year: int) -> tuple[date, date]:
    """Dates of a library period inside B.E. fiscal year ``fiscal_year`` (Oct of the year before)."""
    start_m, end_m = (
        _NAMED_PERIODS[period] if isinstance(period, str) else (period.start_month, period.end_month)
    )
    ce = be_to_ce(fiscal_year)
    start_y = ce - 1 if start_m >= 10 else ce
    end_y = ce - 1 if end_m >= 10 else ce
    last = calendar.monthrange(end_y, end_m)[1]
    return date(start_y, start_m, 1), date(end_y, end_m, last)


@lru_cache(maxsize=512)
def period_text(period: str | MonthSpan, fiscal_year: int) -> tuple[str, date, date]:
    start, end = period_dates(period, fiscal_year)
    return f"{thai_date(start)} ถึง {thai_date(end)}", start, end


def _order(ind: IndicatorAnalysis) -> tuple[int, float, float, int]:
    score = ind.score if ind.score is not None else 101.0
    return (CLASS_ORDER.get(ind.classification or "", 3), -(ind.gain_to_full or 0.0), score, ind.id)


@dataclass(slots=True, frozen=True)
class _Candidate:
    """A library measure as one indicator's candidate, with what ranking and drafting need of it
    for one assessed edition and plan year: the same for every agency, so worked out once."""

    measure: LibraryMeasure
    id: str
    title: str
    steps: tuple[str, ...]
    responsible: str
    oit_evidence: str
    n: int  # library order among the indicator's candidates
    items: tuple[str, ...]  # its item ids in the assessed edition, sorted
    item_set: frozenset[str]
    irrelevant: bool  # answers no item of this indicator in the assessed or the plan year's edition
    period: tuple[str, date, date]  # text, start, end in the plan year


def _own_items(indicator: int, editions: list[int]) -> dict[str, set[str]]:
    """Per edition (as the library keys it), the item ids of one indicator."""
    out: dict[str, set[str]] = {}
    for year in editions:
        try:
            ed = get_edition(year)
        except EditionError:
            continue
        out[str(year)] = {i.id for i in ed.items_of_indicator[indicator]}
    return out


@dataclass(slots=True, frozen=True)
class _Pool:
    """One indicator's candidates for one kind of agency, assessed edition and plan year."""

    in_order: list[_Candidate]  # library order
    by_relevance: list[_Candidate]  # their order when no weak item tells them apart
    # Per item id of the assessed edition, the candidates that answer it (library order): the
    # few a weak item can move up, found without looking at the others.
    by_item: dict[str, tuple[_Candidate, ...]]


def _build_pool(lib: Library, indicator: int, kind: str, assessed: int, year: int) -> _Pool:
    """The indicator's candidates for this kind of agency (else the local ones)."""
    measures = lib.for_indicator(indicator, kind) or lib.for_indicator(indicator, "local")
    own = _own_items(indicator, [assessed, year])
    out = []
    for n, m in enumerate(measures):
        items = frozenset(m.items.get(str(assessed), ()))
        relevant = any(set(m.items.get(e, ())) & ids for e, ids in own.items())
        out.append(
            _Candidate(
                m,
                m.id,
                m.title_th,
                tuple(m.steps_th),
                m.responsible_th,
                m.oit_evidence_th,
                n,
                tuple(sorted(items)),
                items,
                not relevant,
                period_text(m.period, year),
            )
        )
    by_item: dict[str, tuple[_Candidate, ...]] = {}
    for c in out:
        for i in c.items:
            by_item[i] = (*by_item.get(i, ()), c)
    return _Pool(out, sorted(out, key=lambda c: (c.irrelevant, c.n)), by_item)


# Per library, kind of agency and plan year: each indicator's pool (filled as indicators come).
_Pools = dict[int, _Pool]
_Table = dict[tuple[int, str, int], tuple[Library, _Pools]]


def _pools(lib: Library, kind: str, assessed: Edition, year: int) -> _Pools:
    """Kept with the assessed edition (edition.per_edition), so a reloaded edition gets its own."""
    table = per_edition(assessed, "plan_candidates", _new_table)
    key = (id(lib), kind, year)
    hit = table.get(key)
    if hit is None or hit[0] is not lib:
        hit = table[key] = (lib, {})
    return hit[1]


def _pool(pools: _Pools, lib: Library, indicator: int, kind: str, assessed: Edition, year: int) -> _Pool:
    pool = pools.get(indicator)
    if pool is None:
        pool = pools[indicator] = _build_pool(lib, indicator, kind, assessed.edition, year)
    return pool


def _new_table(_: Edition) -> _Table:
    return {}


_Key = tuple[float, int, bool, int]
_LEVEL: tuple[int, int] = (0, 0)  # what a candidate answering no weak item ranks by, before (irrelevant, n)


def _choose(
    pool: _Pool,
    gains: dict[str, float],
    weak: set[str],
    named: set[str],
    used: set[str],
    k: int,
) -> list[_Candidate]:
    """Measures ranked by the points of the weak items they answer (``gains``: overall points per
    item, ``weak``: this indicator's items below full marks), then by the weak items the assessor
    named, then by whether they answer an item of this indicator at all in the assessed or the plan
    year's edition (a measure whose item NACC dropped is kept only when nothing better exists),
    then library order; each measure once.

    Ranked as one sort of every candidate by (-points, -named, irrelevant, n) would rank them; the
    candidates that answer no weak item all have (0, 0, irrelevant, n), which is the pool's
    relevance order, so only those answering a weak item are keyed and sorted, and placed before
    or after that order by their first two keys (n is unique, so no two keys are equal)."""
    ranked = pool.by_relevance  # no points and no names: relevance, then library order
    if weak:
        by_item = pool.by_item
        hits = {c.n: c for i in weak for c in by_item.get(i, ())}
        if hits:
            before: list[tuple[_Key, _Candidate]] = []
            after: list[tuple[_Key, _Candidate]] = []
            for c in hits.values():
                # Item ids mean different things in different editions: points and names count
                # only the assessed edition's items.
                hit = c.item_set & weak
                points = sum(gains.get(i, 0.0) for i in c.items if i in hit)
                key = (-round(points, 6), -len(hit & named), c.irrelevant, c.n)
                lead = key[:2]
                if lead < _LEVEL:
                    before.append((key, c))
                elif lead > _LEVEL:
                    after.append((key, c))
            moved = {c.n for _, c in before} | {c.n for _, c in after}
            before.sort(key=_first)
            after.sort(key=_first)
            ranked = [
                *(c for _, c in before),
                *(c for c in ranked if c.n not in moved),
                *(c for _, c in after),
            ]
    fresh = []
    for c in ranked:
        if c.id not in used:
            fresh.append(c)
            if len(fresh) == k:
                break
    return fresh or ranked[:1]


def _first(pair: tuple[_Key, _Candidate]) -> _Key:
    return pair[0]


def draft_plan(analysis: Analysis, lib: Library | None = None, fiscal_year: int | None = None) -> Plan:
    lib = lib or library()
    year = fiscal_year or analysis.fiscal_year + 1
    gains = {p.id: p.gain for p in analysis.priorities if p.kind == "item"}
    named = {i for s in analysis.suggestions for i in item_codes(s)}
    used: set[str] = set()
    measures: list[PlannedMeasure] = []
    kind, assessed = analysis.agency_kind, analysis.result.edition
    pools = _pools(lib, kind, assessed, year)
    for ind in sorted(analysis.indicators, key=_order):
        weak_items = {b.id for b in ind.below_full}
        chosen = _choose(
            pools.get(ind.id) or _pool(pools, lib, ind.id, kind, assessed, year),
            gains,
            weak_items,
            named & weak_items,
            used,
            MEASURES_PER_CLASS[ind.classification],
        )
        answers = ind.narrative_th or (
            f"ตัวชี้วัดที่ {ind.id} {ind.name_th}: ยังไม่มีคะแนนของปี พ.ศ. {analysis.fiscal_year}"
        )
        for c in chosen:
            used.add(c.id)
            text, start, end = c.period
            items = [i for i in c.items if i in weak_items] if weak_items else []
            measures.append(
                PlannedMeasure(
                    len(measures) + 1,
                    c.id,
                    c.title,
                    ind.id,
                    ind.name_th,
                    ind.classification,
                    answers,
                    list(c.steps),
                    text,
                    start,
                    end,
                    c.responsible,
                    c.oit_evidence,
                    items,
                    # The points this measure answers: its weak items', else its indicator's.
                    (sum(gains.get(i, 0.0) for i in items) if items else 0.0) or ind.gain_to_full,
                )
            )
    return Plan(fiscal_year=year, assessed_year=analysis.fiscal_year, measures=measures)
