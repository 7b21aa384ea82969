"""Analysis of one assessment against the one before it.

Year over year at every level (overall, tools, indicators, items), strongest and weakest
indicators, items below full marks, a classification and a draft narrative per indicator, and
the what-if priority list. All numbers come from :mod:`prongsai.ita.scoring`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from operator import attrgetter

from prongsai.ita import narrative
from prongsai.ita.edition import Edition, per_edition
from prongsai.ita.findings import Finding
from prongsai.ita.library import agency_kind
from prongsai.ita.numbers import round2
from prongsai.ita.scoring import (
    FULL_MARKS,
    LevelGap,
    ScoreResult,
    decided_label,
    level_above,
    level_gap,
    level_ranks,
    sensitivities,
    weakest,
)

# Classification thresholds. "urgent" below the edition's pass mark; "keep up" needs the score of
# the edition's top level (95 in every edition so far) and no fall since last year.
CLASS_ORDER = {"urgent": 0, "improve": 1, "keep_up": 2}


@dataclass(slots=True)
class Change:
    path: str  # overall, tools.IIT, indicators.4, items.i11
    current: float | None
    previous: float | None
    delta: float | None = field(init=False)  # of the printed (two-decimal) values

    # Written out (dataclass keeps it) rather than __post_init__: a national run builds millions.
    def __init__(self, path: str, current: float | None, previous: float | None) -> None:
        self.path = path
        self.current = current
        self.previous = previous
        if current is None or previous is None:
            self.delta = None
        elif current == previous:
            self.delta = 0.0  # what the rounding gives for equal scores (most of a report's items)
        else:
            self.delta = round2(round2(current) - round2(previous))

    def to_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "current": None if self.current is None else round2(self.current),
            "previous": None if self.previous is None else round2(self.previous),
            "delta": self.delta,
        }


@dataclass(slots=True)
class ItemScore:
    id: str
    name_th: str | None
    indicator: int
    score: float

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "name_th": self.name_th,
            "indicator": self.indicator,
            "score": round2(self.score),
        }


@dataclass(slots=True)
class IndicatorAnalysis:
    id: int
    name_th: str
    name_en: str
    tool: str
    score: float | None
    previous: float | None
    delta: float | None
    classification: str | None  # keep_up | improve | urgent; None without a score
    below_full: list[ItemScore]
    narrative_th: str | None
    gain_to_full: float | None

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "name_th": self.name_th,
            "name_en": self.name_en,
            "tool": self.tool,
            "score": None if self.score is None else round2(self.score),
            "previous": None if self.previous is None else round2(self.previous),
            "delta": self.delta,
            "classification": self.classification,
            "classification_th": narrative.CLASS_TH.get(self.classification or ""),
            "items_below_full": [i.to_dict() for i in self.below_full],
            "narrative_th": self.narrative_th,
            "gain_to_full": None if self.gain_to_full is None else round(self.gain_to_full, 4),
        }


@dataclass(slots=True)
class Priority:
    kind: str  # indicator | item
    id: str
    name_th: str | None
    indicator: int
    score: float
    gain: float  # overall points gained by raising this score to full marks
    confidence: str  # of the arithmetic behind the gain

    def to_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "id": self.id,
            "name_th": self.name_th,
            "indicator": self.indicator,
            "score": round2(self.score),
            "gain": round(self.gain, 4),
            "confidence": self.confidence,
        }


@dataclass(slots=True)
class Analysis:
    fiscal_year: int
    previous_year: int | None
    result: ScoreResult
    previous: ScoreResult | None
    overall: Change
    tools: list[Change]
    indicator_changes: list[Change]
    item_changes: list[Change]
    indicators: list[IndicatorAnalysis]
    strongest: list[int]
    weakest: list[int]
    items_below_full: list[ItemScore]
    priorities: list[Priority]
    summary_th: str
    findings: list[Finding] = field(default_factory=list)
    # The level the analysis measures against: the one lost since last year, else the next one up,
    # and what the current scores lack for it (None at the top level or when it cannot be told).
    level_target: LevelGap | None = None
    published_level: str | None = None
    # The fewest items (most points first) whose full marks alone reach the target level, with
    # the overall after them; None when item scores cannot reach it or no target applies.
    reaches_target: tuple[list[str], float] | None = None
    suggestions: list[str] = field(default_factory=list)  # the assessor's, as recorded
    agency_kind: str = "local"  # whom the drafted measures address (library.agency_kind)

    def to_dict(self) -> dict[str, object]:
        return {
            "fiscal_year": self.fiscal_year,
            "edition": self.result.edition.edition,
            "previous_year": self.previous_year,
            "overall": self.overall.to_dict(),
            "level": self.result.level.to_dict(),
            "summary_th": self.summary_th,
            "tools": [c.to_dict() for c in self.tools],
            "indicators": [i.to_dict() for i in self.indicators],
            "indicator_changes": [c.to_dict() for c in self.indicator_changes],
            "item_changes": [c.to_dict() for c in self.item_changes],
            "strongest_indicators": self.strongest,
            "weakest_indicators": self.weakest,
            "items_below_full": [i.to_dict() for i in self.items_below_full],
            "priorities": [p.to_dict() for p in self.priorities],
        }


_BY_INDICATOR = attrgetter("indicator")
_BY_GAIN = attrgetter("gain")
_BY_SCORE = attrgetter("score")


def classify(score: float, delta: float | None, pass_mark: float, top: float) -> str:
    s = round2(score)
    if s < pass_mark:
        return "urgent"
    if s < top or (delta is not None and delta < 0):
        return "improve"
    return "keep_up"


_SAME_QUESTION: dict[tuple[int, int], frozenset[str]] = {}


def _same_questions(a: Edition, b: Edition) -> frozenset[str]:
    """Item ids that mean the same question in both editions (NACC renumbers items between editions)."""
    key = (a.edition, b.edition)
    hit = _SAME_QUESTION.get(key)
    if hit is None:
        if a.edition == b.edition:
            hit = frozenset(a.item_by_id)
        else:
            hit = frozenset(
                i
                for i, x in a.item_by_id.items()
                if (y := b.item_by_id.get(i))
                and x.indicator == y.indicator
                and x.name_th
                and x.name_th == y.name_th
            )
        _SAME_QUESTION[key] = hit
    return hit


def _target_gap(result: ScoreResult, prev: ScoreResult | None, fx: _Facts) -> tuple[LevelGap | None, bool]:
    """The level to explain: last year's when it was higher (the level fell), else the next one up."""
    ed = result.edition
    label = result.level.label
    if label is None:
        return None, False
    prev_label = prev.level.label if prev else None
    fell = False
    target = fx.above.get(label)
    ranks = fx.ranks
    now, before = ranks.get(label), None if prev_label is None else ranks.get(prev_label)
    if before is not None and now is not None and before < now:
        target, fell = prev_label, True
    if target is None:
        return None, False
    return level_gap(ed, target, result.overall.value, result.tool_values()), fell


