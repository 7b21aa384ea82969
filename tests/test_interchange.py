import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prongsai.interchange import InterchangeError, load_document, parse_document
from prongsai.interchange.limits import _SHAPES, LENIENT, LIMITS, key_of, over_limits
from prongsai.interchange.models import Document
from prongsai.interchange.schema import SCHEMA_FILE, interchange_schema

from .conftest import DEMO_DIR, TRUTH, needs_shared


def doc(**assessment):
    return {"agency": {"name": "เทศบาลตำบลทดสอบ"}, "assessments": [{"fiscal_year": 2568, **assessment}]}


@needs_shared
def test_ground_truth_files_are_valid_interchange():
    files = sorted(TRUTH.glob("*.json"))
    assert len(files) == 5
    for f in files:
        d = load_document(f)
        truth = json.loads(f.read_text(encoding="utf-8"))
        assert d.agency.name == truth["agency"]["name"]
        assert len(d.measures) == len(truth["measures"])
        assert [a.fiscal_year for a in d.assessments] == [a["year_be"] for a in truth["assessments"]]


def test_the_issue_keys_are_accepted():
    d = parse_document(
        {
            "agency": {
                "name": "อบต.ทดสอบ",
                "type": "องค์การบริหารส่วนตำบล",
                "district": "เมือง",
                "province": "ชุมพร",
            },
            "assessments": [
                {
                    "fiscal_year": 2568,
                    "overall": 93.96,
                    "level": "ผ่านดี",
                    "tools": {"IIT": 99.89, "EIT": None, "EIT_1": 99.97, "EIT_2": 100, "OIT": 85},
                    "indicators": {"1": 100, "10": 80},
                    "items": {"i1": 100, "e7": 99.71, "o16": 0},
                }
            ],
            "measures": [
                {
                    "no": 1,
                    "title": "มาตรการเผยแพร่ประมวลจริยธรรม",
                    "steps": "- จัดทำประกาศ",
                    "responsible": "สำนักปลัด",
                    "period": "ตุลาคม 2568 - กันยายน 2569",
                    "indicators": [9],
                    "status": "in_progress",
                    "result": "ร่างประกาศแล้ว",
                    "outcome": None,
                    "suggestion": None,
                    "evidence": ["https://example.go.th/ethics", "[image: D:\\photo.jpg]", "ตรวจสอบในเว็บไซต์"],
                }
            ],
        }
    )
    m = d.measures[0]
    assert [e.kind for e in m.evidence] == ["link", "photo", "note"]
    assert d.assessments[0].items == {"i1": 100, "e7": 99.71, "o16": 0}


def test_thai_digits_and_printed_forms_are_normalised():
    d = parse_document(
        doc(
            fiscal_year="๒๕๖๘",
            overall="๙๓.๙๖",
            level="(ผ่านดี)",
            indicators={"๑๐": "๘๐.๐๐"},
            items={"๐๑๖": "๐", "O23": 0, "i๑๑": "98.36"},
            stated_changes={"overall": "−๕.๘๐"},
        )
    )
    a = d.assessments[0]
    assert (a.fiscal_year, a.overall, a.level) == (2568, 93.96, "ผ่านดี")
    assert a.indicators == {"10": 80.0}
    assert a.items == {"o16": 0.0, "o23": 0.0, "i11": 98.36}
    assert a.stated_changes.overall == -5.8


def test_ce_year_is_converted_with_a_note():
    a = parse_document(doc(fiscal_year=2025)).assessments[0]
    assert a.fiscal_year == 2568
    (note,) = a.notes
    assert note.code == "year_converted_from_ce" and note.published == 2025 and note.computed == 2568


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (doc(overall=120), "assessments[0].overall: score 120 is outside 0-100"),
        (doc(tools={"IIT": -1}), "assessments[0].tools.IIT: score -1 is outside 0-100"),
        (doc(overal=90), "assessments[0].overal: Extra inputs are not permitted"),
        (doc(indicators={"11": 50}), "indicator key '11' is not 1..10"),
        (doc(items={"x5": 50}), "item key 'x5' is not an item id"),
        (doc(fiscal_year=1999.5), "fiscal_year"),
        (doc(fiscal_year=3000), "neither a B.E. year"),
        ({"assessments": []}, "agency: Field required"),
        ({"agency": {"name": "x"}, "measures": [{"title": "t", "status": "finished"}]}, "measures[0].status"),
    ],
)
def test_bad_input_is_named(data, message):
    with pytest.raises(InterchangeError) as err:
        parse_document(data, origin="f.json")
    assert message in str(err.value)
    assert str(err.value).startswith("f.json: ")


def test_duplicate_years_are_rejected():
    data = {"agency": {"name": "x"}, "assessments": [{"fiscal_year": 2568}, {"fiscal_year": 2568}]}
    with pytest.raises(InterchangeError, match="more than one assessment for fiscal year 2568"):
        parse_document(data)


def test_unreadable_files(tmp_path):
    with pytest.raises(InterchangeError, match="no such file"):
        load_document(tmp_path / "missing.json")
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(InterchangeError, match=r"not valid JSON: .* line 1 column 2"):
        load_document(bad)
    binary = tmp_path / "bin.json"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(InterchangeError, match="not UTF-8"):
        load_document(binary)


