"""Defect 3 in the browser: accepting an imported report into a year that already has an approved
plan, by links and buttons only. The comparison page says what will change; merge keeps the plan
and adds the new measure, undo puts everything back, replace swaps the measures, undo again.
The database is asked after every step."""

from __future__ import annotations

import pytest

from prongsai.web.cycle.models import Evidence, Plan
from prongsai.web.imports.models import ImportJob, JobStatus
from tests.web.test_imports import _report_of_our_plan, _rows

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_TITLE = "มาตรการใหม่จากรายงานที่นำเข้า"


def _open_the_report(site, page):
    """From the agency menu to the report's review page."""
    page.get_by_role("link", name="นำเข้ารายงานเดิม").first.click()
    page.wait_for_url("**/imports/")
    page.get_by_role("link", name="ตรวจทาน").first.click()
    page.wait_for_url("**/imports/*/")
    assert "ตรวจทานรายงานที่นำเข้า" in page.content()


def _accept(page, mode_label: str):
    """The review's accept button, then the comparison page's choice and confirmation."""
    with page.expect_navigation():
        page.get_by_role("button", name="ยืนยันและบันทึกเข้าระบบ").click()
    page.wait_for_url("**/compare/")
    page.get_by_label(mode_label).check()
    page.get_by_label("ยืนยันให้แผนเป็นร่างฉบับใหม่").check()
    with page.expect_navigation():
        page.get_by_role("button", name="บันทึกเข้าระบบ", exact=True).click()
    assert "บันทึกเข้าระบบแล้ว" in page.content()


def _undo(page):
    with page.expect_navigation():
        page.get_by_role("button", name="ยกเลิกการนำเข้า (คืนข้อมูลเหมือนก่อนนำเข้า)").click()
    assert "ข้อมูลกลับเป็นเหมือนก่อนนำเข้า" in page.content()


def test_replace_merge_and_undo_by_buttons(site, world):
    ours, editor = world["ours"], world["users"]["editor"]
    plan, job = _report_of_our_plan(world)  # the approved 2569 plan read back from a report
    first = plan.measures.order_by("position", "pk").first()
    Evidence.objects.create(measure=first, kind="link", url="https://example.org/a", caption="รายงานการอบรม")
    n = plan.measures.count()
    before = _rows(ours)

    page = site.login(editor)
    _open_the_report(site, page)
    with page.expect_navigation():
        page.get_by_role("button", name="ยืนยันและบันทึกเข้าระบบ").click()
    page.wait_for_url("**/compare/")
    text = page.inner_text("main")
    # What it will change, before anything is written.
    assert "เพิ่มใหม่ 1 · เปลี่ยนแปลง 1 · เหมือนเดิม 8 · มาตรการเดิมที่ไม่มีในรายงาน 1" in text
    assert NEW_TITLE in text and "77.77" in text
    assert "ต้องเสนออนุมัติอีกครั้ง" in text
    assert _rows(ours) == before
    # Without the confirmation an approved plan is not touched.
    page.get_by_label("รวมกับมาตรการเดิม (จับคู่ตามชื่อมาตรการ)").check()
    with page.expect_navigation():
        page.get_by_role("button", name="บันทึกเข้าระบบ", exact=True).click()
    assert "กรุณายืนยันก่อนบันทึก" in page.inner_text("main")
    assert _rows(ours) == before
    page.get_by_label("ยืนยันให้แผนเป็นร่างฉบับใหม่").check()
    page.get_by_label("รวมกับมาตรการเดิม (จับคู่ตามชื่อมาตรการ)").check()
    with page.expect_navigation():
        page.get_by_role("button", name="บันทึกเข้าระบบ", exact=True).click()
    assert "บันทึกเข้าระบบแล้ว" in page.content()

    # Merge: one measure more (not every measure twice), the approval gone to a new draft.
    plan.refresh_from_db()
    assert plan.measures.count() == n + 1 and plan.measures.filter(title=NEW_TITLE).exists()
    assert plan.status == "draft" and not plan.approval_current
    assert Evidence.objects.filter(url="https://example.org/a").exists()  # kept by merge

    # Undo: exactly as before, the approval current again.
    _undo(page)
    assert _rows(ours) == before
    assert Plan.objects.get(pk=plan.pk).approval_current
    assert ImportJob.objects.get(pk=job.pk).status == JobStatus.DONE

    # The same report again, this time replacing the plan's measures.
    page.get_by_role("link", name="← ไฟล์ที่นำเข้าทั้งหมด").click()
    page.wait_for_url("**/imports/")
    page.get_by_role("link", name="ตรวจทาน").first.click()
    page.wait_for_url("**/imports/*/")
    _accept(page, "แทนที่มาตรการเดิมทั้งหมด")
    plan.refresh_from_db()
    titles = list(plan.measures.values_list("title", flat=True))
    assert len(titles) == n and NEW_TITLE in titles
    assert not Evidence.objects.filter(url="https://example.org/a").exists()  # replaced

    # Undo from the report's page again.
    _undo(page)
    assert _rows(ours) == before
    assert Evidence.objects.filter(url="https://example.org/a").exists()
