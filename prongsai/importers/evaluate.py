"""Field-level evaluation of importer drafts against hand-annotated ground truth.

A draft and its truth share one schema (/work/shared/seeds/truth/README.md). Both are cut into
*units*, one scorable value each, in the field groups of ``FIELD_GROUPS``. Per group:

- TP: a predicted unit that matches its truth counterpart;
- FP: a predicted unit with no matching truth unit (truth null or absent, or a different value);
- FN: a truth unit with no matching predicted unit.

So a wrong value is one FP and one FN, and TP+FP / TP+FN are the numbers of predicted / expected
units. null, absent keys, empty lists and dicts, and text that is empty once normalised are no unit.

Units
- kinds: one per distinct kind (set comparison).
- agency.*, report_fiscal_year_be, memo.unit / ref_no / date / subject / to: one each.
- memo.signer.name / .position: one each per signer, signers aligned by list position. A null memo
  has no units, so every non-null field of the other side's memo counts.
- assessments are aligned by year_be (the n-th entry of a year with the n-th of that year);
  overall, level, each tools key, each indicators key and each items key is one unit.
- measures are aligned one-to-one (below); each non-null field of an aligned pair is one unit and
  each evidence string one unit (multiset: a string printed twice must be predicted twice).
  An unaligned measure's units are all FP (predicted) or all FN (truth).
- source and inconsistencies are not scored.

Matching
- Numbers (scores, years, no, indicator): equal within 0.005.
- Text is normalised first: HTML tags removed, NFC, all whitespace removed, decomposed sara am
  (U+0E4D U+0E32) read as U+0E33; the truth keeps the document's spacing and character forms, the
  importer need not. Then exact equality, except the long free-text fields (title, method, result,
  outcome, suggestion, monitoring), which match at rapidfuzz ``fuzz.ratio`` >= 90 because OCR and
  merged cells make small differences common. level also drops parentheses; memo.date is compared
  as its ISO string.

Measure alignment: score = ``fuzz.ratio`` of the normalised titles, +5 when both have the same
``no``. A pair needs a title ratio >= 50; pairs are taken greedily, best score first, ties to the
closest list positions. Greedy is not optimal in general, but titles are either near-equal or
unrelated in practice and there are <= 30 measures; the ``no`` bonus separates 003's measures,
eight of which share one title.

Scores: precision = TP/(TP+FP), recall = TP/(TP+FN), F1 = 2TP/(2TP+FP+FN). A group with nothing
predicted and nothing expected scores 1.0 on all three (printed as "-") and is left out of the macro
average; any other empty denominator gives 0.0. Overall = micro average (counts summed over groups
and documents); macro F1 = mean per-group F1 over the groups that have units.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from rapidfuzz import fuzz

MEASURE_FIELDS = (
    "no",
    "title",
    "method",
    "responsible",
    "period",
    "indicator",
    "status",
    "result",
    "outcome",
    "suggestion",
    "monitoring",
)
MEASURE_GROUPS = tuple(f"measure.{f}" for f in (*MEASURE_FIELDS, "evidence"))
FIELD_GROUPS = (
    "kinds",
    "agency.name",
    "agency.type",
    "agency.district",
    "agency.province",
    "report_fiscal_year_be",
    "assessment.overall",
    "assessment.level",
    "assessment.tools",
    "assessment.indicators",
    "assessment.items",
    "memo.unit",
    "memo.ref_no",
    "memo.date",
    "memo.subject",
    "memo.to",
    "memo.signer.name",
    "memo.signer.position",
    *MEASURE_GROUPS,
)
NUMERIC = frozenset(
    {
        "report_fiscal_year_be",
        "assessment.overall",
        "assessment.tools",
        "assessment.indicators",
        "assessment.items",
        "measure.no",
        "measure.indicator",
    }
)
LONG_TEXT = ("title", "method", "result", "outcome", "suggestion", "monitoring")
FUZZY = frozenset(f"measure.{f}" for f in LONG_TEXT)
FUZZY_MIN = 90
PAIR_MIN = 50
NO_BONUS = 5
# 99.455 - 99.45 is 0.005000000000002558 in floats; the slack keeps "within 0.005" inclusive.
NUM_TOL = 0.005 + 1e-9

# Only tag-shaped runs (<p>, </p>, <ul style=...>): a bare "<" in Thai text stays.
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
# \s misses the zero-width characters that Thai word processors insert between words.
_SPACE = re.compile(r"[\s\u200b-\u200d\u2060\ufeff]+")

UnitKey = tuple[object, ...]  # () for a single field; (year, n) for a score; (text, n) in a multiset
Value = float | str  # a normalised value: a number, or text without spaces and tags
Units = dict[str, dict[UnitKey, Value]]  # field group -> unit key -> normalised value
Doc = dict[str, Any]  # a draft or ground-truth document as read from JSON


def normalise_text(value: object) -> str:
    s = unicodedata.normalize("NFC", _TAG.sub("", str(value)))
    # Whitespace goes before the sara am fix so that a split "ํ า" is caught too; NFC leaves
    # U+0E4D U+0E32 alone (U+0E33 has only a compatibility decomposition).
    return _SPACE.sub("", s).replace("\u0e4d\u0e32", "\u0e33")


def _value(group: str, v: object) -> Value | None:
    """The comparable form of one value, None when it is no unit."""
    if v is None:
        return None
    if group in NUMERIC:
        try:
            x = float(v)  # type: ignore[arg-type]
            if math.isfinite(x):
                return x
        except (TypeError, ValueError):
            pass
        # An unreadable number is still a prediction; as text it can only match identical text.
    s = normalise_text(v)
    if group == "assessment.level":
        s = s.replace("(", "").replace(")", "")
    return s or None


def _multiset(values: list[object]) -> dict[UnitKey, Value]:
    """Keys (text, n-th occurrence): matching keys then is multiset intersection."""
    seen: Counter[str] = Counter()
    out: dict[UnitKey, Value] = {}
    for v in values:
        s = normalise_text(v) if v is not None else ""
        if s:
            out[(s, seen[s])] = s
            seen[s] += 1
    return out


# The interchange format's canonical names, accepted beside the seed truth's names (the unseen set
# is written with them): year_be = fiscal_year, method = steps, indicator = indicators (a list).
ALIASES = {"method": ("steps",)}


def _either(d: Doc, *keys: str) -> object:
    return next((d[k] for k in keys if d.get(k) is not None), None)


@dataclass
class Flat:
    fields: Units  # document-level groups
    measures: list[Units]  # measure groups, one Units per measure, aligned later


def flatten(doc: Doc) -> Flat:
    """The scorable units of one draft or truth document, normalised."""
    units: Units = {g: {} for g in FIELD_GROUPS if g not in MEASURE_GROUPS}

    def put(target: Units, group: str, key: UnitKey, raw: object) -> None:
        v = _value(group, raw)
        if v is not None:
            target[group][key] = v

    units["kinds"] = {k: v for k, v in _multiset(doc.get("kinds") or []).items() if k[1] == 0}
    agency = doc.get("agency") or {}
    for f in ("name", "type", "district", "province"):
        put(units, f"agency.{f}", (), agency.get(f))
    put(units, "report_fiscal_year_be", (), _either(doc, "report_fiscal_year_be", "report_fiscal_year"))

    nth: Counter[object] = Counter()
    for a in doc.get("assessments") or []:
        year = _either(a, "year_be", "fiscal_year")
        key = (year, nth[year])
        nth[year] += 1
        put(units, "assessment.overall", key, a.get("overall"))
        put(units, "assessment.level", key, a.get("level"))
        for part in ("tools", "indicators", "items"):
            for k, v in (a.get(part) or {}).items():
                put(units, f"assessment.{part}", (*key, str(k)), v)

    memo = doc.get("memo") or {}
    for f in ("unit", "ref_no", "date", "subject", "to"):
        put(units, f"memo.{f}", (), memo.get(f))
    for i, signer in enumerate(memo.get("signers") or []):
        put(units, "memo.signer.name", (i,), (signer or {}).get("name"))
        put(units, "memo.signer.position", (i,), (signer or {}).get("position"))

    measures = []
    for m in doc.get("measures") or []:
        mu: Units = {g: {} for g in MEASURE_GROUPS}
        for f in MEASURE_FIELDS:
            if f == "indicator":  # one int (seed truth) or the interchange list: a unit per indicator
                linked = _either(m, "indicator", "indicators")
                for n in linked if isinstance(linked, list) else [linked]:
                    put(mu, "measure.indicator", (str(n),), n)
            else:
                put(mu, f"measure.{f}", (), _either(m, f, *ALIASES.get(f, ())))
        mu["measure.evidence"] = _multiset(m.get("evidence") or [])
        measures.append(mu)
    return Flat(units, measures)


def _match(group: str, p: Value, t: Value) -> bool:
    if group in FUZZY and isinstance(p, str) and isinstance(t, str):  # long text is never a number
        return fuzz.ratio(p, t) >= FUZZY_MIN
    if isinstance(p, float) and isinstance(t, float):
        return abs(p - t) <= NUM_TOL
    return p == t


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    @property
    def empty(self) -> bool:
        return self.tp + self.fp + self.fn == 0

    @property
    def precision(self) -> float:
        return 1.0 if self.empty else (self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0)

    @property
    def recall(self) -> float:
        return 1.0 if self.empty else (self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0)

    @property
    def f1(self) -> float:
        return 1.0 if self.empty else 2 * self.tp / (2 * self.tp + self.fp + self.fn)

    def as_dict(self) -> dict[str, float]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
        }


def _count(group: str, pred: dict[UnitKey, Value], truth: dict[UnitKey, Value], c: Counts) -> None:
    for key in pred.keys() | truth.keys():
        if key in pred and key in truth and _match(group, pred[key], truth[key]):
            c.tp += 1
        else:
            c.fp += key in pred
            c.fn += key in truth


def _sum(counts: Iterable[Counts]) -> Counts:
    return sum(counts, Counts())


Pair = tuple[int | None, int | None]  # (predicted index, truth index); None = unaligned


def align_measures(pred: list[Units], truth: list[Units]) -> list[Pair]:
    candidates = []
    for i, pm in enumerate(pred):
        for j, tm in enumerate(truth):
            pt, tt = pm["measure.title"].get(()), tm["measure.title"].get(())
            if not isinstance(pt, str) or not isinstance(tt, str) or (ratio := fuzz.ratio(pt, tt)) < PAIR_MIN:
                continue
            pn, tn = pm["measure.no"].get(()), tm["measure.no"].get(())
            bonus = NO_BONUS if pn is not None and tn is not None and _match("measure.no", pn, tn) else 0
            candidates.append((-(ratio + bonus), abs(i - j), i, j))
    used_p: set[int] = set()
    used_t: set[int] = set()
    matched: list[tuple[int, int]] = []
    for *_, i, j in sorted(candidates):
        if i not in used_p and j not in used_t:
            used_p.add(i)
            used_t.add(j)
            matched.append((i, j))
    matched.sort(key=lambda p: p[1])
    pairs: list[Pair] = list(matched)
    pairs += [(i, None) for i in range(len(pred)) if i not in used_p]
    pairs += [(None, j) for j in range(len(truth)) if j not in used_t]
    return pairs


@dataclass
class DocScore:
    groups: dict[str, Counts]
    measure_pairs: list[Pair]
    name: str = ""

    @property
    def total(self) -> Counts:
        return _sum(self.groups.values())


@dataclass
class Report:
    documents: list[DocScore]
    groups: dict[str, Counts] = field(default_factory=dict)  # summed over documents

    @property
    def micro(self) -> Counts:
        return _sum(self.groups.values())

    @property
    def macro_f1(self) -> float:
        f1s = [c.f1 for c in self.groups.values() if not c.empty]
        return sum(f1s) / len(f1s) if f1s else 1.0


def compare(predicted: Doc, truth: Doc) -> DocScore:
    p, t = flatten(predicted), flatten(truth)
    groups = {g: Counts() for g in FIELD_GROUPS}
    for g, units in p.fields.items():
        _count(g, units, t.fields[g], groups[g])
    pairs = align_measures(p.measures, t.measures)
    none: Units = {g: {} for g in MEASURE_GROUPS}
    for i, j in pairs:
        pm = none if i is None else p.measures[i]
        tm = none if j is None else t.measures[j]
        for g in MEASURE_GROUPS:
            _count(g, pm[g], tm[g], groups[g])
    return DocScore(groups, pairs)


def evaluate_pairs(pairs: list[tuple[str, Doc, Doc]]) -> Report:
    docs = [replace(compare(predicted, truth), name=name) for name, predicted, truth in pairs]
    return Report(docs, {g: _sum(d.groups[g] for d in docs) for g in FIELD_GROUPS})


def _row(label: str, c: Counts, width: int) -> str:
    # "-" rather than 1.000 where there was nothing to find: the table is read for weak spots.
    prf = ("-", "-", "-") if c.empty else (f"{c.precision:.3f}", f"{c.recall:.3f}", f"{c.f1:.3f}")
    return f"{label:<{width}} {c.tp:>6} {c.fp:>6} {c.fn:>6} {prf[0]:>9} {prf[1]:>9} {prf[2]:>9}"


def format_report(report: Report) -> str:
    width = max(len(s) for s in ["Overall (micro)", *FIELD_GROUPS, *(d.name for d in report.documents)])
    head = f"{{:<{width}}} {'TP':>6} {'FP':>6} {'FN':>6} {'Precision':>9} {'Recall':>9} {'F1':>9}"
    lines = [head.format("Field group")]
    lines += [_row(g, report.groups[g], width) for g in FIELD_GROUPS]
    lines += ["", head.format("Document")]
    lines += [_row(d.name, d.total, width) for d in report.documents]
    n_macro = sum(not c.empty for c in report.groups.values())
    lines += [
        "",
        _row("Overall (micro)", report.micro, width),
        f"Macro F1 over {n_macro} field groups with units: {report.macro_f1:.3f}",
    ]
    return "\n".join(lines)


def report_to_dict(report: Report) -> dict[str, Any]:
    return {
        "groups": {g: c.as_dict() for g, c in report.groups.items()},
        "documents": [
            {
                "name": d.name,
                **d.total.as_dict(),
                "groups": {g: c.as_dict() for g, c in d.groups.items()},
                "measure_pairs": [list(p) for p in d.measure_pairs],
            }
            for d in report.documents
        ],
        "micro": report.micro.as_dict(),
        "macro_f1": report.macro_f1,
    }
