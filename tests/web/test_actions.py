"""The cycle's actions called directly, as the pages, the API, the demo loader and the tests call
them: each succeeds, refuses with a Thai message (English in str()), moves the versions on, leaves
a row in the audit trail under the acting user, and writes nothing when it fails half-way."""

from __future__ import annotations

import pytest
from django.utils import timezone, translation

from prongsai.interchange.models import Assessment as RecordAssessment
from prongsai.web.cycle import actions
from prongsai.web.cycle.models import (
    Approval,
    Assessment,
    Decision,
    Measure,
    MeasureStatus,
    Plan,
    PlanStatus,
    ProgressEntry,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def thai():
    """Messages are asserted in Thai, whatever language an earlier request left active."""
    with translation.override("th"):
        yield


@pytest.fixture
def links_ok(monkeypatch):
    import prongsai.web.cycle.links as links

    verdict = {"value": (True, "")}
    monkeypatch.setattr(links, "latest_check_ok", lambda plan: verdict["value"])
    return verdict


def _rows(agency) -> tuple:
    return (
        list(
            Plan.objects.filter(agency=agency).values_list("pk", "status", "content_version").order_by("pk")
        ),
        list(
            Measure.objects.filter(plan__agency=agency)
            .values_list("pk", "position", "title", "version")
            .order_by("pk")
        ),
        ProgressEntry.objects.filter(measure__plan__agency=agency).count(),
        list(
            Assessment.objects.filter(agency=agency)
            .values_list("fiscal_year", "version", "overall")
            .order_by("pk")
        ),
        Approval.objects.filter(plan__agency=agency).count(),
    )


def _refused(call, *args, code: str | None = None, **kw) -> actions.ActionRefused:
    with pytest.raises(actions.ActionRefused) as caught:
        call(*args, **kw)
    exc = caught.value
    assert exc.message and any("\u0e00" <= ch <= "\u0e7f" for ch in exc.message)  # Thai for people
    assert str(exc).isascii()  # English for logs
    if code:
        assert exc.code == code
    return exc


def _last_history(model_history, pk):
    return model_history.filter(id=pk).order_by("-history_date", "-history_id").first()


# ---------------------------------------------------------------- submit, approve, return


def test_submit_then_approve(world, links_ok):
    plan, editor, approver = world["our_plan"], world["users"]["editor"], world["users"]["approver"]
    actions.submit_plan(plan, editor)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED
    assert _last_history(Plan.history, plan.pk).history_user == editor
    approval = actions.decide_plan(plan, Decision.APPROVED, plan.content_version, user=approver)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED and plan.approval_current
    assert approval.version == plan.content_version and approval.approver_name == "นายสมชาย ใจดี"
    assert approval.snapshot["measures"]  # the record as approved
    assert _last_history(Plan.history, plan.pk).history_user == approver


def test_submit_refused_without_checked_links_and_twice(world, links_ok):
    plan, editor = world["our_plan"], world["users"]["editor"]
    links_ok["value"] = (False, "ยังไม่ได้ตรวจสอบลิงก์")
    exc = _refused(actions.submit_plan, plan, editor, code="links")
    assert "ยังไม่ได้ตรวจสอบลิงก์" in exc.message
    assert Plan.objects.get(pk=plan.pk).status == PlanStatus.DRAFT
    links_ok["value"] = (True, "")
    actions.submit_plan(plan, editor)
    _refused(actions.submit_plan, plan, editor, code="status")


def test_decide_refuses_a_stale_version_a_plan_not_submitted_and_a_bare_return(world, links_ok):
    plan, approver = world["our_plan"], world["users"]["approver"]
    _refused(actions.decide_plan, plan, Decision.APPROVED, plan.content_version, user=approver, code="status")
    actions.submit_plan(plan, world["users"]["editor"])
    with pytest.raises(actions.Conflict) as stale:
        actions.decide_plan(plan, Decision.APPROVED, plan.content_version - 1, user=approver)
    assert stale.value.status == 409 and "ฉบับล่าสุด" in stale.value.message
    _refused(
        actions.decide_plan,
        plan,
        Decision.RETURNED,
        plan.content_version,
        "  ",
        user=approver,
        code="comment",
    )
    assert not Approval.objects.filter(plan=plan).exists()
    actions.decide_plan(plan, Decision.RETURNED, plan.content_version, "แก้ตัวชี้วัดที่ 9", user=approver)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.RETURNED and plan.return_comment == "แก้ตัวชี้วัดที่ 9"


def test_decide_is_atomic(world, links_ok, monkeypatch):
    """The approval row is written, then the record fails: neither the approval nor the status
    stays."""
    plan, approver = world["our_plan"], world["users"]["approver"]
    actions.submit_plan(plan, world["users"]["editor"])
    before = _rows(world["ours"])
    real = Plan.save

    def broken(self, *a, **kw):
        if kw.get("update_fields") == ["status", "approved_version", "return_comment"]:
            raise RuntimeError("disk full")
        return real(self, *a, **kw)

    monkeypatch.setattr(Plan, "save", broken)
    with pytest.raises(RuntimeError):
        actions.decide_plan(plan, Decision.APPROVED, plan.content_version, user=approver)
    assert _rows(world["ours"]) == before


# ---------------------------------------------------------------- plans: draft, empty, next year


def test_draft_plan_from_the_engine(world):
    plan, note = actions.draft_plan(world["ours"], 2570, world["users"]["editor"])
    # No assessment of 2569 yet: drafted from 2568's, and the note says so.
    assert note and "2569" in note and "2568" in note
    covered = {i for m in plan.measures.all() for i in m.indicators}
    assert covered == set(range(1, 11))
    assert plan.assessment == Assessment.objects.filter(agency=world["ours"]).order_by("-fiscal_year").first()
    assert _last_history(Plan.history, plan.pk).history_user == world["users"]["editor"]
    exc = _refused(actions.draft_plan, world["ours"], 2570, code="exists")
    assert "2570" in exc.message
    _refused(actions.draft_plan, world["ours"], 2560, code="no_assessment")


def test_draft_plan_is_atomic(world, monkeypatch):
    before = _rows(world["ours"])
    real = Measure.objects.create
    calls = {"n": 0}

    def flaky(**kw):
        calls["n"] += 1
        if calls["n"] == 4:
            raise RuntimeError("disk full")
        return real(**kw)

    monkeypatch.setattr(Measure.objects, "create", flaky)
    with pytest.raises(RuntimeError):
        actions.draft_plan(world["ours"], 2570)
    assert _rows(world["ours"]) == before


def test_copy_to_next_year(world):
    plan = world["our_plan"]
    first = plan.measures.order_by("position", "pk").first()
    ProgressEntry.objects.create(measure=first, as_of=timezone.localdate(), status="done", result="เสร็จ")
    new = actions.copy_to_next_year(plan, world["users"]["editor"])
    assert new.fiscal_year == plan.fiscal_year + 1 and new.measures.count() == plan.measures.count()
    assert not ProgressEntry.objects.filter(measure__plan=new).exists()
    assert all(m.status == MeasureStatus.NOT_STARTED for m in new.measures.all())
    _refused(actions.copy_to_next_year, plan, code="exists")


def test_create_plan_empty_and_refused_twice(world):
    plan = actions.create_plan(world["ours"], 2571, world["users"]["editor"])
    assert plan.measures.count() == 0
    _refused(actions.create_plan, world["ours"], 2571, code="exists")


# ---------------------------------------------------------------- measures


def test_add_edit_delete_reorder_bump_the_plan_and_take_back_an_approval(world):
    plan, editor = world["our_plan"], world["users"]["editor"]
    plan.status, plan.approved_version = PlanStatus.APPROVED, plan.content_version
    plan.save()
    v = plan.content_version
    m = actions.add_measure(plan, {"title": "มาตรการใหม่", "indicators": [9]}, user=editor)
    plan.refresh_from_db()
    assert m.position == 11 and plan.content_version == v + 1 and plan.status == PlanStatus.DRAFT
    assert _last_history(Measure.history, m.pk).history_user == editor

    actions.edit_measure(m, m.version, {"title": "มาตรการใหม่ (แก้ไข)"}, user=editor)
    m.refresh_from_db()
    assert m.title == "มาตรการใหม่ (แก้ไข)" and m.version == 2
    latest, previous = list(Measure.history.filter(id=m.pk).order_by("-history_date", "-history_id")[:2])
    assert latest.title == "มาตรการใหม่ (แก้ไข)" and previous.title == "มาตรการใหม่"
    with pytest.raises(actions.Conflict):
        actions.edit_measure(m, 1, {"title": "ทับของคนอื่น"}, user=editor)
    assert Measure.objects.get(pk=m.pk).title == "มาตรการใหม่ (แก้ไข)"

    order = list(plan.measures.order_by("position", "pk").values_list("pk", flat=True))
    actions.reorder_measures(plan, [order[-1], *order[:-1]], user=editor)
    assert plan.measures.order_by("position").first().pk == m.pk
    _refused(actions.reorder_measures, plan, order[:-1], code="refused")
    assert actions.move_measure(Measure.objects.get(pk=m.pk), "up") is False  # first already

    actions.delete_measure(Measure.objects.get(pk=m.pk), user=editor)
    plan.refresh_from_db()
    assert [p for p in plan.measures.order_by("position").values_list("position", flat=True)] == list(
        range(1, 11)
    )
    assert plan.content_version == v + 4
    assert Measure.history.filter(id=m.pk, history_type="-").get().history_user == editor


def test_edit_measure_is_atomic(world, monkeypatch):
    plan = world["our_plan"]
    m = plan.measures.order_by("position", "pk").first()
    before = _rows(world["ours"])
    monkeypatch.setattr(actions.plans, "bump_plan", lambda p: (_ for _ in ()).throw(RuntimeError("x")))
    with pytest.raises(RuntimeError):
        actions.edit_measure(m, m.version, {"title": "ไม่ควรถูกบันทึก"})
    assert _rows(world["ours"]) == before


# ---------------------------------------------------------------- progress


def test_record_progress(world):
    plan, contributor = world["our_plan"], world["users"]["contributor"]
    m = plan.measures.order_by("position", "pk").first()
    v = plan.content_version
    entry = actions.record_progress(
        m, as_of=timezone.localdate(), status="done", result="อบรมครบทุกกอง", user=contributor
    )
    m.refresh_from_db()
    plan.refresh_from_db()
    assert m.status == "done" and entry.author == contributor
    assert plan.content_version == v  # progress is not an edit of the plan
    assert entry.history.first().history_user == contributor


def test_record_progress_refusals(world):
    m = world["our_plan"].measures.order_by("position", "pk").first()
    entries = m.progress.count()
    _refused(
        actions.record_progress,
        m,
        as_of=timezone.localdate().replace(year=2099),
        status="done",
        code="future",
    )
    _refused(actions.record_progress, m, as_of=None, status="finished", code="status")
    _refused(actions.record_progress, m, as_of=None, status=m.status, code="empty")
    with pytest.raises(actions.Conflict):
        actions.record_progress(m, as_of=None, status="done", result="x", expected_version=m.version + 5)
    assert m.progress.count() == entries


# ---------------------------------------------------------------- assessments


def test_store_assessment_versions(world):
    ours, editor = world["ours"], world["users"]["editor"]
    a = Assessment.objects.get(agency=ours, fiscal_year=2568)
    record = RecordAssessment.model_validate({"fiscal_year": 2568, "overall": 95.5, "level": "ผ่านดีเยี่ยม"})
    stored = actions.store_assessment(ours, record, expected_version=a.version, user=editor)
    assert stored.version == a.version + 1 and stored.overall == 95.5
    assert stored.history.first().history_user == editor
    with pytest.raises(actions.Conflict) as caught:
        actions.store_assessment(ours, record, expected_version=a.version, user=editor)
    assert "มีผู้อื่นบันทึกผลการประเมินปีนี้" in caught.value.message
    with pytest.raises(actions.Conflict):  # they saw an assessment that nobody stored
        actions.store_assessment(ours, RecordAssessment(fiscal_year=2569, overall=90), expected_version=3)
    assert not Assessment.objects.filter(agency=ours, fiscal_year=2569).exists()
    new = actions.store_assessment(ours, RecordAssessment(fiscal_year=2569, overall=90), expected_version=0)
    assert new.version == 1


def test_store_assessment_is_atomic(world, monkeypatch):
    from prongsai.web.cycle import records

    before = _rows(world["ours"])
    monkeypatch.setattr(records, "engine_view", lambda *a, **kw: (_ for _ in ()).throw(RuntimeError("x")))
    with pytest.raises(RuntimeError):
        actions.store_assessment(world["ours"], RecordAssessment(fiscal_year=2568, overall=50))
    assert _rows(world["ours"]) == before


# ---------------------------------------------------------------- import accept and undo


def _job(world, doc):
    from prongsai.web.imports.models import ImportJob, JobStatus

    return ImportJob.objects.create(
        agency=world["ours"],
        uploaded_by=world["users"]["editor"],
        file_name="r.txt",
        status=JobStatus.DONE,
        draft=doc,
        finished_at=timezone.now(),
    )


def test_accept_import_and_undo(world):
    from prongsai.interchange.models import Document
    from prongsai.web.cycle.records import plan_record

    plan, editor = world["our_plan"], world["users"]["editor"]
    doc = plan_record(plan).model_dump(mode="json")
    record = Document.model_validate(doc)
    job = _job(world, doc)
    before = _rows(world["ours"])
    seen = actions.preview(world["ours"], record)
    assert seen.unchanged == 10 and seen.added == 0 and seen.needs_choice
    _refused(actions.accept_import, job, record, doc=doc, user=editor, code="mode")
    actions.accept_import(job, record, doc=doc, mode="merge", user=editor)
    assert plan.measures.count() == 10  # the same report again adds nothing
    job.refresh_from_db()
    assert job.status == "accepted" and job.history.first().history_user == editor
    _refused(actions.accept_import, job, record, doc=doc, mode="merge", code="accepted")
    actions.undo_import(job, user=editor)
    assert _rows(world["ours"])[:2] == before[:2]
    _refused(actions.undo_import, job, code="not_accepted")


def test_accept_import_is_atomic(world, monkeypatch):
    from prongsai.interchange.models import Document
    from prongsai.web.cycle import records
    from prongsai.web.cycle.records import plan_record

    plan = world["our_plan"]
    doc = plan_record(plan).model_dump(mode="json")
    doc["assessments"][-1]["overall"] = 50.0
    job = _job(world, doc)
    before = _rows(world["ours"])
    monkeypatch.setattr(records, "add_measures", lambda *a, **kw: (_ for _ in ()).throw(RuntimeError("x")))
    with pytest.raises(RuntimeError):
        actions.accept_import(job, Document.model_validate(doc), doc=doc, mode="replace")
    assert _rows(world["ours"]) == before
    job.refresh_from_db()
    assert job.status == "done" and job.snapshot is None
