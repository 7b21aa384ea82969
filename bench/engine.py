"""Benchmark of the ITA engine: score, analyse and draft a plan for 8,300 synthetic agencies
in each of the 7 editions (58,100 agency-years), on every core. Prints the median of the runs.

    .venv/bin/python bench/engine.py [--agencies 8300] [--runs 3] [--workers N]
    .venv/bin/python bench/engine.py --against REV   # before/after, interleaved

``--against REV``: the engine of git revision REV (its ``prongsai/``, with this file as the
harness) and this tree's, run alternately stage by stage, each in its own processes, so that a
busy machine slows both alike; compare the CPU time (a shared machine adds waiting to the rest).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from io import BytesIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from prongsai.ita.analysis import analyse
from prongsai.ita.edition import all_editions, get_edition
from prongsai.ita.plan import draft_plan
from prongsai.ita.scoring import Published, score

YEARS = sorted(all_editions())


def synthetic(agency: int, year: int) -> Published:
    """Scores as NACC hands them out: items where the edition knows them, else indicators."""
    rng = random.Random(agency * 10_000 + year)
    e = get_edition(year)
    items: dict[str, float] = {}
    for group in e.items:
        for item in group.entries:
            if isinstance(group.scale, list):
                items[item.id] = rng.choices(group.scale, weights=[1] * (len(group.scale) - 1) + [8])[0]
            elif rng.random() < 0.5:
                items[item.id] = 100.0  # as most perception questions in the seeds
            else:
                items[item.id] = round(rng.uniform(85, 100), 2)
    indicators = {n: round(rng.uniform(60, 100), 2) for n in range(1, 11) if not e.items_of_indicator[n]}
    return Published(overall=None, items=items, indicators=indicators)


STAGES = ("score", "analyse", "plan")


def work(job: tuple[range, str]) -> tuple[int, int, int]:
    """Every year of each agency: score, then (by stage) analyse against the year before and
    draft the next plan. Returns the compute time and the CPU time this process had for it (ns:
    on a shared machine the first includes waiting for a core) and the number of measures drafted."""
    agencies, stage = job
    depth = STAGES.index(stage)
    data = {a: [(y, synthetic(a, y)) for y in YEARS] for a in agencies}
    start = time.perf_counter_ns()
    cpu = time.process_time_ns()
    measures = 0
    for a in agencies:
        previous = None
        prev_year = None
        for year, pub in data[a]:
            result = score(get_edition(year), pub)
            if depth >= 1:
                analysis = analyse(result, year, previous, prev_year)
                if depth >= 2:
                    measures += len(draft_plan(analysis).measures)
            previous, prev_year = result, year
    return time.perf_counter_ns() - start, time.process_time_ns() - cpu, measures


def run_once(n_agencies: int, workers: int, stage: str = "plan") -> tuple[float, int, float, float]:
    chunks = [(range(i, n_agencies, workers), stage) for i in range(workers)]
    wall = time.perf_counter()
    if workers == 1:
        results = [work(chunks[0])]
    else:
        with ProcessPoolExecutor(workers) as pool:
            results = list(pool.map(work, chunks))
    wall = time.perf_counter() - wall
    # Engine time only: the slowest worker's compute, without building the synthetic inputs.
    return (
        max(ns for ns, _, _ in results) / 1e9,
        sum(m for _, _, m in results),
        wall,
        max(cpu for _, cpu, _ in results) / 1e9,
    )


def _load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def measure(n_agencies: int, workers: int, runs: int, stage: str) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {"compute": [], "cpu": [], "wall": [], "measures": []}
    for _ in range(runs):
        t, measures, wall, cpu = run_once(n_agencies, workers, stage)
        out["compute"].append(t)
        out["cpu"].append(cpu)
        out["wall"].append(wall)
        out["measures"].append(measures)
    return out


def against(rev: str, args: argparse.Namespace) -> None:
    """Before (``rev``) and after (this tree), alternately, one run of one stage at a time."""
    root = Path(__file__).resolve().parents[1]
    archive = subprocess.run(
        ["git", "-C", str(root), "archive", rev, "prongsai"], capture_output=True, check=True
    ).stdout
    with tempfile.TemporaryDirectory(prefix="engine-bench-") as tmp:
        with tarfile.open(fileobj=BytesIO(archive)) as tar:
            tar.extractall(tmp, filter="data")
        (Path(tmp) / "bench").mkdir()
        shutil.copy(__file__, Path(tmp) / "bench" / "engine.py")  # the same harness for both
        trees = {f"before ({rev})": Path(tmp), "after (this tree)": root}
        results: dict[tuple[str, str], dict[str, list[float]]] = {}
        print(
            f"engine: {args.agencies} agencies x {len(YEARS)} editions, {args.workers} worker(s), "
            f"{args.runs} runs per stage and tree, alternating; load average before: {_load()}"
        )
        for r in range(args.runs):
            for stage in STAGES:
                order = list(trees.items()) if r % 2 == 0 else list(trees.items())[::-1]
                for name, tree in order:
                    cmd = [
                        sys.executable,
                        str(tree / "bench" / "engine.py"),
                        "--json",
                        "--stage",
                        stage,
                        "--runs",
                        "1",
                        "--agencies",
                        str(args.agencies),
                        "--workers",
                        str(args.workers),
                    ]
                    got = json.loads(subprocess.run(cmd, capture_output=True, text=True, check=True).stdout)
                    for key, values in got.items():
                        results.setdefault((name, stage), {}).setdefault(key, []).extend(values)
    labels = {"score": "score", "analyse": "score + analyse", "plan": "score + analyse + draft plan"}
    print(f"  {'stage':<30} {'tree':<26} {'CPU s':>7} {'compute s':>10} {'measures':>9}")
    for stage in STAGES:
        for name in trees:
            got = results[(name, stage)]
            print(
                f"  {labels[stage]:<30} {name:<26} {statistics.median(got['cpu']):7.2f} "
                f"{statistics.median(got['compute']):10.2f} {int(got['measures'][0]):9d}"
            )
    print(f"  load average after: {_load()}; medians of {args.runs} runs; CPU: the slowest worker's")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--agencies", type=int, default=8300)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--against", metavar="REV", help="compare with the engine of a git revision")
    parser.add_argument("--stage", choices=STAGES, help="only this stage")
    parser.add_argument("--json", action="store_true", help="print the raw figures as JSON")
    args = parser.parse_args()
    if args.against:
        against(args.against, args)
        return
    stages = [args.stage] if args.stage else list(STAGES)
    if args.json:
        for stage in stages:
            print(json.dumps(measure(args.agencies, args.workers, args.runs, stage)))
        return
    n = args.agencies * len(YEARS)
    print(
        f"engine: {args.agencies} agencies x {len(YEARS)} editions = {n} agency-years, "
        f"{args.workers} worker(s), {args.runs} runs per stage, compute time (median)"
    )
    print(f"  load average before: {_load()}")
    labels = {"score": "score", "analyse": "score + analyse", "plan": "score + analyse + draft plan"}
    med = 0.0
    measures = 0
    for stage in stages:
        got = measure(args.agencies, args.workers, args.runs, stage)
        times, walls, cpus = got["compute"], got["wall"], got["cpu"]
        measures = int(got["measures"][-1])
        med = statistics.median(times)
        print(
            f"  {labels[stage]:<30} {med:6.2f} s  ({med / n * 1e6 * args.workers:4.0f} us per agency-year "
            f"per core; runs {', '.join(f'{t:.2f}' for t in times)} s; CPU time of the slowest "
            f"worker {statistics.median(cpus):.2f} s; wall incl. data {statistics.median(walls):.2f} s)"
        )
    print(f"  measures drafted per run: {measures}")
    print(f"  load average after: {_load()} (compute time includes waiting for a core: compare the CPU time)")
    if stages[-1] == "plan":
        print(f"  target: everything under 5 s -> {'met' if med < 5 else 'NOT met'}")


if __name__ == "__main__":
    main()
