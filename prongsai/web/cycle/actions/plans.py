"""The plan's actions: draft it (from the engine, empty, or from last year's), edit its measures,
submit it, and the executive's decision. Each checks what must hold first, writes in one
transaction, moves the plan's version on and leaves its trace in the audit trail."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from prongsai.ita.api import analyse_document
from prongsai.ita.plan import draft_plan as engine_draft
from prongsai.thai.dates import MONTHS
from prongsai.thai.digits import THAI_DIGITS, to_arabic_digits, to_thai_digits
from prongsai.web.agencies.models import Agency
from prongsai.web.cycle import links, records, signals
from prongsai.web.cycle.actions.base import ActionRefused, Conflict, acting_as, bump_plan, check_lengths
from prongsai.web.cycle.models import Approval, Decision, Measure, MeasureStatus, Plan, PlanStatus

# ---------------------------------------------------------------- a new plan


def _no_plan_yet(agency: Agency, year: int) -> None:
    if Plan.objects.filter(agency=agency, fiscal_year=year).exists():
        raise ActionRefused(
            _("มีแผนของปี พ.ศ. %(year)s อยู่แล้ว") % {"year": year},
            f"a plan of {year} exists already",
            code="exists",
        )


def create_plan(agency: Agency, year: int, user=None) -> Plan:
    """An empty plan of ``year``, answering the assessment of the year before when there is one."""
    with acting_as(user), transaction.atomic():
        _no_plan_yet(agency, year)
        return Plan.objects.create(
            agency=agency,
            fiscal_year=year,
            assessment=agency.assessments.filter(fiscal_year=year - 1).first(),
        )


def draft_plan(agency: Agency, year: int, user=None) -> tuple[Plan, str | None]:
    """A plan of ``year`` drafted by the engine from the two latest assessments before it; the
    note says when the latest is older than year-1."""
    assessments = records.latest_assessments(agency, before=year)
    if not assessments:
        raise ActionRefused(
            _("ยังไม่มีผลการประเมิน ITA ก่อนปี พ.ศ. %(year)s ที่จะใช้ร่างแผน") % {"year": year},
            f"no assessment before {year} to draft a plan from",
            code="no_assessment",
        )
    analysis, _scores = analyse_document(
        records.agency_document(agency, assessments, report_fiscal_year=year)
    )
    drafted = engine_draft(analysis, fiscal_year=year)
    note = None
    if analysis.fiscal_year != year - 1:
        note = _("ยังไม่มีผลการประเมินปี พ.ศ. %(want)s จึงร่างจากผลปี พ.ศ. %(used)s") % {
            "want": year - 1,
            "used": analysis.fiscal_year,
        }
    units = list(agency.units.all())
    with acting_as(user), transaction.atomic():
        _no_plan_yet(agency, year)
        plan = Plan.objects.create(agency=agency, fiscal_year=year, assessment=assessments[-1])
        for pm in drafted.measures:
            im = pm.to_interchange()
            m = Measure.objects.create(
                plan=plan,
                position=pm.no,
                title=pm.title,
                analysis=pm.analysis,
                steps=im.steps or "",
                period=pm.period,
                period_end=pm.period_end,
                indicators=[pm.indicator],
                items=pm.items,
                responsible_text=pm.responsible,
                library_id=pm.library_id,
            )
            m.units.set([u for u in units if u.name in pm.responsible])
    return plan, note


# Moving a plan on by one year: the plan's years written in its texts, in their own digits.
_DIGIT = f"0-9{THAI_DIGITS}"
_YEAR4 = re.compile(rf"(?<![{_DIGIT}])([{_DIGIT}]{{4}})(?![{_DIGIT}])")
_MONTH_NAMES = "|".join(sorted(map(re.escape, MONTHS), key=len, reverse=True))
_YEAR2 = re.compile(rf"((?:{_MONTH_NAMES}|พ\.ศ\.)\s*)([{_DIGIT}]{{2}})(?![{_DIGIT}])")


def _plus_one(digits: str, width: int) -> str:
    n = (int(to_arabic_digits(digits)) + 1) % (10**width)
    out = str(n).zfill(width)
    return to_thai_digits(out) if digits[0] in THAI_DIGITS else out


def shift_years(text: str, years: set[int]) -> str:
    """Buddhist-era years of ``years`` written in ``text`` moved on by one, in the digits they were
    written in: '1 ตุลาคม ๒๕๖๘ ถึง 30 ก.ย. 69' -> '1 ตุลาคม ๒๕๖๙ ถึง 30 ก.ย. 70'."""

    def four(m: re.Match) -> str:
        s = m.group(1)
        return _plus_one(s, 4) if int(to_arabic_digits(s)) in years else s

    def two(m: re.Match) -> str:
        s = m.group(2)
        hit = any(int(to_arabic_digits(s)) == y % 100 for y in years)
        return m.group(1) + (_plus_one(s, 2) if hit else s)

    return _YEAR2.sub(two, _YEAR4.sub(four, text))


def next_year_date(day: date | None) -> date | None:
    if day is None:
        return None
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def copy_to_next_year(plan: Plan, user=None) -> Plan:
    """Year+1 started from this plan: measures copied, not started, without progress or evidence,
    their years and dates one year on."""
    target = plan.fiscal_year + 1
    years = {plan.fiscal_year - 1, plan.fiscal_year}
    with acting_as(user), transaction.atomic():
        _no_plan_yet(plan.agency, target)
        new = Plan.objects.create(
            agency=plan.agency,
            fiscal_year=target,
            assessment=plan.agency.assessments.filter(fiscal_year=plan.fiscal_year).first(),
        )
        for n, m in enumerate(plan.measures.prefetch_related("units").order_by("position", "pk"), 1):
            copy = Measure.objects.create(
                plan=new,
                position=n,
                title=shift_years(m.title, years),
                analysis=m.analysis,
                steps=m.steps,
                period=shift_years(m.period, years),
                period_end=next_year_date(m.period_end),
                indicators=list(m.indicators),
                items=list(m.items),
                responsible_text=m.responsible_text,
                monitoring=m.monitoring,
                budget=m.budget,
                library_id=m.library_id,
                status=MeasureStatus.NOT_STARTED,
            )
            copy.units.set(m.units.all())
    return new


# ---------------------------------------------------------------- measures


def _lock_plan(plan_id: int) -> None:
    """Every action that changes a plan's measures locks the plan first, as accepting an import
    does: the same order everywhere, so two of them never wait on each other (a deadlock)."""
    Plan.objects.select_for_update().filter(pk=plan_id).values_list("pk", flat=True).first()


def add_measure(plan: Plan, values: dict, units: Iterable = (), user=None) -> Measure:
    """A new measure at the end of the plan; ``values`` are Measure fields."""
    check_lengths(Measure, values)
    with acting_as(user), transaction.atomic():
        _lock_plan(plan.pk)
        last = plan.measures.order_by("-position").values_list("position", flat=True).first() or 0
        m = Measure.objects.create(plan=plan, position=last + 1, **values)
        m.units.set(units)
        bump_plan(plan)
    return m


def _stale(m: Measure, expected: int | None) -> Conflict:
    return Conflict(
        _("มีผู้อื่นแก้ไขมาตรการนี้หลังจากที่เปิดอ่าน: โปรดโหลดข้อมูลใหม่แล้วส่งอีกครั้ง"),
        f"measure {m.pk} changed since version {expected}",
    )


def edit_measure(m: Measure, expected_version: int | None, values: dict, units=None, user=None) -> Measure:
    """Optimistic locking: ``values`` are saved only if nobody saved the measure since
    ``expected_version`` was read (else Conflict, nothing written)."""
    if expected_version is None:
        raise _stale(m, expected_version)
    check_lengths(Measure, values)
    with acting_as(user), transaction.atomic():
        _lock_plan(m.plan_id)
        updated = Measure.objects.filter(pk=m.pk, version=expected_version).update(version=F("version") + 1)
        if not updated:
            raise _stale(m, expected_version)
        for name, value in values.items():
            setattr(m, name, value)
        m.version = expected_version + 1
        # Only what the caller changed (the rest of ``m`` may be older than the row); through
        # save(), so the audit trail records the change.
        m.save(update_fields=[*values, "version"])
        if units is not None:
            m.units.set(units)
        bump_plan(m.plan)
    return m


def _renumber(order: list[Measure]) -> None:
    for n, m in enumerate(order, 1):
        if m.position != n:
            m.position = n
            m.save(update_fields=["position"])


def delete_measure(m: Measure, user=None) -> None:
    """The measure goes with its progress and evidence (kept in the audit trail); the rest are
    numbered again."""
    plan = m.plan
    with acting_as(user), transaction.atomic():
        _lock_plan(plan.pk)
        m.delete()
        _renumber(list(plan.measures.order_by("position", "pk")))
        bump_plan(plan)


def reorder_measures(plan: Plan, order: list[int], user=None) -> None:
    """The plan's measures in the order of their ids ``order`` (every measure, once)."""
    with acting_as(user), transaction.atomic():
        _lock_plan(plan.pk)
        current = {m.pk: m for m in plan.measures.select_for_update()}
        if sorted(order) != sorted(current):
            raise ActionRefused(
                _("ลำดับมาตรการไม่ครบหรือไม่ตรงกับแผน กรุณาโหลดหน้าใหม่"),
                f"order {order} is not a permutation of the plan's measures",
            )
        _renumber([current[pk] for pk in order])
        bump_plan(plan)