def _full_marks(
    result: ScoreResult,
    tools: Mapping[str, float | None],
    tool: str,
    value: float,
    share: float,
    overall_gain: float,
    gap: LevelGap,
    ranks: dict[str, int],
) -> narrative.FullMarks | None:
    """What full marks on one indicator give, said only when its tool is below the target's floor
    (the caller checks that); ``tools``: the current tool scores, left unchanged."""
    now = tools.get(tool)
    total = result.overall.value
    if now is None or total is None:
        return None
    raised = now + (FULL_MARKS - value) * share
    after = decided_label(result.edition, total + overall_gain, {**tools, tool: raised})
    reaches = after is not None and ranks[after] <= ranks[gap.label]
    return narrative.FullMarks(tool, round2(raised), round2(overall_gain), gap.label, bool(reaches))


def _item_gains(
    fx: _Facts,
    result: ScoreResult,
    below: list[ItemScore],
    indicator_gains: dict[int, float | None],
) -> dict[str, float]:
    """Overall points each item below full marks is worth, consistent with its indicator: when all
    of an indicator's items are known, their gains add up to the indicator's own gain (2568's OIT
    indicators do not follow a plain item mean: seed 003's o23 alone holds indicator 10 at 80)."""
    per_item = fx.per_item
    raw: dict[str, float] = {}
    by_indicator: dict[int, list[str]] = {}  # in the order of `below`: the order of the sums
    for b in below:
        raw[b.id] = (FULL_MARKS - b.score) * per_item[b.id]
        ids = by_indicator.get(b.indicator)
        if ids is None:
            by_indicator[b.indicator] = [b.id]
        else:
            ids.append(b.id)
    out = dict(raw)
    members = fx.own_items
    known = result.items.keys()
    for ind, ids in by_indicator.items():
        target = indicator_gains.get(ind)
        if target is None or not known >= members[ind]:
            continue
        total = sum([raw[i] for i in ids])
        if total <= 0:
            continue
        for i in ids:
            out[i] = raw[i] * target / total
    return out


