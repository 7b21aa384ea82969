"""The engine's results frozen: score, analyse and draft a plan for a fixed, varied set of
agency-years and compare everything they produce with a golden file written by the engine as it
was before it was made fast (issue 13). A speed-up that changes any number, level, finding,
narrative or measure (or their order) fails here.

Cases: every edition; item-scored and indicator-scored years; items and indicators missing;
full marks; low scores; published numbers that agree and that do not (findings); unknown and
out-of-range values; published levels; the assessor's suggestions naming items; every kind of
agency; a previous year in the same edition, another edition, or none. Raw floats are kept as
well as the printed ones, so "identical" means to the last bit.

The file is written only on purpose, from a known-good engine:

    .venv/bin/python tests/test_engine_golden.py --write
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import lzma
import os
import random
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from prongsai.ita.analysis import analyse
from prongsai.ita.edition import all_editions, get_edition
from prongsai.ita.plan import draft_plan
from prongsai.ita.scoring import Published, score

GOLDEN = Path(__file__).with_name("data") / "engine_golden.json.xz"
YEARS = sorted(all_editions())
AGENCIES = 40  # in detail
DIGEST_AGENCIES = 400  # bench-style inputs, compared through one digest

AGENCY_NAMES = [
    (None, None),
    ("เทศบาลตำบลทดสอบ", "เทศบาลตำบล"),
    ("องค์การบริหารส่วนตำบลหนองบัว", None),
    ("มหาวิทยาลัยราชภัฏทดสอบ", "มหาวิทยาลัย"),
    ("การไฟฟ้าส่วนภูมิภาค", None),
    ("สถาบันทดสอบ (องค์การมหาชน)", "องค์การมหาชน"),
    ("กรมทดสอบ", "ส่วนราชการ"),
    ("เมืองพัทยา", None),
]
MODES = ("bench", "full", "indicators", "missing", "published", "low", "near")


def bench_published(rng: random.Random, year: int) -> Published:
    """As bench/engine.py's synthetic: items where the edition knows them, else indicators."""
    e = get_edition(year)
    items: dict[str, float] = {}
    for group in e.items:
        for item in group.entries:
            if isinstance(group.scale, list):
                items[item.id] = rng.choices(group.scale, weights=[1] * (len(group.scale) - 1) + [8])[0]
            elif rng.random() < 0.5:
                items[item.id] = 100.0
            else:
                items[item.id] = round(rng.uniform(85, 100), 2)
    indicators = {n: round(rng.uniform(60, 100), 2) for n in range(1, 11) if not e.items_of_indicator[n]}
    return Published(overall=None, items=items, indicators=indicators)


def _levels(year: int) -> list[str]:
    return [r.label for r in get_edition(year).levels.rules]


def make_published(rng: random.Random, year: int, mode: str) -> Published:
    e = get_edition(year)
    pub = bench_published(rng, year)
    if mode == "full":
        pub.items = dict.fromkeys(pub.items, 100.0)
        pub.indicators = dict.fromkeys(pub.indicators, 100.0)
    elif mode == "indicators":
        pub.items = {}
        pub.indicators = {n: round(rng.uniform(40, 100), 2) for n in range(1, 11)}
        if rng.random() < 0.3:
            pub.indicators[rng.randint(1, 10)] = 100.0
    elif mode == "missing":
        keep = rng.uniform(0.4, 0.95)
        pub.items = {k: v for k, v in pub.items.items() if rng.random() < keep}
        pub.indicators = {k: v for k, v in pub.indicators.items() if rng.random() < keep}
        if rng.random() < 0.5:  # a published indicator where its items are incomplete
            pub.indicators[rng.randint(1, 10)] = round(rng.uniform(50, 100), 2)
    elif mode == "low":
        pub.items = {
            k: (v if isinstance(e.item_group_by_id[k].scale, list) and rng.random() < 0.3 else 0.0)
            if rng.random() < 0.2
            else round(rng.uniform(0, 100), 2)
            for k, v in pub.items.items()
        }
        for g in e.items:
            if isinstance(g.scale, list):
                for i in g.entries:
                    pub.items[i.id] = rng.choice(g.scale)
        pub.indicators = {k: round(rng.uniform(0, 90), 2) for k in pub.indicators}
    elif mode == "near":
        # Almost everything at full marks, a few items short: level gaps and what reaches them.
        pub.items = dict.fromkeys(pub.items, 100.0)
        for k in rng.sample(sorted(pub.items), min(len(pub.items), rng.randint(1, 6))):
            g = e.item_group_by_id[k]
            pub.items[k] = (
                rng.choice(g.scale[:-1]) if isinstance(g.scale, list) else round(rng.uniform(50, 99), 2)
            )
        pub.indicators = {k: round(rng.uniform(80, 100), 2) for k in pub.indicators}
    elif mode == "published":
        truth = score(e, pub)
        if rng.random() < 0.7:
            pub.overall = round(truth.overall.value + rng.choice([0, 0, 0.01, -1.5, 4]), 2)
        tools = {}
        for t in ("IIT", "EIT", "OIT", *e.part_ids):
            if rng.random() < 0.6:
                base = truth.tools[t].value if truth.tools[t].value is not None else rng.uniform(70, 100)
                tools[t] = round(base + rng.choice([0, 0, 0.3, -2]), 2)
        pub.tools = tools
        for n in range(1, 11):
            if rng.random() < 0.4 and truth.indicators[n].value is not None:
                pub.indicators[n] = round(truth.indicators[n].value + rng.choice([0, 0, 0.5, -3]), 2)
        if rng.random() < 0.6:
            printed = rng.choice([*_levels(year), "A (ผ่าน)", "ระดับ AA", "ผ่านเกณฑ์", "B", "ดีมาก"])
            pub.level = printed
        if rng.random() < 0.3:
            pub.items["o99"] = 50.0  # unknown item
        if rng.random() < 0.3 and pub.items:
            pub.items[rng.choice(sorted(pub.items))] = rng.choice([101.0, -3.0, 37.5])
        if rng.random() < 0.2:
            pub.indicators[11] = 80.0  # unknown indicator
        if rng.random() < 0.2:
            pub.tools["XYZ"] = 70.0  # unknown tool
        if rng.random() < 0.2:
            pub.overall = 120.0  # out of range
    return pub


