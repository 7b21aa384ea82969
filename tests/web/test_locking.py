"""Two people editing one measure: the second save is refused with the first person's values and
keeps the second person's input; nothing is overwritten silently."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from prongsai.web.agencies.models import Membership, Role
from prongsai.web.cycle.models import Measure
from prongsai.web.pages.forms_plans import MeasureForm

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_editors(world, client):
    from django.test import Client

    second = User.objects.create_user("editor2", password="x-pass-123", first_name="สมหญิง", last_name="รักงาน")
    Membership.objects.create(user=second, agency=world["ours"], role=Role.EDITOR)
    a, b = Client(), Client()
    a.force_login(world["users"]["editor"])
    b.force_login(second)
    return a, b


def form_data(m: Measure, **changes) -> dict:
    initial = MeasureForm.initial_for(m)
    data = {k: v for k, v in initial.items() if k not in ("units", "period_end", "budget", "indicators")}
    data["indicators"] = [str(i) for i in m.indicators]
    data["units"] = [u.pk for u in m.units.all()]
    data.update(changes)
    return data


def test_second_save_gets_the_conflict_and_the_first_value_stays(world, two_editors):
    a, b = two_editors
    m = world["our_plan"].measures.order_by("position", "pk").first()
    edit = reverse("measure_edit", kwargs={"agency": "tonyongmat", "measure": m.pk})
    # Both open the form on the same version.
    assert a.get(edit).status_code == 200 and b.get(edit).status_code == 200
    opened = form_data(m)

    r = a.post(edit, {**opened, "title": "ชื่อของคนแรก"})
    assert r.status_code == 302
    r = b.post(edit, {**opened, "title": "ชื่อของคนที่สอง", "steps": "ขั้นตอนของคนที่สอง"})
    assert r.status_code == 409
    html = r.content.decode()
    assert "มีผู้อื่นบันทึกมาตรการนี้ก่อนท่าน" in html
    assert "ชื่อของคนแรก" in html  # their value, shown
    assert "ชื่อของคนที่สอง" in html and "ขั้นตอนของคนที่สอง" in html  # the user's input, kept in the form
    m.refresh_from_db()
    assert m.title == "ชื่อของคนแรก" and m.steps != "ขั้นตอนของคนที่สอง" and m.version == 2
    # The form now carries the current version: saving again is a deliberate choice, and works.
    assert f'name="version" value="{m.version}"' in html
    r = b.post(edit, {**opened, "version": m.version, "title": "ชื่อของคนที่สอง"})
    assert r.status_code == 302
    m.refresh_from_db()
    assert m.title == "ชื่อของคนที่สอง" and m.version == 3
    # Every save is in the audit trail, with who made it.
    assert [h.history_user.username for h in m.history.all()[:2]] == ["editor2", "editor"]


def test_a_form_without_version_is_never_saved_blindly(world, two_editors):
    a, _ = two_editors
    m = world["our_plan"].measures.order_by("position", "pk").first()
    edit = reverse("measure_edit", kwargs={"agency": "tonyongmat", "measure": m.pk})
    data = form_data(m, title="ไม่มีเลขฉบับ")
    data.pop("version")
    assert a.post(edit, data).status_code == 409
    m.refresh_from_db()
    assert m.title != "ไม่มีเลขฉบับ"


def test_progress_report_does_not_make_an_open_edit_form_stale(world, two_editors):
    """Status comes from progress, not from the editor's form: a report between opening and saving
    the form is not a conflict, and the save keeps the reported status."""
    a, _ = two_editors
    m = world["our_plan"].measures.order_by("position", "pk").first()
    opened = form_data(m)
    from django.utils import timezone

    a.post(
        reverse("measure_progress", kwargs={"agency": "tonyongmat", "measure": m.pk}),
        {"as_of": timezone.localdate().isoformat(), "status": "in_progress"},
    )
    r = a.post(
        reverse("measure_edit", kwargs={"agency": "tonyongmat", "measure": m.pk}), {**opened, "title": "ใหม่"}
    )
    assert r.status_code == 302
    m.refresh_from_db()
    assert m.title == "ใหม่" and m.status == "in_progress"
