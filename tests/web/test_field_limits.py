"""Text limits (issue 11, item 4): one table (prongsai.interchange.limits) read by the models, the
forms, the API and the interchange format; at the limit a text is stored, one character over it
is refused naming the field and the limit, in the forms, the API and an import's accept; an
import keeps an over-limit text in its draft and says so; a row stored before the limits still
shows."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from prongsai.interchange import load_document
from prongsai.interchange.limits import LENIENT, LIMITS, key_of, over_limits
from prongsai.interchange.models import Document
from prongsai.interchange.schema import interchange_schema
from prongsai.web.agencies.models import ApiToken
from prongsai.web.api.schemas import ProgressIn
from prongsai.web.cycle import actions
from prongsai.web.cycle.models import (
    Approval,
    Assessment,
    Evidence,
    Measure,
    Memo,
    Plan,
    PlanStatus,
    ProgressEntry,
)
from prongsai.web.cycle.records import plan_record
from prongsai.web.imports.models import ImportJob, JobStatus
from prongsai.web.pages.forms_plans import DecisionForm, EvidenceForm, MeasureForm, ProgressForm
from tests.conftest import DEMO_DIR, SHARED, needs_shared
from tests.web.test_approvals import links_ok  # noqa: F401  (the fixture)
from tests.web.test_pages_results import score_post

pytestmark = pytest.mark.django_db

SLUG = "tonyongmat"
TRUTH = SHARED / "seeds" / "truth"
SEED_002 = SHARED / "seeds" / "002_6b2883afbb91bd3a.txt"


def url(name: str, **kw) -> str:
    return reverse(name, kwargs={"agency": SLUG, **kw})


def thai(n: int) -> str:
    """A Thai text of exactly ``n`` characters (no space at either end: forms strip)."""
    base = "ส่งเสริมคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงาน "
    return (base * (n // len(base) + 1))[: n - 1] + "ก"


def first_measure(world) -> Measure:
    return world["our_plan"].measures.order_by("position", "pk").first()


# ------------------------------------------------------------------------------ one table


def test_models_forms_api_and_schema_read_the_one_table(world):
    fields = [
        (Measure, "title", "measure.title"),
        (Measure, "analysis", "measure.analysis"),
        (Measure, "steps", "measure.steps"),
        (Measure, "period", "measure.period"),
        (Measure, "responsible_text", "measure.responsible"),
        (Measure, "monitoring", "measure.monitoring"),
        (ProgressEntry, "result", "progress.result"),
        (ProgressEntry, "outcome", "progress.outcome"),
        (ProgressEntry, "suggestion", "progress.suggestion"),
        (Evidence, "caption", "evidence.caption"),
        (Evidence, "url", "evidence.url"),
        (Plan, "return_comment", "plan.return_comment"),
        (Approval, "comment", "approval.comment"),
        (Assessment, "level", "assessment.level"),
        (Memo, "body", "memo.body"),
        (Memo, "opinion", "memo.opinion"),
        (Memo, "subject", "memo.subject"),
        (Memo, "executive_name", "memo.signer_name"),
        (Memo, "executive_position", "memo.signer_position"),
    ]
    for model, name, key in fields:
        assert model._meta.get_field(name).max_length == LIMITS[key], (model, name)
    form = MeasureForm(agency=world["ours"], fiscal_year=2569)
    assert form.fields["title"].max_length == LIMITS["measure.title"]
    assert form.fields["steps"].max_length == LIMITS["measure.steps"]
    assert ProgressForm().fields["result"].max_length == LIMITS["progress.result"]
    assert EvidenceForm().fields["caption"].max_length == LIMITS["evidence.caption"]
    assert DecisionForm().fields["comment"].max_length == LIMITS["approval.comment"]
    api = ProgressIn.model_json_schema()["properties"]
    assert api["result"]["maxLength"] == LIMITS["progress.result"]
    assert api["suggestion"]["maxLength"] == LIMITS["progress.suggestion"]
    measure = interchange_schema()["$defs"]["Measure"]["properties"]
    assert measure["title"]["maxLength"] == LIMITS["measure.title"]
    assert measure["steps"]["anyOf"][0]["maxLength"] == LIMITS["measure.steps"]


def _real_documents() -> list[dict]:
    docs = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(DEMO_DIR.glob("*.json"))]
    if TRUTH.is_dir():
        docs += [json.loads(p.read_text(encoding="utf-8")) for p in sorted(TRUTH.glob("*.json"))]
    return docs


def test_real_texts_have_three_times_headroom():
    """The limits were sized to the data: every text of the demo and the seeds' ground truth is
    at most a third of its limit."""
    from prongsai.interchange.limits import _texts

    longest: dict[str, int] = {}
    for doc in _real_documents():
        assert over_limits(doc) == []
        for path, text in _texts(doc, ""):
            key = key_of(path)
            if key is not None:
                longest[key] = max(longest.get(key, 0), len(text))
    assert {"measure.title", "measure.steps", "progress.result", "progress.outcome"} <= set(longest)
    for key, n in longest.items():
        assert 3 * n <= LIMITS[key], (key, n, LIMITS[key])


# ------------------------------------------------------------------------------ forms


def test_measure_form_takes_a_title_at_the_limit_and_refuses_one_more(world, login):
    c = login(world["users"]["editor"])
    plan = world["our_plan"]
    before = plan.measures.count()
    n = LIMITS["measure.title"]
    r = c.post(url("measure_add", year=2569), {"title": thai(n + 1), "indicators": ["9"]})
    assert r.status_code == 200
    html = r.content.decode()
    assert f"เกินที่กำหนดไว้ {n} ตัวอักษร" in html and f"ข้อความยาว {n + 1} ตัวอักษร" in html
    assert plan.measures.count() == before
    r = c.post(url("measure_add", year=2569), {"title": thai(n), "indicators": ["9"]})
    assert r.status_code == 302
    assert plan.measures.count() == before + 1
    assert len(plan.measures.order_by("-position").first().title) == n

    m = first_measure(world)
    steps = LIMITS["measure.steps"]
    data = {"version": m.version, "title": m.title, "indicators": m.indicators, "steps": thai(steps + 1)}
    r = c.post(url("measure_edit", measure=m.pk), data)
    assert r.status_code == 200 and f"เกินที่กำหนดไว้ {steps} ตัวอักษร" in r.content.decode()
    m.refresh_from_db()
    assert len(m.steps) < steps and m.version == data["version"]


def test_progress_form_refuses_a_result_over_the_limit(world, login):
    c = login(world["users"]["editor"])
    m = first_measure(world)
    n = LIMITS["progress.result"]
    today = timezone.localdate().isoformat()
    before = m.progress.count()
    r = c.post(
        url("measure_progress", measure=m.pk), {"as_of": today, "status": "done", "result": thai(n + 1)}
    )
    assert r.status_code in (200, 400) and f"เกินที่กำหนดไว้ {n} ตัวอักษร" in r.content.decode()
    assert m.progress.count() == before
    r = c.post(url("measure_progress", measure=m.pk), {"as_of": today, "status": "done", "result": thai(n)})
    assert r.status_code == 302
    assert len(m.progress.order_by("-pk").first().result) == n


def test_return_comment_over_the_limit_is_refused(world, login, links_ok):  # noqa: F811
    login(world["users"]["editor"]).post(url("plan_submit", year=2569))
    plan = Plan.objects.get(pk=world["our_plan"].pk)
    assert plan.status == PlanStatus.SUBMITTED
    c = login(world["users"]["approver"])
    n = LIMITS["approval.comment"]
    post = {"decision": "returned", "version": plan.content_version}
    r = c.post(url("plan_decide", year=2569), {**post, "comment": thai(n + 1)}, follow=True)
    assert f"เกินที่กำหนดไว้ {n} ตัวอักษร" in r.content.decode()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED and not plan.approvals.exists()
    assert c.post(url("plan_decide", year=2569), {**post, "comment": thai(n)}).status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.RETURNED and len(plan.return_comment) == n


def test_memo_body_over_the_limit_is_refused_in_thai(world, login):
    c = login(world["users"]["editor"])
    n = LIMITS["memo.body"]
    r = c.post(
        reverse("memo_edit", kwargs={"agency": SLUG, "year": 2569, "kind": "plan"}), {"body": thai(n + 1)}
    )
    assert r.status_code != 302 and f"เกินที่กำหนดไว้ {n} ตัวอักษร" in r.content.decode()
    assert not Memo.objects.filter(plan=world["our_plan"], kind="plan").exclude(body="").exists()


def test_score_form_refuses_an_auditor_suggestion_over_the_limit(world, login):
    c = login(world["users"]["editor"])
    a = Assessment.objects.get(agency=world["ours"], fiscal_year=2568)
    n = LIMITS["assessment.auditor_suggestion"]
    r = c.post(url("scores_edit", year=2568), score_post(auditor_suggestions=f"สั้น\n{thai(n + 1)}"))
    assert r.status_code != 302
    assert f"ข้อเสนอแนะของผู้ตรวจประเมิน (ข้อละหนึ่งบรรทัด): ข้อที่ 2 ยาวเกินที่กำหนดไว้ {n} ตัวอักษรต่อข้อ" in (
        r.content.decode()
    )
    a.refresh_from_db()
    assert a.version == 1
    r = c.post(url("scores_edit", year=2568), score_post(auditor_suggestions=f"สั้น\n{thai(n)}"))
    assert r.status_code == 302
    a.refresh_from_db()
    assert [len(s) for s in a.published["auditor_suggestions"]] == [len("สั้น"), n]


def test_narrative_over_the_limit_is_not_saved(world, login):
    c = login(world["users"]["editor"])
    n = LIMITS["assessment.narrative"]
    r = c.post(url("analysis", year=2568), {"indicator": "10", "text": thai(n + 1)}, HTTP_HX_REQUEST="true")
    assert f"เกินที่กำหนดไว้ {n} ตัวอักษร" in r.content.decode()
    assert Assessment.objects.get(agency=world["ours"], fiscal_year=2568).narratives == {}
    c.post(url("analysis", year=2568), {"indicator": "10", "text": thai(n)}, HTTP_HX_REQUEST="true")
    assert len(Assessment.objects.get(agency=world["ours"], fiscal_year=2568).narratives["10"]) == n


# ------------------------------------------------------------------------------ API


def _api(world, role: str = "editor") -> Client:
    _, raw = ApiToken.issue(world["users"][role], "limits")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def test_api_progress_over_the_limit_is_422_naming_the_field(world):
    m = first_measure(world)
    path = f"/api/agencies/{SLUG}/plans/2569/measures/{m.pk}/progress"
    client = _api(world)
    before = m.progress.count()
    for field in ("result", "outcome", "suggestion"):
        n = LIMITS[f"progress.{field}"]
        r = client.post(path, data={"status": "done", field: thai(n + 1)}, content_type="application/json")
        assert r.status_code == 422, r.content
        body = r.json()
        assert [f["field"] for f in body["fields"]] == [field]
        assert f"at most {n} characters" in body["error"] and field in body["error_th"]
    assert m.progress.count() == before
    n = LIMITS["progress.result"]
    r = client.post(path, data={"status": "done", "result": thai(n)}, content_type="application/json")
    assert r.status_code == 201 and len(r.json()["entry"]["result"]) == n


def test_api_assessment_with_a_suggestion_over_the_limit_is_422(world):
    record = load_document(DEMO_DIR / "tonyongmat.json").assessment(2568).model_dump(mode="json")
    n = LIMITS["assessment.auditor_suggestion"]
    record["auditor_suggestions"] = ["สั้น", thai(n + 1)]
    path = f"/api/agencies/{SLUG}/assessments/2568"
    client = _api(world)
    r = client.put(path, data=json.dumps(record), content_type="application/json")
    assert r.status_code == 422, r.content
    assert [f["field"] for f in r.json()["fields"]] == ["auditor_suggestions.1"]
    assert Assessment.objects.get(agency=world["ours"], fiscal_year=2568).version == 1
    record["auditor_suggestions"] = ["สั้น", thai(n)]
    assert client.put(path, data=json.dumps(record), content_type="application/json").status_code == 200


# ------------------------------------------------------------------------------ import


def _job_with(world, doc: dict) -> ImportJob:
    return ImportJob.objects.create(
        agency=world["ours"],
        uploaded_by=world["users"]["editor"],
        file_name="รายงาน.txt",
        size=4,
        data=b"text",
        status=JobStatus.DONE,
        method="text",
        text="รายงาน",
        draft=doc,
        findings=[f.to_finding() for f in over_limits(doc)],
        finished_at=timezone.now(),
    )


def _draft_of_next_year(world, title: str) -> dict:
    """Our plan read back as a report of 2570 (no plan of that year yet): its first title ``title``."""
    doc = plan_record(world["our_plan"]).model_dump(mode="json", exclude_none=True)
    doc["report_fiscal_year"], doc["assessments"] = 2570, []
    for m in doc["measures"]:
        m.pop("evidence", None)
    doc["measures"][0]["title"] = title
    return doc


def _form_of(client, world, job) -> dict[str, str]:
    from tests.web.test_imports import _form_values

    page = client.get(reverse("import_review", kwargs={"agency": SLUG, "job": job.pk}))
    assert page.status_code == 200
    return _form_values(page.content.decode())


def test_import_over_the_limit_is_shown_then_refused_at_accept_until_shortened(world, login):
    n = LIMITS["measure.title"]
    job = _job_with(world, _draft_of_next_year(world, thai(n + 500)))
    c = login(world["users"]["editor"])
    html = c.get(reverse("import_review", kwargs={"agency": SLUG, "job": job.pk})).content.decode()
    # Said before any save, at the field and among the findings; the draft keeps the whole text.
    assert f"ข้อความยาว {n + 500:,} ตัวอักษร เกินที่กำหนดไว้ {n:,} ตัวอักษร" in html
    assert f"มาตรการที่ 1 ชื่อมาตรการ ยาว {n + 500:,} ตัวอักษร" in html
    values = _form_of(c, world, job)
    assert len(values["measures[0].title"]) == n + 500

    accept = reverse("import_accept", kwargs={"agency": SLUG, "job": job.pk})
    r = c.post(accept, values)
    assert r.status_code == 400
    assert f"เกินที่กำหนดไว้ {n:,} ตัวอักษร" in r.content.decode()
    assert not Plan.objects.filter(agency=world["ours"], fiscal_year=2570).exists()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE

    values["measures[0].title"] = thai(n)  # the reviewer shortens it
    r = c.post(accept, values)
    assert r.status_code == 302, r.content.decode()[:3000]
    plan = Plan.objects.get(agency=world["ours"], fiscal_year=2570)
    assert len(plan.measures.order_by("position").first().title) == n


def test_accept_action_refuses_a_record_over_the_limit_naming_it(world):
    n = LIMITS["measure.title"]
    doc = _draft_of_next_year(world, thai(n + 1))
    job = _job_with(world, doc)
    record = Document.model_validate(doc, context=LENIENT)  # as an importer's draft is read
    with pytest.raises(actions.ActionRefused) as refused:
        actions.accept_import(job, record, doc=doc, user=world["users"]["editor"])
    assert refused.value.code == "too_long"
    assert "มาตรการที่ 1 ชื่อมาตรการ" in refused.value.message and f"{n:,}" in refused.value.message
    assert not Plan.objects.filter(agency=world["ours"], fiscal_year=2570).exists()


@needs_shared
def test_upload_of_a_report_with_a_long_title_keeps_it_and_says_so(world, login, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    text = SEED_002.read_text(encoding="utf-8")
    title = "จัดทำรายงานผลการดำเนินการติดตามและประเมินผลแผนพัฒนาท้องถิ่น"
    assert title in text
    long_title = title + (" และ" + title) * 40
    data = text.replace(title, long_title, 1).encode()
    c = login(world["users"]["editor"])
    r = c.post(
        url("import_upload"), {"files": [SimpleUploadedFile("long.txt", data, content_type="text/plain")]}
    )
    assert r.status_code == 302
    job = ImportJob.objects.latest("pk")
    assert job.status == JobStatus.DONE, job.error_th
    titles = [m["title"] for m in job.draft["measures"]]
    assert len(titles) == 4 and len(titles[0]) > LIMITS["measure.title"]  # kept, not cut or dropped
    (finding,) = [f for f in job.findings if f["code"] == "text_too_long"]
    assert finding["path"] == "measures[0].title" and finding["limit"] == LIMITS["measure.title"]
    html = c.get(reverse("import_review", kwargs={"agency": SLUG, "job": job.pk})).content.decode()
    assert "มาตรการที่ 1 ชื่อมาตรการ ยาว" in html and "เกินที่กำหนดไว้ 1,000 ตัวอักษร" in html


# ------------------------------------------------------------------------------ actions, stored rows


def test_actions_refuse_over_the_limit_whoever_calls_them(world):
    m = first_measure(world)
    editor = world["users"]["editor"]
    n = LIMITS["progress.outcome"]
    before = m.progress.count()
    with pytest.raises(actions.ActionRefused) as refused:
        actions.record_progress(m, as_of=None, status="done", outcome=thai(n + 1), user=editor)
    assert refused.value.code == "too_long" and "ผลลัพธ์" in refused.value.message
    assert f"{n:,}" in refused.value.message and m.progress.count() == before
    v = m.version
    with pytest.raises(actions.ActionRefused):
        actions.edit_measure(m, v, {"monitoring": thai(LIMITS["measure.monitoring"] + 1)}, user=editor)
    m.refresh_from_db()
    assert m.version == v
    actions.edit_measure(m, v, {"monitoring": thai(LIMITS["measure.monitoring"])}, user=editor)
    m.refresh_from_db()
    assert len(m.monitoring) == LIMITS["measure.monitoring"]


def test_a_job_stored_before_the_limits_shows_its_comparison_and_is_refused_at_accept(world, login):
    """A draft and its checked record stored before the limits (written straight to the row) with a
    title over its limit: the comparison page reads it as it is (200, not a 500), and accepting is
    refused naming the text; nothing is written."""
    n = LIMITS["measure.title"]
    doc = _draft_of_next_year(world, thai(n + 1))
    job = _job_with(world, _draft_of_next_year(world, "สั้น"))
    ImportJob.objects.filter(pk=job.pk).update(draft=doc, record=doc)
    c = login(world["users"]["editor"])
    compare = reverse("import_compare", kwargs={"agency": SLUG, "job": job.pk})
    r = c.get(compare)
    assert r.status_code == 200
    assert thai(n + 1) in r.content.decode()
    assert c.get(reverse("import_review", kwargs={"agency": SLUG, "job": job.pk})).status_code == 200

    r = c.post(compare, {})
    assert r.status_code == 400
    html = r.content.decode()
    assert f"มาตรการที่ 1 ชื่อมาตรการ ยาว {n + 1:,} ตัวอักษร เกินที่กำหนดไว้ {n:,} ตัวอักษร" in html
    assert not Plan.objects.filter(agency=world["ours"], fiscal_year=2570).exists()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE


def test_a_row_stored_before_the_limits_still_shows(world, login):
    m = first_measure(world)
    Measure.objects.filter(pk=m.pk).update(title=thai(3 * LIMITS["measure.title"]))
    c = login(world["users"]["viewer"])
    assert c.get(url("plan_detail", year=2569)).status_code == 200
    r = _api(world, "viewer").get(f"/api/agencies/{SLUG}/plans/2569")
    assert r.status_code == 200
    assert len(r.json()["measures"][0]["title"]) == 3 * LIMITS["measure.title"]
    # A document is refused at once, naming the text (page time grows with text), not made slowly.
    editor = login(world["users"]["editor"])
    r = editor.get(url("document_download", year=2569, kind="plan", fmt="pdf"))
    assert r.status_code == 422
    assert "มาตรการที่ 1 ชื่อมาตรการ ยาว 3,000 ตัวอักษร เกินที่กำหนดไว้ 1,000 ตัวอักษร" in r.content.decode()
    # The editor's form shows it whole and asks for it shorter.
    m.refresh_from_db()
    r = editor.post(url("measure_edit", measure=m.pk), {"version": m.version, "title": m.title})
    assert r.status_code == 200 and "เกินที่กำหนดไว้ 1000 ตัวอักษร" in r.content.decode()


def test_team_forms_say_their_limits_in_thai(world):
    from prongsai.web.pages.forms_team import AcceptForm, UnitForm

    form = UnitForm(data={"name": thai(121)}, agency=world["ours"])
    assert not form.is_valid()
    assert "ข้อความยาว 121 ตัวอักษร เกินที่กำหนดไว้ 120 ตัวอักษร" in form.errors["name"][0]
    assert UnitForm(data={"name": thai(120)}, agency=world["ours"]).is_valid()
    accept = AcceptForm(data={"first_name": thai(151)}, email="a@example.org")
    assert not accept.is_valid()
    assert "เกินที่กำหนดไว้ 150 ตัวอักษร" in accept.errors["first_name"][0]