def _what_reaches(
    result: ScoreResult, gap: LevelGap | None, items: list[Priority], fx: _Facts
) -> tuple[list[str], float] | None:
    """Raise items to full marks, most points first, until the target level is reached."""
    if gap is None or gap.reached or result.overall.value is None:
        return None
    ed = result.edition
    values = result.tool_values()
    tools = {t: v for t, v in values.items() if v is not None}
    if len(tools) != len(values):
        return None
    total = result.overall.value
    ranks, per_indicator, shares, tool_of = fx.ranks, fx.per_indicator, fx.share, fx.tool_of
    chosen: list[str] = []
    for p in items:
        tool = tool_of[p.indicator]
        share = shares[p.indicator]  # per_indicator / the tool's weight, as computed here before
        tools[tool] = tools[tool] + p.gain / per_indicator[p.indicator] * share
        total += p.gain
        chosen.append(p.id)
        level = decided_label(ed, total, tools)
        if level is not None and ranks[level] <= ranks[gap.label]:
            return chosen, round2(total)
        if len(chosen) >= 5:  # beyond a handful of items it is no longer "what blocks" the level
            return None
    return None


def analyse(
    result: ScoreResult,
    fiscal_year: int,
    previous: ScoreResult | None = None,
    previous_year: int | None = None,
    agency: str | None = None,
    *,
    published_level: str | None = None,
    suggestions: Sequence[str] = (),
    agency_type: str | None = None,
) -> Analysis:
    """``published_level``: the level as NACC printed it (stated, with the engine's if it
    differs); ``suggestions``: the assessor's, each quoted under the indicator whose items it names."""
    ed = result.edition
    fx = _facts(ed)
    prev = previous
    overall = Change("overall", result.overall.value, prev.overall.value if prev else None)
    tools = [
        Change(path, result.tools[t].value, prev.tools[t].value if prev and t in prev.tools else None)
        for t, path in fx.tool_paths
    ]
    indicator_changes = [
        Change(fx.indicator_path[n], node.value, prev.indicators[n].value if prev else None)
        for n, node in result.indicators.items()
    ]
    item_meta = fx.items
    # Items compared with last year (the same question in both editions), and per indicator those
    # that lost points, in the same order.
    item_changes: list[Change] = []
    fell_by: dict[int, list[narrative.ItemLine]] = {}
    if prev:
        same = _same_questions(ed, prev.edition)
        before = prev.items
        for i, v in result.items.items():
            if i in same and i in before:
                c = Change(item_meta[i].path, v, before[i])
                item_changes.append(c)
                if c.delta is not None and c.delta < 0:
                    meta = item_meta[i]
                    fell_by.setdefault(meta.indicator, []).append(
                        narrative.ItemLine(i, meta.name_th, v, before[i])
                    )

    per_indicator = fx.per_indicator
    order = fx.order
    # Items below full marks (printing as less than 100.00), in item order per indicator; then
    # all of them lowest first, by indicator and item order among equal scores (stable sorts).
    by_indicator: dict[int, list[ItemScore]] = {}
    below: list[ItemScore] = []
    ids = [i for i, v in result.items.items() if v < 99.995]
    ids.sort(key=order.__getitem__)
    scores = result.items
    for i in ids:
        meta = item_meta[i]
        b = ItemScore(i, meta.name_th, meta.indicator, scores[i])
        below.append(b)
        by_indicator.setdefault(meta.indicator, []).append(b)
    below.sort(key=_BY_INDICATOR)
    below.sort(key=_BY_SCORE)
    pass_mark, top = fx.pass_mark, fx.top
    gap, level_fell = _target_gap(result, prev, fx)
    # Full marks on an indicator are spelt out only where its tool is below the target's floor.
    short = {t for t, _ in gap.tools_short} if gap else set()
    tool_values = result.tool_values() if short else {}
    codes = [(x, narrative.item_codes(x)) for x in suggestions]
    base_conf = fx.base_confidence

    indicators: list[IndicatorAnalysis] = []
    scored: list[tuple[IndicatorAnalysis, float]] = []  # those with a score, and it rounded
    priorities: list[Priority] = []  # the scored indicators below full marks, for now
    for ind, change in zip(ed.indicators, indicator_changes, strict=True):
        value = change.current
        mine = by_indicator.get(ind.id, [])
        if value is None:
            indicators.append(
                IndicatorAnalysis(
                    ind.id,
                    ind.name_th,
                    ind.name_en,
                    ind.tool,
                    None,
                    change.previous,
                    None,
                    None,
                    mine,
                    None,
                    None,
                )
            )
            continue
        cls = classify(value, change.delta, pass_mark, top)
        gain = (FULL_MARKS - value) * per_indicator[ind.id]
        own_items = fx.own_items[ind.id]
        text = narrative.indicator_narrative(
            number=ind.id,
            name_th=ind.name_th,
            tool=ind.tool,
            score=value,
            delta=change.delta,
            previous_year=previous_year if change.delta is not None else None,
            classification=cls,
            below_full=mine,
            fell=fell_by.get(ind.id, []),
            full_marks=_full_marks(
                result, tool_values, ind.tool, value, fx.share[ind.id], gain, gap, fx.ranks
            )
            if gain > 0 and gap is not None and ind.tool in short
            else None,
            suggestions=[x for x, named in codes if named & own_items],
        )
        row = IndicatorAnalysis(
            ind.id,
            ind.name_th,
            ind.name_en,
            ind.tool,
            value,
            change.previous,
            change.delta,
            cls,
            mine,
            text,
            gain,
        )
        indicators.append(row)
        rounded = round2(value)
        scored.append((row, rounded))
        if rounded < FULL_MARKS:
            priorities.append(Priority("indicator", str(ind.id), ind.name_th, ind.id, value, gain, base_conf))

    strongest_ids: list[int] = []
    weakest_ids: list[int] = []
    if scored:
        hi = max(r for _, r in scored)
        lo = min(r for _, r in scored)
        strongest_ids = [i.id for i, r in scored if r == hi]
        weakest_ids = [i.id for i, r in scored if r == lo]

    # Most points first; among equal points indicators before items, then by indicator and item
    # order. Built in that second order, so one stable sort by points gives both.
    priorities.sort(key=_BY_INDICATOR)
    item_gains = _item_gains(fx, result, below, {i.id: i.gain_to_full for i, _ in scored})
    item_conf = fx.item_confidence
    for n in sorted(by_indicator):
        conf = item_conf[n]
        priorities += [
            Priority("item", b.id, b.name_th, n, b.score, item_gains[b.id], conf) for b in by_indicator[n]
        ]
    priorities.sort(key=_BY_GAIN, reverse=True)  # reverse keeps equal gains in their order
    reach = _what_reaches(result, gap, [p for p in priorities if p.kind == "item"], fx)

    reach_text = ""
    if reach is not None and gap is not None:
        names = {i.id: i.name_th for i in below}
        reach_text = narrative.reach_th(reach[0], names, reach[1], gap.label)
    summary = narrative.overall_narrative(
        agency=agency,
        year=fiscal_year,
        score=result.overall.value,
        level=result.level.label,
        level_candidates=result.level.candidates,
        delta=overall.delta,
        previous_year=previous_year,
        previous_score=prev.overall.value if prev else None,
        previous_level=prev.level.label if prev else None,
        published_level=published_level,
        level_reason=narrative.level_reason_th(
            level=result.level.label,
            previous_level=prev.level.label if prev else None,
            fell=level_fell,
            target=gap.label if gap else None,
            total_short=gap.total_short if gap else None,
            tools_short=gap.tools_short if gap else [],
            floor=gap.floor if gap else None,
            min_total=gap.min_total if gap else None,
            total_after=gap.total_after if gap else None,
        )
        + reach_text,
    )
    return Analysis(
        fiscal_year=fiscal_year,
        previous_year=previous_year if prev else None,
        result=result,
        previous=prev,
        overall=overall,
        tools=tools,
        indicator_changes=indicator_changes,
        item_changes=item_changes,
        indicators=indicators,
        strongest=strongest_ids,
        weakest=weakest_ids,
        items_below_full=below,
        priorities=priorities,
        summary_th=summary,
        findings=list(result.findings),
        level_target=gap,
        published_level=published_level,
        reaches_target=reach,
        suggestions=list(suggestions),
        agency_kind=agency_kind(agency_type, agency),
    )


