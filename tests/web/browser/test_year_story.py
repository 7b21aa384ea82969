"""A whole fiscal year in the browser, in Thai, by following links and pressing buttons only: after
each login nobody types an address (issue 12).

The editor enters the ITA 2569 scores, opens the year page of 2570 from them, reads the analysis
and drafts the 2570 plan from it, gives a measure to the finance unit and writes the memo; the
finance unit's contributor records the measure done; the editor checks the links and submits;
the executive approves; the year page then leads to the public page; a viewer reads the year
and is offered nothing to change; a visitor without an account reads the public page. The
database is asked after each step, so a page that only looks right fails.

With PRONGSAI_SCREENSHOTS=1 the year page is saved at desktop and phone widths as
docs/screenshots/year-desktop.png and year-phone.png.
"""

from __future__ import annotations

import re

import pytest

from prongsai.web.cycle.models import Approval, Assessment, Measure, MeasureStatus, Memo, Plan, PlanStatus
from tests.web.browser.conftest import SHOTS, compact, screenshots_wanted

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCORED = 2569  # the new ITA result the editor enters
YEAR = 2570  # the fiscal year whose plan answers it
INDICATORS = {1: 96.1, 2: 94.2, 3: 91.5, 4: 88.0, 5: 90.3, 6: 86.4, 7: 84.9, 8: 89.7, 9: 79.5, 10: 82.6}
RESULT = "จัดอบรมเจ้าหน้าที่กองคลังครบทุกคนแล้ว ผู้เข้าร่วม ๑๘ คน"
REF_NO = "ตง 52101/2570"


def main_text(page) -> str:
    return page.locator("main").inner_text()


def click(page, text: str, within: str = "main"):
    """Follow the link or press the button named ``text`` and wait for the next page."""
    target = page.locator(within).get_by_role("link", name=text, exact=True)
    if not target.count():
        target = page.locator(within).get_by_role("button", name=text, exact=True)
    assert target.count(), f"no link or button {text!r} on {page.url}: {main_text(page)[:600]}"
    with page.expect_navigation():
        target.first.click()


def step(page, key: str):
    return page.locator(f"#step-{key}")


def step_state(page, key: str) -> str:
    classes = step(page, key).get_attribute("class") or ""
    return re.search(r"state-(\w+)", classes).group(1)


def click_in_step(page, key: str, text: str):
    click(page, text, within=f"#step-{key}")


def to_year_page(page):
    """From any agency page: the menu's ปีงบประมาณ, then the year."""
    click(page, "ปีงบประมาณ", within="nav.agency-nav")
    click(page, f"ปีงบประมาณ {YEAR}")
    assert page.locator("h1").inner_text() == f"ปีงบประมาณ พ.ศ. {YEAR}"


