"""Property tests of the arithmetic, over every edition."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prongsai.ita.edition import all_editions, get_edition
from prongsai.ita.numbers import round2
from prongsai.ita.scoring import Published, decide_level, decided_label, score, sensitivities

YEARS = sorted(all_editions())
score_value = st.floats(min_value=0, max_value=100, allow_nan=False, allow_infinity=False)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def full_assessment(draw):
    """An edition and a score for each of its items (or each indicator where items are unknown)."""
    e = get_edition(draw(st.sampled_from(YEARS)))
    items = {i: draw(score_value) for i in e.item_by_id}
    indicators = {n: draw(score_value) for n in range(1, 11) if not e.items_of_indicator[n]}
    return e, items, indicators


def _in_range(v):
    return v is None or 0 <= round2(v) <= 100


@SETTINGS
@given(full_assessment())
def test_results_stay_within_0_100(data):
    e, items, indicators = data
    r = score(e, Published(items=items, indicators=indicators))
    assert r.overall.value is not None
    assert all(_in_range(n.value) for n in [r.overall, *r.tools.values(), *r.indicators.values()])


@SETTINGS
@given(full_assessment(), st.data())
def test_raising_any_item_never_lowers_the_overall(data, extra):
    e, items, indicators = data
    before = score(e, Published(items=items, indicators=indicators)).overall.value
    key = extra.draw(st.sampled_from(sorted(items)))
    raised = dict(items)
    raised[key] = extra.draw(st.floats(min_value=items[key], max_value=100))
    after = score(e, Published(items=raised, indicators=indicators)).overall.value
    assert after >= before - 1e-9


@SETTINGS
@given(full_assessment())
def test_items_then_indicators_give_the_same_overall(data):
    e, items, indicators = data
    from_items = score(e, Published(items=items, indicators=indicators))
    computed = {n: node.value for n, node in from_items.indicators.items()}
    from_indicators = score(e, Published(indicators=computed))
    assert abs(from_items.overall.value - from_indicators.overall.value) < 1e-9
    assert round2(from_items.overall.value) == round2(from_indicators.overall.value)


@SETTINGS
@given(full_assessment(), st.data())
def test_what_if_gain_equals_rescoring(data, extra):
    """The priority list's gain is exactly what the edition's arithmetic gives when rescored."""
    e, items, indicators = data
    base = score(e, Published(items=items, indicators=indicators)).overall.value
    per_indicator, per_item = sensitivities(e)
    if items:
        key = extra.draw(st.sampled_from(sorted(items)))
        raised = score(e, Published(items={**items, key: 100.0}, indicators=indicators)).overall.value
        assert abs((raised - base) - (100 - items[key]) * per_item[key]) < 1e-9
    n = extra.draw(st.integers(1, 10))
    values = {
        k: node.value
        for k, node in score(e, Published(items=items, indicators=indicators)).indicators.items()
    }
    raised = score(e, Published(indicators={**values, n: 100.0})).overall.value
    assert abs((raised - base) - (100 - values[n]) * per_indicator[n]) < 1e-9


@SETTINGS
@given(st.sampled_from(YEARS), score_value, score_value, score_value)
def test_level_is_decided_when_all_tools_are_known(year, iit, eit, oit):
    r = score(get_edition(year), Published(tools={"IIT": iit, "EIT": eit, "OIT": oit}))
    assert r.level.label is not None
    assert r.level.passed == (round2(r.overall.value) >= 85)


def _near_a_threshold(year: int):
    """Scores at, just under and just over the edition's level minimums and tool floors (where the
    rounding decides), or anywhere; a tool may be unknown."""
    rules = get_edition(year).levels.rules
    edges = sorted({r.min_total for r in rules} | {r.min_each_tool for r in rules if r.min_each_tool})
    steps = st.sampled_from([0, -0.004, -0.005, 0.005, -0.01])
    near = st.builds(lambda e, d: e + d, st.sampled_from(edges), steps)
    return st.one_of(near, score_value)


@SETTINGS
@given(st.data())
def test_decided_label_is_the_label_decide_level_gives(data):
    """The what-if asks only the label (scoring.decided_label); it must be decide_level's, also
    when a tool is unknown and several levels remain possible."""
    year = data.draw(st.sampled_from(YEARS))
    e = get_edition(year)
    value = _near_a_threshold(year)
    total = data.draw(st.one_of(st.none(), value))
    tools = {t: data.draw(st.one_of(st.none(), value)) for t in ("IIT", "EIT", "OIT")}
    assert decided_label(e, total, tools) == decide_level(e, total, tools).label