def move_measure(m: Measure, direction: str, user=None) -> bool:
    """One place up or down; False (nothing written) at either end."""
    plan = m.plan
    order = list(plan.measures.order_by("position", "pk").values_list("pk", flat=True))
    i = order.index(m.pk)
    j = i - 1 if direction == "up" else i + 1 if direction == "down" else i
    if j == i or not 0 <= j < len(order):
        return False
    order[i], order[j] = order[j], order[i]
    reorder_measures(plan, order, user)
    return True


# ---------------------------------------------------------------- approval


def record_digest(record: dict) -> str:
    """A fingerprint of a plan's record as a person read it (``plan_record(...).model_dump``)."""
    return hashlib.sha256(json.dumps(record, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def plan_digest(plan: Plan) -> str:
    """What the approver has in front of them: measures, progress and evidence included (progress
    does not move the plan's version, so the version alone cannot say the record is unchanged)."""
    return record_digest(records.plan_record(plan).model_dump(mode="json"))


def progress_since_approval(plan: Plan) -> bool:
    """An approved plan whose record has moved on since its approval: progress and evidence do not
    change the plan's version (they are not edits of the plan), but the public page shows only what
    was approved, so such a plan may be submitted again for the executive to approve its report."""
    if not plan.approval_current:
        return False
    latest = (
        plan.approvals.filter(decision=Decision.APPROVED, version=plan.approved_version)
        .order_by("-decided_at", "-pk")
        .first()
    )
    if latest is None:
        return False
    # The measures (their progress and evidence): not the agency's or last year's data in the record.
    now = records.plan_record(plan).model_dump(mode="json")
    return now.get("measures") != latest.snapshot.get("measures")


def can_be_submitted(plan: Plan, progress_pending: bool | None = None) -> bool:
    """A draft, a returned plan, or an approved one with progress the executive has not seen
    (``progress_pending``: progress_since_approval when the caller has it already)."""
    if plan.status in (PlanStatus.DRAFT, PlanStatus.RETURNED):
        return True
    return progress_since_approval(plan) if progress_pending is None else progress_pending


def submit_plan(plan: Plan, user=None) -> Plan:
    """The editor proposes the current version to the executive, once its links were checked (an
    approved plan again when its progress moved on since: progress_since_approval)."""
    with acting_as(user), transaction.atomic():
        locked = Plan.objects.select_for_update().get(pk=plan.pk)
        if not can_be_submitted(locked):
            raise ActionRefused(
                _("แผนอยู่ในสถานะ %(status)s จึงเสนออนุมัติไม่ได้") % {"status": locked.get_status_display()},
                f"plan {plan.pk} is {locked.status}, not draft or returned",
                code="status",
            )
        ok, reason = links.latest_check_ok(locked)  # the link checker's verdict
        if not ok:
            raise ActionRefused(
                _("ยังเสนออนุมัติไม่ได้: %(reason)s กรุณาตรวจสอบลิงก์ก่อน") % {"reason": reason},
                f"plan {plan.pk}: links not checked or failing",
                code="links",
            )
        locked.status = PlanStatus.SUBMITTED
        locked.save(update_fields=["status"])
        signals.submitted(locked, user)  # heard after commit: notifications (prongsai/web/notify)
    return locked


def decide_plan(
    plan: Plan, decision: str, seen_version: int, comment: str = "", user=None, seen_digest: str | None = None
) -> Approval:
    """The executive approves or returns the version they read (``seen_version``) and, when the
    page gave it, the record they read (``seen_digest``, plan_digest: progress recorded while they
    read is not approved unseen); the approval keeps the record as approved. A comment is required
    to return a plan."""
    comment = (comment or "").strip()
    if decision not in Decision.values:
        raise ActionRefused(_("ผลการพิจารณาไม่ถูกต้อง"), f"unknown decision {decision!r}")
    if decision == Decision.RETURNED and not comment:
        raise ActionRefused(
            _("กรุณาระบุเหตุผลหรือสิ่งที่ต้องแก้ไขเมื่อส่งกลับ"), "a plan is returned with a comment", code="comment"
        )
    check_lengths(Approval, {"comment": comment})
    if decision == Decision.RETURNED:
        check_lengths(Plan, {"return_comment": comment})
    with acting_as(user), transaction.atomic():
        locked = Plan.objects.select_for_update().select_related("agency").get(pk=plan.pk)
        if locked.status != PlanStatus.SUBMITTED:
            raise ActionRefused(
                _("แผนนี้ไม่ได้อยู่ระหว่างเสนออนุมัติ"), f"plan {plan.pk} is {locked.status}", code="status"
            )
        if seen_version != locked.content_version:
            raise Conflict(
                _("แผนถูกแก้ไขระหว่างที่ท่านพิจารณา (ฉบับที่ %(seen)s เป็นฉบับที่ %(now)s) กรุณาพิจารณาฉบับล่าสุด")
                % {"seen": seen_version, "now": locked.content_version},
                f"plan {plan.pk} is version {locked.content_version}, the approver read {seen_version}",
            )
        snapshot = records.plan_record(locked).model_dump(mode="json")
        if seen_digest is not None and seen_digest != record_digest(snapshot):
            raise Conflict(
                _("ความก้าวหน้าหรือหลักฐานของแผนเปลี่ยนระหว่างที่ท่านพิจารณา กรุณาพิจารณาฉบับล่าสุด"),
                f"plan {plan.pk}: the record changed since the approver read it",
            )
        approval = Approval.objects.create(
            plan=locked,
            version=locked.content_version,
            decision=decision,
            comment=comment,
            approver=user,
            approver_name=(user.get_full_name() or user.username) if user else "",
            approver_position=locked.agency.executive_title,
            snapshot=snapshot,
        )
        if decision == Decision.APPROVED:
            locked.status = PlanStatus.APPROVED
            locked.approved_version = locked.content_version
            locked.return_comment = ""
        else:
            locked.status = PlanStatus.RETURNED
            locked.return_comment = comment
        locked.save(update_fields=["status", "approved_version", "return_comment"])
        signals.decided(locked, approval, user)  # heard after commit: notifications
    plan.status, plan.approved_version = locked.status, locked.approved_version
    return approval
