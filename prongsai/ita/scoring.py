"""Scoring: from whatever detail is known, every level above it, and the level/grade.

The arithmetic is the edition's (``prongsai/ita/editions/*.yaml``): items → (sub-indicators →)
indicators → tools (or EIT from its two parts) → overall = Σ weight × tool. Each node keeps
its published value, the value computed from below (when everything below is known) and the
value carried upward: the computed one, except where the rule that computed it is of low
confidence and a published value exists, so that a guess never overrides a printed fact.

Rounding: NACC prints two decimals and rounds at display only; comparisons and level decisions
use the value rounded half-up to two decimals, so a printed score and its level always agree.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from prongsai.ita import findings as F
from prongsai.ita.edition import Edition, LevelRule, per_edition
from prongsai.ita.findings import Finding
from prongsai.ita.numbers import round2, same_printed

FULL_MARKS = 100.0
TOOL_IDS = ("IIT", "EIT", "OIT")


def weakest(*confidences: str) -> str:
    """The least sure of several confidences ('low' < 'medium' < 'high')."""
    if "low" in confidences:
        return "low"
    return "medium" if "medium" in confidences else "high"


@dataclass(slots=True)
class Published:
    """Published values of one assessment; anything may be missing."""

    overall: float | None = None
    level: str | None = None
    tools: dict[str, float] = field(default_factory=dict)  # IIT, EIT, EIT_1, EIT_2, OIT
    indicators: dict[int, float] = field(default_factory=dict)
    items: dict[str, float] = field(default_factory=dict)


@dataclass(slots=True)
class Node:
    published: float | None = None
    computed: float | None = None
    value: float | None = None  # what is carried upward
    basis: str = "missing"  # computed | published | missing
    confidence: str = "high"  # of the rule behind `computed`

    def settle(self) -> None:
        if self.computed is not None and (self.published is None or self.confidence != "low"):
            self.value, self.basis = self.computed, "computed"
        elif self.published is not None:
            self.value, self.basis = self.published, "published"

    def to_dict(self) -> dict[str, object]:
        return {
            "value": None if self.value is None else round2(self.value),
            "basis": self.basis,
            "published": self.published,
            "computed": None if self.computed is None else round2(self.computed),
            "confidence": self.confidence,
        }


@dataclass(slots=True)
class LevelResult:
    label: str | None  # None when it cannot be decided
    label_en: str | None
    candidates: list[str]
    passed: bool | None
    confidence: str
    missing_tools: list[str] = field(default_factory=list)

    @property
    def decided(self) -> bool:
        return self.label is not None

    def to_dict(self) -> dict[str, object]:
        return {
            "label": self.label,
            "label_en": self.label_en,
            "decided": self.decided,
            "candidates": self.candidates,
            "passed": self.passed,
            "confidence": self.confidence,
        }


@dataclass(slots=True)
class ScoreResult:
    edition: Edition
    overall: Node
    tools: dict[str, Node]  # IIT, EIT, OIT and the EIT parts
    indicators: dict[int, Node]
    subindicators: dict[str, Node]
    items: dict[str, float]
    level: LevelResult
    findings: list[Finding]

    def tool_values(self) -> dict[str, float | None]:
        return {t: self.tools[t].value for t in TOOL_IDS}

    def to_dict(self) -> dict[str, object]:
        return {
            "overall": None if self.overall.value is None else round2(self.overall.value),
            "level": self.level.label,
            "level_detail": self.level.to_dict(),
            "tools": {k: None if n.value is None else round2(n.value) for k, n in self.tools.items()},
            "indicators": {
                str(k): None if n.value is None else round2(n.value) for k, n in self.indicators.items()
            },
            "detail": {
                "overall": self.overall.to_dict(),
                "tools": {k: n.to_dict() for k, n in self.tools.items()},
                "indicators": {str(k): n.to_dict() for k, n in self.indicators.items()},
                "subindicators": {k: n.to_dict() for k, n in self.subindicators.items()},
            },
        }


def _mean(values: list[float]) -> float:
    return sum(values) / len(values)


def _all_known(values: list[float | None]) -> list[float] | None:
    """The values when none of them is missing, else None."""
    known = [v for v in values if v is not None]
    return known if len(known) == len(values) else None


def _in_range(path: str, value: float, found: list[Finding]) -> bool:
    if 0 <= value <= FULL_MARKS:
        return True
    found.append(F.out_of_range(path, value))
    return False


def score(edition: Edition, pub: Published) -> ScoreResult:
    found: list[Finding] = []

    layout = _layout(edition)

    # Items: drop what this edition does not know or what cannot be a score.
    items: dict[str, float] = {}
    scales, fixed = layout.scales, layout.fixed
    given = pub.items
    if given and given.keys() <= scales.keys():
        values = given.values()
        total = sum(values)  # NaN when any is
        if min(values) >= 0 and max(values) <= FULL_MARKS and total == total:
            # All known and in range (as nearly always): only the fixed scales left to check.
            for item_id in fixed.keys() & given.keys():
                # A value in the (rounded) scale rounds to itself: rounded only when it is not.
                v, scale = given[item_id], fixed[item_id]
                if v not in scale and round2(v) not in scale:
                    break
            else:
                items = dict(given)
    for item_id, value in () if items else given.items():
        if item_id not in scales:
            found.append(F.unknown("item", item_id, edition.edition))
            continue
        if not 0 <= value <= FULL_MARKS:
            found.append(F.out_of_range(f"items.{item_id}", value))
            continue
        allowed = scales[item_id]
        if allowed is not None and round2(value) not in allowed:
            group = edition.item_group_by_id[item_id]
            if isinstance(group.scale, list):  # always: `allowed` is this list, rounded
                found.append(F.unexpected_item_value(item_id, value, group.scale, group.scale_confidence))
        items[item_id] = value

    # Sub-indicators and indicators.
    subindicators: dict[str, Node] = {}
    indicators: dict[int, Node] = {}
    every_item = len(items) == len(scales)  # then no item of a group is missing
    for ind in edition.indicators:
        path = layout.paths[ind.id]
        node = Node(None, None, None, "missing", ind.items_rule_confidence)  # positional: many
        p = pub.indicators.get(ind.id)
        if p is not None and _in_range(path, p, found):
            node.published = p
        groups = layout.groups[ind.id]
        if groups:
            means: list[float | None] = []
            for sub_id, ids in groups:
                vals = [items[i] for i in ids] if every_item else [items[i] for i in ids if i in items]
                mean = sum(vals) / len(vals) if len(vals) == len(ids) else None
                if sub_id is not None:
                    sn = Node(None, mean, None, "missing", ind.items_rule_confidence)
                    sn.settle()
                    subindicators[sub_id] = sn
                means.append(mean)
            known_means = _all_known(means)
            if known_means is not None:
                node.computed = sum(known_means) / len(known_means)
        node.settle()
        if node.published is not None and node.computed is not None:
            _compare(path, node, found)
        indicators[ind.id] = node
    for key in pub.indicators:
        if key not in indicators:
            found.append(F.unknown("indicator", str(key), edition.edition))

    # Tools, and the EIT parts (published only: nothing lies below them).
    tools: dict[str, Node] = {}
    for part_id in edition.part_ids:
        p = pub.tools.get(part_id)
        node = Node()
        if p is not None and _in_range(f"tools.{part_id}", p, found):
            node.published = p
        node.settle()
        tools[part_id] = node
    for tool in edition.tools:
        node = Node()
        p = pub.tools.get(tool.id)
        if p is not None and _in_range(layout.paths[tool.id], p, found):
            node.published = p
        derived: list[tuple[str, float, str]] = []
        for d in tool.derive:
            if d.from_ == "parts":
                inputs = _all_known([tools[part.id].value for part in tool.parts])
            else:
                inputs = _all_known([indicators[n].value for n in tool.indicators])
            if inputs is not None:
                conf: str = d.confidence
                if d.from_ == "indicators":
                    conf = weakest(
                        conf,
                        *(
                            indicators[n].confidence
                            for n in tool.indicators
                            if indicators[n].basis == "computed"
                        ),
                    )
                derived.append((d.from_, _mean(inputs), conf))
        if derived:
            used, node.computed, node.confidence = derived[0]
            for other, value, conf in derived[1:]:
                if not same_printed(value, node.computed):
                    found.append(
                        F.derivations_differ(
                            tool.id, used, other, node.computed, value, weakest(conf, node.confidence)
                        )
                    )
        node.settle()
        _compare(layout.paths[tool.id], node, found)
        tools[tool.id] = node
    for tool_id in pub.tools:
        if tool_id not in tools:
            found.append(F.unknown("tool", tool_id, edition.edition))

    tools = {k: tools[k] for k in ("IIT", "EIT", *edition.part_ids, "OIT")}

    # Overall.
    overall = Node(confidence=edition.overall.confidence)
    if pub.overall is not None and _in_range("overall", pub.overall, found):
        overall.published = pub.overall
    tool_vals = _all_known([tools[t.id].value for t in edition.tools])
    if tool_vals is not None:
        overall.computed = sum(t.weight * v for t, v in zip(edition.tools, tool_vals, strict=True))
        overall.confidence = weakest(
            edition.overall.confidence,
            *(tools[t].confidence for t in TOOL_IDS if tools[t].basis == "computed"),
        )
    overall.settle()
    _compare("overall", overall, found)

    level = decide_level(edition, overall.value, {t: tools[t].value for t in TOOL_IDS})
    if pub.level:
        _check_level(edition, pub.level, level, overall.value, found)
    elif not level.decided and level.candidates:
        found.append(F.level_undecided(level.candidates, level.missing_tools, None))

    return ScoreResult(edition, overall, tools, indicators, subindicators, items, level, found)


def _compare(path: str, node: Node, found: list[Finding]) -> None:
    if (
        node.published is not None
        and node.computed is not None
        and not same_printed(node.published, node.computed)
    ):
        found.append(F.mismatch(path, node.published, round2(node.computed), node.confidence))


# ---- levels ----------------------------------------------------------------------------------


def decide_level(edition: Edition, total: float | None, tools: Mapping[str, float | None]) -> LevelResult:
    """The first rule, highest first, whose conditions hold; when a rule's tool floor cannot be
    checked (a tool score unknown), every rule down to the first that surely holds is a candidate."""
    levels = edition.levels
    if total is None:
        return LevelResult(None, None, [], None, levels.confidence)
    total = round2(total)
    known = [round2(v) for v in tools.values() if v is not None]
    lowest = min(known) if known else None
    complete = len(known) == len(tools)
    candidates: list[LevelRule] = []
    for rule in levels.rules:
        if total < rule.min_total:
            continue
        floor = rule.min_each_tool
        if floor is None:
            holds = True
        elif lowest is not None and lowest < floor:
            continue
        else:
            holds = complete  # every known tool is at the floor; the unknown ones may not be
        candidates.append(rule)
        if holds:
            break
    if len(candidates) == 1:
        r = candidates[0]
        return LevelResult(r.label, r.label_en, [r.label], r.passed, weakest(levels.confidence, r.confidence))
    missing = [t for t, v in tools.items() if v is None]
    conf = weakest(levels.confidence, *(r.confidence for r in candidates))
    passed_set = {r.passed for r in candidates}
    passed = passed_set.pop() if len(passed_set) == 1 else None
    return LevelResult(None, None, [r.label for r in candidates], passed, conf, missing)


@dataclass(slots=True, frozen=True)
class LevelGap:
    """What a score lacks for one level: the overall below its minimum, tools below its floor.

    ``total_after`` is the overall if each short tool rose exactly to the floor and every other
    score stayed (None when a weight or a tool score is unknown)."""

    label: str
    min_total: float
    floor: float | None
    total_short: float | None  # points the overall lacks, None when it is enough
    tools_short: list[tuple[str, float]]  # (tool, its score) below the floor, in tool order
    total_after: float | None

    @property
    def reached(self) -> bool:
        return self.total_short is None and not self.tools_short


def level_gap(
    edition: Edition, label: str, total: float | None, tools: Mapping[str, float | None]
) -> LevelGap | None:
    """Why ``total``/``tools`` do not reach the level named ``label`` (None for an unknown label
    or an unknown total)."""
    table = _level_table(edition)
    rule = table.rule_by_label.get(label)
    if rule is None or total is None:
        return None
    total = round2(total)
    short_total = round2(rule.min_total - total) if total < rule.min_total else None
    short_tools: list[tuple[str, float]] = []
    after: float | None = total
    if rule.min_each_tool is not None:
        weights = table.weights
        for t in TOOL_IDS:
            v = tools.get(t)
            if v is not None and round2(v) < rule.min_each_tool:
                short_tools.append((t, round2(v)))
                after = (
                    None
                    if after is None or t not in weights
                    else after + weights[t] * (rule.min_each_tool - v)
                )
    return LevelGap(
        rule.label,
        rule.min_total,
        rule.min_each_tool,
        short_total,
        short_tools,
        None if after is None else round2(after),
    )


def level_above(edition: Edition, label: str | None) -> str | None:
    """The next level up from ``label`` (None at the top or for an unknown label). Levels that share
    a minimum (ผ่านดี and ผ่าน at 85, told apart by the tool floor) are distinct steps."""
    return None if label is None else _level_table(edition).above.get(label)


def level_rank(edition: Edition, label: str | None) -> int | None:
    """0 for the top level, larger further down; None for a label this edition does not have."""
    return None if label is None else level_ranks(edition).get(label)


def level_ranks(edition: Edition) -> dict[str, int]:
    """Every level label of the edition with its rank (as :func:`level_rank`)."""
    return per_edition(edition, "level_ranks", _level_ranks)


def _level_ranks(edition: Edition) -> dict[str, int]:
    ranks: dict[str, int] = {}
    for n, r in enumerate(edition.levels.rules):
        ranks.setdefault(r.label, n)  # as list.index: the first rule of a label
    return ranks


@dataclass(slots=True, frozen=True)
class _LevelTable:
    """An edition's level rules by label, built once."""

    rule_by_label: dict[str, LevelRule]  # the first rule of each label
    above: dict[str, str | None]  # the label of the rule before a label's first rule
    weights: dict[str, float]  # of each tool in the overall