def test_published_schema_file_is_current():
    on_disk = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert on_disk == interchange_schema(), "run `make schema` to regenerate the JSON Schema"
    assert "assessments" in on_disk["properties"]


# --- text limits (issue 11, item 4) -------------------------------------------------------------


def _schema_at(schema: dict, shape: str) -> dict:
    """The JSON Schema of a place in a document ('measures[].evidence[].ref')."""
    defs = schema["$defs"]

    def resolve(node: dict) -> dict:
        if "$ref" in node:
            return resolve(defs[node["$ref"].rsplit("/", 1)[1]])
        if "anyOf" in node:  # X | None: the X
            return resolve(next(n for n in node["anyOf"] if n.get("type") != "null"))
        return node

    node = resolve(schema)
    for part in shape.replace("[]", ".[]").split("."):
        if part == "[]":
            node = resolve(node["items"])
        elif part == "*" or "properties" not in node:  # a dict's values
            node = resolve(node["additionalProperties"])
        else:
            node = resolve(node["properties"][part])
    return node


def test_every_limited_text_has_its_max_length_in_the_schema():
    schema = interchange_schema()
    for shape, key in _SHAPES.items():
        if shape in ("measures[].method", "measures[].evidence[]"):
            continue  # the ground-truth files' names and forms, read into steps and evidence[].ref
        if shape.startswith("memo.signers[]"):
            # a signer is a dict: its values take the position's (longer) limit in the schema,
            # the name's own is checked by the validator (test_over_limit_texts_are_named)
            key = "memo.signer_position"
        node = _schema_at(schema, shape)
        assert node.get("maxLength") == LIMITS[key], shape


MEASURE_TEXTS = ["title", "analysis", "steps", "responsible", "period", "result", "outcome", "suggestion"]
THAI = "กขคงจฉชซญฎดตถทธนบปผพฟภมยรลวศษสหอฮะัาำิีึืุู่้๊๋เแโใไๆ๐๑๒๓๔๕ 0123456789"


@settings(max_examples=80, deadline=None)
@given(
    field=st.sampled_from(MEASURE_TEXTS),
    delta=st.integers(min_value=-3, max_value=3),
    char=st.sampled_from(THAI.strip()),
)
def test_a_text_is_accepted_up_to_its_limit_and_refused_beyond_naming_it(field, delta, char):
    key = key_of(f"measures[0].{field}")
    n = LIMITS[key] + delta
    measure = {"title": "มาตรการ", field: char * n}
    data = {"agency": {"name": "เทศบาลตำบลทดสอบ"}, "measures": [measure]}
    if delta <= 0:
        assert getattr(parse_document(data).measures[0], field) == char * n
        assert over_limits(data) == []
        return
    with pytest.raises(InterchangeError) as err:
        parse_document(data, origin="f.json")
    assert f"measures[0].{field}: String should have at most {LIMITS[key]} characters" in str(err.value)
    assert f"(this one has {n})" in str(err.value)
    # Read back as stored, or as an importer's draft: kept whole, and reported.
    kept = Document.model_validate(data, context=LENIENT)
    assert getattr(kept.measures[0], field) == char * n
    (over,) = over_limits(data)
    assert (over.path, over.key, over.limit, over.length) == (f"measures[0].{field}", key, LIMITS[key], n)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"agency": {"name": "ก" * (LIMITS["agency.name"] + 1)}},
            f"agency.name: String should have at most {LIMITS['agency.name']} characters",
        ),
        (
            doc(auditor_suggestions=["สั้น", "ข" * (LIMITS["assessment.auditor_suggestion"] + 1)]),
            "assessments[0].auditor_suggestions[1]: String should have at most",
        ),
        (
            doc(narratives={"๓": "ค" * (LIMITS["assessment.narrative"] + 1)}),
            "assessments[0].narratives.3: String should have at most",
        ),
        (
            {"agency": {"name": "x"}, "memo": {"body": "ง" * (LIMITS["memo.body"] + 1)}},
            f"memo.body: String should have at most {LIMITS['memo.body']}",
        ),
        (
            {
                "agency": {"name": "x"},
                "memo": {"signers": [{"name": "จ" * (LIMITS["memo.signer_name"] + 1)}]},
            },
            f"memo.signers: String should have at most {LIMITS['memo.signer_name']}",
        ),
        (
            {"agency": {"name": "x"}, "measures": [{"title": "t", "evidence": ["ฉ" * 301]}]},
            f"measures[0].evidence[0].ref: String should have at most {LIMITS['evidence.ref']}",
        ),
    ],
)
def test_over_limit_texts_are_named(data, message):
    with pytest.raises(InterchangeError) as err:
        parse_document(data, origin="f.json")
    assert message in str(err.value)


def test_demo_documents_are_within_the_limits():
    for path in sorted(DEMO_DIR.glob("*.json")):
        assert over_limits(json.loads(path.read_text(encoding="utf-8"))) == [], path
        load_document(path)
