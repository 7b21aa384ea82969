"""Import of past reports through the web: upload, progress, review beside the source, accept in
one transaction; bad files end as failed jobs; editors only, agencies isolated."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from prongsai.web.cycle.models import Assessment, Evidence, Measure, Plan, ProgressEntry
from prongsai.web.imports.models import ImportJob, JobStatus
from tests.conftest import SHARED, needs_shared

pytestmark = pytest.mark.django_db

SEEDS = SHARED / "seeds"
SEED_002 = SEEDS / "002_6b2883afbb91bd3a.txt"
SEED_003 = SEEDS / "003_2ce7d8fef52d3b8e.txt"
needs_seeds = needs_shared


def _file(path: Path) -> SimpleUploadedFile:
    return SimpleUploadedFile(path.name, path.read_bytes(), content_type="text/plain")


def upload_url(world) -> str:
    return reverse("import_upload", kwargs={"agency": world["ours"].slug})


def review_url(world, job) -> str:
    return reverse("import_review", kwargs={"agency": world["ours"].slug, "job": job.pk})


def accept_url(world, job) -> str:
    return reverse("import_accept", kwargs={"agency": world["ours"].slug, "job": job.pk})


def compare_url(world, job) -> str:
    return reverse("import_compare", kwargs={"agency": world["ours"].slug, "job": job.pk})


def undo_url(world, job) -> str:
    return reverse("import_undo", kwargs={"agency": world["ours"].slug, "job": job.pk})


def _upload(client, world, *files) -> list[ImportJob]:
    before = set(ImportJob.objects.values_list("pk", flat=True))
    r = client.post(upload_url(world), {"files": list(files)})
    assert r.status_code == 302
    return list(ImportJob.objects.exclude(pk__in=before).order_by("pk"))


def _form_values(html: str) -> dict[str, str]:
    """Every field of the review form as the page renders it (inputs, textareas, selects)."""
    from html import unescape

    out: dict[str, str] = {}
    for m in re.finditer(r'<input type="text" id="[^"]*" name="([^"]+)" value="([^"]*)"', html):
        out[unescape(m.group(1))] = unescape(m.group(2))
    for m in re.finditer(r'<textarea id="[^"]*" name="([^"]+)"[^>]*>(.*?)</textarea>', html, re.S):
        out[unescape(m.group(1))] = unescape(m.group(2))
    for m in re.finditer(r'<select id="[^"]*" name="([^"]+)">(.*?)</select>', html, re.S):
        sel = re.search(r'<option value="([^"]*)" selected>', m.group(2))
        out[unescape(m.group(1))] = unescape(sel.group(1)) if sel else ""
    return out


def _snapshot(agency) -> dict:
    return {
        "plans": list(Plan.objects.filter(agency=agency).values_list("pk", "fiscal_year", "content_version")),
        "measures": Measure.objects.filter(plan__agency=agency).count(),
        "progress": ProgressEntry.objects.filter(measure__plan__agency=agency).count(),
        "evidence": Evidence.objects.filter(measure__plan__agency=agency).count(),
        "assessments": sorted(
            (a.fiscal_year, a.overall, repr(sorted(a.published.items())))
            for a in Assessment.objects.filter(agency=agency)
        ),
        "history": Measure.history.count() + Assessment.history.count() + Plan.history.count(),
    }


@needs_seeds
def test_upload_seed_reads_a_draft_shown_beside_its_source(world, login):
    client = login(world["users"]["editor"])
    (job,) = _upload(client, world, _file(SEED_002))
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error_th
    assert job.agency == world["ours"] and job.uploaded_by == world["users"]["editor"]
    assert job.file_name == SEED_002.name and bytes(job.data) == SEED_002.read_bytes()
    assert len(job.draft["measures"]) == 4 and job.draft["report_fiscal_year"] == 2566
    assert job.history.count() >= 2  # audit trail: created queued, then done

    listing = client.get(upload_url(world)).content.decode()
    assert SEED_002.name in listing and "รอตรวจทาน" in listing
    assert 'hx-trigger="every 2s"' not in listing  # nothing left to poll for

    page = client.get(review_url(world, job))
    assert page.status_code == 200
    html = page.content.decode()
    for m in job.draft["measures"]:
        assert m["title"][:40] in html
    # The source text with line numbers; the title of measure 1 sits on line 11.
    source_line = SEED_002.read_text(encoding="utf-8").split("\n")[10]
    assert '<li id="L11" data-n="11"' in html and source_line[:30] in html
    assert 'data-lines="11"' in html
    # The importer read measure statuses from result text (0.7): marked for review.
    assert re.search(r'<div class="fld low" data-lines="11">\s*<label for="f-measures-0--status">', html)
    assert "มาตรการที่ 1 · สถานะ</a> (70%)" in html  # listed first among fields to check
    assert not re.search(
        r'<div class="fld low[^"]*" data-lines="11">\s*<label for="f-measures-0--title">', html
    )
    # The importer's finding, in Thai.
    assert "ระยะเวลาระบุปี 2666" in html
    # Another municipality's report: the screen says so.
    assert "เทศบาลตำบลท่าแซะ" in html and "ไม่ตรงกับ" in html


@needs_seeds
def test_correct_and_accept_writes_plan_and_measures_in_one_go(world, login):
    client = login(world["users"]["editor"])
    ours = world["ours"]
    (job,) = _upload(client, world, _file(SEED_002))
    values = _form_values(client.get(review_url(world, job)).content.decode())
    assert values["measures[3].status"] == "done" and values["report_fiscal_year"] == "2566"
    values["measures[3].status"] = "in_progress"  # the reviewer corrects a status
    values["measures[0].title"] = "จัดทำรายงานผลการติดตามแผนพัฒนาท้องถิ่น (แก้ไข)"
    assert not Plan.objects.filter(agency=ours, fiscal_year=2566).exists()

    # Another municipality's name: refused until the reviewer confirms (or corrects it).
    refused = client.post(accept_url(world, job), values)
    assert refused.status_code == 400 and "ยืนยันว่าเป็นรายงานของ" in refused.content.decode()
    assert not Plan.objects.filter(agency=ours, fiscal_year=2566).exists()

    r = client.post(accept_url(world, job), {**values, "confirm_agency": "on"})
    assert r.status_code == 302
    plan = Plan.objects.get(agency=ours, fiscal_year=2566)
    measures = list(plan.measures.order_by("position"))
    assert [m.position for m in measures] == [1, 2, 3, 4]
    assert measures[0].title == "จัดทำรายงานผลการติดตามแผนพัฒนาท้องถิ่น (แก้ไข)"
    assert [m.status for m in measures] == ["done", "done", "done", "in_progress"]
    assert measures[3].progress.get().status == "in_progress"
    assert measures[0].responsible_text.startswith("สำนักปลัด")
    assert list(measures[0].units.values_list("name", flat=True)) == ["สำนักปลัด"]
    job.refresh_from_db()
    assert job.status == JobStatus.ACCEPTED and job.accepted_by == world["users"]["editor"]
    assert job.accepted_at is not None and job.draft["measures"][3]["status"] == "in_progress"
    # The plan of 2569 from the fixture is untouched.
    assert world["our_plan"].measures.count() == 10

    # A job is accepted once.
    again = client.post(accept_url(world, job), {**values, "confirm_agency": "on"})
    assert again.status_code == 409
    assert Measure.objects.filter(plan=plan).count() == 4
    page = client.get(review_url(world, job)).content.decode()
    assert "บันทึกเข้าระบบแล้ว" in page and '<fieldset class="plain" disabled>' in page


@needs_seeds
def test_invalid_score_refused_and_nothing_written(world, login):
    client = login(world["users"]["editor"])
    ours = world["ours"]
    (job,) = _upload(client, world, _file(SEED_003))
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and len(job.draft["assessments"]) == 2
    values = _form_values(client.get(review_url(world, job)).content.decode())
    assert values["assessments[1].tools.OIT"] == "85.00"
    values["assessments[1].tools.OIT"] = "150"
    values["measures[0].status"] = "done"
    before = _snapshot(ours)
    r = client.post(accept_url(world, job), values)
    assert r.status_code == 400
    html = r.content.decode()
    assert "ผลการประเมินปี 2568 · OIT</a>: ค่าต้องไม่เกิน 100" in html and "ไม่มีข้อมูลใดถูกบันทึก" in html
    assert 'value="150"' in html  # shown again as typed
    assert _snapshot(ours) == before
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.draft["assessments"][1]["tools"]["OIT"] == 85.0


@needs_seeds
def test_failure_midway_rolls_everything_back(world, login, monkeypatch):
    """import_record writes the assessments, then the plan and its measures one by one; a failure
    at the fifth measure leaves nothing of the report behind."""
    client = login(world["users"]["editor"])
    ours = world["ours"]
    (job,) = _upload(client, world, _file(SEED_003))
    values = _form_values(client.get(review_url(world, job)).content.decode())
    values["assessments[1].overall"] = "94.00"
    before = _snapshot(ours)
    calls = {"n": 0}
    real = Measure.objects.create

    def flaky(**kw):
        calls["n"] += 1
        if calls["n"] == 5:
            raise RuntimeError("disk full")
        return real(**kw)

    monkeypatch.setattr(Measure.objects, "create", flaky)
    # The plan of the report's year exists: the changes are shown first, then the choice.
    r = client.post(accept_url(world, job), values)
    assert r.status_code == 302 and r["Location"] == compare_url(world, job)
    r = client.post(compare_url(world, job), {"mode": "replace"})
    assert r.status_code == 400 and calls["n"] == 5
    assert "บันทึกไม่สำเร็จ ไม่มีข้อมูลใดถูกบันทึก" in r.content.decode()
    assert _snapshot(ours) == before
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.accepted_at is None


@needs_seeds
def test_accept_into_existing_plan_replaces_scores_and_needs_new_approval(world, login):
    client = login(world["users"]["editor"])
    ours, plan = world["ours"], world["our_plan"]
    plan.status, plan.approved_version = "approved", plan.content_version
    plan.save()
    (job,) = _upload(client, world, _file(SEED_003))
    html = client.get(review_url(world, job)).content.decode()
    assert "ก่อนบันทึกจะแสดงค่าที่แตกต่าง" in html and "ให้เลือกแทนที่ รวม หรือคงแผนเดิมไว้" in html
    values = _form_values(html)
    for i in range(10):
        values[f"measures[{i}].skip"] = "on"
    values["measures[2].skip"] = ""
    values["assessments[0].skip"] = "on"
    values["assessments[1].overall"] = "94.50"
    r = client.post(accept_url(world, job), values)
    assert r.status_code == 302 and r["Location"] == compare_url(world, job), r.content.decode()[:3000]
    page = client.get(compare_url(world, job)).content.decode()
    assert "คะแนนภาพรวม" in page and "94.50" in page  # the score that differs, before and after
    assert "ยืนยันให้แผนเป็นร่างฉบับใหม่" in page
    # An approved plan is not changed without saying so.
    refused = client.post(compare_url(world, job), {"mode": "merge"})
    assert refused.status_code == 400 and "ต้องเสนออนุมัติอีกครั้ง" in refused.content.decode()
    assert plan.measures.count() == 10
    r = client.post(compare_url(world, job), {"mode": "merge", "confirm_new_version": "on"})
    assert r.status_code == 302, r.content.decode()[:3000]
    assert Assessment.objects.get(agency=ours, fiscal_year=2568).published["overall"] == 94.5
    assert plan.measures.count() == 11
    plan.refresh_from_db()
    assert plan.status == "draft" and not plan.approval_current


@needs_seeds
def test_save_corrections_keeps_draft_writes_nothing(world, login):
    client = login(world["users"]["editor"])
    (job,) = _upload(client, world, _file(SEED_003))
    values = _form_values(client.get(review_url(world, job)).content.decode())
    before = _snapshot(world["ours"])
    values["measures[1].indicators"] = "2, 11"
    bad = client.post(review_url(world, job), values)
    assert bad.status_code == 400 and "ตัวชี้วัดต้องเป็นเลข 1 ถึง 10" in bad.content.decode()
    values["measures[1].indicators"] = "๒, 3"
    values["measures[1].status"] = "in_progress"
    assert client.post(review_url(world, job), values).status_code == 302
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert (
        job.draft["measures"][1]["indicators"] == [2, 3]
        and job.draft["measures"][1]["status"] == "in_progress"
    )
    assert job.draft["provenance"]  # the source lines stay with the draft
    assert _snapshot(world["ours"]) == before
    html = client.get(review_url(world, job)).content.decode()
    assert _form_values(html)["measures[1].indicators"] == "2, 3"


def test_bad_files_end_failed_with_thai_message(world, login):
    client = login(world["users"]["editor"])
    before = _snapshot(world["ours"])
    empty, binary, english = _upload(
        client,
        world,
        SimpleUploadedFile("empty.txt", b""),
        SimpleUploadedFile("random.docx", os.urandom(4096)),
        SimpleUploadedFile("english.txt", b"This is an English memo about the weather. " * 40),
    )
    for job in (empty, binary, english):
        job.refresh_from_db()
        assert job.status == JobStatus.FAILED and job.draft is None and job.error_th
    assert empty.error_code == "empty" and empty.error_th == "ไฟล์ว่างเปล่า ไม่มีข้อมูลให้นำเข้า"
    assert binary.error_code in ("unsupported_type", "corrupt")
    assert english.error_code == "not_thai"
    listing = client.get(upload_url(world)).content.decode()
    assert "ไฟล์ว่างเปล่า ไม่มีข้อมูลให้นำเข้า" in listing and binary.error_th in listing
    page = client.get(review_url(world, binary)).content.decode()
    assert binary.error_th in page and "ไม่มีข้อมูลใดถูกบันทึก" in page
    assert _snapshot(world["ours"]) == before
    # A failed job cannot be accepted.
    assert client.post(accept_url(world, empty), {"agency.name": "x"}).status_code == 409
    assert _snapshot(world["ours"]) == before


def test_too_large_refused_before_reading(world, login, monkeypatch):
    from prongsai.web.imports import views

    monkeypatch.setattr(views, "MAX_BYTES", 10)
    client = login(world["users"]["editor"])
    (job,) = _upload(client, world, SimpleUploadedFile("big.txt", "ทดสอบ".encode() * 10))
    assert job.status == JobStatus.FAILED and job.error_code == "too_large" and bytes(job.data) == b""
    assert "ไฟล์มีขนาดใหญ่เกินกำหนด" in job.error_th


@needs_seeds
def test_two_files_at_once_make_two_jobs(world, login):
    client = login(world["users"]["editor"])
    jobs = _upload(client, world, _file(SEED_002), _file(SEED_003))
    assert [j.file_name for j in jobs] == [SEED_002.name, SEED_003.name]
    assert {j.status for j in jobs} == {JobStatus.DONE}
    listing = client.get(upload_url(world)).content.decode()
    assert SEED_002.name in listing and SEED_003.name in listing
    assert "multiple" in listing and 'type="file"' in listing


def test_progress_polls_while_a_job_is_pending(world, login):
    client = login(world["users"]["editor"])
    job = ImportJob.objects.create(
        agency=world["ours"], uploaded_by=world["users"]["editor"], file_name="a.pdf"
    )
    full = client.get(upload_url(world)).content.decode()
    assert 'hx-trigger="every 2s"' in full and "รอคิว" in full
    part = client.get(upload_url(world), headers={"HX-Request": "true"})
    assert part.status_code == 200 and part.content.decode().startswith('<div id="import-jobs"')
    assert "<html" not in part.content.decode()
    page = client.get(review_url(world, job)).content.decode()
    assert "รอคิวอ่านไฟล์" in page and 'hx-trigger="every 2s"' in page
    ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, error_th="อ่านไม่ได้")
    assert 'hx-trigger="every 2s"' not in client.get(upload_url(world)).content.decode()


def test_editors_only_and_agencies_isolated(world, login, client):
    ours, theirs = world["ours"], world["theirs"]
    our_job = ImportJob.objects.create(agency=ours, uploaded_by=world["users"]["editor"], file_name="o.txt")
    their_job = ImportJob.objects.create(
        agency=theirs, uploaded_by=world["users"]["other_editor"], file_name="t.txt"
    )
    urls = [upload_url(world), review_url(world, our_job), accept_url(world, our_job)]

    anon = client.get(urls[0])
    assert anon.status_code == 302 and "/login/" in anon["Location"]
    for role in ("viewer", "contributor", "approver"):
        c = login(world["users"][role])
        for url in urls:
            assert c.get(url).status_code == 403
        assert c.post(urls[0], {"files": [SimpleUploadedFile("x.txt", b"x")]}).status_code == 403
        assert c.post(urls[2], {}).status_code == 403
    assert ImportJob.objects.count() == 2

    other = login(world["users"]["other_editor"])
    for url in urls:
        assert other.get(url).status_code == 404
        assert other.post(url, {}).status_code == 404

    # Our job's id under their own agency is not found either.
    def theirs_url(job):
        return reverse("import_review", kwargs={"agency": theirs.slug, "job": job.pk})

    assert other.get(theirs_url(our_job)).status_code == 404
    assert other.get(theirs_url(their_job)).status_code == 200
    # Their list never shows our jobs.
    assert "o.txt" not in other.get(reverse("import_upload", kwargs={"agency": theirs.slug})).content.decode()
    for role in ("outsider", "province_overseer", "national_overseer"):
        c = login(world["users"][role])
        assert c.get(urls[0]).status_code == 404 and c.get(urls[1]).status_code == 404


# ------------------------------------------------------------------ defect 3: replace, merge, skip, undo


def _rows(agency) -> str:
    """Every row an import may touch, field by field, with its id (Memo.updated left out: it is
    the time of the last save)."""
    from django.core import serializers

    from prongsai.web.cycle.models import IndicatorScore, Memo

    parts = [
        Plan.objects.filter(agency=agency),
        Measure.objects.filter(plan__agency=agency),
        ProgressEntry.objects.filter(measure__plan__agency=agency),
        Evidence.objects.filter(measure__plan__agency=agency),
        Memo.objects.filter(plan__agency=agency),
        Assessment.objects.filter(agency=agency),
        IndicatorScore.objects.filter(assessment__agency=agency),
    ]
    out = []
    for qs in parts:
        rows = serializers.serialize("python", qs.order_by("pk"))
        for r in rows:
            r["fields"].pop("updated", None)
        out.append(repr(rows))
    return "\n".join(out)


def _report_of_our_plan(world, *, approved: bool = True) -> tuple[Plan, ImportJob]:
    """Last year's report of our own plan read back (as a re-import would): the first title typed
    differently, the second measure's steps changed, the last measure missing, one new measure,
    and 2568's OIT score corrected."""
    from django.utils import timezone

    from prongsai.web.cycle.records import plan_record

    plan = world["our_plan"]
    if approved:
        plan.status, plan.approved_version = "approved", plan.content_version
        plan.save()
    doc = plan_record(plan).model_dump(mode="json", exclude_none=True)
    measures = doc["measures"]
    first = measures[0]
    first["title"] = "  " + first["title"].replace("มาตรการ", "มาตรการ ", 1) + " "  # same title to a reader
    measures[1]["steps"] = "ขั้นตอนที่ปรับตามรายงาน"
    measures.pop()
    measures.append({"title": "มาตรการใหม่จากรายงานที่นำเข้า", "indicators": [9], "status": "in_progress"})
    for m in measures:
        m.pop("no", None)
        m.pop("evidence", None)
    a2568 = next(a for a in doc["assessments"] if a["fiscal_year"] == 2568)
    a2568["tools"]["OIT"] = 77.77
    job = ImportJob.objects.create(
        agency=world["ours"],
        uploaded_by=world["users"]["editor"],
        file_name="รายงานมาตรการ.txt",
        size=4,
        data=b"text",
        status=JobStatus.DONE,
        method="text",
        text="รายงาน",
        draft=doc,
        finished_at=timezone.now(),
    )
    return plan, job