def _level_table(edition: Edition) -> _LevelTable:
    return per_edition(edition, "level_table", _build_level_table)


def _build_level_table(edition: Edition) -> _LevelTable:
    rules = edition.levels.rules
    by_label: dict[str, LevelRule] = {}
    above: dict[str, str | None] = {}
    for n, r in enumerate(rules):
        if r.label not in by_label:
            by_label[r.label] = r
            above[r.label] = rules[n - 1].label if n > 0 else None
    return _LevelTable(by_label, above, {t.id: t.weight for t in edition.tools})


def decided_label(edition: Edition, total: float | None, tools: Mapping[str, float | None]) -> str | None:
    """``decide_level(edition, total, tools).label``, without building the rest of the result (the
    what-if asks it of many imagined scores)."""
    if total is None:
        return None
    total = round2(total)
    known = [round2(v) for v in tools.values() if v is not None]
    lowest = min(known) if known else None
    complete = len(known) == len(tools)
    first: LevelRule | None = None  # a candidate that may not hold: decided only when alone
    for rule in edition.levels.rules:
        if total < rule.min_total:
            continue
        floor = rule.min_each_tool
        if floor is not None and lowest is not None and lowest < floor:
            continue
        if first is not None:
            return None  # two candidates
        if floor is None or complete:
            return rule.label
        first = rule
    return None if first is None else first.label


