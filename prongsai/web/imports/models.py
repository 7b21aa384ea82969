"""One uploaded past report on its way into the agency's records.

queued -> running -> done (a draft to review) -> accepted (written into the records), or failed
(the importer's code and Thai message). The uploaded bytes stay in the row (at most 50 MB, the
importer's limit) so a queued job needs no shared disk between web and worker processes; the
audit trail leaves them out (every status change would copy them).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
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
    finished_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["data", "text"])

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
