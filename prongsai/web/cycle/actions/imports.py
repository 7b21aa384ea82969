"""Accepting an imported report into the agency's records, and undoing it.

Before anything is written, ``preview`` says what accepting would change against what is stored:
the assessments' values that differ, and for the plan of the report's year which measures would
be added, changed or left as they are (matched by their title as a reader compares it), and which
existing measures the report does not have. Then the officer chooses what happens to an existing
plan (``AcceptMode``): replace its measures, merge (update the matched, add the new, keep the
rest) or skip (keep the plan, take the scores and the memo). An approved or submitted plan is
changed only when the officer confirms that it becomes a new draft version to approve again.

Accepting keeps every row it may change as it was (a snapshot in the job), so ``undo_import``
puts the assessments, the plan, its measures, progress, evidence and memos back exactly, as long
as nobody changed them since (their versions say so).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal

from django.core import serializers
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from prongsai.interchange.models import Document as Record
from prongsai.thai.normalise import comparable
from prongsai.web.agencies.models import Agency
from prongsai.web.cycle import records
from prongsai.web.cycle.actions.assessments import store_assessment
from prongsai.web.cycle.actions.base import ActionRefused, acting_as, bump_plan, check_record_lengths
from prongsai.web.cycle.models import (
    Assessment,
    Evidence,
    IndicatorScore,
    Measure,
    Memo,
    Plan,
    PlanStatus,
    ProgressEntry,
)


def _modes():
    from prongsai.web.imports.models import AcceptMode

    return AcceptMode


# ---------------------------------------------------------------- what accepting would change


@dataclass
class MeasureDiff:
    title: str
    state: str  # added | changed | unchanged | absent (an existing measure the report lacks)
    changes: list[tuple[str, object, object]] = field(default_factory=list)  # (field, before, after)
    pk: int | None = None


@dataclass
class ScoreDiff:
    fiscal_year: int
    new: bool
    changes: list[tuple[str, object, object]] = field(default_factory=list)  # (key, before, after)


@dataclass
class Preview:
    year: int | None
    plan: Plan | None
    measures: list[MeasureDiff]
    scores: list[ScoreDiff]
    memo: bool  # the report brings a memo (it fills only blank fields)

    def count(self, state: str) -> int:
        return sum(1 for d in self.measures if d.state == state)

    @property
    def added(self) -> int:
        return self.count("added")

    @property
    def changed(self) -> int:
        return self.count("changed")

    @property
    def unchanged(self) -> int:
        return self.count("unchanged")

    @property
    def absent(self) -> int:
        return self.count("absent")

    @property
    def needs_choice(self) -> bool:
        """An existing plan with measures meets a report with measures: replace, merge or skip."""
        return any(d.state == "absent" for d in self.measures) or (
            self.plan is not None and any(d.state in ("changed", "unchanged") for d in self.measures)
        )

    @property
    def plan_approved(self) -> bool:
        return self.plan is not None and self.plan.status in (PlanStatus.APPROVED, PlanStatus.SUBMITTED)

    @property
    def scores_change(self) -> bool:
        return any(not s.new and s.changes for s in self.scores)

    @property
    def worth_showing(self) -> bool:
        """Whether something stored would change or be chosen: then the officer sees it first."""
        touches_plan = self.plan is not None and (bool(self.measures) or self.memo)
        return self.needs_choice or self.scores_change or (self.plan_approved and touches_plan)


def match_measures(existing: list[Measure], imported) -> list[tuple[object, Measure | None]]:
    """Each imported measure with the existing one of the same title (as a reader compares it),
    each existing one matched once, in the plan's order."""
    free: dict[str, list[Measure]] = {}
    for m in existing:
        free.setdefault(comparable(m.title), []).append(m)
    out = []
    for rm in imported:
        same = free.get(comparable(rm.title)) or []
        out.append((rm, same.pop(0) if same else None))
    return out


