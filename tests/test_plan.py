from datetime import date

import pytest

from prongsai.interchange import parse_document
from prongsai.ita.api import analyse_document
from prongsai.ita.edition import get_edition
from prongsai.ita.library import Library, LibraryError, library, load_library
from prongsai.ita.plan import draft_plan, period_dates
from prongsai.thai.dates import fiscal_year_bounds


def test_library_has_at_least_three_measures_per_indicator_and_valid_items():
    lib = library()
    for n in range(1, 11):
        assert len(lib.for_indicator(n)) >= 3, n
    for m in lib.measures:
        assert m.steps_th and m.responsible_th and m.oit_evidence_th
        for year, ids in m.items.items():
            e = get_edition(int(year))
            for i in ids:
                assert i in e.item_by_id, (m.id, year, i)
                assert e.item_by_id[i].indicator in m.indicators, (m.id, year, i)


def test_library_draws_on_what_the_seeds_do():
    ids = {m.id for m in library().measures}
    text = " ".join(m.title_th for m in library().measures)
    assert "No Gift Policy" in text
    assert any("ร้องเรียน" in m.title_th for m in library().measures)
    assert any("ประมวลจริยธรรม" in m.title_th for m in library().measures)
    assert any(4 in m.indicators and "ทรัพย์สิน" in m.title_th for m in library().measures)
    assert "bribery-risk-assessment" in ids


def test_broken_library_is_a_clear_error(tmp_path):
    path = tmp_path / "measures.yaml"
    path.write_text("format: prongsai-measures/1\nsources: {}\nmeasures: []\n", encoding="utf-8")
    with pytest.raises(LibraryError, match="measures: List should have at least 30 items"):
        load_library(path)


def test_seed_003_plan_covers_all_ten_indicators_weakest_first(seed003):
    analysis, _ = analyse_document(seed003)
    plan = draft_plan(analysis)
    assert plan.fiscal_year == 2569 and plan.assessed_year == 2568
    assert plan.indicators_covered() == list(range(1, 11))
    order = [m.indicator for m in plan.measures]
    assert order[0] == 10 and order.index(9) < order.index(4)  # urgent, then improve, then the rest
    assert sum(m.indicator == 10 for m in plan.measures) == 3  # urgent: three measures
    first = plan.measures[0]
    assert first.library_id == "bribery-risk-assessment" and first.items == ["o23"]  # answers o23 = 0
    start, end = fiscal_year_bounds(2569)
    for m in plan.measures:
        # The five elements: measure, the analysis it answers, steps, period, responsible unit.
        assert m.title and m.analysis and m.steps and m.period and m.responsible
        assert f"ตัวชี้วัดที่ {m.indicator} " in m.analysis
        assert start <= m.period_start <= m.period_end <= end
    assert [m.no for m in plan.measures] == list(range(1, len(plan.measures) + 1))
    assert len({m.library_id for m in plan.measures}) == len(plan.measures)
    measure = first.to_interchange()
    assert measure.indicators == [10] and measure.status == "not_started" and measure.steps.startswith("- ")


def test_plan_without_item_detail_still_covers_every_indicator():
    d = parse_document({"agency": {"name": "x"}, "assessments": [{"fiscal_year": 2566, "overall": 70.0}]})
    plan = draft_plan(analyse_document(d)[0])
    assert plan.indicators_covered() == list(range(1, 11))
    assert all("ยังไม่มีคะแนน" in m.analysis for m in plan.measures)


def test_periods_inside_the_fiscal_year():
    assert period_dates("full_year", 2569) == (date(2025, 10, 1), date(2026, 9, 30))
    assert period_dates("q1", 2569) == (date(2025, 10, 1), date(2025, 12, 31))
    assert period_dates("h2", 2569) == (date(2026, 4, 1), date(2026, 9, 30))
    assert period_dates("q2", 2568) == (date(2025, 1, 1), date(2025, 3, 31))


def test_library_type_is_exported():
    assert isinstance(library(), Library)
