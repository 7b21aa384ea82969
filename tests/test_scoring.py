import pytest

from prongsai.ita.edition import get_edition
from prongsai.ita.numbers import round2
from prongsai.ita.scoring import Published, score

RATING_YEARS = [2567, 2568, 2569]
BAND_YEARS = [2563, 2564, 2565, 2566]


def codes(result):
    return [f.code for f in result.findings]


def test_seed_003_overall_from_tool_scores():
    r2567 = score(
        get_edition(2567), Published(tools={"IIT": 99.45, "EIT_1": 99.50, "EIT_2": 100.0, "OIT": 100.0})
    )
    r2568 = score(
        get_edition(2568), Published(tools={"IIT": 99.89, "EIT_1": 99.97, "EIT_2": 100.0, "OIT": 85.0})
    )
    assert round2(r2567.overall.computed) == 99.76
    assert round2(r2568.overall.computed) == 93.96
    assert r2567.level.label == "ผ่านดีเยี่ยม"
    assert r2568.level.label == "ผ่านดี"
    assert r2568.findings == []


def test_seed_003_iit_from_indicators():
    r = score(get_edition(2568), Published(indicators={1: 100, 2: 100, 3: 100, 4: 99.45, 5: 100}))
    assert round2(r.tools["IIT"].computed) == 99.89
    assert r.tools["IIT"].basis == "computed"
    assert r.overall.value is None  # EIT and OIT unknown


def test_seed_003_indicator_4_from_items():
    r = score(get_edition(2568), Published(items={"i10": 100, "i11": 98.36, "i12": 100}))
    assert round2(r.indicators[4].computed) == 99.45


def test_nacc_2564_oit_arithmetic_sub_indicators():
    """NACC 2564 table: I9 = 97.78 = (8/9·100 + 4·100)/5; I10 = 93.75 = (7/8·100 + 100)/2."""
    e = get_edition(2564)
    items = {i.id: 100.0 for i in e.items_of_indicator[9] + e.items_of_indicator[10]}
    items["o1"] = 0.0  # one of nine items of 9.1
    items["o34"] = 0.0  # one of eight items of 10.1
    r = score(e, Published(items=items))
    assert round2(r.indicators[9].computed) == 97.78
    assert round2(r.indicators[10].computed) == 93.75
    assert round2(r.tools["OIT"].computed * 0.4) == 38.31  # printed as the 0-40 OIT column


def test_published_value_that_disagrees_is_a_finding_with_both_values():
    r = score(
        get_edition(2568),
        Published(overall=94.5, tools={"IIT": 99.89, "EIT_1": 99.97, "EIT_2": 100, "OIT": 85}),
    )
    (f,) = r.findings
    assert f.code == "overall_mismatch"
    assert (f.published, f.computed) == (94.5, 93.96)
    assert "94.50" in f.message_th and "93.96" in f.message_th
    assert f.severity == "warning"


def test_low_confidence_rule_never_overrides_a_published_value(seed003):
    """2568 OIT items → indicator is unresolved: the printed 90/80 are kept, the gap is a notice."""
    a = seed003.assessment(2568)
    r = score(get_edition(2568), Published(items=dict(a.items), indicators={9: 90.0, 10: 80.0}))
    assert r.indicators[9].value == 90.0 and r.indicators[9].basis == "published"
    assert round2(r.indicators[9].computed) == 87.5
    f = next(f for f in r.findings if f.path == "indicators.9")
    assert f.severity == "info" and f.confidence == "low"
    assert round2(r.tools["OIT"].value) == 85.0


def test_seed_001_level_c_for_78_33_is_a_finding():
    # As printed (year 2567): "C" is no label of that edition, and 78.33 is ต้องปรับปรุง there.
    r = score(get_edition(2567), Published(overall=78.33, level="C"))
    assert codes(r) == ["level_unknown_label", "level_mismatch"]
    # In the AA-F years the bands make 78.33 a B.
    for year in BAND_YEARS:
        r = score(get_edition(year), Published(overall=78.33, level="C"))
        assert r.level.label == "B"
        (f,) = r.findings
        assert f.code == "level_mismatch" and f.published == "C" and f.computed == "B"


