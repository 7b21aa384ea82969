"""Fuzzing the text-to-structure stage: whatever text comes out of extraction, recognition either
gives a draft that is a valid interchange document or refuses with an ImportFailure. Nothing else
escapes.

The normal suite runs a few hundred generated documents; the dedicated run (``make fuzz``) sets
PRONGSAI_FUZZ_EXAMPLES=10000.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from prongsai.importers import ImportFailure
from prongsai.importers.recognise.tables import HEADER_WORDS
from prongsai.importers.service import import_text

EXAMPLES = int(os.environ.get("PRONGSAI_FUZZ_EXAMPLES", "300"))

# Fragments real reports are made of, so the generator reaches deep into the recognisers.
WORDS = [w for ws in HEADER_WORDS.values() for w in ws] + [
    "เทศบาลตำบลทดสอบ",
    "องค์การบริหารส่วนตำบลบ้านนา",
    "อบต.",
    "อำเภอเมือง",
    "จังหวัดเลย",
    "ประจำปีงบประมาณ พ.ศ. ๒๕๖๗",
    "ITA",
    "มีค่าคะแนนเท่ากับ",
    "ได้คะแนน",
    "อยู่ในระดับ",
    "ผ่านดี",
    "(",
    ")",
    "AA",
    "IIT",
    "EIT ส่วนที่ ๑",
    "OIT",
    "ภาพรวม",
    "ตัวชี้วัดที่ ๙",
    "i๑",
    "๐๑๖",
    "o28",
    "บันทึกข้อความ",
    "ส่วนราชการ",
    "ที่",
    "วันที่ ๓๑ มีนาคม ๒๕๖๔",
    "เรื่อง",
    "เรียน",
    "(ลงชื่อ)",
    "(นายสมชาย ใจดี)",
    "/",
    "✓",
    "-",
    "- 2 -",
    "[image: ]",
    "https://x.go.th/a",
    "(ตรวจสอบในเว็บไซต์)",
    "<p>",
    "</p>",
    "๑.",
    "10.",
    "1.1",
    "๙๙.๔๕",
    "100.00",
    "+๐.๔๔",
    "2666",
    "25/04/65",
    "การปฏิบัติหน้าที่",
    "คุณธรรมและความโปร่งใส",
]
SEPARATORS = ["\t", "\t\t", " ", "", "|", "\n", "\n\n", "\n\t"]

fragment = st.one_of(st.sampled_from(WORDS), st.sampled_from(SEPARATORS), st.text(max_size=12))
loose = st.lists(fragment, max_size=120).map("".join)

# Structured: a heading that names the ITA, then header rows, data rows and prose lines mixed,
# written as tab rows, cell-per-line blocks or pipes; so most examples reach the table code.
HEADING = "รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใส เทศบาลตำบลทดสอบ"
cell = st.one_of(st.sampled_from(WORDS), st.text(max_size=20), st.just(""))
cells = st.lists(cell, min_size=1, max_size=8)
header = st.lists(
    st.sampled_from([w for ws in HEADER_WORDS.values() for w in ws]), min_size=1, max_size=7
).map(lambda h: ["มาตรการ", *h])


def _row(parts: list[str], style: str) -> str:
    if style == "tabs":
        return "\t".join(parts)
    if style == "pipes":
        return "| " + " | ".join(parts) + " |"
    return "\n".join("\t" + p for p in parts)  # one cell per line


@st.composite
def table(draw) -> str:
    style = draw(st.sampled_from(["tabs", "pipes", "cells"]))
    head = draw(header)
    rows = draw(st.lists(st.lists(cell, min_size=1, max_size=len(head) + 1), max_size=8))
    return "\n\n".join(
        [_row(head, style), *(_row(r, style) for r in rows)]
        if style == "cells"
        else ["\n".join([_row(head, style), *(_row(r, style) for r in rows)])]
    )


line = st.one_of(
    table(),
    st.tuples(header, st.sampled_from(["tabs", "pipes", "cells"])).map(lambda t: _row(*t)),
    st.tuples(cells, st.sampled_from(["tabs", "pipes", "cells"])).map(lambda t: _row(*t)),
    st.lists(fragment, max_size=15).map("".join),
    st.just(""),
)
structured = st.lists(line, max_size=40).map(lambda ls: "\n".join([HEADING, *ls]))
documents = st.one_of(structured, structured, loose)


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(documents)
def test_recognition_never_raises_anything_but_import_failure(text):
    try:
        result = import_text(text)
    except ImportFailure as exc:
        assert exc.code and exc.message_en and exc.message_th
        event(f"refused: {exc.code}")
        return
    event(f"draft with {min(len(result.document.measures), 3)}+ measures")
    doc = result.document  # a pydantic Document: validated on construction
    assert doc.format == "prongsai/1"
    for source in doc.provenance.values():
        assert 0 <= source.confidence <= 1


def test_a_superscript_digit_is_not_a_number():
    """'²' passes str.isdigit() but int() refuses it: the fuzzer found it in an indicator cell.
    Numbers are read with str.isdecimal(), exactly what int() accepts (Thai digits included)."""
    text = "\n".join([HEADING, "มาตรการ\tขั้นตอนหรือวิธีการ\tตัวชี้วัด\nที่\tเทศบาลตำบลทดสอบ\t²"])
    result = import_text(text)  # a draft, not a ValueError
    assert result.document.measures and all(m.indicators == [] for m in result.document.measures)
