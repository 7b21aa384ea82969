"""Reading an uploaded report, as a background task through Django's task API (django-tasks on
5.2): run at once by the development backend, queued for ``manage.py db_worker`` in deployment.

The importer writes nothing; this stores its draft (or its refusal) on the job, nothing else.
"""

from __future__ import annotations

import logging

from django.utils import timezone
from django_tasks import task

from prongsai.importers import ImportFailure
from prongsai.importers.service import import_bytes
from prongsai.web.cycle.actions import acting_as
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
            result = import_bytes(bytes(job.data), job.file_name)
        except ImportFailure as exc:
            job.status = JobStatus.FAILED
            job.error_code = exc.code[:40]
            job.error_th = exc.message_th
        except Exception:  # the importer must never leave a job running; say so in Thai
            log.exception("import job %s failed", job_id)
            job.status = JobStatus.FAILED
            job.error_code = "internal"
            job.error_th = INTERNAL_TH
        else:
            job.status = JobStatus.DONE
            job.method = result.extracted.method
            job.pages = result.extracted.pages
            job.text = result.extracted.text
            job.draft = result.document.model_dump(mode="json")
            job.findings = result.findings
        job.finished_at = timezone.now()
        job.save()
    return job.status


@task()
def import_report(job_id: int) -> str:
    """Background task: read one uploaded report into a draft (see :func:`run`)."""
    return run(job_id)
