"""The retention policy (``settings.PRONGSAI_RETENTION``) applied: run daily by ``manage.py
cleanup`` (a systemd timer or cron, docs/deploy.md) or the ``cleanup`` task.

- a failed report import: its uploaded bytes and read text dropped after ``failed_import_days``
  (the row, its error and its audit trail stay);
- a draft read but never accepted (or undone and left): expired after ``draft_import_days`` — it
  shows "หมดอายุ" with the message to upload again, its bytes, text and draft dropped;
- an accepted import: its uploaded bytes dropped after ``accepted_import_days``; what its undo
  needs (the snapshot, the reviewed draft and the text its provenance points into) stays;
- a score import upload: deleted a day after it was made (its scores, once applied, are stored);
- stored files no row names (evidence, emblems), a day old; temporary upload files of requests
  that died, an hour old.

What it removed is printed, logged (logger ``prongsai.housekeeping``) and kept in the audit trail
(``AuditEvent`` "cleanup"). ``dry_run`` reports the same without changing anything.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q, Sum
from django.db.models.functions import Coalesce, Length
from django.utils import timezone

from prongsai.web.housekeeping import files

log = logging.getLogger("prongsai.housekeeping")

EXPIRED_TH = (
    "หมดอายุ: ร่างนี้ไม่ได้บันทึกเข้าระบบภายใน %(days)s วัน ระบบจึงลบไฟล์และร่างที่อ่านได้แล้ว "
    "หากยังต้องการนำเข้า กรุณาอัปโหลดไฟล์อีกครั้ง"
)


@dataclass
class Part:
    what: str  # a short English label, printed and logged
    count: int = 0
    bytes: int = 0
    items: list[str] = field(default_factory=list)


@dataclass
class Report:
    dry_run: bool
    parts: list[Part] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(p.count for p in self.parts)

    @property
    def bytes(self) -> int:
        return sum(p.bytes for p in self.parts)

    def lines(self) -> list[str]:
        verb = "would remove" if self.dry_run else "removed"
        out = [f"{verb}: {p.what}: {p.count} ({p.bytes} bytes)" for p in self.parts]
        out.append(f"total: {self.count} items, {self.bytes} bytes{' (dry run)' if self.dry_run else ''}")
        return out

    def detail(self) -> dict:
        return {p.what: {"count": p.count, "bytes": p.bytes, "items": p.items[:200]} for p in self.parts}


def _bytes(qs, *names: str) -> int:
    total = 0
    for name in names:
        total += int(qs.aggregate(n=Coalesce(Sum(Length(name)), 0))["n"] or 0)
    return total


def _import_jobs(report: Report, now: datetime) -> None:
    from prongsai.web.imports.models import ImportJob, JobStatus

    keep = settings.PRONGSAI_RETENTION
    has_bytes = ~Q(data=b"")

    # Failed: the file and its text are of no use once the person has seen why.
    cutoff = now - timedelta(days=keep["failed_import_days"])
    failed = ImportJob.objects.filter(status=JobStatus.FAILED).filter(
        Q(finished_at__lt=cutoff) | Q(finished_at__isnull=True, created__lt=cutoff)
    )
    failed = failed.filter(has_bytes | ~Q(text=""))
    part = Part("failed report imports' files and text")
    part.count, part.bytes = failed.count(), _bytes(failed, "data", "text")
    part.items = [f"import job {pk}" for pk in failed.values_list("pk", flat=True)]
    if not report.dry_run:
        failed.update(data=b"", text="")
    report.parts.append(part)

    # Drafts never accepted: expired.
    days = keep["draft_import_days"]
    cutoff = now - timedelta(days=days)
    drafts = ImportJob.objects.filter(status=JobStatus.DONE).filter(
        Q(finished_at__lt=cutoff) | Q(finished_at__isnull=True, created__lt=cutoff)
    )
    drafts = drafts.filter(Q(undone_at__isnull=True) | Q(undone_at__lt=cutoff))
    part = Part("report import drafts never accepted (expired)")
    part.count, part.bytes = drafts.count(), _bytes(drafts, "data", "text")
    part.items = [f"import job {pk}" for pk in drafts.values_list("pk", flat=True)]
    if not report.dry_run:
        drafts.update(
            status=JobStatus.FAILED,
            error_code="expired",
            error_th=EXPIRED_TH % {"days": days},
            data=b"",
            text="",
            draft=None,
            record=None,
            findings=[],
        )
    report.parts.append(part)

    # Accepted: the uploaded bytes go; what undo needs stays.
    cutoff = now - timedelta(days=keep["accepted_import_days"])
    accepted = ImportJob.objects.filter(status=JobStatus.ACCEPTED, accepted_at__lt=cutoff).filter(has_bytes)
    part = Part("accepted report imports' uploaded files")
    part.count, part.bytes = accepted.count(), _bytes(accepted, "data")
    part.items = [f"import job {pk}" for pk in accepted.values_list("pk", flat=True)]
    if not report.dry_run:
        accepted.update(data=b"")
    report.parts.append(part)


def _score_imports(report: Report, now: datetime) -> None:
    from prongsai.web.imports.models import KEEP_SECONDS, ScoreImport

    old = ScoreImport.objects.filter(created__lt=now - timedelta(seconds=KEEP_SECONDS))
    part = Part("score import uploads")
    part.count, part.bytes = old.count(), _bytes(old, "data")
    part.items = [f"score import {pk}" for pk in old.values_list("pk", flat=True)]
    if not report.dry_run:
        old.delete()
    report.parts.append(part)


def run(dry_run: bool = False, now: datetime | None = None) -> Report:
    """Apply the retention policy once; the report of what was (or would be) removed."""
    from prongsai.web.agencies.audit import record
    from prongsai.web.agencies.models import AuditAction

    now = now or timezone.now()
    report = Report(dry_run=dry_run)
    with transaction.atomic():
        _import_jobs(report, now)
        _score_imports(report, now)
    orphans = files.sweep_orphans(dry_run=dry_run, now=now)
    report.parts.append(
        Part("stored files no row names", len(orphans), sum(s for _, s in orphans), [n for n, _ in orphans])
    )
    temps = files.sweep_temp_uploads(dry_run=dry_run, now=now.timestamp())
    report.parts.append(
        Part("stale temporary upload files", len(temps), sum(s for _, s in temps), [p.name for p, _ in temps])
    )
    lines = report.lines()
    for part, line in zip(report.parts, lines, strict=False):
        if part.count:
            log.info("cleanup: %s", line)
    log.info("cleanup: %s", lines[-1])
    if not dry_run and report.count:
        record(
            AuditAction.CLEANUP, target=f"{report.count} items, {report.bytes} bytes", detail=report.detail()
        )
    return report
