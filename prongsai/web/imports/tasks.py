"""Reading an uploaded report, as a background task through Django's task API (django-tasks on
5.2): run at once by the development backend, queued for ``manage.py db_worker`` in deployment.

The importer runs in a child process with a memory cap and a deadline (``sandbox``): a file
that would take minutes or gigabytes is refused with a Thai message and the worker goes on. Its
progress (page 12 of 40, OCR page 3 of 12) is written on the job as it goes, for the upload page.
The importer writes nothing; this stores its draft (or its refusal) on the job, nothing else.
"""

from __future__ import annotations

import logging
import time

from django.utils import timezone
from django_tasks import task

from prongsai.web.cycle.actions import acting_as
from prongsai.web.imports import sandbox
from prongsai.web.imports.models import ImportJob, JobStatus

log = logging.getLogger(__name__)

INTERNAL_TH = "อ่านไฟล์ไม่สำเร็จเนื่องจากข้อผิดพลาดภายในระบบ กรุณาลองใหม่หรือแจ้งผู้ดูแลระบบ"


def run(job_id: int) -> str:
    """Import the job's file; the job ends done (with a draft) or failed (with the Thai message)."""
    job = ImportJob.objects.select_related("uploaded_by").filter(pk=job_id).first()
    if job is None or job.status != JobStatus.QUEUED:
        return job.status if job else "missing"
    with acting_as(job.uploaded_by):
        job.status, job.started = JobStatus.RUNNING, timezone.now()
        job.save(update_fields=["status", "started"])
        try:
            outcome = sandbox.read_limited(bytes(job.data), job.file_name, progress=_progress_writer(job.pk))
        except Exception as exc:  # the reader could not even start: the job must not stay running
            log.exception("import job %s: the reader did not start", job_id)
            outcome = sandbox.Outcome(False, code="internal", message_en=str(exc))
        log.info(
            "import job %s: %s in %.1f s, peak %d MB",
            job_id,
            "read" if outcome.ok else outcome.code,
            outcome.seconds,
            outcome.peak_rss_kb // 1024,
        )
        if outcome.ok:
            job.status = JobStatus.DONE
            job.method = outcome.result["method"]
            job.pages = outcome.result["pages"]
            job.text = outcome.result["text"]
            job.draft = outcome.result["draft"]
            job.findings = outcome.result["findings"]
        elif outcome.code == "internal":  # the importer's own bug: logged, said in Thai
            log.error("import job %s failed: %s", job_id, outcome.message_en)
            job.status, job.error_code, job.error_th = JobStatus.FAILED, "internal", INTERNAL_TH
        else:
            job.status = JobStatus.FAILED
            job.error_code = outcome.code[:40]
            job.error_th = outcome.message_th
        job.progress_stage, job.progress_done, job.progress_total = "", 0, 0
        job.finished_at = timezone.now()
        job.save()
    return job.status


def _progress_writer(job_id: int, every: float = 0.5):
    """Progress on the job's row, at most twice a second within a stage (an update, not a save:
    no history); a new stage and a stage's last step are always written."""
    last: list = [0.0, None]

    def write(stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if now - last[0] < every and done != total and stage == last[1]:
            return
        last[0], last[1] = now, stage
        ImportJob.objects.filter(pk=job_id, status=JobStatus.RUNNING).update(
            progress_stage=str(stage)[:10], progress_done=max(0, int(done)), progress_total=max(0, int(total))
        )

    return write


@task()
def import_report(job_id: int) -> str:
    """Background task: read one uploaded report into a draft (see :func:`run`)."""
    return run(job_id)
