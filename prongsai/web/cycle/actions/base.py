"""What every action of the cycle shares: one error type, the person credited in the audit trail,
and the plan's version."""

from __future__ import annotations

from types import SimpleNamespace

from prongsai.web.cycle.models import Plan, PlanStatus


class ActionRefused(Exception):
    """An action that may not happen now. ``message`` is for the person (Thai, or English through
    the catalogue: it is translated where it is raised, under the request's language);
    ``str(exc)`` is English, for logs. Nothing was written."""

    status = 400

    def __init__(self, message: str, log: str, *, code: str = "refused") -> None:
        super().__init__(log)
        self.message = message
        self.code = code


class Conflict(ActionRefused):
    """Someone saved the record after the version the caller read: their change would be lost."""

    status = 409

    def __init__(self, message: str, log: str) -> None:
        super().__init__(message, log, code="conflict")


class acting_as:
    """Credit ``user`` in the audit trail (django-simple-history) when no request does: a task
    worker, the demo loader, a test. Inside a request the request's user is kept."""

    def __init__(self, user) -> None:
        self.user = user
        self.set = False

    def __enter__(self):
        from simple_history.models import HistoricalRecords

        self.set = getattr(HistoricalRecords.context, "request", None) is None and self.user is not None
        if self.set:
            HistoricalRecords.context.request = SimpleNamespace(user=self.user)
        return self

    def __exit__(self, *exc) -> bool:
        from simple_history.models import HistoricalRecords

        if self.set:
            del HistoricalRecords.context.request
        return False


def bump_plan(plan: Plan) -> Plan:
    """The plan's content changed (inside the caller's transaction): a new version, recorded in
    the audit trail, and an approval or a submission no longer holds, so the plan is a draft."""
    locked = Plan.objects.select_for_update().get(pk=plan.pk)
    locked.content_version += 1
    if locked.status in (PlanStatus.APPROVED, PlanStatus.SUBMITTED):
        locked.status = PlanStatus.DRAFT
    locked.save(update_fields=["content_version", "status"])
    plan.content_version, plan.status = locked.content_version, locked.status
    return plan
