"""Notifications (defect 14): the approver is told a plan waits, the editor that it was returned or
approved, contributors are reminded of their unit's overdue measures, on the dashboard and by
e-mail (Thai, through Django's e-mail framework), read and marked read by their recipient only,
e-mails turned off per person, and one daily digest per person."""

from __future__ import annotations

import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from prongsai.thai.dates import thai_datetime
from prongsai.web.cycle.models import Measure, MeasureStatus
from prongsai.web.notify.models import Kind, Notification, Preference
from prongsai.web.notify.tasks import send_daily_digest

pytestmark = pytest.mark.django_db

SLUG = "tonyongmat"
YEAR = 2569


def url(name: str, **kw) -> str:
    return reverse(name, kwargs={"agency": SLUG, **kw})


@pytest.fixture
def people(world):
    """Every member of our agency with an e-mail address."""
    for role in ("editor", "contributor", "approver", "viewer", "other_editor"):
        u = world["users"][role]
        u.email = f"{role}@example.go.th"
        u.save()
    return world["users"]


@pytest.fixture
def links_ok(monkeypatch):
    import prongsai.web.cycle.links as links

    monkeypatch.setattr(links, "latest_check_ok", lambda plan: (True, ""))


@pytest.fixture
def act(client, django_capture_on_commit_callbacks):
    """POST as a user, running what waits for the commit (the signals) as a real request would."""

    def post(user, path, data=None):
        client.force_login(user)
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(path, data or {})

    return post


def submit(act, people):
    r = act(people["editor"], url("plan_submit", year=YEAR))
    assert r.status_code == 302


def decide(act, people, world, decision: str, comment: str = ""):
    plan = world["our_plan"]
    plan.refresh_from_db()
    r = act(
        people["approver"],
        url("plan_decide", year=YEAR),
        {"decision": decision, "version": plan.content_version, "comment": comment},
    )
    assert r.status_code == 302