def _review_then_compare(client, world, job):
    values = _form_values(client.get(review_url(world, job)).content.decode())
    r = client.post(accept_url(world, job), values)
    assert r.status_code == 302 and r["Location"] == compare_url(world, job), r.content.decode()[:2000]
    return client.get(compare_url(world, job)).content.decode()


def test_defect3_same_report_twice_never_doubles_the_measures(world, login):
    """Accepting a report of the plan that is already stored appended every measure again
    (6 -> 12) and silently dropped the approved plan to draft."""
    client = login(world["users"]["editor"])
    plan, job = _report_of_our_plan(world)
    n = plan.measures.count()
    version = plan.content_version
    page = _review_then_compare(client, world, job)
    # What it would change, before anything is written.
    assert "เพิ่มใหม่ 1 · เปลี่ยนแปลง 1 · เหมือนเดิม 8 · มาตรการเดิมที่ไม่มีในรายงาน 1" in page
    assert "ขั้นตอนที่ปรับตามรายงาน" in page and "มาตรการใหม่จากรายงานที่นำเข้า" in page
    assert "77.77" in page and "ที่บันทึกไว้" in page  # the OIT score, stored and reported
    assert "อนุมัติแล้ว (ฉบับที่" in page and "ร่างฉบับใหม่" in page
    plan.refresh_from_db()
    assert plan.measures.count() == n and plan.status == "approved" and plan.content_version == version

    r = client.post(compare_url(world, job), {"mode": "merge", "confirm_new_version": "on"})
    assert r.status_code == 302
    plan.refresh_from_db()
    titles = list(plan.measures.order_by("position", "pk").values_list("title", flat=True))
    assert len(titles) == n + 1 and titles[-1] == "มาตรการใหม่จากรายงานที่นำเข้า"
    assert plan.measures.get(position=2).steps == "ขั้นตอนที่ปรับตามรายงาน"
    assert plan.status == "draft" and plan.content_version == version + 1  # a new version, said first
    assert Assessment.objects.get(agency=world["ours"], fiscal_year=2568).published["tools"]["OIT"] == 77.77
    job.refresh_from_db()
    assert job.status == JobStatus.ACCEPTED and job.mode == "merge"
    review = client.get(review_url(world, job)).content.decode()
    assert "รวมกับมาตรการเดิม" in review and "ยกเลิกการนำเข้า" in review


