"""The public documents of an approval built in the background (django-tasks: queued for
``manage.py db_worker`` in deployment, run at once in development and tests), so no citizen's
request waits for a PDF to be made."""

from __future__ import annotations

import logging

from django_tasks import task

from prongsai.web.cycle.models import Approval, Decision
from prongsai.web.public.documents import current_approval, prebuild

log = logging.getLogger(__name__)


@task()
def build_public_documents(approval_id: int) -> dict:
    """Every public file of the approval, unless a newer approval of the plan came first (its own
    task builds that one; this one's files would never be served). Fails, naming the files, when
    a file could not be made: a request for it then builds it itself."""
    approval = Approval.objects.filter(pk=approval_id, decision=Decision.APPROVED).first()
    if approval is None:
        return {"skipped": "no such approval"}
    current = current_approval(approval.plan_id)
    if current is None or current.pk != approval.pk:
        log.info("approval %s is no longer the newest of plan %s: not built", approval_id, approval.plan_id)
        return {"skipped": "superseded"}
    done = prebuild(current)
    if done.failed:
        raise RuntimeError(f"approval {approval_id}: not built: {', '.join(done.failed)}")
    return {"built": done.built, "refused": done.refused}
