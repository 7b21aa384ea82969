"""A person's API tokens in a real browser, by links and buttons only: the editor reaches the
token page from the menu, makes a token for 30 days (its value shown once, its expiry in B.E.),
uses it against the API, and revokes it after the confirmation; the API then refuses it. The
page fits a phone. The agency settings page shows the storage card once, in the body."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from prongsai.thai.dates import thai_date
from prongsai.web.agencies.models import ApiToken

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}


def sideways(page) -> int:
    return page.evaluate(
        "() => document.scrollingElement.scrollWidth - document.scrollingElement.clientWidth"
    )


def test_a_token_made_used_and_revoked_from_the_menu(site, world):
    editor = world["users"]["editor"]
    page = site.login(editor)
    page.get_by_role("link", name="โทเคน API").first.click()
    page.wait_for_url("**/account/tokens/")
    assert "ยังไม่มีโทเคน" in page.content()

    page.fill("input[name=name]", "สคริปต์ส่งคะแนนของกองคลัง")
    page.select_option("select[name=days]", "30")
    page.get_by_role("button", name="สร้างโทเคน").click()
    page.wait_for_load_state()
    raw = page.locator("#new-token code").inner_text().strip()
    assert raw.startswith("ps_") and "ระบบจะไม่แสดงค่านี้อีก" in page.content()
    token = ApiToken.objects.get(user=editor)
    expires = thai_date(timezone.localtime(token.expires).date())
    assert expires in page.locator("#tokens").inner_text()  # B.E., Bangkok's day
    assert token.expires - timezone.now() > timedelta(days=29)
    site.shot("15-api-tokens")

    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert api.get("/api/agencies").status_code == 200

    # The value is not shown again.
    site.goto("/account/tokens/")
    assert raw not in page.content()

    page.on("dialog", lambda dialog: dialog.accept())  # the confirmation (static behaviour.js)
    page.get_by_role("button", name="เพิกถอน").click()
    page.wait_for_load_state()
    assert re.search("เพิกถอนโทเคน .สคริปต์ส่งคะแนนของกองคลัง. แล้ว", page.content())
    assert not ApiToken.objects.filter(user=editor).exists()
    assert api.get("/api/agencies").status_code == 401

    page.set_viewport_size(PHONE)
    assert sideways(page) <= 0


def test_agency_settings_show_the_storage_card_once(site, world):
    page = site.login(world["users"]["editor"])
    site.goto(f"/a/{world['ours'].slug}/settings/")
    assert page.title().startswith("ตั้งค่าหน่วยงาน")
    assert page.locator("#storage").count() == 1
    assert "จากโควตา" in page.locator("#storage").inner_text()
    site.shot("16-agency-settings")
