"""Retention and cleanup (issue 11, item 8): imported files did not stay in the database for good,
deleted evidence does not keep its file, orphans and the temporary files of killed requests are
swept, and `manage.py cleanup` says what it removed (--dry-run changes nothing)."""

from __future__ import annotations

import os
import time
from datetime import timedelta
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from prongsai.web.agencies.models import AuditAction, AuditEvent
from prongsai.web.cycle.models import Evidence
from prongsai.web.housekeeping import cleanup, files
from prongsai.web.housekeeping.tasks import cleanup as cleanup_task
from prongsai.web.imports.models import ImportJob, JobStatus, ScoreImport
from tests.web.test_imports import _report_of_our_plan, _review_then_compare, compare_url, undo_url

pytestmark = pytest.mark.django_db

DAY = timedelta(days=1)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.FILE_UPLOAD_TEMP_DIR = tmp_path / "uploads"
    os.makedirs(settings.FILE_UPLOAD_TEMP_DIR)
    return tmp_path


def _job(world, status, age: timedelta, **extra) -> ImportJob:
    job = ImportJob.objects.create(
        agency=world["ours"],
        uploaded_by=world["users"]["editor"],
        file_name="รายงาน.pdf",
        size=5,
        data=b"%PDF-",
        text="บรรทัดที่อ่านได้",
        status=status,
        **extra,
    )
    when = timezone.now() - age
    ImportJob.objects.filter(pk=job.pk).update(created=when, finished_at=when)
    return job


def _evidence_file(world, name="หลักฐาน.pdf", body=b"%PDF-1.4 evidence") -> Evidence:
    m = world["our_plan"].measures.order_by("position", "pk").first()
    return Evidence.objects.create(
        measure=m, kind="file", file=ContentFile(body, name=name), original_name=name, caption="ไฟล์"
    )


def _age(path, hours: float) -> None:
    past = time.time() - hours * 3600
    os.utime(path, (past, past))


def test_a_failed_import_loses_its_file_and_text_after_seven_days(world):
    old = _job(world, JobStatus.FAILED, 8 * DAY, error_th="อ่านไม่ได้")
    recent = _job(world, JobStatus.FAILED, 6 * DAY, error_th="อ่านไม่ได้")
    report = cleanup.run()
    old.refresh_from_db()
    recent.refresh_from_db()
    assert bytes(old.data) == b"" and old.text == "" and old.error_th == "อ่านไม่ได้"
    assert bytes(recent.data) == b"%PDF-" and recent.text
    assert report.parts[0].count == 1


def test_a_draft_never_accepted_expires_after_thirty_days_and_says_so(world, login):
    old = _job(world, JobStatus.DONE, 31 * DAY, draft={"measures": []})
    recent = _job(world, JobStatus.DONE, 29 * DAY, draft={"measures": []})
    cleanup.run()
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.status == JobStatus.FAILED and old.error_code == "expired"
    assert old.draft is None and bytes(old.data) == b"" and old.text == ""
    assert recent.status == JobStatus.DONE and recent.draft is not None
    page = login(world["users"]["editor"]).get(
        reverse("import_upload", kwargs={"agency": world["ours"].slug})
    )
    assert "หมดอายุ" in page.content.decode()


def test_an_accepted_import_drops_its_upload_after_ninety_days_and_can_still_be_undone(world, login):
    client = login(world["users"]["editor"])
    _plan, job = _report_of_our_plan(world)
    _review_then_compare(client, world, job)
    assert (
        client.post(compare_url(world, job), {"mode": "replace", "confirm_new_version": "on"}).status_code
        == 302
    )
    ImportJob.objects.filter(pk=job.pk).update(accepted_at=timezone.now() - 91 * DAY)
    cleanup.run()
    job.refresh_from_db()
    assert job.status == JobStatus.ACCEPTED and bytes(job.data) == b""
    assert job.snapshot and job.draft and job.text  # what undo and the review need
    r = client.post(undo_url(world, job), follow=True)
    assert "ข้อมูลกลับเป็นเหมือนก่อนนำเข้า" in r.content.decode()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE


def test_score_import_uploads_older_than_a_day_are_deleted(world):
    user, ours = world["users"]["editor"], world["ours"]
    old = ScoreImport.objects.create(
        token="a" * 32, agency=ours, uploaded_by=user, file_name="x.csv", data=b"1"
    )
    new = ScoreImport.objects.create(
        token="b" * 32, agency=ours, uploaded_by=user, file_name="y.csv", data=b"2"
    )
    ScoreImport.objects.filter(pk=old.pk).update(created=timezone.now() - 25 * timedelta(hours=1))
    cleanup.run()
    assert list(ScoreImport.objects.values_list("pk", flat=True)) == [new.pk]