def _suggestions(rng: random.Random, year: int) -> list[str]:
    ids = sorted(get_edition(year).item_by_id)
    out = []
    for _ in range(rng.choice([0, 0, 1, 2])):
        code = rng.choice(ids) if ids else "o1"
        out.append(
            rng.choice(
                [
                    f"ควรเผยแพร่ข้อมูลตามข้อ {code.upper()} ให้ครบถ้วน",
                    f"หน่วยงานควรปรับปรุงข้อ {code[0]} {code[1:]} และเผยแพร่ผลการดำเนินการ",
                    f"ควรปรับปรุงข้อ {code[0].upper()}{''.join('๐๑๒๓๔๕๖๗๘๙'[int(c)] for c in code[1:])}",
                    "ควรเปิดเผยข้อมูลให้เป็นปัจจุบัน",
                ]
            )
        )
    return out


def cases(agencies: int, seed: int):
    """Per agency, its years in order: (description, published, analyse options, previous year)."""
    rng = random.Random(seed)
    for a in range(agencies):
        name, kind = AGENCY_NAMES[a % len(AGENCY_NAMES)]
        years = [y for y in YEARS if rng.random() < 0.85] or [YEARS[-1]]
        prev_year = None
        out = []
        for year in years:
            mode = MODES[rng.randrange(len(MODES))]
            pub = make_published(rng, year, mode)
            opts = {
                "agency": name,
                "agency_type": kind,
                "published_level": rng.choice([None, None, rng.choice(_levels(year))]),
                "suggestions": _suggestions(rng, year),
            }
            with_prev = prev_year is not None and rng.random() < 0.85
            out.append(
                ({"agency": a, "year": year, "mode": mode}, pub, opts, prev_year if with_prev else None)
            )
            prev_year = year
        yield out


def _node(n) -> dict:
    return dataclasses.asdict(n)


def serialise(result, analysis, plan) -> dict:
    """Everything the engine produced, raw and printed."""
    return {
        "score": {
            **result.to_dict(),
            "raw": {
                "overall": _node(result.overall),
                "tools": {k: _node(n) for k, n in result.tools.items()},
                "indicators": {str(k): _node(n) for k, n in result.indicators.items()},
                "subindicators": {k: _node(n) for k, n in result.subindicators.items()},
                "items": result.items,
                "level": dataclasses.asdict(result.level),
            },
            "findings": [f.to_dict() for f in result.findings],
        },
        "analysis": {
            **analysis.to_dict(),
            "previous_year": analysis.previous_year,
            "raw_indicators": [
                {"id": i.id, "score": i.score, "previous": i.previous, "gain": i.gain_to_full}
                for i in analysis.indicators
            ],
            "raw_priorities": [dataclasses.asdict(p) for p in analysis.priorities],
            "level_target": None
            if analysis.level_target is None
            else dataclasses.asdict(analysis.level_target),
            "reaches_target": analysis.reaches_target,
            "published_level": analysis.published_level,
            "suggestions": analysis.suggestions,
            "agency_kind": analysis.agency_kind,
            "findings": [f.to_dict() for f in analysis.findings],
        },
        "plan": {
            **plan.to_dict(),
            # Rounded far below print: the engine summed a measure's item gains in set order,
            # whose last bit changed from one process to the next (PYTHONHASHSEED).
            "raw_gains": [None if m.gain is None else round(m.gain, 10) for m in plan.measures],
            "interchange": [m.to_interchange().model_dump(mode="json") for m in plan.measures],
        },
    }


def _sha(value) -> str:
    return hashlib.sha256(_dumps(value).encode()).hexdigest()