_GRADES = ("AA", "A", "B", "C", "D", "E", "F")
# Longest first: ผ่านดีเยี่ยม before ผ่านดี before ผ่าน; ไม่ผ่าน before ผ่าน.
_RATINGS = ("ผ่านดีเยี่ยม", "ผ่านดี", "ไม่ผ่าน", "ผ่าน")


def normalise_level(printed: str) -> str:
    """A level as agencies print it, reduced to the edition's label: 'A (ผ่าน)' -> 'A',
    'ระดับ AA' -> 'AA', 'ผ่านเกณฑ์' -> 'ผ่าน', 'ผลการประเมิน: ผ่านดี' -> 'ผ่านดี'. Anything else is
    returned stripped, to be reported as an unknown label."""
    text = " ".join(printed.split())
    if ":" in text:
        text = text.rsplit(":", 1)[1]
    text = text.strip().strip("()").strip()
    text = re.sub(r"^(ระดับ|level)\s*", "", text, flags=re.IGNORECASE).strip()
    m = re.match(r"^([A-Fa-f]{1,2})(?![A-Za-z])", text)
    if m and m.group(1).upper() in _GRADES:
        return m.group(1).upper()
    for word in _RATINGS:
        if text.startswith(word):
            return word
    return text


def _norm_label(label: str) -> str:
    return normalise_level(label).upper()


