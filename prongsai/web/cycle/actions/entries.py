"""Correcting and deleting a progress entry, and the rule both share with recording one: the
measure's status is the status of its latest entry.

Progress is not an edit of the plan: none of these moves the plan's version or takes back its
approval (what the executive approved is the plan; the progress report is published from its
own approval). Every change is in the audit trail (django-simple-history) under the acting user;
a corrected entry is marked ``edited`` so pages say "แก้ไขเมื่อ …".
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from prongsai.web.cycle.actions.base import ActionRefused, acting_as, check_lengths
from prongsai.web.cycle.models import Measure, MeasureStatus, ProgressEntry


def sync_status(locked: Measure) -> None:
    """The measure (locked by the caller) takes the status of its latest entry, not started when
    none is left. Its version stays: the status is not part of what an editor's form holds, so a
    progress report must not make an open edit of the measure stale (tests/web/test_locking.py)."""
    latest = locked.progress.order_by("-as_of", "-pk").first()
    status = latest.status if latest else MeasureStatus.NOT_STARTED
    if locked.status != status:
        locked.status = status
        locked.save(update_fields=["status"])


def _status_before(entry: ProgressEntry) -> str:
    """The status the measure had before ``entry`` (its previous entry's)."""
    earlier = (
        entry.measure.progress.exclude(pk=entry.pk)
        .filter(as_of__lte=entry.as_of)
        .exclude(as_of=entry.as_of, pk__gt=entry.pk)
        .order_by("-as_of", "-pk")
        .first()
    )
    return earlier.status if earlier else MeasureStatus.NOT_STARTED


def edit_progress(
    entry: ProgressEntry,
    *,
    as_of: date,
    status: str,
    result: str = "",
    outcome: str = "",
    suggestion: str = "",
    user=None,
) -> ProgressEntry:
    """Correct an entry. Refused like a new one: a day in the future, an unknown status, and an
    entry left saying nothing (no text, and the status it had already): it would hide the
    result reported before it."""
    result, outcome, suggestion = (result or "").strip(), (outcome or "").strip(), (suggestion or "").strip()
    if as_of > timezone.localdate():
        raise ActionRefused(
            _("วันที่ของข้อมูลต้องไม่เกินวันนี้"), f"progress dated {as_of} is in the future", code="future"
        )
    if status not in MeasureStatus.values:
        raise ActionRefused(_("สถานะไม่ถูกต้อง"), f"unknown status {status!r}", code="status")
    check_lengths(ProgressEntry, {"result": result, "outcome": outcome, "suggestion": suggestion})
    with acting_as(user), transaction.atomic():
        locked = Measure.objects.select_for_update().get(pk=entry.measure_id)
        entry = ProgressEntry.objects.select_for_update().get(pk=entry.pk, measure=locked)
        entry.as_of = as_of
        if not (result or outcome or suggestion) and status == _status_before(entry):
            raise ActionRefused(
                _("รายการนี้จะไม่มีข้อมูลใดเหลืออยู่: กรุณากรอกผลการดำเนินงาน ผลลัพธ์ หรือข้อเสนอแนะ หรือลบรายการนี้แทน"),
                f"progress entry {entry.pk} would report nothing",
                code="empty",
            )
        entry.status, entry.result, entry.outcome, entry.suggestion = status, result, outcome, suggestion
        entry.edited = timezone.now()
        entry.save()
        sync_status(locked)
    return entry


def delete_progress(entry: ProgressEntry, user=None) -> None:
    """Delete an entry (kept in the audit trail); the measure's status follows what is left."""
    with acting_as(user), transaction.atomic():
        locked = Measure.objects.select_for_update().get(pk=entry.measure_id)
        for found in ProgressEntry.objects.filter(pk=entry.pk, measure=locked):
            found.delete()  # one by one: each deletion is recorded in the history
        sync_status(locked)
