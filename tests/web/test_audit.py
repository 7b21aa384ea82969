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


# ---- accounts, roles, API tokens, link checks (issue 11, item 9): AuditEvent, on the admin's
# "บันทึกการตรวจสอบ" list.


def _events(action):
    from prongsai.web.agencies.models import AuditEvent

    return list(AuditEvent.objects.filter(action=action).order_by("pk"))


def _audit_page(login, world, **query) -> str:
    from urllib.parse import urlencode

    page = login(world["users"]["admin"]).get(f"/admin/agencies/auditevent/?{urlencode(query)}")
    assert page.status_code == 200
    return page.content.decode()


def test_user_creation_change_and_deactivation_are_audited(world, login):
    from django.contrib.auth.models import User

    from prongsai.web.agencies.models import AuditAction

    admin = login(world["users"]["admin"])
    r = admin.post(
        "/admin/auth/user/add/",
        {
            "username": "newclerk",
            "password1": "ยาวพอ-และ-ไม่ง่าย-9",
            "password2": "ยาวพอ-และ-ไม่ง่าย-9",
            "usable_password": "true",
        },
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    clerk = User.objects.get(username="newclerk")
    [created] = _events(AuditAction.USER_CREATED)[-1:]
    assert created.target == "newclerk" and created.actor == world["users"]["admin"]
    # Deactivated and made staff through the admin's change form: two entries, before and after.
    r = admin.post(
        f"/admin/auth/user/{clerk.pk}/change/",
        {
            "username": "newclerk",
            "email": "clerk@tonyongmat.go.th",
            "is_staff": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
            "initial-date_joined_0": "2026-01-01",
            "initial-date_joined_1": "00:00:00",
        },
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    [off] = _events(AuditAction.USER_DEACTIVATED)
    assert off.target == "newclerk" and off.actor_name == "admin"
    [changed] = _events(AuditAction.USER_CHANGED)
    assert changed.detail["is_staff"] == [False, True]
    assert changed.detail["email"] == ["", "clerk@tonyongmat.go.th"]
    assert "password" not in changed.detail
    # A login writes last_login: nothing audited.
    before = len(_events(AuditAction.USER_CHANGED))
    world["users"]["viewer"].save(update_fields=["last_login"])
    assert len(_events(AuditAction.USER_CHANGED)) == before
    page = _audit_page(login, world, action="user.deactivated")
    assert "newclerk" in page and "ระงับบัญชีผู้ใช้" in page


def test_password_change_and_reset_are_audited_without_the_hash(world, login, client):
    import re

    from django.core import mail

    from prongsai.web.agencies.models import AuditAction

    viewer = world["users"]["viewer"]
    admin = login(world["users"]["admin"])
    r = admin.post(
        f"/admin/auth/user/{viewer.pk}/password/",
        {"password1": "รหัสใหม่ที่ยาวพอ-2569", "password2": "รหัสใหม่ที่ยาวพอ-2569", "usable_password": "true"},
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    [changed] = _events(AuditAction.PASSWORD_CHANGED)
    assert changed.target == "viewer" and changed.actor == world["users"]["admin"]
    viewer.refresh_from_db()
    assert viewer.password not in str(changed.detail)
    # Through the e-mailed link: credited to the account itself.
    viewer.email = "viewer@tonyongmat.go.th"
    viewer.save()
    anonymous = client.__class__()
    anonymous.post("/password/reset/", {"email": viewer.email})
    link = re.search(r"https?://\S+(/password/reset/\S+/\S+/)", mail.outbox[-1].body).group(1)
    form_url = anonymous.get(link)["Location"]
    r = anonymous.post(form_url, {"new_password1": "อีกรหัสที่ยาวพอ-2569", "new_password2": "อีกรหัสที่ยาวพอ-2569"})
    assert r.status_code == 302
    [reset] = _events(AuditAction.PASSWORD_RESET)
    assert reset.actor == viewer and reset.target == "viewer"


def test_role_changes_are_audited_with_before_and_after(world, login):
    from prongsai.web.agencies.models import AuditAction, Membership

    m = Membership.objects.get(user=world["users"]["viewer"], agency=world["ours"])
    client = login(world["users"]["editor"])
    r = client.post(
        f"/a/{world['ours'].slug}/team/members/",
        {"op": "change", "member": m.pk, f"m{m.pk}-role": "approver"},
    )
    assert r.status_code in (200, 302)
    [changed] = _events(AuditAction.MEMBERSHIP_CHANGED)
    assert changed.actor == world["users"]["editor"] and changed.agency == world["ours"]
    assert changed.detail["before"]["role"] == "viewer" and changed.detail["after"]["role"] == "approver"
    client.post(f"/a/{world['ours'].slug}/team/members/", {"op": "remove", "member": m.pk})
    [removed] = _events(AuditAction.MEMBERSHIP_REMOVED)
    assert removed.target == "viewer" and removed.actor == world["users"]["editor"]


def test_api_tokens_issued_and_revoked_are_audited(world, login):
    from prongsai.web.agencies.models import ApiToken, AuditAction

    token, _ = ApiToken.issue(world["users"]["viewer"], "สคริปต์")
    [issued] = _events(AuditAction.TOKEN_ISSUED)
    assert issued.target == "สคริปต์ (viewer)" and issued.detail["expires"] == token.expires.isoformat()
    admin = login(world["users"]["admin"])
    r = admin.post(f"/admin/agencies/apitoken/{token.pk}/delete/", {"post": "yes"})
    assert r.status_code == 302
    [revoked] = _events(AuditAction.TOKEN_REVOKED)
    assert revoked.actor == world["users"]["admin"] and revoked.target == "สคริปต์ (viewer)"


def test_link_checks_are_audited_with_who_when_and_the_result(world, login, monkeypatch):
    from prongsai.web.agencies.models import AuditAction
    from prongsai.web.cycle import links
    from prongsai.web.cycle.models import Evidence, LinkCheck

    plan = world["our_plan"]
    m = plan.measures.order_by("position", "pk").first()
    Evidence.objects.create(measure=m, kind="link", url="https://example.org/gone")
    monkeypatch.setattr(links, "fetch_status", lambda url: (not url.endswith("/gone"), 404, "http"))
    client = login(world["users"]["editor"])
    r = client.post(f"/a/{world['ours'].slug}/plans/{plan.fiscal_year}/linkcheck/")
    assert r.status_code in (200, 302)
    check = LinkCheck.objects.get(plan=plan)
    [event] = _events(AuditAction.LINK_CHECK)
    assert event.actor == world["users"]["editor"] and event.agency == world["ours"]
    assert event.target_id == str(check.pk) and abs((event.at - check.started).total_seconds()) < 5
    page = _audit_page(login, world, action="linkcheck")
    assert f"ใช้ไม่ได้ {len(check.failures)} ลิงก์" in page and len(check.failures) >= 1
    assert "editor" in page