def test_defect3_replace_then_undo_restores_everything_exactly(world, login):
    client = login(world["users"]["editor"])
    plan, job = _report_of_our_plan(world)
    # Progress and evidence that the replace throws away (and the undo must bring back).
    first = plan.measures.order_by("position", "pk").first()
    ProgressEntry.objects.create(measure=first, as_of="2026-01-15", status="in_progress", result="อบรมแล้ว")
    Evidence.objects.create(measure=first, kind="link", url="https://example.org/report", caption="รายงาน")
    before = _rows(world["ours"])
    _review_then_compare(client, world, job)
    r = client.post(compare_url(world, job), {"mode": "replace", "confirm_new_version": "on"})
    assert r.status_code == 302
    plan.refresh_from_db()
    assert plan.measures.count() == 10  # exactly the report's measures
    assert not Evidence.objects.filter(url="https://example.org/report").exists()
    assert _rows(world["ours"]) != before

    r = client.post(undo_url(world, job), follow=True)
    assert "ข้อมูลกลับเป็นเหมือนก่อนนำเข้า" in r.content.decode()
    assert _rows(world["ours"]) == before  # plan, measures, progress, evidence, scores: as they were
    plan.refresh_from_db()
    assert plan.approval_current  # the approved version is the approved version again
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.undone_by == world["users"]["editor"]
    # The audit trail keeps the import and the undo.
    assert Measure.history.filter(history_type="-").exists()
    assert Plan.history.filter(id=plan.pk, history_user=world["users"]["editor"]).count() >= 2


