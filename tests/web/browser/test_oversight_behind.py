"""A province overseer signs in, lands on the province's page, sorts the agencies by how far
behind they are, finds the three most behind and opens the first (issue 13). The rows the page
reads are kept by the signal receivers' tasks: here every save commits, so they run for real."""

from __future__ import annotations

import datetime as dt
from urllib.parse import unquote

import pytest
from django.utils import timezone

from prongsai.thai.dates import fiscal_year_of
from prongsai.web.agencies.models import Agency
from prongsai.web.cycle.models import Approval, Decision, Measure, Plan, PlanStatus, ProgressEntry
from prongsai.web.oversight.models import AgencyYear
from tests.web.browser.conftest import SHOTS, compact, screenshots_wanted

YEAR = fiscal_year_of(timezone.localdate())
# name, overdue measures, on-time measures
AGENCIES = [
    ("เทศบาลตำบลบางรัก", 0, 3),
    ("เทศบาลตำบลนาโยง", 2, 2),
    ("องค์การบริหารส่วนตำบลควนกุน", 0, 4),
    ("องค์การบริหารส่วนตำบลเขาวิเศษ", 3, 1),
    ("เทศบาลตำบลย่านตาขาว", 0, 2),
    ("องค์การบริหารส่วนตำบลบ้านควน", 1, 3),
    ("เทศบาลตำบลปะเหลียน", 0, 5),
]
MOST_BEHIND = ["องค์การบริหารส่วนตำบลเขาวิเศษ", "เทศบาลตำบลนาโยง", "องค์การบริหารส่วนตำบลบ้านควน"]


def _province(world):
    today = timezone.localdate()
    for i, (name, overdue, on_time) in enumerate(AGENCIES):
        kind = "องค์การบริหารส่วนตำบล" if name.startswith("องค์การ") else "เทศบาลตำบล"
        a = Agency.objects.create(name=name, slug=f"trang{i}", type=kind, province="ตรัง", district="เมือง")
        plan = Plan.objects.create(agency=a, fiscal_year=YEAR, status=PlanStatus.APPROVED)
        ends = [today - dt.timedelta(days=5 + k) for k in range(overdue)]
        ends += [today + dt.timedelta(days=40)] * on_time
        for k, end in enumerate(ends):
            m = Measure.objects.create(
                plan=plan, position=k, title=f"มาตรการที่ {k + 1}", period_end=end, status="in_progress"
            )
            if k == len(ends) - 1:
                ProgressEntry.objects.create(measure=m, as_of=today, status="in_progress")
        Approval.objects.create(
            plan=plan, version=1, decision=Decision.APPROVED, approver_name="นายก", snapshot={}
        )


def _shot(page, name: str) -> None:
    if screenshots_wanted():
        path = SHOTS / f"oversight-{name}.png"
        page.evaluate("document.fonts.ready.then(() => true)")
        page.screenshot(path=str(path), full_page=True)
        compact(path)


@pytest.mark.django_db(transaction=True)
def test_province_overseer_finds_the_three_most_behind(site, world):
    _province(world)
    # Kept by the receivers' tasks, not built by the test.
    assert AgencyYear.objects.filter(fiscal_year=YEAR, province="ตรัง").count() == len(AGENCIES) + 1
    page = site.login(world["users"]["province_overseer"])
    # Lands on the province's page of the plans under way, not "not a member of any agency".
    assert unquote(page.url).endswith(f"/oversight/ตรัง/{YEAR}/"), page.url
    assert "ยังไม่ได้เป็นสมาชิก" not in page.content()
    assert page.locator("#behind-rule").is_visible()
    # The progress bars by district (no result of this year yet: no level bars).
    assert page.locator("svg.ov-chart").count() == 1
    _shot(page, "province")

    with page.expect_navigation():
        page.locator("table.ov-agencies th a[data-sort=behind]").click()
    assert "sort=-behind" in page.url
    rows = page.locator("table.ov-agencies tbody tr")
    names = [rows.nth(i).locator("td").first.locator("a").inner_text() for i in range(3)]
    assert names == MOST_BEHIND
    assert rows.nth(0).locator("td").nth(6).inner_text().strip() == "3"
    assert "ล่าช้า" in rows.nth(0).inner_text() and "ตามกำหนด" in rows.nth(3).inner_text()
    _shot(page, "behind")

    with page.expect_navigation():
        rows.nth(0).locator("td").first.locator("a").click()
    assert page.locator("h1").inner_text().startswith(MOST_BEHIND[0])
    progress = page.locator("#agency-progress tbody tr").first.inner_text()
    assert str(YEAR) in progress and "ล่าช้า" in progress and "มีมาตรการเลยกำหนด" in progress
    _shot(page, "agency")


@pytest.mark.django_db(transaction=True)
def test_national_overseer_sees_the_provinces(site, world):
    _province(world)
    page = site.login(world["users"]["national_overseer"])
    assert unquote(page.url).endswith("/oversight/"), page.url
    assert page.locator("table.ov-provinces").inner_text().count("ตรัง") == 1
    _shot(page, "national")
    with page.expect_navigation():
        page.locator("table.ov-provinces a", has_text="ตรัง").click()
    assert unquote(page.url).split("?")[0].endswith(f"/oversight/ตรัง/{YEAR}/")
