"""One uploaded past report on its way into the agency's records.

queued -> running -> done (a draft to review) -> accepted (written into the records), or failed
(the importer's code and Thai message). An accepted job keeps the rows it changed as they were
before (``snapshot``), so the acceptance can be undone exactly; undone, it is a draft again.
The uploaded bytes stay in the row (at most 50 MB, the importer's limit) so a queued job needs no
shared disk between web and worker processes; the audit trail leaves them out (every status
change would copy them).
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from prongsai.web.agencies.models import Agency


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("รอคิว")
    RUNNING = "running", _("กำลังอ่านไฟล์")
    DONE = "done", _("รอตรวจทาน")
    FAILED = "failed", _("นำเข้าไม่สำเร็จ")
    ACCEPTED = "accepted", _("บันทึกเข้าระบบแล้ว")


class ImportJob(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="import_jobs")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="import_jobs"
    )
    file_name = models.CharField(_("ชื่อไฟล์"), max_length=255)
    size = models.PositiveBigIntegerField(_("ขนาดไฟล์ (ไบต์)"), default=0)
    data = models.BinaryField(editable=False, default=b"")
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    error_code = models.CharField(max_length=40, blank=True)
    error_th = models.TextField(_("ข้อผิดพลาด"), blank=True)
    # What the importer read: the text (line numbers are the draft's provenance), how, pages.
    method = models.CharField(max_length=10, blank=True)
    pages = models.PositiveIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)
    # The interchange document (prongsai/1) with its provenance, corrected by the reviewer.
    draft = models.JSONField(null=True, blank=True)
    findings = models.JSONField(default=list, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    started = models.DateTimeField(null=True, blank=True)  # when a worker began reading it
    # What the worker is doing while it reads (a stage of ProgressStage, pages done of total),
    # written as it goes so the upload page shows "อ่านหน้า 12/40".
    progress_stage = models.CharField(max_length=10, blank=True, editable=False)
    progress_done = models.PositiveIntegerField(default=0, editable=False)
    progress_total = models.PositiveIntegerField(default=0, editable=False)
    finished_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # How the measures went into an existing plan (AcceptMode), the rows it touched as they were
    # before, and the versions it left, so an undo never overwrites a later change.
    # The reviewed record waiting for the officer's choice on the comparison page (the draft
    # without the parts the reviewer left out).
    record = models.JSONField(null=True, blank=True, editable=False)
    mode = models.CharField(max_length=10, blank=True)
    snapshot = models.JSONField(null=True, blank=True, editable=False)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords(
        excluded_fields=[
            *("data", "text", "snapshot", "record"),
            *("progress_stage", "progress_done", "progress_total"),  # changes every page: not audited
        ]
    )

    class Meta:
        verbose_name = _("งานนำเข้ารายงาน")
        verbose_name_plural = _("งานนำเข้ารายงาน")
        ordering = ["-created", "-pk"]
        indexes = [models.Index(fields=["agency", "-created"])]

    def __str__(self) -> str:
        return f"{self.agency} {self.file_name} ({self.status})"

    @property
    def pending(self) -> bool:
        return self.status in (JobStatus.QUEUED, JobStatus.RUNNING)

    @property
    def progress_th(self) -> str:
        """What the worker is doing, in the reader's language: "อ่านหน้า 12/40"."""
        if self.status != JobStatus.RUNNING or not self.progress_stage:
            return ""
        stage = self.progress_stage
        label = ProgressStage(stage).label if stage in ProgressStage.values else ""
        if self.progress_total:
            return f"{label} {self.progress_done}/{self.progress_total}"
        return str(label)


class ProgressStage(models.TextChoices):
    """What a worker reading a report is doing (the importer's progress hook names them)."""

    START = "start", _("เปิดไฟล์")
    PAGES = "pages", _("อ่านหน้า")
    OCR = "ocr", _("อ่านข้อความจากภาพ (OCR) หน้า")
    RECOGNISE = "recognise", _("แยกข้อมูลจากข้อความ")


# Longer than the largest allowed file takes to read (a scan at the page limit through OCR): a job
# still running after this was cut off by a worker that stopped (a crash, a restart, kill -9).
RUN_LIMIT = timedelta(hours=2)
INTERRUPTED_TH = "การอ่านไฟล์หยุดกลางคันเพราะเครื่องประมวลผลหยุดทำงาน กรุณาอัปโหลดไฟล์อีกครั้ง"


def end_interrupted(jobs: models.QuerySet[ImportJob], now=None) -> int:
    """Mark as failed the jobs whose worker stopped while reading them: without this they showed
    "กำลังอ่านไฟล์" for ever. Returns how many."""
    now = now or timezone.now()
    return jobs.filter(status=JobStatus.RUNNING, started__lt=now - RUN_LIMIT).update(
        status=JobStatus.FAILED, error_code="interrupted", error_th=INTERRUPTED_TH, finished_at=now
    )


class AcceptMode(models.TextChoices):
    """What accepting an imported report does to an existing plan of its year."""

    NEW = "new", _("สร้างแผนใหม่")
    REPLACE = "replace", _("แทนที่มาตรการเดิมทั้งหมด")
    MERGE = "merge", _("รวมกับมาตรการเดิม (จับคู่ตามชื่อมาตรการ)")
    SKIP = "skip", _("คงแผนเดิมไว้ นำเข้าเฉพาะคะแนนและส่วนอื่น")


class ScoreImportState(models.TextChoices):
    READING = "reading", _("กำลังอ่านไฟล์")
    MAPPING = "mapping", _("รอจับคู่คอลัมน์")
    QUEUED = "queued", _("รอคิว")
    RUNNING = "running", _("กำลังนำเข้า")
    DONE = "done", _("นำเข้าสำเร็จ")
    FAILED = "failed", _("นำเข้าไม่สำเร็จ")


# An uploaded score file is kept this long (then housekeeping and the score import delete it).
KEEP_SECONDS = 24 * 3600


class ScoreImport(models.Model):
    """One uploaded score file (CSV/XLSX) from upload to its outcome, in the database so a worker
    on another machine reads it and a restart loses nothing. Named by a random token (the status
    page's link), bound to the agency and the user who uploaded it."""

    token = models.CharField(max_length=64, unique=True)
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="score_imports")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="score_imports"
    )
    file_name = models.CharField(max_length=200)
    data = models.BinaryField(default=b"")  # emptied once the scores are stored
    # The cells as text, header first, read once by the worker (bounded: see score_import).
    rows = models.JSONField(null=True, blank=True, editable=False)
    mapping = models.JSONField(null=True, blank=True)
    state = models.CharField(
        max_length=10, choices=ScoreImportState.choices, default=ScoreImportState.MAPPING
    )
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    years = models.JSONField(default=list, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("งานนำเข้าคะแนน")
        verbose_name_plural = _("งานนำเข้าคะแนน")
        ordering = ["-created", "-pk"]
