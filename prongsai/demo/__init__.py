"""The demo documents the product carries: one interchange file (prongsai/1) per demo agency,
named by the agency's slug. ``load_demo``, the tests and the benchmarks read them from here."""

from pathlib import Path

DEMO_DIR = Path(__file__).resolve().parent


def demo_file(slug: str) -> Path:
    return DEMO_DIR / f"{slug}.json"