def _item_order(item_id: str) -> tuple[int, int]:
    """i1 < i2 < … < e1 < … < o1 < o10 (tool order, then number)."""
    return ("ieo".find(item_id[0]), int(item_id[1:]))


@dataclass(slots=True, frozen=True)
class _ItemFacts:
    path: str  # items.i11
    name_th: str | None
    indicator: int


@dataclass(slots=True, frozen=True)
class _Facts:
    """What analysing needs of one edition, worked out once for every agency assessed under it."""

    tool_paths: tuple[tuple[str, str], ...]  # (tool or part, its change's path), in report order
    indicator_path: dict[int, str]
    items: dict[str, _ItemFacts]
    order: dict[str, tuple[int, int]]
    own_items: dict[int, frozenset[str]]
    per_indicator: dict[int, float]  # overall points per point of the indicator
    per_item: dict[str, float]
    share: dict[int, float]  # the indicator's points in its tool's score, per point
    tool_of: dict[int, str]  # an indicator's tool
    pass_mark: float
    top: float
    ranks: dict[str, int]  # level label -> 0 for the top level, larger further down
    above: dict[str, str | None]  # level label -> the next one up (None at the top)
    base_confidence: str  # of an indicator's gain
    item_confidence: dict[int, str]  # of an item's gain, per indicator