def test_deleting_evidence_removes_its_file_once_committed(world, login, django_capture_on_commit_callbacks):
    ev = _evidence_file(world)
    name = ev.file.name
    assert default_storage.exists(name)
    # A deletion that rolls back keeps the file.
    with django_capture_on_commit_callbacks(execute=False) as rolled_back, transaction.atomic():
        Evidence.objects.filter(pk=ev.pk).delete()
        transaction.set_rollback(True)
    assert Evidence.objects.filter(pk=ev.pk).exists() and default_storage.exists(name)
    assert rolled_back == []  # callbacks of a rolled-back block never run
    client = login(world["users"]["editor"])
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(reverse("evidence_delete", kwargs={"agency": world["ours"].slug, "evidence": ev.pk}))
    assert r.status_code == 302
    assert not Evidence.objects.filter(pk=ev.pk).exists()
    assert not default_storage.exists(name)


def test_a_file_another_row_or_an_undo_still_needs_is_kept(world, login, django_capture_on_commit_callbacks):
    client = login(world["users"]["editor"])
    _plan, job = _report_of_our_plan(world)
    ev = _evidence_file(world)
    name = ev.file.name
    _review_then_compare(client, world, job)
    # Replacing the measures deletes the evidence row; the accepted import's snapshot names it.
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(compare_url(world, job), {"mode": "replace", "confirm_new_version": "on"})
    assert r.status_code == 302 and not Evidence.objects.filter(pk=ev.pk).exists()
    assert default_storage.exists(name)
    assert name not in dict(files.orphans(timezone.now() + 10 * DAY))  # nor swept as an orphan
    with django_capture_on_commit_callbacks(execute=True):
        client.post(undo_url(world, job))
    restored = Evidence.objects.get(pk=ev.pk)
    assert restored.file.name == name and restored.file.read() == b"%PDF-1.4 evidence"


def test_orphan_files_older_than_a_day_are_swept(world, media):
    kept = _evidence_file(world)
    orphan = "evidence/2026/01/" + "0" * 32 + ".pdf"
    fresh = "evidence/2026/01/" + "1" * 32 + ".pdf"
    default_storage.save(orphan, ContentFile(b"orphan"))
    default_storage.save(fresh, ContentFile(b"fresh"))
    _age(default_storage.path(orphan), 25)
    _age(default_storage.path(kept.file.name), 25)
    out = StringIO()
    call_command("cleanup", "--dry-run", stdout=out)
    assert "would remove: stored files no row names: 1 (6 bytes)" in out.getvalue()
    assert default_storage.exists(orphan)  # a dry run changes nothing
    call_command("cleanup", stdout=out)
    assert not default_storage.exists(orphan)
    assert default_storage.exists(fresh) and default_storage.exists(kept.file.name)


def test_stale_temporary_uploads_are_swept_and_the_cleanup_is_audited(world, settings):
    folder = settings.FILE_UPLOAD_TEMP_DIR
    stale, live = folder / "tmpabc.upload.pdf", folder / "tmpdef.upload.pdf"
    stale.write_bytes(b"x" * 300)
    live.write_bytes(b"y")
    _age(stale, 2)
    failed = _job(world, JobStatus.FAILED, 8 * DAY)
    out = StringIO()
    call_command("cleanup", stdout=out)
    text = out.getvalue()
    assert "removed: stale temporary upload files: 1 (300 bytes)" in text
    assert "removed: failed report imports' files and text: 1" in text
    assert not stale.exists() and live.exists()
    event = AuditEvent.objects.get(action=AuditAction.CLEANUP)
    assert event.detail["stale temporary upload files"]["items"] == ["tmpabc.upload.pdf"]
    assert event.detail["failed report imports' files and text"]["items"] == [f"import job {failed.pk}"]
    # Nothing left: the next run removes nothing and records nothing.
    call_command("cleanup", stdout=StringIO())
    assert AuditEvent.objects.filter(action=AuditAction.CLEANUP).count() == 1


def test_the_cleanup_task_does_the_same(world):
    job = _job(world, JobStatus.FAILED, 8 * DAY)
    result = cleanup_task.enqueue(dry_run=True)
    assert result.return_value["count"] == 1
    job.refresh_from_db()
    assert bytes(job.data) == b"%PDF-"
    cleanup_task.enqueue()
    job.refresh_from_db()
    assert bytes(job.data) == b""
