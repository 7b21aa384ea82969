"""The overdue check reads periods written as text (issue 12, defect 6): measures whose period
ended show as late on the dashboard, the plan and the measure's page, whatever way the period
was written."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from prongsai.thai.dates import fiscal_year_of, thai_date
from prongsai.web.cycle.models import Measure, MeasureStatus, Plan

pytestmark = pytest.mark.django_db

PAST_PERIODS = [
    "ไตรมาส 1-2",
    "ตลอดปีงบประมาณ",
    "ต.ค. 2568 - มี.ค. 2569",
    "มกราคม – มีนาคม",
    "ภายใน 30 ก.ย.",
    "๑ ตุลาคม ถึง ๓๐ กันยายน",
]


def _last_years_plan(agency) -> Plan:
    """A plan of the fiscal year before today's: every period in it has ended."""
    agency.plans.all().delete()
    return Plan.objects.create(agency=agency, fiscal_year=fiscal_year_of(timezone.localdate()) - 1)


def test_text_periods_of_last_year_are_overdue_on_the_dashboard(world, login):
    plan = _last_years_plan(world["ours"])
    for k, period in enumerate(PAST_PERIODS, 1):
        Measure.objects.create(plan=plan, position=k, title=f"มาตรการทดสอบที่ {k}", period=period)
    Measure.objects.create(plan=plan, position=90, title="มาตรการที่เสร็จแล้ว", period="ไตรมาส 1", status="done")
    Measure.objects.create(plan=plan, position=91, title="มาตรการไม่ระบุเวลา", period="ตามความเหมาะสม")
    page = login(world["users"]["editor"]).get(reverse("agency_dashboard", args=["tonyongmat"]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "ไม่มีมาตรการที่เลยกำหนด" not in html
    for k in range(1, len(PAST_PERIODS) + 1):
        assert f"มาตรการทดสอบที่ {k}" in html
    assert "มาตรการที่เสร็จแล้ว" not in html and "มาตรการไม่ระบุเวลา" not in html
    dues = [m.due for m in plan.overdue_measures()]
    assert len(dues) == len(PAST_PERIODS) and dues == sorted(dues)  # the most overdue first


def test_a_period_not_yet_ended_is_not_overdue(world):
    plan = _last_years_plan(world["ours"])
    plan.fiscal_year += 1  # today's fiscal year: the whole year has not ended
    plan.save()
    m = Measure.objects.create(plan=plan, title="ตลอดปี", period="ตลอดปีงบประมาณ")
    assert m.due is not None and not m.overdue
    m.status = MeasureStatus.IN_PROGRESS
    assert not m.overdue


def test_a_date_set_on_the_measure_wins_over_its_text(world):
    plan = _last_years_plan(world["ours"])
    today = timezone.localdate()
    m = Measure.objects.create(plan=plan, title="t", period="ไตรมาส 1", period_end=today)
    assert m.due == today and not m.overdue


def test_measure_page_and_plan_page_mark_it_late(world, login):
    plan = _last_years_plan(world["ours"])
    m = Measure.objects.create(plan=plan, title="มาตรการเลยกำหนด", period="ไตรมาส 1-2")
    client = login(world["users"]["editor"])
    page = client.get(reverse("measure_progress", args=["tonyongmat", m.pk])).content.decode()
    assert "เลยกำหนดแล้วเสร็จ" in page
    page = client.get(reverse("plan_detail", args=["tonyongmat", plan.fiscal_year])).content.decode()
    assert 'class="overdue"' in page
    assert f"แล้วเสร็จ {thai_date(m.due)}" in page  # the end its written period names