def _check_level(
    edition: Edition, published: str, level: LevelResult, total: float | None, found: list[Finding]
) -> None:
    labels = [r.label for r in edition.levels.rules]
    match = next((lab for lab in labels if _norm_label(lab) == _norm_label(published)), None)
    if match is None and edition.levels.old_grades_seen and normalise_level(published) in _GRADES:
        # The first year of the pass-level scale (2566): some agencies still printed the old grade.
        if level.label is not None:
            found.append(F.old_letter_grade(published, level.label, edition.edition))
        return
    if match is None:
        found.append(F.level_unknown_label(published, edition.edition, labels))
        if level.label is not None and total is not None:
            found.append(F.level_mismatch(published, level.label, round2(total), level.confidence))
        return
    if total is None:
        return
    if level.label is not None:
        if match != level.label:
            found.append(F.level_mismatch(published, level.label, round2(total), level.confidence))
    elif match in level.candidates:
        found.append(F.level_undecided(level.candidates, level.missing_tools, published))
    else:
        found.append(
            F.level_mismatch(published, " / ".join(level.candidates), round2(total), level.confidence)
        )


# ---- per-edition layout, built once --------------------------------------------------------


@dataclass(slots=True, frozen=True)
class _Layout:
    # Allowed item values (rounded) where the edition fixes a scale, else None.
    scales: dict[str, frozenset[float] | None]
    # Per indicator, the item groups averaged first: one group (sub_id None) for a plain mean,
    # one per sub-indicator for a mean of sub-indicator means. Empty when items are unknown.
    groups: dict[int, list[tuple[str | None, tuple[str, ...]]]]
    # Where each indicator and tool is reported ('indicators.4', 'tools.EIT'), for findings.
    paths: dict[int | str, str]
    fixed: dict[str, frozenset[float]]  # the scales above of the items whose edition fixes one


