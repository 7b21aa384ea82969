"""records.py both ways, as a property: a plan's measures written from an interchange record
(records.import_record, the demo's and the tests' path) read back by records.plan_record (every
document, approval snapshot and API answer) are the same measures (issue 14, item 6)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prongsai.interchange.models import Document as Record
from prongsai.web.agencies.models import Agency
from prongsai.web.cycle.records import import_record, plan_record

pytestmark = pytest.mark.django_db

WORDS = ["มาตรการ", "ส่งเสริม", "คุณธรรม", "ความโปร่งใส", "ประชุม", "เผยแพร่", "ข้อมูล", "๒๕๖๙", "o16", "ITA", "(๑)"]
text = st.lists(st.sampled_from(WORDS), min_size=1, max_size=8).map(" ".join)
maybe = st.one_of(st.none(), text)
measure = st.fixed_dictionaries(
    {
        "title": text,
        "steps": maybe,
        "period": maybe,
        "responsible": maybe,
        "monitoring": maybe,
        "indicators": st.lists(st.integers(1, 10), max_size=3, unique=True).map(sorted),
        "status": st.one_of(st.none(), st.sampled_from(["not_started", "in_progress", "done"])),
        "result": maybe,
        "budget": st.one_of(st.none(), st.integers(0, 10**7).map(float)),
    }
)
FIELDS = ("title", "steps", "period", "responsible", "monitoring", "indicators", "status", "result", "budget")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(measures=st.lists(measure, min_size=1, max_size=6))
def test_measures_survive_the_round_trip(measures):
    agency, _ = Agency.objects.get_or_create(
        slug="roundtrip", defaults={"name": "เทศบาลตำบลทดสอบ", "type": "เทศบาลตำบล", "province": "ตรัง"}
    )
    agency.plans.all().delete()
    record = Record.model_validate(
        {
            "format": "prongsai/1",
            "agency": {"name": agency.name},
            "report_fiscal_year": 2569,
            "measures": measures,
        }
    )
    plan = import_record(agency, record)
    back = plan_record(plan).measures
    assert len(back) == len(record.measures)
    for sent, got in zip(record.measures, back, strict=True):
        for name in FIELDS:
            want, have = getattr(sent, name), getattr(got, name)
            if name == "status" and want is None:
                continue  # no status written: the plan starts it as not started
            assert have == want, (name, want, have)
