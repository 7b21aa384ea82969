"""The approval workflow through the pages: draft -> submitted (links checked first) -> approved,
or returned with a comment; an approval names the exact version and keeps the record as approved;
a later edit needs a new approval. And the whole year's flow end to end."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from prongsai.web.cycle.models import Approval, Decision, EvidenceKind, Plan, PlanStatus
from tests.web.test_pages_plans import uploads  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db

SLUG = "tonyongmat"
NEEDS_NEW_APPROVAL = "แก้ไขหลังอนุมัติ ต้องขออนุมัติใหม่"


def url(name: str, **kw) -> str:
    return reverse(name, kwargs={"agency": SLUG, **kw})


@pytest.fixture
def links_ok(monkeypatch):
    """The link checker's verdict, set by the test (its own tests check the real one)."""
    import prongsai.web.cycle.links as links

    verdict = {"value": (True, "")}
    monkeypatch.setattr(links, "latest_check_ok", lambda plan: verdict["value"])
    return verdict


def png() -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", (40, 30), (20, 120, 200)).save(buf, "PNG")
    return SimpleUploadedFile("กิจกรรม.png", buf.getvalue(), content_type="image/png")


def plan_of(year: int) -> Plan:
    return Plan.objects.get(agency__slug=SLUG, fiscal_year=year)


def edit_first_measure(client, plan: Plan, title: str):
    m = plan.measures.order_by("position", "pk").first()
    data = {
        "version": m.version,
        "title": title,
        "indicators": m.indicators,
        "steps": m.steps,
        "period": m.period,
    }
    return client.post(url("measure_edit", measure=m.pk), data)


def test_submit_needs_checked_links_and_says_why(world, login, links_ok):
    plan = world["our_plan"]
    c = login(world["users"]["editor"])
    links_ok["value"] = (False, "ยังไม่ได้ตรวจสอบลิงก์")
    r = c.post(url("plan_submit", year=2569), follow=True)
    assert "ยังไม่ได้ตรวจสอบลิงก์" in r.content.decode()
    assert plan_of(2569).status == PlanStatus.DRAFT
    # The page shows the reason before the editor even tries.
    assert "ยังเสนออนุมัติไม่ได้" in c.get(url("plan_detail", year=2569)).content.decode()
    links_ok["value"] = (True, "")
    c.post(url("plan_submit", year=2569))
    assert plan_of(2569).status == PlanStatus.SUBMITTED
    # Submitting twice, or deciding as the editor, does nothing.
    r = c.post(url("plan_submit", year=2569), follow=True)
    assert "เสนออนุมัติไม่ได้" in r.content.decode()
    assert (
        c.post(
            url("plan_decide", year=2569), {"decision": "approved", "version": plan.content_version}
        ).status_code
        == 403
    )


def test_approver_cannot_submit_and_contributor_cannot_decide(world, login, links_ok):
    assert login(world["users"]["approver"]).post(url("plan_submit", year=2569)).status_code == 403
    assert login(world["users"]["contributor"]).post(url("plan_submit", year=2569)).status_code == 403
    r = login(world["users"]["contributor"]).post(url("plan_decide", year=2569), {"decision": "approved"})
    assert r.status_code == 403


def test_approve_records_the_version_and_snapshot_and_an_edit_needs_a_new_approval(world, login, links_ok):
    editor, approver = login(world["users"]["editor"]), None
    editor.post(url("plan_submit", year=2569))
    plan = plan_of(2569)
    version = plan.content_version
    approver = login(world["users"]["approver"])
    page = approver.get(url("plan_detail", year=2569)).content.decode()
    assert "พิจารณาอนุมัติ" in page and f'name="version" value="{version}"' in page
    r = approver.post(
        url("plan_decide", year=2569), {"decision": "approved", "comment": "", "version": version}
    )
    assert r.status_code == 302
    plan = plan_of(2569)
    assert plan.status == PlanStatus.APPROVED and plan.approved_version == version and plan.approval_current
    a = Approval.objects.get(plan=plan)
    assert a.version == version and a.decision == Decision.APPROVED
    assert a.approver == world["users"]["approver"] and a.approver_name == "นายสมชาย ใจดี"
    assert len(a.snapshot["measures"]) == 10 and a.snapshot["report_fiscal_year"] == 2569
    assert a.snapshot["agency"]["name"] == "เทศบาลตำบลต้นหยงมัส"
    page = approver.get(url("plan_detail", year=2569)).content.decode()
    assert "อนุมัติแล้ว" in page and "การอนุมัติเป็นปัจจุบัน" in page and "นายสมชาย ใจดี" in page
    assert NEEDS_NEW_APPROVAL not in page

    # An edit after approval: back to draft, the approval no longer holds, the page says so.
    editor = login(world["users"]["editor"])
    assert edit_first_measure(editor, plan, "ชื่อที่แก้หลังอนุมัติ").status_code == 302
    plan = plan_of(2569)
    assert plan.status == PlanStatus.DRAFT and not plan.approval_current
    assert plan.content_version > version and plan.approved_version == version
    page = editor.get(url("plan_detail", year=2569)).content.decode()
    assert NEEDS_NEW_APPROVAL in page
    # The approved record is what was approved, not the edited one.
    a.refresh_from_db()
    assert "ชื่อที่แก้หลังอนุมัติ" not in str(a.snapshot)