def test_defect3_skip_keeps_the_plan_and_takes_the_scores(world, login):
    client = login(world["users"]["editor"])
    plan, job = _report_of_our_plan(world)
    before_measures = list(plan.measures.values_list("pk", "title", "steps", "version"))
    version = plan.content_version
    _review_then_compare(client, world, job)
    r = client.post(compare_url(world, job), {"mode": "skip"})
    assert r.status_code == 302  # nothing in the approved plan changes: no confirmation asked
    plan.refresh_from_db()
    assert list(plan.measures.values_list("pk", "title", "steps", "version")) == before_measures
    assert plan.status == "approved" and plan.content_version == version
    assert Assessment.objects.get(agency=world["ours"], fiscal_year=2568).published["tools"]["OIT"] == 77.77
    # Undo puts the score back.
    before_oit = next(
        a["tools"]["OIT"] for a in job.draft["assessments"] if a["fiscal_year"] == 2568
    )  # what the review showed
    assert before_oit == 77.77
    client.post(undo_url(world, job))
    assert Assessment.objects.get(agency=world["ours"], fiscal_year=2568).published["tools"]["OIT"] != 77.77


def test_defect3_undo_refused_after_a_later_change(world, login):
    client = login(world["users"]["editor"])
    plan, job = _report_of_our_plan(world, approved=False)
    _review_then_compare(client, world, job)
    assert client.post(compare_url(world, job), {"mode": "merge"}).status_code == 302
    from prongsai.web.cycle import actions

    m = plan.measures.order_by("position", "pk").first()  # someone edits a measure afterwards
    actions.edit_measure(m, m.version, {"title": "แก้ไขหลังการนำเข้า"}, user=world["users"]["editor"])
    after_edit = _rows(world["ours"])
    r = client.post(undo_url(world, job), follow=True)
    assert "ถูกแก้ไขหลังการนำเข้า" in r.content.decode()
    assert _rows(world["ours"]) == after_edit  # nothing restored, nothing lost
    job.refresh_from_db()
    assert job.status == JobStatus.ACCEPTED


