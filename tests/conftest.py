from pathlib import Path

import pytest

from prongsai.demo import DEMO_DIR
from prongsai.interchange import load_document

ROOT = Path(__file__).resolve().parents[1]
# The seed reports and their hand-made ground truth live beside the repository, not in it: the
# tests that evaluate against them are marked ``needs_shared`` and skip in a clone alone.
SHARED = ROOT.parent / "shared"
TRUTH = SHARED / "seeds" / "truth"
needs_shared = pytest.mark.skipif(
    not TRUTH.is_dir(),
    reason=f"needs the seed reports and their ground truth in {TRUTH} (not part of the repository)",
)
DEMO = DEMO_DIR / "tonyongmat.json"


@pytest.fixture(scope="session")
def seed003():
    return load_document(DEMO)
