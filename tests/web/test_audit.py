"""The audit trail: every change is kept with who made it, when, and the values before and after."""

import pytest

from prongsai.web.cycle import actions
from prongsai.web.cycle.models import Measure

pytestmark = pytest.mark.django_db


def test_measure_edit_is_recorded_with_user_and_before_after(world, login):
    editor = world["users"]["editor"]
    client = login(editor)
    m = Measure.objects.filter(plan=world["our_plan"]).order_by("position", "pk").first()
    before_title = m.title
    actions.edit_measure(m, m.version, {"title": "มาตรการทดสอบการบันทึกประวัติ"})
    latest, previous = list(m.history.all()[:2])
    assert latest.title == "มาตรการทดสอบการบันทึกประวัติ"
    assert previous.title == before_title
    delta = latest.diff_against(previous)
    assert {c.field for c in delta.changes} == {"title", "version"}
    # Through the admin as a site admin: the history page lists the change.
    admin = login(world["users"]["admin"])
    page = admin.get(f"/admin/cycle/measure/{m.pk}/history/")
    assert page.status_code == 200
    assert "มาตรการทดสอบการบันทึกประวัติ" in page.content.decode() or "title" in page.content.decode()
    assert client  # the editor's session stays valid


def test_history_records_the_request_user(world, login):
    client = login(world["users"]["editor"])
    a = world["ours"].assessments.get(fiscal_year=2568)
    response = client.post(
        f"/a/{world['ours'].slug}/analysis/2568/",
        {"indicator": "1", "text": "คำอธิบายที่ผู้จัดทำแก้ไข"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code in (200, 204, 302)
    a.refresh_from_db()
    last = a.history.first()
    assert last.history_user == world["users"]["editor"]