def test_return_needs_a_comment_and_shows_it(world, login, links_ok):
    login(world["users"]["editor"]).post(url("plan_submit", year=2569))
    version = plan_of(2569).content_version
    approver = login(world["users"]["approver"])
    r = approver.post(
        url("plan_decide", year=2569),
        {"decision": "returned", "comment": " ", "version": version},
        follow=True,
    )
    assert "กรุณาระบุเหตุผล" in r.content.decode()
    assert plan_of(2569).status == PlanStatus.SUBMITTED and not Approval.objects.exists()

    comment = "ขอให้เพิ่มงบประมาณของมาตรการที่ 3"
    approver.post(
        url("plan_decide", year=2569), {"decision": "returned", "comment": comment, "version": version}
    )
    plan = plan_of(2569)
    assert (
        plan.status == PlanStatus.RETURNED
        and plan.return_comment == comment
        and plan.approved_version is None
    )
    a = Approval.objects.get(plan=plan)
    assert a.decision == Decision.RETURNED and a.comment == comment and a.version == version
    page = login(world["users"]["editor"]).get(url("plan_detail", year=2569)).content.decode()
    assert "ส่งกลับแก้ไข" in page and comment in page
    # Returned plans can be submitted again.
    login(world["users"]["editor"]).post(url("plan_submit", year=2569))
    assert plan_of(2569).status == PlanStatus.SUBMITTED


def test_decision_on_a_version_that_changed_is_refused(world, login, links_ok):
    login(world["users"]["editor"]).post(url("plan_submit", year=2569))
    seen = plan_of(2569).content_version
    plan = plan_of(2569)
    Plan.objects.filter(pk=plan.pk).update(content_version=seen + 1)  # changed behind the approver's back
    r = login(world["users"]["approver"]).post(
        url("plan_decide", year=2569), {"decision": "approved", "version": seen}, follow=True
    )
    assert "แผนถูกแก้ไขระหว่างที่ท่านพิจารณา" in r.content.decode()
    assert plan_of(2569).status == PlanStatus.SUBMITTED and not Approval.objects.exists()


@pytest.mark.usefixtures("uploads")
def test_the_whole_year(world, login, links_ok):
    """Editor drafts a new year from the engine, edits a measure; the contributor reports progress
    with a photo on their unit's measure (403 on another's); the editor submits; the approver approves."""
    editor = login(world["users"]["editor"])
    editor.post(url("plan_create", year=2570), {"source": "engine"})
    plan = plan_of(2570)
    assert {i for m in plan.measures.all() for i in m.indicators} == set(range(1, 11))
    assert edit_first_measure(editor, plan, "มาตรการที่ปรับแล้ว").status_code == 302

    finance = world["finance"]
    measures = list(plan.measures.order_by("position", "pk"))
    mine = next(m for m in measures if m.units.filter(pk=finance.pk).exists())
    theirs = next(m for m in measures if not m.units.filter(pk=finance.pk).exists())
    contributor = login(world["users"]["contributor"])
    today = timezone.localdate().isoformat()
    r = contributor.post(
        url("measure_progress", measure=mine.pk), {"as_of": today, "status": "done", "result": "ดำเนินการครบ"}
    )
    assert r.status_code == 302
    r = contributor.post(
        url("evidence_add", measure=mine.pk), {"file": png(), "caption": "ภาพ", "added_on": today}
    )
    assert r.status_code == 302 and mine.evidence.get().kind == EvidenceKind.PHOTO
    assert (
        contributor.post(
            url("measure_progress", measure=theirs.pk), {"as_of": today, "status": "done"}
        ).status_code
        == 403
    )

    editor = login(world["users"]["editor"])
    editor.post(url("plan_submit", year=2570))
    plan = plan_of(2570)
    assert plan.status == PlanStatus.SUBMITTED
    approver = login(world["users"]["approver"])
    approver.post(url("plan_decide", year=2570), {"decision": "approved", "version": plan.content_version})
    plan = plan_of(2570)
    assert plan.approval_current
    a = plan.approvals.get()
    assert a.version == plan.content_version
    snap_mine = next(m for m in a.snapshot["measures"] if m["title"] == mine.title)
    assert snap_mine["status"] == "done" and snap_mine["result"] == "ดำเนินการครบ" and snap_mine["evidence"]


