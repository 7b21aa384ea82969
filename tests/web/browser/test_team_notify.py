"""The team and notifications in a real browser, by links and buttons only: the editor reaches
the team page from the menu, adds กองยุทธศาสตร์และงบประมาณ and invites a contributor for it; the
invited person opens the e-mailed link, sets a password and lands on the agency; the editor
submits the plan and the executive sees the count in the menu, opens the notification and is on
the plan. The team and notifications pages do not scroll sideways on a phone."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail

from prongsai.web.agencies.models import Membership, Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STRATEGY = "กองยุทธศาสตร์และงบประมาณ"
PHONE = {"width": 360, "height": 740}


@pytest.fixture
def links_ok(monkeypatch):
    import prongsai.web.cycle.links as links

    monkeypatch.setattr(links, "latest_check_ok", lambda plan: (True, ""))


def sideways(page) -> int:
    return page.evaluate(
        "() => document.scrollingElement.scrollWidth - document.scrollingElement.clientWidth"
    )


def test_team_invitation_and_notification_by_links_and_buttons(site, world, links_ok):
    users = world["users"]
    users["approver"].email = "approver@example.go.th"
    users["approver"].save()

    page = site.login(users["editor"])
    page.get_by_role("link", name="ทีมงาน").first.click()
    page.wait_for_url("**/team/")
    page.fill("#units input[name=name][placeholder]", STRATEGY)
    page.locator("#units form").last.get_by_role("button", name="เพิ่ม").click()
    page.wait_for_load_state()
    assert f"เพิ่มส่วนราชการ “{STRATEGY}” แล้ว" in page.content()

    page.fill("#invite input[name=email]", "pim@example.go.th")
    page.select_option("#invite select[name=role]", Role.CONTRIBUTOR)
    page.select_option("#invite select[name=unit]", label=STRATEGY)
    page.get_by_role("button", name="ส่งคำเชิญ").click()
    page.wait_for_load_state()
    assert "ส่งคำเชิญไปที่ pim@example.go.th แล้ว" in page.content()
    body = mail.outbox[-1].body
    link = urlsplit(re.search(r"https?://\S+/invite/\S+/", body).group(0)).path

    invited = site.logout()
    site.goto(link)
    invited.fill("input[name=first_name]", "พิมพ์")
    invited.fill("input[name=username]", "pim")
    invited.fill("input[name=password1]", "ยุทธศาสตร์-2569-ok")
    invited.fill("input[name=password2]", "ยุทธศาสตร์-2569-ok")
    invited.get_by_role("button", name="ตั้งรหัสผ่านและเข้าร่วม").click()
    invited.wait_for_url("**/a/tonyongmat/")
    assert "ยินดีต้อนรับสู่ เทศบาลตำบลต้นหยงมัส" in invited.content()
    m = Membership.objects.get(user__username="pim")
    assert (m.role, m.unit.name) == (Role.CONTRIBUTOR, STRATEGY)

    # The editor submits; the executive is told.
    page = site.login(users["editor"])
    plan_path = f"/a/tonyongmat/plans/{world['our_plan'].fiscal_year}/"
    site.goto(plan_path)
    page.get_by_role("button", name=re.compile("เสนออนุมัติฉบับที่")).click()
    page.wait_for_load_state()
    page = site.login(users["approver"])
    badge = page.locator("a.notify-badge .badge.count")
    assert badge.inner_text() == "1"
    page.locator("#notifications").get_by_role("button", name="เปิดดู").click()
    page.wait_for_url("**" + plan_path)
    assert page.locator("a.notify-badge .badge.count").count() == 0
    assert mail.outbox[-1].to == ["approver@example.go.th"]


def test_team_and_notifications_fit_a_phone(site, world):
    page = site.login(world["users"]["editor"])
    page.set_viewport_size(PHONE)
    for path in ("/a/tonyongmat/team/", "/notifications/", "/password/reset/"):
        site.goto(path)
        page.evaluate("document.fonts.ready.then(() => true)")
        assert sideways(page) <= 0, f"{path} scrolls sideways on a phone"
