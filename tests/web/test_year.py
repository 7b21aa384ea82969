"""The year page and the navigation defects of issue 12 (1, 2, 4, 9, 11), through the Django test
client on the shared web fixtures (tests/web/conftest.py): the demo agency has ITA 2567 and 2568
and the plan of 2569 (which answers 2568)."""

from __future__ import annotations

import io
import re

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone, translation
from django.views.defaults import server_error

from prongsai.interchange import load_document
from prongsai.thai.dates import fiscal_year_of
from prongsai.web.cycle.models import Approval, Assessment, Decision, PlanStatus
from prongsai.web.cycle.records import plan_record, save_published
from tests.conftest import DEMO

pytestmark = pytest.mark.django_db

SLUG = "tonyongmat"


@pytest.fixture(autouse=True)
def thai():
    """An English request leaves English active in this thread; reverse() here means Thai URLs."""
    with translation.override("th"):
        yield


def page(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


def add_2569(agency) -> Assessment:
    """New scores for 2569 (the demo's 2568 scores, a little lower), as an editor would save."""
    record = load_document(DEMO).assessments[-1]
    data = record.model_dump(mode="json")
    data.update(fiscal_year=2569, overall=88.5, level=None, tools={}, indicators={}, items={})
    data.pop("changes", None)
    return save_published(agency, type(record).model_validate(data))


# ---- the year page ---------------------------------------------------------------------------


def test_year_page_shows_the_cycle_as_steps_with_state_and_next_action(world, login):
    html = page(login(world["users"]["editor"]), f"/a/{SLUG}/years/2569/")
    keys = re.findall(r'id="step-([a-z]+)"', html)
    assert keys == ["scores", "analysis", "plan", "progress", "memo", "approval", "published"]
    assert "ผลการประเมิน ITA ปี 2568" in html  # the plan of 2569 answers the ITA of 2568
    scores = html[html.index('id="step-scores"') : html.index('id="step-analysis"')]
    assert "state-done" in html[html.index("step state-") : html.index('id="step-scores"') + 20]
    assert "เสร็จแล้ว" in scores
    plan = html[html.index('id="step-plan"') : html.index('id="step-progress"')]
    assert reverse("plan_detail", kwargs={"agency": SLUG, "year": 2569}) in plan
    assert "แก้ไขแผนมาตรการ" in plan  # the imported plan is a draft: the editor acts
    progress = html[html.index('id="step-progress"') : html.index('id="step-memo"')]
    assert "รายงานรอบ 6 เดือน" in progress and "31 มีนาคม 2569" in progress
    assert "30 กันยายน 2569" in progress
    approval = html[html.index('id="step-approval"') : html.index('id="step-published"')]
    assert "เสนออนุมัติแผน" in approval
    assert "ขั้นต่อไป" in html


def test_year_page_offers_only_what_the_role_may_do(world, login):
    plan = world["our_plan"]
    viewer_html = page(login(world["users"]["viewer"]), f"/a/{SLUG}/years/2569/")
    assert "เสนออนุมัติแผน" not in viewer_html
    assert "แก้ไขแผนมาตรการ" not in viewer_html
    assert reverse("memo_edit", kwargs={"agency": SLUG, "year": 2569, "kind": "plan"}) not in viewer_html
    assert "เปิดแผนมาตรการ" in viewer_html  # reading is allowed
    # A plan waiting for the executive: the approver is who acts, and only the approver gets the button.
    plan.status = PlanStatus.SUBMITTED
    plan.save(update_fields=["status"])
    approver_html = page(login(world["users"]["approver"]), f"/a/{SLUG}/years/2569/")
    approval = approver_html[approver_html.index('id="step-approval"') :]
    assert "พิจารณาอนุมัติ" in approval and "ผู้บริหาร (ผู้อนุมัติ)" in approval
    editor_html = page(login(world["users"]["editor"]), f"/a/{SLUG}/years/2569/")
    assert "พิจารณาอนุมัติ" not in editor_html
    contributor_html = page(login(world["users"]["contributor"]), f"/a/{SLUG}/years/2569/")
    assert "บันทึกความก้าวหน้ามาตรการ" in contributor_html
    assert "พิจารณาอนุมัติ" not in contributor_html


def test_year_page_is_the_agencys_own(world, login):
    page(login(world["users"]["other_editor"]), f"/a/{SLUG}/years/2569/", status=404)
    page(login(world["users"]["editor"]), f"/a/{SLUG}/years/9999/", status=404)


def test_years_list_leads_to_each_year(world, login):
    html = page(login(world["users"]["viewer"]), f"/a/{SLUG}/years/")
    assert reverse("year", kwargs={"agency": SLUG, "year": 2569}) in html
    assert reverse("year", kwargs={"agency": SLUG, "year": 2568}) in html  # answers the ITA of 2567
    assert "ITA ปี 2568: 93.96" in html


# ---- defect 1: a route to drafting next year's plan ------------------------------------------


def test_new_scores_lead_to_drafting_next_years_plan(world, login):
    client = login(world["users"]["editor"])
    add_2569(world["ours"])
    create = reverse("plan_create", kwargs={"agency": SLUG, "year": 2570})
    dashboard = page(client, f"/a/{SLUG}/")
    assert create in dashboard
    assert reverse("year", kwargs={"agency": SLUG, "year": 2570}) in dashboard
    assert create in page(client, f"/a/{SLUG}/analysis/2569/")
    year_html = page(client, f"/a/{SLUG}/years/2570/")
    plan = year_html[year_html.index('id="step-plan"') : year_html.index('id="step-progress"')]
    assert create in plan and "ยังไม่เริ่ม" in plan
    # Following it drafts the plan of 2570 from the 2569 scores.
    response = client.post(create, {"source": "engine"})
    assert response.status_code == 302
    assert world["ours"].plans.get(fiscal_year=2570).assessment.fiscal_year == 2569
    # A viewer is not offered it.
    assert create not in page(login(world["users"]["viewer"]), f"/a/{SLUG}/")


# ---- defect 2: the analysis page's download is that year's analysis --------------------------


def _docx_text(data: bytes) -> str:
    from docx import Document

    doc = Document(io.BytesIO(data))
    return "\n".join(p.text for p in doc.paragraphs)


def test_analysis_download_on_a_years_page_is_that_years_analysis(world, login):
    client = login(world["users"]["editor"])
    add_2569(world["ours"])
    html = page(client, f"/a/{SLUG}/analysis/2569/")
    links = re.findall(r'href="([^"]+\.docx)"', html)
    assert links, "the analysis page offers the report as DOCX"
    response = client.get(links[0])
    assert response.status_code == 200
    assert "%E0%B8%9B%E0%B8%B5%202569" in response["Content-Disposition"]  # "ปี 2569"
    text = _docx_text(response.content)
    assert "ประจำปีงบประมาณ พ.ศ. ๒๕๖๙" in text.splitlines()[0] or "ประจำปีงบประมาณ พ.ศ. ๒๕๖๙" in text
    assert "๘๘.๕๐" in text  # the 2569 overall, not 2568's 93.96 as the first line of the analysis
    first = text.index("๘๘.๕๐")
    assert "๙๓.๙๖" not in text[:first] or text.index("๙๓.๙๖") > first


def test_the_plans_analysis_is_named_for_the_year_it_analyses(world, login):
    client = login(world["users"]["editor"])
    response = client.get(
        reverse("document_download", kwargs={"agency": SLUG, "year": 2569, "kind": "analysis", "fmt": "docx"})
    )
    assert response.status_code == 200
    assert "%E0%B8%9B%E0%B8%B5%202568" in response["Content-Disposition"]  # "ปี 2568"
    assert "ประจำปีงบประมาณ พ.ศ. ๒๕๖๘" in _docx_text(response.content)


# ---- defect 4: an empty form creates no year; a year can be deleted --------------------------


def test_empty_score_form_creates_no_year(world, login):
    client = login(world["users"]["editor"])
    response = client.post(f"/a/{SLUG}/scores/2569/", {"edition": "2569", "version": ""})
    assert response.status_code == 200
    assert not Assessment.objects.filter(agency=world["ours"], fiscal_year=2569).exists()
    html = response.content.decode()
    assert "ยังไม่ได้กรอกคะแนน" in html
    assert "มีช่องที่กรอกไม่ถูกต้อง" not in html  # no field is wrong: the message says what is
    assert f"/a/{SLUG}/years/2570/" not in page(client, f"/a/{SLUG}/")  # no new headline year


def test_a_year_not_yet_assessed_is_refused(world, login):
    client = login(world["users"]["editor"])
    future = fiscal_year_of(timezone.localdate()) + 1
    response = client.post(f"/a/{SLUG}/scores/", {"fiscal_year": str(future), "edition": "2569"})
    assert response.status_code == 200 and "ยังไม่มีผลการประเมิน ITA ปี" in response.content.decode()
    response = client.post(f"/a/{SLUG}/scores/{future}/", {"edition": "2569", "overall": "90"})
    assert "ยังไม่มีผลการประเมิน ITA ปี" in response.content.decode()
    assert not Assessment.objects.filter(agency=world["ours"], fiscal_year=future).exists()


def test_editor_deletes_a_year_with_confirmation_and_history(world, login):
    editor = world["users"]["editor"]
    client = login(editor)
    a = add_2569(world["ours"])
    url = reverse("scores_delete", kwargs={"agency": SLUG, "year": 2569})
    assert url in page(client, f"/a/{SLUG}/scores/2569/")
    confirm = page(client, url)
    assert "ยืนยันลบผลการประเมินปี 2569" in confirm
    assert Assessment.objects.filter(pk=a.pk).exists()  # opening the page deletes nothing
    response = client.post(url)
    assert response.status_code == 302
    assert not Assessment.objects.filter(pk=a.pk).exists()
    deleted = Assessment.history.filter(id=a.pk).order_by("-history_date").first()
    assert deleted.history_type == "-" and deleted.history_user == editor


def test_a_year_an_approved_plan_answers_cannot_be_deleted(world, login):
    plan = world["our_plan"]
    plan.status = PlanStatus.APPROVED
    plan.approved_version = plan.content_version
    plan.save(update_fields=["status", "approved_version"])
    client = login(world["users"]["editor"])
    url = reverse("scores_delete", kwargs={"agency": SLUG, "year": 2568})
    assert "แผนมาตรการปี 2569 ที่อนุมัติแล้ว" in page(client, url)
    response = client.post(url, follow=True)
    assert Assessment.objects.filter(agency=world["ours"], fiscal_year=2568).exists()
    assert "ลบผลการประเมินปี 2568 ไม่ได้" in response.content.decode()


def test_only_an_editor_deletes_a_year(world, login):
    for role in ("viewer", "approver", "contributor"):
        client = login(world["users"][role])
        assert client.post(reverse("scores_delete", kwargs={"agency": SLUG, "year": 2568})).status_code == 403
    assert Assessment.objects.filter(agency=world["ours"], fiscal_year=2568).exists()


# ---- defect 9: the language switch and English place names -----------------------------------


def _switch(client, html: str, language: str) -> str:
    form = html[html.index('action="/i18n/setlang/"') :]
    next_url = re.search(r'name="next" type="hidden" value="([^"]*)"', form).group(1)
    response = client.post("/i18n/setlang/", {"language": language, "next": next_url})
    assert response.status_code == 302
    return response["Location"]


def test_choosing_thai_on_an_english_page_switches_to_thai_and_back(world, login):
    client = login(world["users"]["editor"])
    for path in (f"/a/{SLUG}/", f"/a/{SLUG}/years/2569/", f"/a/{SLUG}/analysis/2568/", "/login/"):
        english = page(client, "/en" + path)
        thai_url = _switch(client, english, "th")
        assert thai_url == path, (path, thai_url)
        thai = page(client, thai_url)
        assert _switch(client, thai, "en") == "/en" + path


def test_english_place_names_are_not_run_together(world, login):
    html = page(login(world["users"]["editor"]), f"/en/a/{SLUG}/")
    assert "เมือง District" in html and "ตรัง Province" in html
    assert not re.search(r"(District|Province)[\u0e00-\u0e7f]", html)


def test_english_analysis_labels_come_from_the_catalogue(world, login):
    html = page(login(world["users"]["editor"]), f"/en/a/{SLUG}/analysis/2568/")
    assert "EIT part 1" in html and "ส่วนที่" not in html
    assert "To improve" in html or "Keep up" in html
    assert "ควรพัฒนา" not in html and "รักษามาตรฐาน" not in html


def test_english_pages_name_the_level_in_english(world, login):
    client = login(world["users"]["editor"])
    for path in (f"/en/a/{SLUG}/years/2569/", f"/en/a/{SLUG}/years/"):
        html = page(client, path)
        assert "Pass, good" in html and "ผ่านดี" not in html, path
    # The dashboard and the analysis quote the engine's Thai narrative too; their headline is English.
    for path in (f"/en/a/{SLUG}/", f"/en/a/{SLUG}/analysis/2568/"):
        assert re.search(r'class="big">Pass, good<', page(client, path)), path
    assert "ผ่านดี" in page(client, f"/a/{SLUG}/years/2569/")


# ---- defect 11: error pages and the menu by role ---------------------------------------------


def test_404_and_403_pages_are_thai_in_the_sites_look_with_a_way_back(world, login):
    client = login(world["users"]["viewer"])
    html = page(client, f"/a/{SLUG}/nothing-here/", status=404)
    assert "ไม่พบหน้าที่ต้องการ" in html and 'href="/"' in html and "site.css" in html
    html = page(client, f"/a/{SLUG}/imports/", status=403)
    assert "บัญชีของคุณไม่มีสิทธิ์ทำรายการนี้" in html and 'href="/"' in html
    english = page(client, "/en/a/nothing/", status=404)
    assert "Page not found" in english


def test_an_expired_form_gets_a_thai_page_and_changes_nothing(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["users"]["editor"])
    response = client.post(reverse("scores_delete", kwargs={"agency": SLUG, "year": 2568}))
    assert response.status_code == 403
    assert "ส่งแบบฟอร์มไม่สำเร็จ" in response.content.decode()
    assert Assessment.objects.filter(agency=world["ours"], fiscal_year=2568).exists()


def test_500_page_is_thai_without_a_request_context():
    request = RequestFactory().get("/")
    response = server_error(request)
    html = response.content.decode()
    assert response.status_code == 500
    assert "ระบบขัดข้องชั่วคราว" in html and 'href="/"' in html


def test_menu_offers_imports_only_to_editors(world, login):
    imports = [reverse(name, kwargs={"agency": SLUG}) for name in ("scores_import", "import_upload")]
    for role in ("viewer", "approver", "contributor"):
        html = page(login(world["users"][role]), f"/a/{SLUG}/")
        menu = html[html.index('class="agency-nav"') : html.index("</nav>", html.index('class="agency-nav"'))]
        assert not any(u in menu for u in imports), role
        assert reverse("years", kwargs={"agency": SLUG}) in menu
    html = page(login(world["users"]["editor"]), f"/a/{SLUG}/")
    assert all(u in html for u in imports)
    # Every agency page carries the menu, the plan page included.
    plan_html = page(login(world["users"]["viewer"]), f"/a/{SLUG}/plans/2569/")
    assert 'class="agency-nav"' in plan_html
    # The public page looks the same to a member as to anyone: no agency menu there.
    plan = world["our_plan"]
    Approval.objects.create(
        plan=plan,
        version=plan.content_version,
        decision=Decision.APPROVED,
        approver_name="นายสมชาย ใจดี",
        snapshot=plan_record(plan).model_dump(mode="json"),
    )
    public_url = reverse("public_year", kwargs={"agency": SLUG, "year": 2569})
    public = page(login(world["users"]["editor"]), public_url)
    assert plan.measures.first().title[:30] in public
    assert 'class="agency-nav"' not in public
