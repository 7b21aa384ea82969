"""The agency's own team (defect 13): its editor adds, renames and deactivates units (the real
กองยุทธศาสตร์และงบประมาณ included), invites people by e-mail with a role (and a unit for a
contributor) through a signed, expiring, single-use link, changes roles and removes members — never
leaving the agency without an editor. Other roles are refused (403), other agencies' editors find
nothing (404). Measures linked to units show the units' current names, on pages and in records."""

from __future__ import annotations

import re
import time
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.urls import reverse

from prongsai.web.agencies.access import Action, can
from prongsai.web.agencies.models import Invitation, Membership, Role, Unit
from prongsai.web.cycle.records import plan_record
from prongsai.web.notify.models import Notification
from tests.web.conftest import PASSWORD

pytestmark = pytest.mark.django_db

SLUG = "tonyongmat"
STRATEGY = "กองยุทธศาสตร์และงบประมาณ"
GOOD_PASSWORD = "ต้นหยงมัส-ITA-2569"


def url(name: str, **kw) -> str:
    return reverse(name, kwargs={"agency": SLUG, **kw})


@pytest.fixture
def editor(world, client):
    client.force_login(world["users"]["editor"])
    return client


def invite_link(message) -> str:
    found = re.search(r"https?://\S+/invite/\S+/", message.body)
    assert found, message.body
    return urlsplit(found.group(0)).path


def logs_in(client, username: str, password: str) -> bool:
    """Through the login page (the login throttle wants a real request)."""
    r = client.post(reverse("login"), {"username": username, "password": password})
    return r.status_code == 302 and "/login/" not in r["Location"]


def invite(client, email: str, role: str, unit=None):
    data = {"op": "invite", "email": email, "role": role}
    if unit is not None:
        data["unit"] = unit.pk
    return client.post(url("team_invitations"), data)


# ---------------------------------------------------------------- who may


def test_only_the_agencys_editor_manages_its_team(world, client):
    users = world["users"]
    client.force_login(users["editor"])
    page = client.get(url("team")).content.decode()
    assert "ทีมงานและส่วนราชการ" in page and "กองคลัง" in page and "contributor" in page
    # The menu leads there (no typed URL).
    assert url("team") in client.get(url("agency_dashboard")).content.decode()
    for role in ("contributor", "approver", "viewer"):
        client.force_login(users[role])
        assert client.get(url("team")).status_code == 403, role
        assert url("team") not in client.get(url("agency_dashboard")).content.decode(), role
        r = client.post(url("team_units"), {"op": "add", "name": STRATEGY})
        assert r.status_code == 403, role
        assert (
            client.post(url("team_invitations"), {"email": "x@example.org", "role": "viewer"}).status_code
            == 403
        )
    for outsider in ("other_editor", "province_overseer", "outsider"):
        client.force_login(users[outsider])
        assert client.get(url("team")).status_code == 404, outsider
        assert client.post(url("team_units"), {"op": "add", "name": STRATEGY}).status_code == 404
        member = Membership.objects.get(user=users["viewer"])
        r = client.post(url("team_members"), {"member": member.pk, "op": "remove"})
        assert r.status_code == 404
    assert not Unit.objects.filter(name=STRATEGY).exists()
    assert Membership.objects.filter(user=users["viewer"]).exists()
    assert not Invitation.objects.exists()
    client.logout()
    assert "/login/" in client.get(url("team"))["Location"]


def test_an_editor_cannot_touch_another_agencys_units_or_members(world, editor):
    theirs = world["theirs"]
    their_unit = theirs.units.first()
    their_member = Membership.objects.get(agency=theirs)
    r = editor.post(url("team_units"), {"op": "rename", "unit": their_unit.pk, "name": "ยึด"})
    assert r.status_code == 404
    r = editor.post(url("team_members"), {"op": "remove", "member": their_member.pk})
    assert r.status_code == 404
    their_unit.refresh_from_db()
    assert their_unit.name != "ยึด"
    assert Membership.objects.filter(pk=their_member.pk).exists()


