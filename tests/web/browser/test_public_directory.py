"""A citizen in a real browser (issue 13): finds an agency by name from /p/, opens its published
year and downloads the approved measures as PDF; the directory and the year page fit a phone.

With PRONGSAI_SCREENSHOTS=1 the directory and a year page are photographed at 1280 and 390 px
into docs/screenshots/public-*.png."""

from __future__ import annotations

import subprocess

import pytest

from prongsai.thai.normalise import comparable
from prongsai.web.agencies.models import Agency
from prongsai.web.cycle import actions
from prongsai.web.cycle.models import Plan, PlanStatus
from tests.web.browser.conftest import SHOTS, compact, screenshots_wanted
from tests.web.browser.test_phone_width import PHONE, WIDER_THAN_THE_SCREEN

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def approve(world) -> Plan:
    plan = world["our_plan"]
    Plan.objects.filter(pk=plan.pk).update(status=PlanStatus.SUBMITTED)
    plan.refresh_from_db()
    actions.decide_plan(plan, "approved", plan.content_version, user=world["users"]["approver"])
    return plan


def shoot(page, name: str, width: int, full_page: bool = True) -> None:
    if not screenshots_wanted():
        return
    page.set_viewport_size({"width": width, "height": 900 if width > 500 else 844})
    page.evaluate("document.fonts.ready.then(() => true)")
    path = SHOTS / f"public-{name}.png"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=full_page)
    compact(path)


def test_citizen_finds_an_agency_and_downloads_its_plan(site, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    Agency.objects.create(
        name="เทศบาลตำบลท่ามะพลา", slug="thamaphla", type="เทศบาลตำบล", district="ปากพะยูน", province="พัทลุง"
    )
    plan = approve(world)
    page = site.new_context()  # nobody logged in
    site.goto("/p/")
    page.fill("input[name=q]", "ต้นหยง มัส")  # a space typed in the middle
    with page.expect_navigation():
        page.locator("form.pub-search button[type=submit]").click()
    rows = page.locator("ul.pub-list li")
    assert rows.count() == 1 and "เทศบาลตำบลต้นหยงมัส" in rows.first.inner_text()
    shoot(page, "directory-desktop", 1280)
    shoot(page, "directory-phone", 390)
    page.set_viewport_size({"width": 1280, "height": 900})

    with page.expect_navigation():
        rows.first.locator("a.name").click()
    with page.expect_navigation():
        page.locator("table.pub-years a", has_text=str(plan.fiscal_year)).click()
    assert page.url.endswith(f"/p/tonyongmat/{plan.fiscal_year}/")
    shoot(page, "year-desktop", 1280, full_page=False)
    shoot(page, "year-phone", 390, full_page=False)
    page.set_viewport_size({"width": 1280, "height": 900})

    with page.expect_download() as download:
        page.locator("#downloads li[data-document=plan] a", has_text="PDF").click()
    got = download.value
    assert got.suggested_filename.endswith(".pdf") and "ต้นหยงมัส" in got.suggested_filename
    path = tmp_path / "plan.pdf"
    got.save_as(path)
    assert path.read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "เทศบาลตำบลต้นหยงมัส" in comparable(text)
    first = plan.measures.order_by("position", "pk").first()
    assert comparable(first.title)[:20] in comparable(text)

    # The assessor's link to an OIT item lands on its row, with the plan's files in it.
    item = page.locator("#oit tr[id] a", has_text="o").first.get_attribute("href")
    page.goto(page.url.split("#")[0] + item)
    assert page.locator(f"tr{item}").is_visible()


def test_directory_and_year_page_fit_a_phone(site, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    plan = approve(world)
    page = site.new_context()
    page.set_viewport_size(PHONE)
    wide = {}
    paths = ("/p/", "/p/?q=ต้นหยงมัส", "/p/?page=abc", f"/p/tonyongmat/{plan.fiscal_year}/")
    for lang in ("th", "en"):  # English words are longer
        if lang == "en":
            site.context.add_cookies([{"name": "django_language", "value": "en", "url": site.url}])
        for path in paths:
            site.goto(path)
            page.evaluate("document.fonts.ready.then(() => true)")
            assert page.locator("html").get_attribute("lang") == lang
            if over := page.evaluate(WIDER_THAN_THE_SCREEN):
                wide[f"{lang} {path}"] = over
    assert not wide, f"wider than a 360 px phone: {wide}"