def stored(case: dict, record: dict) -> dict:
    """What the golden file keeps of one agency-year: the score and the analysis in full, the plan
    by measure (library measure, indicator, items, period, gain, and a digest of all its text), and
    a digest of the whole record. The measures' text is mostly the library's and the narratives
    again, so it is kept as digests to hold the file to a few hundred KB."""
    plan = record["plan"]
    return {
        "case": case,
        "score": record["score"],
        "analysis": record["analysis"],
        "plan": {
            "fiscal_year": plan["fiscal_year"],
            "indicators_covered": plan["indicators_covered"],
            "measures": [
                [
                    m["no"],
                    m["library_id"],
                    m["indicator"],
                    m["items"],
                    m["period"],
                    m["gain_to_full"],
                    _sha(m)[:16],
                ]
                for m in plan["measures"]
            ],
            "raw_gains": plan["raw_gains"],
            "interchange": _sha(plan["interchange"])[:16],
        },
        "sha256": _sha(record),
    }


def run(agencies: int, seed: int) -> list[dict]:
    out = []
    for agency_years in cases(agencies, seed):
        results = {}
        for case, pub, opts, prev_year in agency_years:
            year = case["year"]
            result = results[year] = score(get_edition(year), pub)
            prev = results.get(prev_year)
            analysis = analyse(result, year, prev, prev_year, **opts)
            record = serialise(result, analysis, draft_plan(analysis))
            out.append(stored({**case, "previous_year": prev_year}, record))
    return out


def bench_records(agencies: int) -> list[dict]:
    """bench/engine.py's exact work: every year against the year before, every agency."""
    out = []
    for a in range(agencies):
        previous = prev_year = None
        for year in YEARS:
            pub = bench_published(random.Random(a * 10_000 + year), year)
            result = score(get_edition(year), pub)
            analysis = analyse(result, year, previous, prev_year)
            out.append(serialise(result, analysis, draft_plan(analysis)))
            previous, prev_year = result, year
    return out


def _dumps(records) -> str:
    return json.dumps(records, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def current() -> dict:
    return {
        "detail": run(AGENCIES, seed=13),
        "bench_digest": _sha(bench_records(DIGEST_AGENCIES)),
    }


def test_results_are_identical_to_the_golden_file():
    golden = json.loads(lzma.decompress(GOLDEN.read_bytes()))
    now = json.loads(_dumps(current()))
    assert len(now["detail"]) == len(golden["detail"])
    for got, want in zip(now["detail"], golden["detail"], strict=True):
        # Section by section, so a failure names the case and the part that changed.
        for part in ("case", "score", "analysis", "plan", "sha256"):
            assert got[part] == want[part], (got["case"], part)
    assert now["bench_digest"] == golden["bench_digest"]


def test_golden_cases_cover_what_they_claim():
    golden = json.loads(lzma.decompress(GOLDEN.read_bytes()))["detail"]
    seen = {(r["case"]["year"], r["case"]["mode"]) for r in golden}
    assert {y for y, _ in seen} == set(YEARS)
    assert {m for _, m in seen} == set(MODES)
    assert any(r["score"]["findings"] for r in golden)
    assert any(r["analysis"]["reaches_target"] for r in golden)
    assert any(r["analysis"]["previous_year"] for r in golden)
    assert any(
        r["case"]["previous_year"] and r["case"]["previous_year"] != r["case"]["year"] - 1 for r in golden
    )
    assert len({r["analysis"]["agency_kind"] for r in golden}) == 5
    assert any(r["score"]["overall"] == 100 for r in golden)
    assert any(r["score"]["overall"] is None for r in golden)
    assert sum(len(r["plan"]["measures"]) for r in golden) > 1000


if __name__ == "__main__" and sys.argv[1:] == ["--write"]:
    GOLDEN.write_bytes(lzma.compress(_dumps(current()).encode(), preset=9 | lzma.PRESET_EXTREME))
    print(GOLDEN, GOLDEN.stat().st_size, "bytes")


_GAINS = """
import sys
sys.path.insert(0, {tests!r})
import test_engine_golden as g
for agency_years in g.cases(g.AGENCIES, seed=13):
    results = {{}}
    for case, pub, opts, prev_year in agency_years:
        year = case["year"]
        result = results[year] = g.score(g.get_edition(year), pub)
        analysis = g.analyse(result, year, results.get(prev_year), prev_year, **opts)
        print(*(repr(m.gain) for m in g.draft_plan(analysis).measures))
"""


def test_a_measures_gain_is_the_same_in_every_process():
    """A measure's gain was summed in set order, which Python's string hashing changes from one
    process to the next: the last bit of a gain differed between two runs of the same plan."""
    script = _GAINS.format(tests=str(Path(__file__).parent))
    runs = [
        subprocess.run(
            [sys.executable, "-c", script],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2")
    ]
    assert runs[0].count("\n") == 236
    assert runs[0] == runs[1]