# ---------------------------------------------------------------- units


def test_the_real_strategy_division_can_be_added_and_measures_follow_its_name(world, editor):
    plan = world["our_plan"]
    m = plan.measures.order_by("position", "pk").last()
    m.units.clear()
    m.responsible_text = f"{STRATEGY} และทุกส่วนราชการ"
    m.save()

    r = editor.post(url("team_units"), {"op": "add", "name": f"  {STRATEGY} "}, follow=True)
    page = r.content.decode()
    assert f"เพิ่มส่วนราชการ “{STRATEGY}” แล้ว" in page
    unit = Unit.objects.get(agency=world["ours"], name=STRATEGY)
    assert unit.active
    assert list(m.units.all()) == [unit]  # the measure that names it is linked to it

    # Twice is refused, in Thai, and nothing is added.
    r = editor.post(url("team_units"), {"op": "add", "name": STRATEGY})
    assert r.status_code == 400 and "มีส่วนราชการชื่อนี้อยู่แล้ว" in r.content.decode()
    assert Unit.objects.filter(agency=world["ours"], name=STRATEGY).count() == 1

    # Renamed: the plan page and the document record show the current name, not the stale text.
    new_name = "กองยุทธศาสตร์และงบประมาณ (ปรับโครงสร้าง)"
    editor.post(url("team_units"), {"op": "rename", "unit": unit.pk, "name": new_name})
    unit.refresh_from_db()
    assert unit.name == new_name
    record = plan_record(plan)
    responsible = next(r.responsible for r in record.measures if r.title == m.title)
    assert responsible == new_name
    assert new_name in editor.get(url("plan_detail", year=plan.fiscal_year)).content.decode()


def test_deactivating_a_unit(world, editor):
    finance = world["finance"]
    works = world["ours"].units.get(name="กองช่าง")
    # A unit that still has contributors stays, with the reason.
    r = editor.post(url("team_units"), {"op": "deactivate", "unit": finance.pk}, follow=True)
    assert "ยังมีผู้รายงานของ “กองคลัง” 1 คน" in r.content.decode()
    finance.refresh_from_db()
    assert finance.active

    editor.post(url("team_units"), {"op": "deactivate", "unit": works.pk})
    works.refresh_from_db()
    assert not works.active
    # No longer offered for new members or measures; still shown on the team page.
    page = editor.get(url("team")).content.decode()
    assert "เลิกใช้แล้ว" in page
    assert f'<option value="{works.pk}"' not in page
    m = world["our_plan"].measures.first()
    form = editor.get(url("measure_edit", measure=m.pk)).content.decode()
    assert f'name="units" value="{works.pk}"' not in form and f'name="units" value="{finance.pk}"' in form
    r = invite(editor, "new@example.go.th", Role.CONTRIBUTOR, works)
    assert r.status_code == 400
    editor.post(url("team_units"), {"op": "activate", "unit": works.pk})
    works.refresh_from_db()
    assert works.active


# ---------------------------------------------------------------- invitations