def _build_facts(ed: Edition) -> _Facts:
    per_indicator, per_item = sensitivities(ed)
    order = {i: _item_order(i) for i in ed.item_by_id}
    base = weakest(ed.overall.confidence, *(t.confidence for t in ed.tools))
    return _Facts(
        tool_paths=tuple((t, f"tools.{t}") for t in ("IIT", "EIT", *ed.part_ids, "OIT")),
        indicator_path={i.id: f"indicators.{i.id}" for i in ed.indicators},
        items={i.id: _ItemFacts(f"items.{i.id}", i.name_th, i.indicator) for i in ed.item_by_id.values()},
        order=order,
        own_items={n: frozenset(i.id for i in items) for n, items in ed.items_of_indicator.items()},
        per_indicator=per_indicator,
        per_item=per_item,
        share={i.id: per_indicator[i.id] / ed.tool_by_id[i.tool].weight for i in ed.indicators},
        tool_of={i.id: i.tool for i in ed.indicators},
        pass_mark=ed.pass_mark.value,
        top=ed.levels.rules[0].min_total,
        ranks=level_ranks(ed),
        above={r.label: level_above(ed, r.label) for r in ed.levels.rules},
        base_confidence=base,
        item_confidence={i.id: weakest(base, i.items_rule_confidence) for i in ed.indicators},
    )


def _facts(ed: Edition) -> _Facts:
    return per_edition(ed, "analysis", _build_facts)