def test_defect3_undo_refused_after_progress_reported_since(world, login):
    """Progress does not move the plan's version, but an undo would still lose it: refused."""
    from django.utils import timezone

    from prongsai.web.cycle import actions

    client = login(world["users"]["editor"])
    plan, job = _report_of_our_plan(world, approved=False)
    _review_then_compare(client, world, job)
    assert client.post(compare_url(world, job), {"mode": "merge"}).status_code == 302
    new = plan.measures.get(title="มาตรการใหม่จากรายงานที่นำเข้า")
    actions.record_progress(
        new, as_of=timezone.localdate(), status="done", result="เสร็จแล้ว", user=world["users"]["contributor"]
    )
    after_progress = _rows(world["ours"])
    r = client.post(undo_url(world, job), follow=True)
    assert "ถูกแก้ไขหลังการนำเข้า" in r.content.decode()
    assert _rows(world["ours"]) == after_progress


def test_defect3_skip_then_undo_leaves_later_plan_edits_alone(world, login):
    """Skip did not touch the plan, so undoing it restores the scores only."""
    from prongsai.web.cycle import actions

    client = login(world["users"]["editor"])
    plan, job = _report_of_our_plan(world, approved=False)
    _review_then_compare(client, world, job)
    assert client.post(compare_url(world, job), {"mode": "skip"}).status_code == 302
    m = plan.measures.order_by("position", "pk").first()
    actions.edit_measure(m, m.version, {"title": "แก้ไขหลังการนำเข้า"}, user=world["users"]["editor"])
    client.post(undo_url(world, job))
    assert Measure.objects.get(pk=m.pk).title == "แก้ไขหลังการนำเข้า"
    assert Assessment.objects.get(agency=world["ours"], fiscal_year=2568).published["tools"]["OIT"] != 77.77
    job.refresh_from_db()
    assert job.status == JobStatus.DONE


