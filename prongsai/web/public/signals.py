"""Recording an approval queues the build of its public documents (``tasks``), once the approving
transaction has committed: a rolled-back decision builds nothing, and a queue that is down is
logged without undoing the decision (the first request then builds the file). Connected in
``apps.Config.ready``; the cycle app knows nothing of it."""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models.signals import post_save

from prongsai.web.cycle.models import Approval, Decision

log = logging.getLogger(__name__)


def _enqueue(approval_id: int) -> None:
    from prongsai.web.public.tasks import build_public_documents

    try:
        build_public_documents.enqueue(approval_id)
    except Exception:
        log.exception("could not enqueue the public documents of approval %s", approval_id)


def approval_saved(sender, instance: Approval, created: bool = False, **kwargs) -> None:
    if created and instance.decision == Decision.APPROVED:
        pk = instance.pk
        transaction.on_commit(lambda: _enqueue(pk))


def connect() -> None:
    post_save.connect(approval_saved, sender=Approval, dispatch_uid="public-approval-save")
