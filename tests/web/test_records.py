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