def kinds(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_submit_tells_the_approver_on_the_dashboard_and_by_email(world, people, act, links_ok, client):
    submit(act, people)
    assert kinds(people["approver"]) == [Kind.PLAN_SUBMITTED]
    for other in ("editor", "contributor", "viewer", "other_editor"):
        assert kinds(people[other]) == [], other
    assert [m.to for m in mail.outbox] == [["approver@example.go.th"]]
    message = mail.outbox[0]
    assert "แผนรออนุมัติ" in message.subject and "เทศบาลตำบลต้นหยงมัส" in message.subject
    assert "เรียน นายสมชาย ใจดี" in message.body
    assert "เสนอแผนมาตรการปีงบประมาณ 2569" in message.body
    assert f"/a/{SLUG}/plans/{YEAR}/" in message.body

    client.force_login(people["approver"])
    page = client.get(url("agency_dashboard")).content.decode()
    assert 'id="notifications"' in page
    assert "รอท่านพิจารณาอนุมัติ" in page
    assert 'class="badge count"' in page  # the menu's unread count
    # Nobody else's dashboard shows it.
    client.force_login(people["viewer"])
    assert "รอท่านพิจารณาอนุมัติ" not in client.get(url("agency_dashboard")).content.decode()


def test_return_and_approval_tell_the_editor(world, people, act, links_ok):
    submit(act, people)
    mail.outbox.clear()
    decide(act, people, world, "returned", "เพิ่มมาตรการของตัวชี้วัดที่ 9")
    returned = Notification.objects.get(recipient=people["editor"])
    assert returned.kind == Kind.PLAN_RETURNED
    assert "เพิ่มมาตรการของตัวชี้วัดที่ 9" in returned.text
    assert kinds(people["approver"]) == [Kind.PLAN_SUBMITTED]  # not told of their own decision
    assert [m.to for m in mail.outbox] == [["editor@example.go.th"]]
    assert "แผนถูกส่งกลับแก้ไข" in mail.outbox[0].subject
    assert "เพิ่มมาตรการของตัวชี้วัดที่ 9" in mail.outbox[0].body

    submit(act, people)
    decide(act, people, world, "approved")
    assert sorted(kinds(people["editor"])) == sorted([Kind.PLAN_RETURNED, Kind.PLAN_APPROVED])
    assert "แผนได้รับอนุมัติ" in mail.outbox[-1].subject
    assert mail.outbox[-1].to == ["editor@example.go.th"]


def test_a_refused_action_tells_nobody(world, people, act, monkeypatch):
    import prongsai.web.cycle.links as links

    monkeypatch.setattr(links, "latest_check_ok", lambda plan: (False, "ยังไม่ได้ตรวจสอบลิงก์"))
    submit(act, people)
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_email_can_be_turned_off_and_the_notification_still_shows(world, people, act, links_ok, client):
    client.force_login(people["approver"])
    page = client.get(reverse("notifications")).content.decode()
    assert "รับการแจ้งเตือนทางอีเมล" in page and "checked" in page
    r = client.post(reverse("notification_settings"), {}, follow=True)
    assert "ปิดการแจ้งเตือนทางอีเมลแล้ว" in r.content.decode()
    assert Preference.objects.get(user=people["approver"]).email is False

    submit(act, people)
    assert kinds(people["approver"]) == [Kind.PLAN_SUBMITTED]
    assert mail.outbox == []
    # And back on.
    client.force_login(people["approver"])
    client.post(reverse("notification_settings"), {"email": "1"})
    assert Preference.objects.get(user=people["approver"]).email is True


def test_marking_read_and_opening(world, people, act, links_ok, client):
    submit(act, people)
    n = Notification.objects.get(recipient=people["approver"])

    # Someone else cannot mark it, nor see it.
    client.force_login(people["editor"])
    r = client.post(reverse("notification_read"), {"id": n.pk}, follow=True)
    assert "ไม่พบการแจ้งเตือนนี้" in r.content.decode()
    assert "รอท่านพิจารณาอนุมัติ" not in client.get(reverse("notifications")).content.decode()
    n.refresh_from_db()
    assert n.read is None

    client.force_login(people["approver"])
    listing = client.get(reverse("notifications")).content.decode()
    assert "รอท่านพิจารณาอนุมัติ" in listing
    assert thai_datetime(n.created) in listing  # B.E., Bangkok time
    r = client.post(reverse("notification_read"), {"id": n.pk, "open": "1"})
    assert r.status_code == 302 and r["Location"] == f"/a/{SLUG}/plans/{YEAR}/"
    n.refresh_from_db()
    assert n.read is not None
    page = client.get(url("agency_dashboard")).content.decode()
    assert "ไม่มีการแจ้งเตือนใหม่" in page
    assert 'class="badge count"' not in page
    # GET does not mark anything.
    assert client.get(reverse("notification_read")).status_code == 405


def test_mark_all_read_is_the_users_own_only(world, people, act, links_ok, client):
    submit(act, people)
    decide(act, people, world, "returned", "แก้ไข")
    client.force_login(people["editor"])
    client.post(reverse("notification_read"), {"all": "1"})
    assert not Notification.objects.filter(recipient=people["editor"], read__isnull=True).exists()
    assert Notification.objects.filter(recipient=people["approver"], read__isnull=True).count() == 1


def _overdue_setup(world):
    """The contributor's unit (กองคลัง) owns the first measure; it and another measure are overdue
    (one by its date, one by a period written as text only)."""
    plan = world["our_plan"]
    measures = list(plan.measures.order_by("position", "pk"))
    mine, other = measures[0], measures[1]
    Measure.objects.filter(plan=plan).update(status=MeasureStatus.DONE)
    Measure.objects.filter(pk=mine.pk).update(
        status=MeasureStatus.IN_PROGRESS, period="ไตรมาส 1", period_end=None
    )
    Measure.objects.filter(pk=other.pk).update(status=MeasureStatus.NOT_STARTED, period="ตุลาคม 2568")
    other.units.clear()
    mine.refresh_from_db()
    other.refresh_from_db()
    assert mine.overdue and other.overdue
    assert world["finance"] in mine.units.all()
    return mine, other


def test_daily_digest_reminds_the_unit_of_its_overdue_measures(world, people):
    mine, other = _overdue_setup(world)
    out = io.StringIO()
    call_command("send_digest", stdout=out)
    assert "digests sent: 2" in out.getvalue()

    by_to = {m.to[0]: m for m in mail.outbox}
    assert set(by_to) == {"contributor@example.go.th", "editor@example.go.th"}
    contributor_mail = by_to["contributor@example.go.th"]
    assert "สรุปการแจ้งเตือนประจำวันที่" in contributor_mail.subject
    assert mine.title[:40] in contributor_mail.body
    assert other.title[:40] not in contributor_mail.body  # not their unit's
    assert f"/a/{SLUG}/measures/{mine.pk}/progress/" in contributor_mail.body
    editor_mail = by_to["editor@example.go.th"]
    assert mine.title[:40] in editor_mail.body and other.title[:40] in editor_mail.body

    # On the dashboard too, once per measure however often the digest runs.
    assert kinds(people["contributor"]) == [Kind.OVERDUE]
    assert sorted(kinds(people["editor"])) == [Kind.OVERDUE, Kind.OVERDUE]
    assert kinds(people["approver"]) == [] and kinds(people["viewer"]) == []
    mail.outbox.clear()
    send_daily_digest.enqueue()  # the same round through the task framework
    assert Notification.objects.filter(kind=Kind.OVERDUE).count() == 3
    assert {m.to[0] for m in mail.outbox} == {"contributor@example.go.th", "editor@example.go.th"}


def test_digest_sends_what_is_new_once_and_respects_email_off(world, people, act, links_ok, settings):
    # Events without an immediate e-mail (the queue being down) are in the next digest, once.
    from prongsai.web.notify import events

    events_enqueue = events._enqueue_email
    events._enqueue_email = lambda pk: None
    try:
        submit(act, people)
    finally:
        events._enqueue_email = events_enqueue
    Measure.objects.filter(plan=world["our_plan"]).update(status=MeasureStatus.DONE)
    assert mail.outbox == []
    counts = send_daily_digest.call()
    assert counts["sent"] == 1
    assert mail.outbox[0].to == ["approver@example.go.th"]
    assert "รอท่านพิจารณาอนุมัติ" in mail.outbox[0].body
    assert settings.PRONGSAI_SITE_URL + f"/a/{SLUG}/plans/{YEAR}/" in mail.outbox[0].body
    mail.outbox.clear()
    assert send_daily_digest.call()["sent"] == 0  # nothing new, nothing overdue
    assert mail.outbox == []

    _overdue_setup(world)
    Preference.objects.update_or_create(user=people["contributor"], defaults={"email": False})
    send_daily_digest.call()
    assert "contributor@example.go.th" not in {m.to[0] for m in mail.outbox}
    assert kinds(people["contributor"]) == [Kind.OVERDUE]  # still shown in the app


def test_notifications_pages_need_a_login(client):
    assert client.get(reverse("notifications")).status_code == 302
    assert "/login/" in client.post(reverse("notification_read"), {"all": "1"})["Location"]


def test_english_reader_gets_the_message_from_the_catalogue(world, people, act, links_ok, client):
    submit(act, people)
    client.force_login(people["approver"])
    with translation.override("th"):  # the /en/ request activates English: not for the next test
        page = client.get("/en/notifications/").content.decode()
    assert "waiting for your approval" in page
    assert "Plan waiting for approval" in page


def test_a_failing_notification_does_not_undo_or_break_the_action(
    world, people, act, links_ok, monkeypatch, caplog
):
    from prongsai.web.notify import events

    def broken(*args, **kwargs):
        raise RuntimeError("notification store down")

    monkeypatch.setattr(events, "notify", broken)
    submit(act, people)  # still a redirect, not a server error
    world["our_plan"].refresh_from_db()
    assert world["our_plan"].status == "submitted"
    assert "receiver" in caplog.text and "notification store down" in caplog.text


def test_overdue_reminders_go_on_once_next_years_plan_is_drafted(world, people):
    """Next year's plan is drafted in August or September while this year's measures still run:
    the reminders follow the plans under way, not the newest plan."""
    from prongsai.web.cycle.models import Plan

    mine, _other = _overdue_setup(world)
    Plan.objects.create(agency=world["ours"], fiscal_year=world["our_plan"].fiscal_year + 2)
    call_command("send_digest", stdout=io.StringIO())
    assert any(mine.title[:40] in m.body for m in mail.outbox if m.to == ["contributor@example.go.th"])


def test_opening_a_notification_never_leaves_the_site(world, people, login):
    n = Notification.objects.create(
        recipient=people["editor"], agency=world["ours"], kind=Kind.OVERDUE, text="x", link="//evil.example/x"
    )
    r = login(people["editor"]).post(reverse("notification_read"), {"id": str(n.pk), "open": "1"})
    assert r.status_code == 302 and "evil.example" not in r["Location"]