def test_invitation_by_email_lets_a_new_person_set_a_password_and_join(world, editor, client):
    finance = world["finance"]
    # A contributor needs a unit.
    r = invite(editor, "somsri@example.go.th", Role.CONTRIBUTOR)
    assert r.status_code == 400 and "ต้องมีส่วนราชการที่รับผิดชอบ" in r.content.decode()
    assert not mail.outbox

    r = invite(editor, "Somsri@Example.go.th", Role.CONTRIBUTOR, finance)
    assert r.status_code == 302
    inv = Invitation.objects.get()
    assert (inv.email, inv.role, inv.unit) == ("somsri@example.go.th", Role.CONTRIBUTOR, finance)
    assert [m.to for m in mail.outbox] == [["somsri@example.go.th"]]
    message = mail.outbox[0]
    assert message.subject == "[โปร่งใส] คำเชิญเข้าร่วม เทศบาลตำบลต้นหยงมัส"
    assert "ในบทบาท ผู้รายงานของส่วนราชการ ของ กองคลัง" in message.body
    assert "ใช้ได้ 7 วัน" in message.body
    link = invite_link(message)
    assert "somsri@example.go.th" in editor.get(url("team")).content.decode()  # pending

    client.logout()
    page = client.get(link)
    assert page.status_code == 200
    assert "ท่านได้รับเชิญเข้าร่วม เทศบาลตำบลต้นหยงมัส" in page.content.decode()
    # The password rules apply, in Thai.
    r = client.post(
        link,
        {
            "first_name": "สมศรี",
            "last_name": "ใจงาม",
            "username": "somsri",
            "password1": "1234567890",
            "password2": "1234567890",
        },
    )
    assert r.status_code == 400
    text = r.content.decode()
    assert "รหัสผ่านต้องไม่เป็นตัวเลขทั้งหมด" in text
    assert not User.objects.filter(username="somsri").exists()
    r = client.post(
        link,
        {
            "first_name": "สมศรี",
            "last_name": "ใจงาม",
            "username": "somsri",
            "password1": GOOD_PASSWORD,
            "password2": GOOD_PASSWORD,
        },
    )
    assert r.status_code == 302 and r["Location"] == url("agency_dashboard")
    user = User.objects.get(username="somsri")
    assert user.email == "somsri@example.go.th" and user.get_full_name() == "สมศรี ใจงาม"
    membership = Membership.objects.get(user=user)
    assert (membership.agency, membership.role, membership.unit) == (world["ours"], Role.CONTRIBUTOR, finance)
    assert client.get(url("agency_dashboard")).status_code == 200  # logged in
    client.logout()
    assert logs_in(client, "somsri", GOOD_PASSWORD)

    # The link works once.
    client.logout()
    again = client.get(link)
    assert again.status_code == 410 and "คำเชิญนี้ถูกใช้ไปแล้ว" in again.content.decode()


def test_an_invitation_link_expires_and_cannot_be_altered(world, editor, client, monkeypatch):
    invite(editor, "late@example.go.th", Role.VIEWER)
    link = invite_link(mail.outbox[-1])
    client.logout()
    assert client.get(link).status_code == 200
    later = time.time() + 8 * 24 * 3600
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)
    r = client.get(link)
    assert r.status_code == 410 and "หมดอายุแล้ว" in r.content.decode()
    monkeypatch.undo()
    token = link.rstrip("/").rsplit("/", 1)[1]
    forged = link.replace(token, token[:-2] + ("AA" if token[-2:] != "AA" else "BB"))
    r = client.get(forged)
    assert r.status_code == 410 and "ไม่ถูกต้อง" in r.content.decode()
    assert client.post(forged, {"username": "x"}).status_code == 410
    assert not Membership.objects.filter(user__username="x").exists()


def test_sending_again_replaces_the_link_and_revoking_kills_it(world, editor, client):
    invite(editor, "again@example.go.th", Role.APPROVER)
    first = invite_link(mail.outbox[-1])
    inv = Invitation.objects.get()
    editor.post(url("team_invitations"), {"op": "resend", "invitation": inv.pk})
    second = invite_link(mail.outbox[-1])
    assert first != second and Invitation.objects.count() == 1
    client.logout()
    assert client.get(first).status_code == 410
    assert client.get(second).status_code == 200
    editor.force_login(world["users"]["editor"])
    r = editor.post(url("team_invitations"), {"op": "revoke", "invitation": inv.pk}, follow=True)
    assert "ยกเลิกคำเชิญของ again@example.go.th แล้ว" in r.content.decode()
    client.logout()
    assert client.get(second).status_code == 410


