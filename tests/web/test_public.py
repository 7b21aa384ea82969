"""Public pages: approved content only, from the approval's snapshot; a year's page stays as it
was approved (next year's approval and later edits do not touch it)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from prongsai.web.cycle import actions
from prongsai.web.cycle.models import Measure, Plan, PlanStatus

pytestmark = pytest.mark.django_db


def approve_through_workflow(login, approver, plan: Plan) -> None:
    """Submitted, then approved by the executive through the approval page."""
    Plan.objects.filter(pk=plan.pk).update(status=PlanStatus.SUBMITTED)
    plan.refresh_from_db()
    c = login(approver)
    response = c.post(
        reverse("plan_decide", kwargs={"agency": plan.agency.slug, "year": plan.fiscal_year}),
        {"decision": "approved", "version": plan.content_version, "comment": ""},
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED
    c.logout()


def published_part(response) -> str:
    """The page below the site header (which carries a per-session CSRF token)."""
    html = response.content.decode()
    return html[html.index('class="pub-head"') :]


def edit_title(measure: Measure, title: str) -> None:
    actions.edit_measure(measure, measure.version, {"title": title})


def test_nothing_approved_is_404(world, client):
    assert client.get(reverse("public_agency", kwargs={"agency": "tonyongmat"})).status_code == 404
    assert (
        client.get(reverse("public_year", kwargs={"agency": "tonyongmat", "year": 2569})).status_code == 404
    )
    assert client.get(reverse("public_year", kwargs={"agency": "nobody", "year": 2569})).status_code == 404


def test_approved_year_is_public_and_frozen(world, login, client):
    users, plan = world["users"], world["our_plan"]
    first = plan.measures.order_by("position", "pk").first()
    edit_title(first, "มาตรการฉบับที่อนุมัติ")
    approve_through_workflow(login, users["approver"], plan)

    url = reverse("public_year", kwargs={"agency": "tonyongmat", "year": 2569})
    page = client.get(url)  # anonymous
    assert page.status_code == 200
    html = page.content.decode()
    assert "มาตรการฉบับที่อนุมัติ" in html
    assert [s["kind"] for s in page.context["sections"]] == ["analysis", "plan"]  # no progress yet
    assert "นายสมชาย ใจดี" in html
    listing = client.get(reverse("public_agency", kwargs={"agency": "tonyongmat"}))
    assert listing.status_code == 200 and url in listing.content.decode()

    # An edit after approval is not public until approved again.
    edit_title(first, "แก้ไขหลังอนุมัติ")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT
    again = client.get(url).content.decode()
    assert "แก้ไขหลังอนุมัติ" not in again and "มาตรการฉบับที่อนุมัติ" in again

    # Next year's approval leaves this year's page exactly as it was.
    before = published_part(client.get(url))
    nxt = Plan.objects.create(agency=world["ours"], fiscal_year=2570)
    Measure.objects.create(plan=nxt, position=1, title="มาตรการปีถัดไป", indicators=[9])
    approve_through_workflow(login, users["approver"], nxt)
    assert published_part(client.get(url)) == before
    page_2570 = client.get(reverse("public_year", kwargs={"agency": "tonyongmat", "year": 2570}))
    assert page_2570.status_code == 200 and "มาตรการปีถัดไป" in page_2570.content.decode()
    assert "มาตรการปีถัดไป" not in before

    # Approved again: now the edit is public, under the same stable URL.
    approve_through_workflow(login, users["approver"], plan)
    assert "แก้ไขหลังอนุมัติ" in client.get(url).content.decode()


def test_progress_shows_once_approved(world, login, client):
    users, plan = world["users"], world["our_plan"]
    approve_through_workflow(login, users["approver"], plan)
    url = reverse("public_year", kwargs={"agency": "tonyongmat", "year": 2569})
    assert "progress" not in [s["kind"] for s in client.get(url).context["sections"]]
    c = login(users["editor"])
    m = plan.measures.order_by("position", "pk").first()
    actions.edit_measure(m, m.version, {"status": "done"})
    m.progress.create(as_of=timezone.localdate(), status="done", result="ผลการดำเนินงานทดสอบหน้าสาธารณะ")
    c.logout()
    assert "ผลการดำเนินงานทดสอบหน้าสาธารณะ" not in client.get(url).content.decode()
    approve_through_workflow(login, users["approver"], plan)
    page = client.get(url)
    assert [s["kind"] for s in page.context["sections"]] == ["analysis", "plan", "progress"]
    assert "ผลการดำเนินงานทดสอบหน้าสาธารณะ" in page.content.decode()


def test_fonts_are_served(client):
    response = client.get(reverse("public_font_normal_normal"))
    if response.status_code == 404:
        pytest.skip("TH Sarabun New is not installed (make fonts)")
    assert response["Content-Type"] == "font/ttf"
    assert b"".join(response.streaming_content)[:4] in (b"\x00\x01\x00\x00", b"true", b"OTTO")


def test_approved_evidence_files_are_linked_by_name(world, login, client, settings, tmp_path):
    """The public page names each approved evidence file as uploaded, linked to its public
    download (issue 12, defect 8); files not in the approved version are not served."""
    from urllib.parse import quote

    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    users, plan = world["users"], world["our_plan"]
    m = plan.measures.order_by("position", "pk").first()
    pdf = b"%PDF-1.4\n%%EOF\n"

    def upload(name: str) -> None:
        editor = login(users["editor"])  # one test client: the approval logs out
        r = editor.post(
            reverse("evidence_add", kwargs={"agency": "tonyongmat", "measure": m.pk}),
            {"file": SimpleUploadedFile(name, pdf), "added_on": "01/12/2569"},
        )
        assert r.status_code == 302

    upload("บันทึกข้อความ.pdf")
    approve_through_workflow(login, users["approver"], plan)
    upload("ร่างที่ยังไม่อนุมัติ.pdf")  # after the approval: not public
    approved, later = m.evidence.order_by("pk")
    client.logout()

    page = client.get(reverse("public_year", kwargs={"agency": "tonyongmat", "year": 2569}))
    html = page.content.decode()
    link = reverse("public_evidence", kwargs={"agency": "tonyongmat", "year": 2569, "evidence": approved.pk})
    assert f'<a href="{link}">บันทึกข้อความ.pdf</a>' in html
    assert "ร่างที่ยังไม่อนุมัติ" not in html and approved.file.name not in html  # no storage path
    r = client.get(link)
    assert r.status_code == 200 and b"".join(r.streaming_content) == pdf
    assert f"filename*=utf-8''{quote('บันทึกข้อความ.pdf')}" in r["Content-Disposition"]
    for pk, year in ((later.pk, 2569), (approved.pk, 2570)):
        url = reverse("public_evidence", kwargs={"agency": "tonyongmat", "year": year, "evidence": pk})
        assert client.get(url).status_code == 404
    theirs = reverse(
        "public_evidence", kwargs={"agency": "srisongkhram", "year": 2569, "evidence": approved.pk}
    )
    assert client.get(theirs).status_code == 404
