"""Storing an assessment as published, with its version checked: the score form, the API and
both imports write here."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from prongsai.interchange.limits import LIMITS
from prongsai.interchange.models import Assessment as RecordAssessment
from prongsai.web.agencies.models import Agency
from prongsai.web.cycle import records
from prongsai.web.cycle.actions.base import Conflict, acting_as, check_record_lengths, too_long
from prongsai.web.cycle.models import Assessment


def store_assessment(
    agency: Agency,
    record: RecordAssessment,
    *,
    expected_version: int | None = None,
    comments: list | None = None,
    user=None,
) -> Assessment:
    """The year's published scores (scored again by the engine) under a new version.
    ``expected_version`` is the version the writer read (0: they saw no assessment of that year);
    when it is no longer current, Conflict and nothing is stored. None: the caller read nothing
    (an import), the write simply comes last. A text over its limit (a suggestion, a narrative, a
    comment) is refused naming it."""
    check_record_lengths({"assessments": [record.model_dump(mode="json")]})
    for comment in comments or []:
        if isinstance(comment, str) and len(comment) > LIMITS["assessment.comment"]:
            raise too_long(
                _("ความเห็นของผู้มีส่วนได้ส่วนเสีย"),
                LIMITS["assessment.comment"],
                len(comment),
                f"a stakeholder comment of {len(comment)} characters",
            )
    with acting_as(user), transaction.atomic():
        current = (
            Assessment.objects.select_for_update()
            .filter(agency=agency, fiscal_year=record.fiscal_year)
            .first()
        )
        now = current.version if current else 0
        if expected_version is not None and expected_version != now:
            raise Conflict(
                _(
                    "มีผู้อื่นบันทึกผลการประเมินปีนี้หลังจากที่คุณเปิดหน้านี้ "
                    "กรุณาเปิดหน้าใหม่เพื่อดูข้อมูลล่าสุดก่อนแก้ไข (ยังไม่ได้บันทึกข้อมูลของคุณ)"
                ),
                f"assessment {record.fiscal_year}: version {now}, the writer read {expected_version}",
            )
        saved = records.save_published(agency, record)
        if comments is not None:
            saved.comments = comments
            saved.save(update_fields=["comments"])
    return saved
