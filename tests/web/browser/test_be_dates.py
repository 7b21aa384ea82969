"""The date fields in a real browser (issue 12, defect 12): Buddhist-era years shown and taken,
the pattern compiled by chromium (a browser ignores a pattern it cannot compile), a Christian-era
date refused before the form is sent; a corrected progress entry says when it was edited."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from prongsai.web.cycle.models import ProgressEntry


def test_progress_date_in_buddhist_era(site, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    m = world["our_plan"].measures.order_by("position", "pk").first()
    ProgressEntry.objects.filter(measure=m).delete()
    page = site.login(world["users"]["editor"])
    site.goto(f"/a/tonyongmat/measures/{m.pk}/progress/")

    field = page.locator("#progress-form input[name=as_of]")
    today = timezone.localdate()
    assert field.get_attribute("type") == "text"
    assert field.input_value() == f"{today.day:02d}/{today.month:02d}/{today.year + 543}"
    field.fill("2026-01-15")
    assert field.evaluate("e => e.validity.patternMismatch") is True  # the pattern compiled
    field.fill("๑๕/๐๑/๒๕๖๙")
    assert field.evaluate("e => e.validity.valid") is True
    page.fill("#progress-form textarea[name=result]", "ผลจากเบราว์เซอร์")
    with page.expect_navigation():
        page.locator("#progress-form button[type=submit]").click()
    entry = m.progress.get(result="ผลจากเบราว์เซอร์")
    assert entry.as_of == date(2026, 1, 15)
    assert "15 มกราคม 2569" in page.locator("table.progress").inner_text()

    # Correct it through its แก้ไข link: the form comes back filled, in B.E.
    page.locator(f"#entry-{entry.pk} a", has_text="แก้ไข").click()
    page.wait_for_load_state()
    assert page.locator("#progress-form input[name=as_of]").input_value() == "15/01/2569"
    page.fill("#progress-form textarea[name=result]", "ผลที่แก้แล้ว")
    with page.expect_navigation():
        page.locator("#progress-form button[type=submit]").click()
    row = page.locator(f"#entry-{entry.pk}").inner_text()
    assert "ผลที่แก้แล้ว" in row and "แก้ไขเมื่อ" in row
