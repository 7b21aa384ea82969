"""Recording a measure's progress: the web form, the API and an import all come here."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from prongsai.web.cycle.actions.base import ActionRefused, Conflict, acting_as, check_lengths
from prongsai.web.cycle.actions.entries import sync_status
from prongsai.web.cycle.models import Measure, MeasureStatus, ProgressEntry


def record_progress(
    m: Measure,
    *,
    as_of: date | None,
    status: str,
    result: str = "",
    outcome: str = "",
    suggestion: str = "",
    expected_version: int | None = None,
    user=None,
) -> ProgressEntry:
    """A progress entry as of a day (today when none); the measure's status becomes that of its
    latest entry. ``expected_version``, when the caller read one, must still be the measure's.
    Refused: a day in the future (it would fix the status until then), an unknown status, and an
    entry that reports nothing (it would hide the real latest result)."""
    as_of = as_of or timezone.localdate()
    result, outcome, suggestion = (result or "").strip(), (outcome or "").strip(), (suggestion or "").strip()
    if as_of > timezone.localdate():
        raise ActionRefused(
            _("วันที่ของข้อมูลต้องไม่เกินวันนี้"), f"progress dated {as_of} is in the future", code="future"
        )
    if status not in MeasureStatus.values:
        raise ActionRefused(_("สถานะไม่ถูกต้อง"), f"unknown status {status!r}", code="status")
    check_lengths(ProgressEntry, {"result": result, "outcome": outcome, "suggestion": suggestion})
    with acting_as(user), transaction.atomic():
        locked = Measure.objects.select_for_update().select_related("plan").get(pk=m.pk)
        if expected_version is not None and locked.version != expected_version:
            raise Conflict(
                _("มีผู้อื่นแก้ไขมาตรการนี้หลังจากที่เปิดอ่าน: โปรดโหลดข้อมูลใหม่แล้วส่งอีกครั้ง"),
                f"measure {m.pk} is version {locked.version}, the caller read {expected_version}",
            )
        if not (result or outcome or suggestion) and status == locked.status:
            raise ActionRefused(
                _("ไม่มีข้อมูลใหม่ให้บันทึก: กรุณาเปลี่ยนสถานะ หรือกรอกผลการดำเนินงาน ผลลัพธ์ หรือข้อเสนอแนะ"),
                f"progress of measure {m.pk} reports nothing new",
                code="empty",
            )
        entry = ProgressEntry.objects.create(
            measure=locked,
            as_of=as_of,
            status=status,
            result=result,
            outcome=outcome,
            suggestion=suggestion,
            author=user,
        )
        # Progress is not an edit of the plan: its version and approval stay (issue 12).
        sync_status(locked)
    m.status, m.version = locked.status, locked.version
    return entry