def test_a_person_with_an_account_joins_with_it(world, editor, client):
    other = world["users"]["other_editor"]  # an editor of another agency
    other.email = "other@example.go.th"
    other.save()
    invite(editor, "other@example.go.th", Role.VIEWER)
    link = invite_link(mail.outbox[-1])
    client.logout()
    page = client.get(link).content.decode()
    assert "อีเมลนี้มีบัญชีในระบบแล้ว" in page and 'name="password1"' not in page
    r = client.post(link)
    assert r.status_code == 302 and "/login/" in r["Location"]
    assert Membership.objects.get(user=other, agency=world["ours"]).role == Role.VIEWER
    # Their other agency is untouched, and their password unchanged.
    assert Membership.objects.get(user=other, agency=world["theirs"]).role == Role.EDITOR
    assert logs_in(client, "other_editor", PASSWORD)


def test_a_member_is_not_invited_twice(world, editor):
    viewer = world["users"]["viewer"]
    viewer.email = "viewer@example.go.th"
    viewer.save()
    r = invite(editor, "VIEWER@example.go.th", Role.EDITOR)
    assert r.status_code == 400 and "เป็นสมาชิกของหน่วยงานอยู่แล้ว" in r.content.decode()
    assert not Invitation.objects.exists() and not mail.outbox


# ---------------------------------------------------------------- members


def _change(client, m: Membership, role: str, unit=None):
    data = {"op": "change", "member": m.pk, f"m{m.pk}-role": role}
    if unit is not None:
        data[f"m{m.pk}-unit"] = unit.pk
    return client.post(url("team_members"), data)


def test_roles_change_and_members_are_removed(world, editor):
    users = world["users"]
    viewer = Membership.objects.get(user=users["viewer"])
    r = _change(editor, viewer, Role.CONTRIBUTOR)
    assert r.status_code == 400 and "ต้องมีส่วนราชการที่รับผิดชอบ" in r.content.decode()
    _change(editor, viewer, Role.CONTRIBUTOR, world["finance"])
    viewer.refresh_from_db()
    assert (viewer.role, viewer.unit) == (Role.CONTRIBUTOR, world["finance"])
    _change(editor, viewer, Role.APPROVER, world["finance"])
    viewer.refresh_from_db()
    assert (viewer.role, viewer.unit) == (Role.APPROVER, None)  # only contributors have a unit
    # The role's rights follow at once: the new approver may decide, and update no measure.
    user = User.objects.get(pk=users["viewer"].pk)
    assert can(user, Action.APPROVE, world["ours"]) and not can(user, Action.UPDATE_MEASURE, world["ours"])
    assert viewer.history.count() >= 3  # every change is in the audit trail

    told = Notification.objects.create(
        recipient=users["viewer"], agency=world["ours"], kind="plan_submitted", text="แผนรออนุมัติ"
    )
    elsewhere = Notification.objects.create(recipient=users["viewer"], kind="plan_approved", text="อื่น")
    r = editor.post(url("team_members"), {"op": "remove", "member": viewer.pk}, follow=True)
    assert "ออกจากหน่วยงานแล้ว" in r.content.decode()
    # What they were told about this agency goes with the role; nothing else of theirs.
    assert not Notification.objects.filter(pk=told.pk).exists()
    assert Notification.objects.filter(pk=elsewhere.pk).exists()
    assert not Membership.objects.filter(pk=viewer.pk).exists()
    editor.force_login(users["viewer"])
    assert editor.get(url("agency_dashboard")).status_code == 404


def test_the_last_editor_cannot_leave_or_step_down(world, editor):
    users = world["users"]
    me = Membership.objects.get(user=users["editor"])
    r = editor.post(url("team_members"), {"op": "remove", "member": me.pk}, follow=True)
    assert "หน่วยงานต้องมีผู้จัดทำอย่างน้อยหนึ่งคน" in r.content.decode()
    r = _change(editor, me, Role.VIEWER)
    me.refresh_from_db()
    assert me.role == Role.EDITOR

    # With a second editor, stepping down is allowed.
    approver = Membership.objects.get(user=users["approver"])
    _change(editor, approver, Role.EDITOR)
    _change(editor, me, Role.VIEWER)
    me.refresh_from_db()
    assert me.role == Role.VIEWER
    assert editor.get(url("team")).status_code == 403  # no longer manages the team