def save_year_shots(page):
    if not screenshots_wanted():
        return
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.evaluate("document.fonts.ready.then(() => true)")
    for name, width in (("year-desktop", 1280), ("year-phone", 390)):
        page.set_viewport_size({"width": width, "height": 900})
        path = SHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        compact(path)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_whole_year_by_links_and_buttons(site, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    agency, users = world["ours"], world["users"]

    # ---- the editor: new scores, their year, the analysis, the plan drafted from it -----------
    page = site.login(users["editor"])
    assert "ภาพรวม" in main_text(page)  # one agency: straight to its dashboard
    click(page, "ผลการประเมิน", within="nav.agency-nav")
    assert page.locator("input[name=fiscal_year]").input_value() == str(SCORED)
    click(page, "ต่อไป: กรอกคะแนน")
    for n, score in INDICATORS.items():
        page.fill(f"input[name=ind_{n}]", str(score))
    click(page, "บันทึก")
    assessment = Assessment.objects.get(agency=agency, fiscal_year=SCORED)
    assert assessment.overall is not None and assessment.published["indicators"]["9"] == 79.5
    assert f"บันทึกผลการประเมินปี {SCORED} แล้ว" in main_text(page)

    click(page, f"ขั้นตอนปีงบประมาณ {YEAR}")
    assert step_state(page, "scores") == "done"
    assert step_state(page, "plan") == "not_started"
    assert "ขั้นต่อไป" in main_text(page)
    click_in_step(page, "analysis", "เปิดผลการวิเคราะห์")
    assert f"การวิเคราะห์ผลการประเมิน ITA ปี {SCORED}" in main_text(page)
    click(page, f"ร่างแผนมาตรการปี {YEAR} จากผลการวิเคราะห์นี้")
    page.check("input[name=source][value=engine]")
    click(page, "สร้างแผน")
    plan = Plan.objects.get(agency=agency, fiscal_year=YEAR)
    assert plan.assessment == assessment and plan.measures.count() >= 5
    assert f"ปีงบประมาณ พ.ศ. {YEAR}" in main_text(page)

    # The first measure goes to the finance unit, whose head reports on it.
    page.locator("table.measures").get_by_role("link", name="แก้ไข", exact=True).first.click()
    page.wait_for_load_state()
    measure = Measure.objects.get(pk=int(re.search(r"/measures/(\d+)/", page.url).group(1)))
    page.check(f"input[name=units][value='{world['finance'].pk}']")
    click(page, "บันทึก")
    assert world["finance"] in measure.units.all()

    # ---- the finance unit's contributor reports the measure done ------------------------------
    page = site.login(users["contributor"])
    click(page, f"เปิดขั้นตอนปี {YEAR}")
    assert step_state(page, "progress") in ("waiting", "not_started")
    assert not step(page, "plan").get_by_role("link", name="แก้ไขแผนมาตรการ").count()
    click_in_step(page, "progress", "บันทึกความก้าวหน้ามาตรการ")
    row = page.locator(f"table.measures tr:has(a[href*='/measures/{measure.pk}/progress/'])")
    with page.expect_navigation():
        row.get_by_role("link", name="รายงานผล").click()
    page.select_option("select[name=status]", MeasureStatus.DONE)
    page.fill("textarea[name=result]", RESULT)
    with page.expect_navigation():
        page.locator("form:has(textarea[name=result]) button[type=submit]").first.click()
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.DONE
    assert measure.progress.filter(result=RESULT, author=users["contributor"]).exists()

    # ---- the editor: the memo, the link check, submission ------------------------------------
    page = site.login(users["editor"])
    click(page, f"เปิดขั้นตอนปี {YEAR}")
    assert step_state(page, "progress") == "active"
    click_in_step(page, "memo", "บันทึกข้อความ: มาตรการส่งเสริมคุณธรรมและความโปร่งใส")
    page.fill("input[name=ref_no]", REF_NO)
    page.fill("input[name=preparer_name]", "นางสาวสุดา ใจงาม")
    page.fill("input[name=executive_name]", "นายสมชาย ใจดี")
    click(page, "บันทึก")
    assert Memo.objects.get(plan=plan, kind="plan").ref_no == REF_NO
    to_year_page(page)
    assert step_state(page, "memo") == "done"
    assert step_state(page, "approval") == "not_started"
    save_year_shots(page)
    click_in_step(page, "approval", "เสนออนุมัติแผน")
    page.locator("#approval form[action*='linkcheck'] button[type=submit]").click()
    page.locator(".linkcheck-status:not([hx-get])").wait_for(timeout=30_000)
    click(page, f"เสนออนุมัติฉบับที่ {Plan.objects.get(pk=plan.pk).content_version}", within="#approval")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED, main_text(page)[:800]

    # ---- the executive approves ---------------------------------------------------------------
    page = site.login(users["approver"])
    click(page, f"เปิดขั้นตอนปี {YEAR}")
    assert step_state(page, "approval") == "active"
    assert "ผู้บริหาร (ผู้อนุมัติ)" in step(page, "approval").inner_text()
    click_in_step(page, "approval", "พิจารณาอนุมัติ")
    page.check("input[name=decision][value=approved]")
    page.fill("textarea[name=comment]", "เห็นชอบตามเสนอ")
    click(page, "บันทึกผลการพิจารณา")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED and plan.approval_current
    assert Approval.objects.get(plan=plan).approver == users["approver"]

    # ---- the year is published -----------------------------------------------------------------
    to_year_page(page)
    assert step_state(page, "approval") == "done" and step_state(page, "published") == "done"
    click_in_step(page, "published", "เปิดหน้าสาธารณะ")
    public_url = page.url
    assert re.search(rf"/p/{agency.slug}/{YEAR}/?$", public_url), public_url
    # ---- a viewer reads the year and is offered nothing to change ------------------------------
    page = site.login(users["viewer"])
    click(page, f"เปิดขั้นตอนปี {YEAR}")
    assert step_state(page, "published") == "done"
    buttons = page.locator("ol.steps a.button").all_inner_texts()
    changes = ("แก้ไขคะแนน", "แก้ไขแผนมาตรการ", "ร่างแผน", "เสนออนุมัติ", "พิจารณาอนุมัติ", "บันทึก")
    assert buttons and not any(b.startswith(changes) for b in buttons), buttons
    menu = page.locator("nav.agency-nav").inner_text()
    assert "ปีงบประมาณ" in menu and "นำเข้า" not in menu

    # A visitor without an account, from the link the agency puts on its website.
    page = site.logout()
    page.goto(public_url)
    text = main_text(page)
    assert measure.title.split("\n")[0][:40] in text
    assert RESULT in text
    assert "นายสมชาย ใจดี" in text
