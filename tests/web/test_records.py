"""The database and the interchange format agree: a record loaded into rows and read back gives
the engine the same numbers."""

import pytest

from prongsai.interchange import load_document
from prongsai.ita.api import score_document
from prongsai.web.agencies.models import Agency
from prongsai.web.cycle.records import import_record, plan_record
from tests.conftest import DEMO, DEMO_DIR

pytestmark = pytest.mark.django_db


def test_seed_003_round_trip():
    record = load_document(DEMO)
    agency = Agency.objects.create(
        name=record.agency.name, slug="tonyongmat", type="เทศบาลตำบล", province="ตรัง"
    )
    plan = import_record(agency, record)
    a2568 = agency.assessments.get(fiscal_year=2568)
    assert a2568.overall == 93.96 and a2568.level == "ผ่านดี"
    assert a2568.indicator_scores.count() == 10
    back = plan_record(plan)
    assert [m.title for m in back.measures] == [m.title for m in record.measures]
    (s,) = [x for x in score_document(back) if x.fiscal_year == 2568]
    assert s.result.overall.value == pytest.approx(score_document(record)[-1].result.overall.value)


def test_seed_001_status_and_evidence():
    record = load_document(DEMO_DIR / "srisongkhram.json")
    agency = Agency.objects.create(
        name=record.agency.name, slug="srisongkhram", type="เทศบาลตำบล", province="เลย"
    )
    plan = import_record(agency, record)
    back = plan_record(plan)
    assert [m.status for m in back.measures] == [m.status or "not_started" for m in record.measures]
    assert [len(m.evidence) for m in back.measures] == [len(m.evidence) for m in record.measures]


def test_stored_indicator_scores_use_the_engines_rounding():
    """Regression: records.py rounded with Python's round(), which gives 99.98 for 99.985 (the
    float is 99.98499…); the engine, every page and every document print 99.99."""
    from prongsai.interchange.models import Assessment as RecordAssessment
    from prongsai.ita.numbers import fmt
    from prongsai.web.cycle.records import save_published

    assert round(99.985, 2) == 99.98  # what the old code stored
    agency = Agency.objects.create(name="เทศบาลตำบลทดสอบ", slug="t")
    a = save_published(
        agency,
        RecordAssessment.model_validate({"fiscal_year": 2568, "indicators": {"1": 99.985, "2": 80.125}}),
    )
    scores = dict(a.indicator_scores.values_list("indicator", "score"))
    assert scores[1] == 99.99 and fmt(99.985) == "99.99"
    assert scores[2] == 80.13


def test_latest_assessments_are_the_two_newest_before_a_year_oldest_first():
    from prongsai.interchange.models import Assessment as RecordAssessment
    from prongsai.web.cycle.records import latest_assessments, save_published

    agency = Agency.objects.create(name="เทศบาลตำบลทดสอบ", slug="t")
    for year in (2565, 2566, 2568):
        save_published(agency, RecordAssessment.model_validate({"fiscal_year": year, "overall": 90}))
    assert [a.fiscal_year for a in latest_assessments(agency)] == [2566, 2568]
    assert [a.fiscal_year for a in latest_assessments(agency, before=2568)] == [2565, 2566]
    assert [a.fiscal_year for a in latest_assessments(agency, before=2566)] == [2565]
    assert latest_assessments(agency, before=2565) == []


def test_saving_published_scores_again_is_a_new_version():
    from prongsai.interchange.models import Assessment as RecordAssessment
    from prongsai.web.cycle.records import save_published

    agency = Agency.objects.create(name="เทศบาลตำบลทดสอบ", slug="t")
    first = save_published(agency, RecordAssessment.model_validate({"fiscal_year": 2568, "overall": 90}))
    again = save_published(agency, RecordAssessment.model_validate({"fiscal_year": 2568, "overall": 91}))
    assert first.pk == again.pk and first.version == 1
    assert again.version == 2 and again.overall == 91