def _build_layout(edition: Edition) -> _Layout:
    scales = {
        i.id: frozenset(round2(v) for v in g.scale) if isinstance(g.scale, list) else None
        for g in edition.items
        for i in g.entries
    }
    groups: dict[int, list[tuple[str | None, tuple[str, ...]]]] = {}
    for ind in edition.indicators:
        members = edition.items_of_indicator[ind.id]
        if not members:
            groups[ind.id] = []
        elif ind.items_rule == "mean_of_subindicators":
            groups[ind.id] = [
                (s.id, tuple(i.id for i in members if i.subindicator == s.id))
                for s in edition.subindicators
                if s.indicator == ind.id
            ]
        else:
            groups[ind.id] = [(None, tuple(i.id for i in members))]
    paths: dict[int | str, str] = {i.id: f"indicators.{i.id}" for i in edition.indicators}
    paths.update({t.id: f"tools.{t.id}" for t in edition.tools})
    return _Layout(scales, groups, paths, {i: v for i, v in scales.items() if v is not None})


def _layout(edition: Edition) -> _Layout:
    return per_edition(edition, "layout", _build_layout)


# ---- what-if ---------------------------------------------------------------------------------


def sensitivities(edition: Edition) -> tuple[dict[int, float], dict[str, float]]:
    """How many overall points one point of each indicator and each item is worth.

    Every step of the edition's arithmetic is a mean or a weighted sum, so the overall is linear in
    each score and raising a score to full gains (100 - score) x its sensitivity, exactly. Tools are
    taken through their indicators (an EIT part is a way of counting respondents, not something an
    agency can act on), so the EIT parts are left out.
    """
    return per_edition(edition, "sensitivities", _build_sensitivities)


def _build_sensitivities(edition: Edition) -> tuple[dict[int, float], dict[str, float]]:
    per_indicator: dict[int, float] = {}
    per_item: dict[str, float] = {}
    for tool in edition.tools:
        for n in tool.indicators:
            w = tool.weight / len(tool.indicators)
            per_indicator[n] = w
            ind = edition.indicator_by_id[n]
            members = edition.items_of_indicator[n]
            if not members:
                continue
            if ind.items_rule == "mean_of_subindicators":
                subs = [s for s in edition.subindicators if s.indicator == n]
                for s in subs:
                    in_sub = [i for i in members if i.subindicator == s.id]
                    for i in in_sub:
                        per_item[i.id] = w / len(subs) / len(in_sub)
            else:
                for i in members:
                    per_item[i.id] = w / len(members)
    return per_indicator, per_item