def preview(agency: Agency, record: Record) -> Preview:
    """What accepting ``record`` would change (nothing is written)."""
    scores = []
    stored = {
        a.fiscal_year: a
        for a in agency.assessments.filter(fiscal_year__in=[a.fiscal_year for a in record.assessments])
    }
    for ra in record.assessments:
        after = records.flat_published(
            ra.model_dump(mode="json", exclude={"fiscal_year"}, exclude_defaults=True)
        )
        current = stored.get(ra.fiscal_year)
        before = records.flat_published(current.published) if current else {}
        diff = ScoreDiff(ra.fiscal_year, current is None)
        for key in sorted(set(before) | set(after), key=_key_order):
            b, a = before.get(key), after.get(key)
            if b != a and not (_number(b) and _number(a) and float(b) == float(a)):
                diff.changes.append((key, b, a))
        scores.append(diff)
    year = records.record_year(record)
    plan = Plan.objects.filter(agency=agency, fiscal_year=year).first() if year else None
    existing = list(plan.measures.order_by("position", "pk")) if plan else []
    diffs = []
    matched = set()
    for rm, m in match_measures(existing, record.measures):
        if m is None:
            diffs.append(MeasureDiff(rm.title, "added"))
            continue
        matched.add(m.pk)
        changes = [(name, b, a) for name, (b, a) in records.measure_changes(m, rm).items()]
        diffs.append(MeasureDiff(m.title, "changed" if changes else "unchanged", changes, m.pk))
    if record.measures:
        diffs += [MeasureDiff(m.title, "absent", pk=m.pk) for m in existing if m.pk not in matched]
    return Preview(year, plan, diffs, scores, records.memo_has_content(record.memo))


def _number(v) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _key_order(key: str) -> tuple:
    kind, _sep, k = key.partition(".")
    rank = ("edition", "overall", "level", "tools", "indicators", "items")
    return (rank.index(kind) if kind in rank else 9, int(k) if k.isdecimal() else 0, k)


# ---------------------------------------------------------------- the snapshot an undo restores


class _Exact(json.JSONEncoder):
    """Dates and times in full ISO form (Django's JSON encoder drops microseconds), decimals as
    text: read back by each field's to_python, a row is restored to the microsecond."""

    def default(self, o):
        if isinstance(o, dt.date | dt.time):
            return o.isoformat()
        if isinstance(o, Decimal):
            return str(o)
        return super().default(o)


def _rows(objs) -> list[dict]:
    return json.loads(json.dumps(serializers.serialize("python", objs), cls=_Exact))


def _plan_rows(plan: Plan) -> dict:
    return {
        "plan": _rows(Plan.objects.filter(pk=plan.pk)),  # as stored, not as held in memory
        "measures": _rows(plan.measures.order_by("pk")),
        "progress": _rows(ProgressEntry.objects.filter(measure__plan=plan).order_by("pk")),
        "evidence": _rows(Evidence.objects.filter(measure__plan=plan).order_by("pk")),
        "memos": _rows(plan.memos.order_by("pk")),
    }


def _assessment_rows(agency: Agency, years: list[int]) -> dict:
    stored = list(Assessment.objects.filter(agency=agency, fiscal_year__in=years).order_by("pk"))
    return {
        "assessments": _rows(stored),
        "scores": _rows(IndicatorScore.objects.filter(assessment__in=stored).order_by("pk")),
    }


