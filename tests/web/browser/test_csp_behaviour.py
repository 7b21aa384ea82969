"""Under the site's Content-Security-Policy (no inline script), chromium still switches the
language from the menu's select and asks before deleting (data-confirm)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from prongsai.web.cycle.models import Measure

pytestmark = pytest.mark.browser


def test_language_select_and_confirmation_work_under_the_policy(site, world):
    page = site.login(world["users"]["editor"])
    site.goto("/en/a/tonyongmat/")
    assert page.locator("html").get_attribute("lang") == "en"
    with page.expect_navigation():
        page.select_option("select[name=language]", "th")
    assert page.locator("html").get_attribute("lang") == "th"

    m = world["our_plan"].measures.order_by("position", "pk").first()
    site.goto(reverse("plan_detail", kwargs={"agency": "tonyongmat", "year": world["our_plan"].fiscal_year}))
    form = page.locator(f"form[action$='/measures/{m.pk}/delete/']")
    asked: list[str] = []
    page.once("dialog", lambda d: (asked.append(d.message), d.dismiss()))
    form.locator("button[type=submit]").click()
    page.wait_for_timeout(300)
    assert asked and Measure.objects.filter(pk=m.pk).exists()  # asked, and "cancel" kept it
    page.once("dialog", lambda d: d.accept())
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert not Measure.objects.filter(pk=m.pk).exists()
