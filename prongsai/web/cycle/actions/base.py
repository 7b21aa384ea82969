"""What every action of the cycle shares: one error type, the person credited in the audit trail,
and the plan's version."""

from __future__ import annotations

from collections.abc import Mapping
from types import SimpleNamespace
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from prongsai.interchange.limits import over_limits
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


def too_long(label: Any, limit: int, length: int, log: str) -> ActionRefused:
    return ActionRefused(
        _("%(field)s ยาว %(length)s ตัวอักษร เกินที่กำหนดไว้ %(limit)s ตัวอักษร กรุณาตัดให้สั้นลงก่อนบันทึก")
        % {"field": label, "length": f"{length:,}", "limit": f"{limit:,}"},
        log,
        code="too_long",
    )


def check_lengths(model: type[models.Model], values: Mapping[str, Any]) -> None:
    """Texts about to be written into ``model``'s fields, each within its field's max_length (the
    limits table, ``prongsai.interchange.limits``): Django checks a TextField's length only in a
    form, so the API, imports and every other caller are bounded here. Refused naming the field
    and its limit; nothing is ever shortened."""
    for name, value in values.items():
        if not isinstance(value, str):
            continue
        limit = getattr(model._meta.get_field(name), "max_length", None)
        if limit and len(value) > limit:
            field = model._meta.get_field(name)
            raise too_long(
                getattr(field, "verbose_name", name),
                limit,
                len(value),
                f"{model.__name__}.{name}: {len(value)} characters, more than {limit}",
            )


def check_record_lengths(record: Mapping[str, Any]) -> None:
    """Every text of an interchange record (as a dict) within the limits table: accepting an
    import is refused naming the first text over its limit."""
    found = over_limits(record)
    if found:
        first = found[0]
        raise ActionRefused(first.message_th, first.message_en, code="too_long")