def test_progress_after_approval_is_submitted_again_and_published_when_approved(world, login, links_ok):
    """Progress is not an edit of the plan (the plan keeps its version and approval), but the public
    page shows only what the executive approved: an approved plan whose progress moved on may be
    submitted again, and once approved the public page shows the new progress."""
    editor = login(world["users"]["editor"])
    editor.post(url("plan_submit", year=2569))
    version = plan_of(2569).content_version
    login(world["users"]["approver"]).post(
        url("plan_decide", year=2569), {"decision": "approved", "comment": "", "version": version}
    )
    plan = plan_of(2569)
    assert plan.approval_current
    editor = login(world["users"]["editor"])
    page = editor.get(url("plan_detail", year=2569)).content.decode()
    assert "เสนออนุมัติรายงานความก้าวหน้า" not in page  # nothing new since the approval
    assert editor.post(url("plan_submit", year=2569)).status_code == 302
    assert plan_of(2569).status == PlanStatus.APPROVED  # refused: nothing to approve

    m = plan.measures.order_by("position", "pk").first()
    today = timezone.localdate().strftime("%d/%m/") + str(timezone.localdate().year + 543)
    r = editor.post(
        url("measure_progress", measure=m.pk),
        {"as_of": today, "status": "done", "result": "จัดอบรมเจ้าหน้าที่ครบทุกกอง"},
    )
    assert r.status_code == 302
    plan = plan_of(2569)
    assert plan.status == PlanStatus.APPROVED and plan.content_version == version  # not an edit
    public = reverse("public_year", kwargs={"agency": SLUG, "year": 2569})
    assert "จัดอบรมเจ้าหน้าที่ครบทุกกอง" not in editor.get(public).content.decode()

    page = editor.get(url("plan_detail", year=2569)).content.decode()
    assert "มีความก้าวหน้าหรือหลักฐานใหม่หลังการอนุมัติครั้งล่าสุด" in page
    assert "เสนออนุมัติรายงานความก้าวหน้า" in page
    assert editor.post(url("plan_submit", year=2569)).status_code == 302
    assert plan_of(2569).status == PlanStatus.SUBMITTED
    r = login(world["users"]["approver"]).post(
        url("plan_decide", year=2569), {"decision": "approved", "comment": "", "version": version}
    )
    assert r.status_code == 302
    plan = plan_of(2569)
    assert plan.status == PlanStatus.APPROVED and plan.approvals.count() == 2
    assert "จัดอบรมเจ้าหน้าที่ครบทุกกอง" in editor.get(public).content.decode()


def test_the_year_page_offers_the_progress_report_for_approval(world, login, links_ok):
    editor = login(world["users"]["editor"])
    editor.post(url("plan_submit", year=2569))
    version = plan_of(2569).content_version
    login(world["users"]["approver"]).post(
        url("plan_decide", year=2569), {"decision": "approved", "comment": "", "version": version}
    )
    editor = login(world["users"]["editor"])
    year_page = url("year", year=2569)
    assert "มีความก้าวหน้าใหม่หลังการอนุมัติ" not in editor.get(year_page).content.decode()
    m = plan_of(2569).measures.order_by("position", "pk").first()
    today = timezone.localdate().strftime("%d/%m/") + str(timezone.localdate().year + 543)
    editor.post(
        url("measure_progress", measure=m.pk), {"as_of": today, "status": "in_progress", "result": "เริ่มแล้ว"}
    )
    page = editor.get(year_page).content.decode()
    assert "มีความก้าวหน้าใหม่หลังการอนุมัติ" in page and "เสนออนุมัติรายงานความก้าวหน้า" in page


def test_progress_recorded_while_the_approver_reads_is_not_approved_unseen(world, login, links_ok):
    """Progress does not move the plan's version, so the page also carries a fingerprint of the
    record the approver read: a change since is a conflict, not an approval of something unseen."""
    login(world["users"]["editor"]).post(url("plan_submit", year=2569))
    approver = login(world["users"]["approver"])
    page = approver.get(url("plan_detail", year=2569))
    form = page.context["decision_form"]
    seen = {"version": form.initial["version"], "digest": form.initial["digest"]}
    assert len(seen["digest"]) == 64 and f'value="{seen["digest"]}"' in page.content.decode()

    editor = login(world["users"]["editor"])
    m = plan_of(2569).measures.order_by("position", "pk").first()
    today = timezone.localdate().strftime("%d/%m/") + str(timezone.localdate().year + 543)
    editor.post(url("measure_progress", measure=m.pk), {"as_of": today, "status": "done", "result": "ทำเสร็จ"})

    approver = login(world["users"]["approver"])
    r = approver.post(url("plan_decide", year=2569), {"decision": "approved", "comment": "", **seen})
    assert r.status_code == 302
    plan = plan_of(2569)
    assert plan.status == PlanStatus.SUBMITTED and not plan.approvals.exists()
    page = approver.get(url("plan_detail", year=2569))
    assert "เปลี่ยนระหว่างที่ท่านพิจารณา" in page.content.decode()
    fresh = page.context["decision_form"].initial
    approver.post(url("plan_decide", year=2569), {"decision": "approved", "comment": "", **fresh})
    plan = plan_of(2569)
    assert plan.status == PlanStatus.APPROVED
    assert "ทำเสร็จ" in str(plan.approvals.get().snapshot["measures"])  # the progress, now seen
