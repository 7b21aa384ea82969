"""Progress of a measure (issue 12, defects 7 and 12): an empty save is refused in Thai; entries
can be corrected and deleted by whoever may record progress, with history, shown as "แก้ไขเมื่อ";
progress and evidence are not edits of the plan (no new version, approval kept); dates are typed
and shown in the Buddhist era."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from prongsai.thai.dates import ce_to_be
from prongsai.web.cycle.models import MeasureStatus, Plan, PlanStatus, ProgressEntry
from prongsai.web.cycle.records import measure_record

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def url(name: str, **kw) -> str:
    return reverse(name, kwargs={"agency": "tonyongmat", **kw})


def first_measure(world):
    """The first measure (กองคลัง's), without the progress its import recorded today."""
    m = world["our_plan"].measures.order_by("position", "pk").first()
    ProgressEntry.objects.filter(measure=m).delete()
    m.status = MeasureStatus.NOT_STARTED
    m.save()
    return m


def report(client, m, **values):
    data = {"as_of": "15/01/2569", "status": "in_progress", "result": "", "outcome": "", "suggestion": ""}
    return client.post(url("measure_progress", measure=m.pk), {**data, **values})


def test_an_empty_progress_save_is_refused_and_hides_nothing(world, login):
    m = first_measure(world)
    c = login(world["users"]["editor"])
    assert report(c, m, result="จัดอบรมเจ้าหน้าที่ 40 คน").status_code == 302
    entries = m.progress.count()
    r = report(c, m)  # same status, nothing written
    assert r.status_code == 400
    assert "ไม่มีข้อมูลใหม่ให้บันทึก" in r.content.decode()
    assert m.progress.count() == entries
    assert measure_record(m).result == "จัดอบรมเจ้าหน้าที่ 40 คน"
    # A change of status alone is news: recorded, and the result reported before still shows.
    assert report(c, m, status="done").status_code == 302
    m.refresh_from_db()
    assert m.status == MeasureStatus.DONE and measure_record(m).result == "จัดอบรมเจ้าหน้าที่ 40 คน"


def test_a_progress_date_in_the_future_is_refused_beside_the_field(world, login):
    m = first_measure(world)
    tomorrow = timezone.localdate().replace(year=timezone.localdate().year + 1)
    r = report(login(world["users"]["editor"]), m, as_of=tomorrow.isoformat(), result="x")
    assert r.status_code == 400 and "วันที่ของข้อมูลต้องไม่เกินวันนี้" in r.content.decode()
    assert r.context["progress_form"].errors["as_of"]


def test_progress_and_evidence_leave_the_plan_version_and_approval(world, login):
    plan = world["our_plan"]
    Plan.objects.filter(pk=plan.pk).update(status=PlanStatus.APPROVED, approved_version=plan.content_version)
    plan.refresh_from_db()
    version = plan.content_version
    m = first_measure(world)
    c = login(world["users"]["editor"])
    assert report(c, m, result="ผลรอบที่ 1").status_code == 302
    for k in range(3):
        r = c.post(
            url("evidence_add", measure=m.pk),
            {"url": f"https://example.org/e{k}", "caption": "ลิงก์", "added_on": "15/01/2569"},
        )
        assert r.status_code == 302
    entry = m.progress.order_by("-pk").first()
    c.post(
        url("progress_edit", measure=m.pk),
        {"entry": entry.pk, "as_of": "16/01/2569", "status": "in_progress", "result": "ผลรอบที่ 1 (แก้)"},
    )
    c.post(url("evidence_delete", evidence=m.evidence.last().pk))
    plan.refresh_from_db()
    assert plan.content_version == version
    assert plan.status == PlanStatus.APPROVED and plan.approval_current


def test_an_entry_is_corrected_with_history_and_shown_as_edited(world, login):
    m = first_measure(world)
    editor = world["users"]["editor"]
    editor.first_name, editor.last_name = "สมศรี", "ตั้งใจ"
    editor.save()
    c = login(world["users"]["contributor"])  # กองคลัง: this measure's unit
    assert report(c, m, result="อบรม 1 ครั้ง").status_code == 302
    entry = m.progress.order_by("-pk").first()

    c = login(editor)
    form = c.get(url("progress_edit", measure=m.pk), {"entry": entry.pk})
    assert form.status_code == 200 and "อบรม 1 ครั้ง" in form.content.decode()
    r = c.post(
        url("progress_edit", measure=m.pk),
        {"entry": entry.pk, "as_of": "20/01/2569", "status": "done", "result": "อบรม 2 ครั้ง"},
    )
    assert r.status_code == 302
    entry.refresh_from_db()
    m.refresh_from_db()
    assert (entry.result, entry.as_of, entry.status) == ("อบรม 2 ครั้ง", date(2026, 1, 20), "done")
    assert entry.author == world["users"]["contributor"] and entry.edited is not None
    assert m.status == MeasureStatus.DONE  # the measure follows its latest entry
    before = entry.history.order_by("history_date")[0]
    assert before.result == "อบรม 1 ครั้ง" and entry.history.first().history_user == editor
    page = c.get(url("measure_progress", measure=m.pk)).content.decode()
    assert "แก้ไขเมื่อ" in page and "สมศรี ตั้งใจ" in page and "20 มกราคม 2569" in page

    # Emptying it is refused like an empty new entry.
    r = c.post(
        url("progress_edit", measure=m.pk),
        {"entry": entry.pk, "as_of": "20/01/2569", "status": "not_started"},
    )
    assert r.status_code == 400 and "ไม่มีข้อมูลใดเหลืออยู่" in r.content.decode()


def test_an_entry_is_deleted_with_history_and_the_status_follows(world, login):
    m = first_measure(world)
    c = login(world["users"]["editor"])
    report(c, m, as_of="10/01/2569", status="in_progress", result="เริ่มแล้ว")
    report(c, m, as_of="12/01/2569", status="done", result="เสร็จแล้ว")
    m.refresh_from_db()
    assert m.status == MeasureStatus.DONE
    last = m.progress.order_by("-as_of").first()
    assert c.get(url("progress_delete", measure=m.pk), {"entry": last.pk}).status_code == 405
    assert c.post(url("progress_delete", measure=m.pk), {"entry": last.pk}).status_code == 302
    m.refresh_from_db()
    assert not ProgressEntry.objects.filter(pk=last.pk).exists()
    assert m.status == MeasureStatus.IN_PROGRESS
    assert ProgressEntry.history.filter(id=last.pk, history_type="-").exists()


def test_only_who_may_record_progress_may_correct_it(world, login):
    m = first_measure(world)  # กองคลัง's
    other = world["our_plan"].measures.exclude(units=world["finance"]).order_by("position", "pk").first()
    c = login(world["users"]["editor"])
    report(c, other, result="ของกองอื่น")
    entry = other.progress.order_by("-pk").first()
    for role in ("contributor", "viewer", "approver"):
        c = login(world["users"][role])
        data = {"entry": entry.pk, "as_of": "15/01/2569", "status": "done", "result": "แก้"}
        assert c.post(url("progress_edit", measure=other.pk), data).status_code == 403, role
        assert c.post(url("progress_delete", measure=other.pk), {"entry": entry.pk}).status_code == 403, role
    # An entry is found only through its own measure; another agency's editor finds nothing.
    c = login(world["users"]["editor"])
    assert c.post(url("progress_delete", measure=m.pk), {"entry": entry.pk}).status_code == 404
    c = login(world["users"]["other_editor"])
    assert c.post(url("progress_delete", measure=other.pk), {"entry": entry.pk}).status_code == 404
    entry.refresh_from_db()
    assert entry.result == "ของกองอื่น"


def test_date_fields_show_and_take_buddhist_era_years(world, login):
    m = first_measure(world)
    c = login(world["users"]["editor"])
    html = c.get(url("measure_progress", measure=m.pk)).content.decode()
    today = timezone.localdate()
    shown = f"{today.day:02d}/{today.month:02d}/{ce_to_be(today.year)}"
    inputs = re.findall(r"<input[^>]*name=\"(?:as_of|added_on)\"[^>]*>", html)
    assert len(inputs) == 2
    for tag in inputs:
        assert f'value="{shown}"' in tag and 'type="text"' in tag and "pattern=" in tag
        assert 'inputmode="numeric"' in tag and "วว/ดด/ปปปป" in tag
    assert (
        'type="date"' not in html and str(today.year) not in re.sub(r"<[^>]*>", "", html).split("footer")[0]
    )
    assert "(พ.ศ.) เช่น" in html  # the hint under the field
    # Thai digits and two-digit years are read as B.E.; nonsense is refused in Thai.
    report(c, m, as_of="๓/๑/๖๙", result="ตัวเลขไทย")
    assert m.progress.filter(result="ตัวเลขไทย", as_of=date(2026, 1, 3)).exists()
    r = report(c, m, as_of="สามมกรา", result="x")
    assert r.status_code == 400 and "กรุณากรอกวันที่เป็น วว/ดด/ปปปป (พ.ศ.)" in r.content.decode()
    # The measure form's completion date too.
    m.period_end = date(2026, 3, 31)
    m.save()
    edit = c.get(url("measure_edit", measure=m.pk)).content.decode()
    assert re.search(
        r'name="period_end"[^>]*value="31/03/2569"|value="31/03/2569"[^>]*name="period_end"', edit
    )