def test_defect3_a_choice_is_required_and_viewers_cannot_accept(world, login):
    client = login(world["users"]["editor"])
    _plan, job = _report_of_our_plan(world, approved=False)
    _review_then_compare(client, world, job)
    r = client.post(compare_url(world, job), {})
    assert r.status_code == 400 and "กรุณาเลือกว่าจะแทนที่ รวม หรือคงแผนเดิมไว้" in r.content.decode()
    viewer = login(world["users"]["viewer"])
    assert viewer.post(compare_url(world, job), {"mode": "replace"}).status_code == 403
    assert viewer.post(undo_url(world, job)).status_code == 403
    other = login(world["users"]["other_editor"])
    assert other.get(compare_url(world, job)).status_code == 404


def test_defect3_comparison_in_english(world, login):
    client = login(world["users"]["editor"])
    _plan, job = _report_of_our_plan(world)
    _review_then_compare(client, world, job)
    try:
        page = client.get("/en" + compare_url(world, job), follow=True).content.decode()
    finally:
        translation.activate("th")  # the request left English active in this thread
    assert "Check what will change before saving" in page
    assert "New 1 · changed 1 · unchanged 8 · existing measures not in the report 1" in page
    assert "Merge with the existing measures (matched by title)" in page


def test_a_job_whose_worker_stopped_ends_failed_not_running_for_ever(world, login):
    """kill -9 of a worker while it read a file left the job "กำลังอ่านไฟล์" for ever (issue 11,
    item 7): past the run limit it is failed, with a Thai message saying to upload it again."""
    from datetime import timedelta

    from django.utils import timezone

    from prongsai.web.imports.models import RUN_LIMIT

    common = {"agency": world["ours"], "uploaded_by": world["users"]["editor"], "size": 4, "data": b"text"}
    stuck = ImportJob.objects.create(file_name="ค้าง.txt", status=JobStatus.RUNNING, **common)
    ImportJob.objects.filter(pk=stuck.pk).update(started=timezone.now() - RUN_LIMIT - timedelta(minutes=1))
    reading = ImportJob.objects.create(
        file_name="กำลังอ่าน.txt", status=JobStatus.RUNNING, started=timezone.now(), **common
    )
    page = login(world["users"]["editor"]).get(upload_url(world))
    assert page.status_code == 200
    stuck.refresh_from_db()
    reading.refresh_from_db()
    assert stuck.status == JobStatus.FAILED and stuck.error_code == "interrupted"
    assert "อัปโหลดไฟล์อีกครั้ง" in stuck.error_th and "อัปโหลดไฟล์อีกครั้ง" in page.content.decode()
    assert reading.status == JobStatus.RUNNING