@pytest.mark.parametrize("year", BAND_YEARS)
@pytest.mark.parametrize(
    ("total", "label", "passed"),
    [
        (84.99, "B", False),
        (85.00, "A", True),
        (94.99, "A", True),
        (95.00, "AA", True),
        (74.99, "C", False),
        (75.0, "B", False),
        (49.99, "F", False),
        (50.0, "E", False),
        (100, "AA", True),
    ],
)
def test_band_boundaries(year, total, label, passed):
    r = score(get_edition(year), Published(overall=total))
    assert (r.level.label, r.level.passed) == (label, passed)


def _tools(iit, eit, oit):
    return {"IIT": iit, "EIT": eit, "OIT": oit}


@pytest.mark.parametrize("year", RATING_YEARS)
@pytest.mark.parametrize(
    ("tools", "label"),
    [
        (_tools(95, 95, 95), "ผ่านดีเยี่ยม"),
        (_tools(95, 95, 94.99), "ผ่านดี"),  # total 94.996 prints 95.00 but OIT misses the floor
        (_tools(100, 100, 94.99), "ผ่านดี"),
        (_tools(85, 85, 85), "ผ่านดี"),
        (_tools(100, 100, 84.99), "ผ่าน"),  # per-tool floor of ผ่านดี
        (_tools(84.99, 84.99, 84.99), "ต้องปรับปรุง"),
        (_tools(70, 70, 70), "ต้องปรับปรุง"),
        (_tools(69.99, 69.99, 69.99), "ต้องปรับปรุงโดยด่วน"),
    ],
)
def test_rating_boundaries_and_per_tool_floors(year, tools, label):
    r = score(get_edition(year), Published(tools=tools))
    assert r.level.label == label


@pytest.mark.parametrize("year", RATING_YEARS)
def test_rating_on_total_alone(year):
    e = get_edition(year)
    assert score(e, Published(overall=84.99)).level.label == "ต้องปรับปรุง"
    r = score(e, Published(overall=85.00))
    assert r.level.label is None and r.level.candidates == ["ผ่านดี", "ผ่าน"] and r.level.passed is True
    r = score(e, Published(overall=94.99))
    assert r.level.candidates == ["ผ่านดี", "ผ่าน"]
    r = score(e, Published(overall=95.00))
    assert r.level.candidates == ["ผ่านดีเยี่ยม", "ผ่านดี", "ผ่าน"]


def test_undecided_level_is_said_not_guessed():
    r = score(get_edition(2568), Published(overall=90))
    assert r.level.label is None
    (f,) = r.findings
    assert f.code == "level_undecided"
    assert "ผ่านดี หรือ ผ่าน" in f.message_th
    # A known tool below 85 settles it.
    r = score(get_edition(2568), Published(overall=90, tools={"OIT": 80}))
    assert r.level.label == "ผ่าน" and r.findings == []
    # A published label among the candidates is a notice, not a mismatch.
    r = score(get_edition(2568), Published(overall=90, level="ผ่านดี"))
    assert codes(r) == ["level_undecided"]


def test_published_level_in_parentheses_or_other_case_matches():
    r = score(get_edition(2565), Published(overall=96.08, level=" aa "))
    assert r.findings == []


def test_scores_outside_0_100_are_findings_and_ignored():
    r = score(get_edition(2568), Published(overall=120, indicators={9: -3}, items={"o1": 150}))
    assert sorted(codes(r)) == ["score_out_of_range"] * 3
    assert r.overall.value is None and r.indicators[9].value is None


def test_unknown_items_indicators_and_unexpected_item_values():
    r = score(get_edition(2568), Published(items={"o40": 100, "o1": 75}, indicators={11: 50}))
    assert sorted(codes(r)) == ["item_value_unexpected", "unknown_indicator", "unknown_item"]


def test_eit_parts_and_indicators_disagreeing_is_a_notice():
    r = score(
        get_edition(2568),
        Published(tools={"EIT_1": 90, "EIT_2": 100}, indicators={6: 80, 7: 80, 8: 80}),
    )
    assert r.tools["EIT"].value == 95  # the parts come first in 2568
    assert "tool_derivations_differ" in codes(r)