def _digest(rows: dict) -> str:
    return hashlib.sha256(json.dumps(rows, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _snapshot(agency: Agency, years: list[int], plan: Plan | None, plan_year: int | None) -> dict:
    stored = _assessment_rows(agency, years)
    empty = {"plan": [], "measures": [], "progress": [], "evidence": [], "memos": []}
    return {
        **stored,
        "years": sorted(years),
        "new_years": sorted(set(years) - {r["fields"]["fiscal_year"] for r in stored["assessments"]}),
        "plan_year": plan_year,
        **(_plan_rows(plan) if plan is not None else empty),
    }


def _after(agency: Agency, snapshot: dict, plan: Plan | None) -> dict:
    """What accepting left, as digests: an undo goes ahead only if nothing changed since (any
    edit, progress entry, evidence or score would otherwise be lost)."""
    return {
        "assessments": _digest(_assessment_rows(agency, snapshot["years"])),
        "plan": _digest(_plan_rows(plan)) if plan is not None else None,
    }


def _restore(rows: list[dict]) -> list:
    """Rows saved back as they were: written raw first (an insert would stamp 'created' anew),
    then saved once more through save() so the audit trail records the undo."""
    out = []
    for obj in serializers.deserialize("python", rows):
        obj.save()
        instance = obj.object
        instance._state.adding = False
        instance.save()
        for name, values in (obj.m2m_data or {}).items():
            getattr(instance, name).set(values)
        out.append(instance)
    return out


def _pks(rows: list[dict]) -> list:
    return [r["pk"] for r in rows]


# ---------------------------------------------------------------- accept and undo


def _refuse_job(job) -> ActionRefused:
    from prongsai.web.imports.models import JobStatus

    if job.status == JobStatus.ACCEPTED:
        return ActionRefused(
            _("รายงานนี้บันทึกเข้าระบบไปแล้ว บันทึกซ้ำไม่ได้"),
            f"import job {job.pk} is accepted already",
            code="accepted",
        )
    return ActionRefused(_("รายงานนี้ยังไม่พร้อมให้บันทึก"), f"import job {job.pk} is {job.status}", code="not_ready")


def accept_import(
    job, record: Record, *, doc: dict, mode: str = "", confirm_new_version: bool = False, user=None
):
    """``record`` (the reviewed draft ``doc`` as an interchange record) into the agency's rows, in
    one transaction: assessments replaced under new versions, the memo's blank fields filled, and
    the measures into the plan of the report's year as ``mode`` says. Returns the Preview of what
    was changed."""
    from prongsai.web.imports.models import ImportJob, JobStatus

    check_record_lengths(record.model_dump(mode="json"))  # a text over its limit: refused, never cut
    modes = _modes()
    agency = job.agency
    with acting_as(user), transaction.atomic():
        locked = ImportJob.objects.select_for_update().get(pk=job.pk)
        if locked.status != JobStatus.DONE:
            raise _refuse_job(locked)
        seen = preview(agency, record)
        plan = seen.plan
        if plan is not None:
            plan = Plan.objects.select_for_update().get(pk=plan.pk)
        if not seen.needs_choice:
            mode = modes.NEW if record.measures else modes.SKIP
        elif mode not in (modes.REPLACE, modes.MERGE, modes.SKIP):
            raise ActionRefused(
                _("มีแผนมาตรการปี %(year)s อยู่แล้ว กรุณาเลือกว่าจะแทนที่ รวม หรือคงแผนเดิมไว้") % {"year": seen.year},
                f"import job {job.pk}: a plan of {seen.year} exists, mode {mode!r} is not replace/merge/skip",
                code="mode",
            )
        measures_change = bool(record.measures) and mode != modes.SKIP
        memo_changes = seen.memo
        if seen.plan_approved and (measures_change or memo_changes) and not confirm_new_version:
            raise ActionRefused(
                _(
                    "แผนมาตรการปี %(year)s %(status)s (ฉบับที่ %(version)s) การนำเข้าจะทำให้เป็นร่างฉบับใหม่ "
                    "ที่ต้องเสนออนุมัติอีกครั้ง กรุณายืนยันก่อนบันทึก"
                )
                % {"year": seen.year, "status": plan.get_status_display(), "version": plan.content_version},
                f"import job {job.pk}: plan {seen.year} is {plan.status}; a new version needs confirming",
                code="approved",
            )
        years = [a.fiscal_year for a in record.assessments]
        snapshot = _snapshot(agency, years, plan, seen.year)

        for ra in record.assessments:
            store_assessment(agency, ra, user=user)
        if seen.year and (record.measures or memo_changes):
            created = plan is None
            if created:
                plan = Plan.objects.create(agency=agency, fiscal_year=seen.year)
            changed = records.store_imported_memo(plan, record.memo, records.memo_kind_of(record)) is not None
            if measures_change:
                changed |= _measures_into(plan, record, mode, user)
            if created or measures_change:
                plan.assessment = agency.assessments.filter(fiscal_year=seen.year - 1).first()
                plan.save(update_fields=["assessment"])
            if changed and not created:
                bump_plan(plan)
            touched = created or changed
        else:
            touched = False
        if not touched:  # the plan is as it was: an undo leaves it alone
            snapshot.update(plan_year=None, plan=[], measures=[], progress=[], evidence=[], memos=[])
            plan = None
        snapshot["after"] = _after(agency, snapshot, plan)
        locked.draft = doc
        locked.status = JobStatus.ACCEPTED
        locked.mode = mode
        locked.snapshot = snapshot
        locked.accepted_at = timezone.now()
        locked.accepted_by = user
        locked.save(update_fields=["draft", "status", "mode", "snapshot", "accepted_at", "accepted_by"])
    job.refresh_from_db()
    return seen


def _measures_into(plan: Plan, record: Record, mode: str, user) -> bool:
    modes = _modes()
    existing = list(plan.measures.order_by("position", "pk"))
    if mode == modes.REPLACE:
        for m in existing:
            m.delete()
        records.add_measures(plan, record.measures, author=user)
        return True
    if mode == modes.MERGE:
        changed = False
        new = []
        for rm, m in match_measures(existing, record.measures):
            if m is None:
                new.append(rm.model_copy(update={"no": None}))  # after the plan's own
            else:
                changed |= records.update_measure(m, rm, author=user)
        records.add_measures(plan, new, author=user)
        return changed or bool(new)
    records.add_measures(plan, record.measures, author=user)  # NEW: an empty or new plan
    return bool(record.measures)


def undo_import(job, user=None) -> None:
    """Put back what accepting ``job`` changed, exactly as it was; refused when any of it was
    changed since (that change would be lost). The job is a draft to review again."""
    from prongsai.web.imports.models import ImportJob, JobStatus

    agency = job.agency
    with acting_as(user), transaction.atomic():
        locked = ImportJob.objects.select_for_update().get(pk=job.pk)
        snap = locked.snapshot
        if locked.status != JobStatus.ACCEPTED or not snap:
            raise ActionRefused(
                _("รายงานนี้ยังไม่ได้บันทึกเข้าระบบ หรือยกเลิกการนำเข้าไม่ได้"),
                f"import job {job.pk} is {locked.status} without a snapshot",
                code="not_accepted",
            )
        after = snap.get("after") or {}
        years = snap.get("years") or []
        list(Assessment.objects.select_for_update().filter(agency=agency, fiscal_year__in=years))
        if _digest(_assessment_rows(agency, years)) != after.get("assessments"):
            raise _changed_since(job, _("ผลการประเมินปี %(year)s") % {"year": ", ".join(str(y) for y in years)})
        year = snap.get("plan_year")
        plan = (
            Plan.objects.select_for_update().filter(agency=agency, fiscal_year=year).first() if year else None
        )
        if year and (plan is None or _digest(_plan_rows(plan)) != after.get("plan")):
            raise _changed_since(job, _("แผนมาตรการปี %(year)s") % {"year": year})

        Assessment.objects.filter(agency=agency, fiscal_year__in=snap["new_years"]).delete()
        for a in _restore(snap["assessments"]):
            IndicatorScore.objects.filter(assessment=a).delete()
        _restore(snap["scores"])
        if plan is not None and not snap["plan"]:
            plan.delete()  # made by the import
        elif plan is not None:
            Memo.objects.filter(plan=plan).exclude(pk__in=_pks(snap["memos"])).delete()
            Measure.objects.filter(plan=plan).exclude(pk__in=_pks(snap["measures"])).delete()
            ProgressEntry.objects.filter(measure__plan=plan).exclude(pk__in=_pks(snap["progress"])).delete()
            Evidence.objects.filter(measure__plan=plan).exclude(pk__in=_pks(snap["evidence"])).delete()
            for part in ("plan", "measures", "progress", "evidence", "memos"):
                _restore(snap[part])
        locked.status = JobStatus.DONE
        locked.snapshot = None
        locked.mode = ""
        locked.accepted_at = None
        locked.accepted_by = None
        locked.undone_at = timezone.now()
        locked.undone_by = user
        locked.save(
            update_fields=[
                "status",
                "snapshot",
                "mode",
                "accepted_at",
                "accepted_by",
                "undone_at",
                "undone_by",
            ]
        )
    job.refresh_from_db()


def _changed_since(job, what: str) -> ActionRefused:
    return ActionRefused(
        _("ยกเลิกการนำเข้าไม่ได้: %(what)s ถูกแก้ไขหลังการนำเข้า การยกเลิกจะทำให้การแก้ไขนั้นหายไป") % {"what": what},
        f"import job {job.pk}: {what} changed after the import",
        code="changed_since",
    )
