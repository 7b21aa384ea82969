from pathlib import Path

import pytest

from prongsai.interchange import load_document

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
TRUTH = SHARED / "seeds" / "truth"
DEMO = ROOT / "prongsai" / "demo" / "seed003.json"


@pytest.fixture(scope="session")
def seed003():
    return load_document(DEMO)
