"""Dates and times a person reads are Buddhist Era in Asia/Bangkok (issue 12, defects 5 and 12):
the approval history, the link-check card and the filters every template uses."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation

from prongsai.thai.dates import thai_date, thai_datetime
from prongsai.web.cycle.models import Approval, LinkCheck

pytestmark = pytest.mark.django_db

# 03:51 on 3 December 2026 in Bangkok is 20:51 on 2 December in UTC.
EARLY_MORNING = datetime(2026, 12, 2, 20, 51, tzinfo=UTC)


def render(text: str, **context) -> str:
    return Template("{% load thai_dates %}" + text).render(Context(context))


def test_a_moment_is_shown_on_its_bangkok_day():
    assert thai_datetime(EARLY_MORNING) == "3 ธันวาคม 2569 03:51"
    assert thai_date(EARLY_MORNING) == "3 ธันวาคม 2569"
    assert render("{{ t|thai_datetime }}", t=EARLY_MORNING) == "3 ธันวาคม 2569 03:51"
    assert render("{{ t|thai_date:'short' }}", t=EARLY_MORNING) == "3 ธ.ค. 2569"
    assert render("{{ d|thai_date }}", d=date(2025, 10, 1)) == "1 ตุลาคม 2568"
    assert render("{{ d|thai_date }}", d=None) == ""
    with translation.override("en"):
        assert render("{{ t|thai_datetime }}", t=EARLY_MORNING) == "3 December 2569 03:51"


def test_relative_times_are_thai():
    now = timezone.now()
    assert render("{{ t|thai_timesince }}", t=now - timedelta(seconds=20)) == "เมื่อสักครู่"
    assert render("{{ t|thai_timesince }}", t=now - timedelta(minutes=5, seconds=3)) == "5 นาทีที่แล้ว"
    assert render("{{ t|thai_timesince }}", t=now - timedelta(hours=2, minutes=1)) == "2 ชั่วโมงที่แล้ว"
    assert render("{{ t|thai_timesince }}", t=now - timedelta(days=3, minutes=1)) == "3 วันที่แล้ว"
    old = now - timedelta(days=90)
    assert render("{{ t|thai_timesince }}", t=old) == f"เมื่อ {thai_date(old)}"
    with translation.override("en"):
        assert render("{{ t|thai_timesince }}", t=now - timedelta(minutes=5, seconds=3)) == "5 minutes ago"
        assert render("{{ t|thai_timesince }}", t=now) == "just now"


def test_approval_history_shows_the_bangkok_day(world, login):
    plan = world["our_plan"]
    Approval.objects.create(
        plan=plan,
        version=plan.content_version,
        decision="approved",
        approver=world["users"]["approver"],
        approver_name="นายสมชาย ใจดี",
        decided_at=EARLY_MORNING,
        snapshot={},
    )
    page = login(world["users"]["editor"]).get(reverse("plan_detail", args=["tonyongmat", plan.fiscal_year]))
    html = page.content.decode()
    assert "3 ธันวาคม 2569 03:51" in html
    assert "2 ธันวาคม 2569" not in html


def test_link_check_card_says_when_in_thai(world, login):
    plan = world["our_plan"]
    check = LinkCheck.objects.create(plan=plan, finished=timezone.now(), total=0, done=0)
    client = login(world["users"]["editor"])
    html = client.get(reverse("linkcheck_status", args=["tonyongmat", check.pk])).content.decode()
    assert "ตรวจสอบล่าสุด เมื่อสักครู่" in html
    assert "minute" not in html and "0 นาที" not in html
