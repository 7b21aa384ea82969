"""Receivers that keep the overseer's rows current: every save or delete of a cycle model names
the rows it touches, without a query; one task per transaction, enqueued on commit, recomputes
them (``tasks.refresh_rows``). Connected in ``apps.Config.ready``; the cycle app knows nothing of it.
"""

from __future__ import annotations

import threading

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from prongsai.web.agencies.models import Agency
from prongsai.web.cycle.models import Approval, Assessment, Measure, Plan, ProgressEntry

_local = threading.local()


def _touch(kind: str, *values) -> None:
    """Note what was touched and ask for a flush on commit. Every touch registers its own hook
    (the first to run enqueues everything noted, the others find nothing): a hook is never left
    behind by a rolled-back transaction or a test's captured callbacks, and what a rolled-back
    transaction noted only costs a needless recomputation from the database."""
    p = getattr(_local, "pending", None)
    if p is None:
        p = _local.pending = {"keys": set(), "plans": set(), "measures": set()}
    p[kind].update(values)
    transaction.on_commit(_flush, robust=True)  # a failed enqueue never fails the saved change


def _flush() -> None:
    from prongsai.web.oversight.tasks import refresh_rows

    p = getattr(_local, "pending", None)
    _local.pending = None
    if p and (p["keys"] or p["plans"] or p["measures"]):
        refresh_rows.enqueue(
            keys=sorted([list(k) for k in p["keys"]]),
            plan_ids=sorted(p["plans"]),
            measure_ids=sorted(p["measures"]),
        )


def assessment_changed(sender, instance: Assessment, **kwargs) -> None:
    # The year's row and the next year's (its trend).
    _touch("keys", (instance.agency_id, instance.fiscal_year), (instance.agency_id, instance.fiscal_year + 1))


def plan_changed(sender, instance: Plan, **kwargs) -> None:
    _touch("keys", (instance.agency_id, instance.fiscal_year))


def measure_changed(sender, instance: Measure, **kwargs) -> None:
    _touch("plans", instance.plan_id)


def progress_changed(sender, instance: ProgressEntry, **kwargs) -> None:
    _touch("measures", instance.measure_id)


def approval_changed(sender, instance: Approval, **kwargs) -> None:
    _touch("plans", instance.plan_id)


def agency_changed(sender, instance: Agency, created: bool = False, **kwargs) -> None:
    from prongsai.web.oversight.tasks import refresh_agency

    transaction.on_commit(lambda: refresh_agency.enqueue(instance.pk), robust=True)


RECEIVERS = {
    Assessment: assessment_changed,
    Plan: plan_changed,
    Measure: measure_changed,
    ProgressEntry: progress_changed,
    Approval: approval_changed,
}


def connect() -> None:
    for model, receiver in RECEIVERS.items():
        uid = f"oversight-{model._meta.label_lower}"
        post_save.connect(receiver, sender=model, dispatch_uid=uid + "-save")
        post_delete.connect(receiver, sender=model, dispatch_uid=uid + "-delete")
    post_save.connect(agency_changed, sender=Agency, dispatch_uid="oversight-agency-save")
