"""Between the database and the interchange format, both ways.

The engine, the document builders and the API all speak interchange records; the web app keeps
rows. These functions are the only translation, so a number shown on a page, printed in a
document and returned by the API is the same number.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from prongsai.interchange.limits import LENIENT
from prongsai.interchange.models import Agency as RecordAgency
from prongsai.interchange.models import Assessment as RecordAssessment
from prongsai.interchange.models import Document as Record
from prongsai.interchange.models import Measure as RecordMeasure
from prongsai.interchange.models import Memo as RecordMemo
from prongsai.ita.api import score_document
from prongsai.ita.numbers import round2
from prongsai.thai.normalise import comparable
from prongsai.web.agencies.models import Agency, Unit
from prongsai.web.cycle.models import (
    Assessment,
    Evidence,
    EvidenceKind,
    IndicatorScore,
    Measure,
    Memo,
    MemoKind,
    Plan,
    ProgressEntry,
)

TOOLS = ("IIT", "EIT", "EIT_1", "EIT_2", "OIT")


# Stored rows are read back as they are (LENIENT): the text limits are checked where a text is
# written (forms, API, import accept, the cycle actions), and a row stored before them must
# still be shown, printed and corrected.


def assessment_record(a: Assessment) -> RecordAssessment:
    data = {k: v for k, v in (a.published or {}).items() if k not in ("fiscal_year", "year_be")}
    # The narratives edited on the analysis page are what the documents print.
    written = {k: v for k, v in (a.narratives or {}).items() if v and str(v).strip()}
    return RecordAssessment.model_validate(
        {"fiscal_year": a.fiscal_year, **data, "narratives": written}, context=LENIENT
    )


def agency_record(agency: Agency) -> dict:
    return {
        "name": agency.name,
        "type": agency.type or None,
        "district": agency.district or None,
        "province": agency.province or None,
    }


def agency_interchange(agency: Agency) -> RecordAgency:
    """The agency as the engine and the document builders take it (officers' titles, names)."""
    return RecordAgency.model_validate(agency_record(agency), context=LENIENT)


def latest_assessments(agency: Agency, before: int | None = None, n: int = 2) -> list[Assessment]:
    """The ``n`` newest assessments of the agency (those assessed before fiscal year ``before``
    when given), oldest first: the latest and the one it is compared with. One query, used by
    every page, document and draft that compares a year with the year before."""
    qs = agency.assessments.all()
    if before is not None:
        qs = qs.filter(fiscal_year__lt=before)
    return list(reversed(qs.order_by("-fiscal_year")[:n]))


def agency_document(
    agency: Agency,
    assessments: Sequence[Assessment],
    *,
    extra: RecordAssessment | None = None,
    report_fiscal_year: int | None = None,
) -> Record:
    """Assessment rows as one interchange document; ``extra`` (a form not yet saved) replaces the
    stored assessment of its year."""
    recs = [assessment_record(a) for a in assessments]
    if extra is not None:
        recs = [r for r in recs if r.fiscal_year != extra.fiscal_year] + [extra]
    return Record(agency=agency_record(agency), report_fiscal_year=report_fiscal_year, assessments=recs)


def engine_view(
    a: Assessment, record: RecordAssessment, previous: Sequence[RecordAssessment] = ()
) -> dict[int, float]:
    """The engine's view of one assessment, set on ``a`` (not saved): edition, overall, level,
    pass, findings; returns the indicator scores to store (published, else computed)."""
    doc = Record(agency=agency_record(a.agency), assessments=[*previous, record])
    result = next(r for r in score_document(doc) if r.fiscal_year == a.fiscal_year)
    computed = result.result
    a.edition = result.edition.edition
    a.overall = record.overall if record.overall is not None else computed.overall.value
    a.level = record.level or computed.level.label or ""
    a.passed = computed.level.passed
    a.findings = [f.to_dict() for f in result.findings]
    scores = {int(k): v for k, v in record.indicators.items()}
    for k, node in computed.indicators.items():
        if k not in scores and node.value is not None:
            scores[k] = node.value
    # The engine's rounding (half away from zero, robust to binary noise): 99.985 is 99.99 here
    # as on every page and document, where Python's round() gives 99.98.
    return {k: round2(v) for k, v in sorted(scores.items())}


def refresh(a: Assessment) -> None:
    """Recompute what the engine says of the published numbers; keep it for lists and dashboards."""
    # Scored beside the year before, so stated year-over-year changes are checked too.
    before = latest_assessments(a.agency, before=a.fiscal_year)[-1:]
    scores = engine_view(a, assessment_record(a), [assessment_record(b) for b in before])
    with transaction.atomic():
        a.save()
        a.indicator_scores.all().delete()
        IndicatorScore.objects.bulk_create(
            IndicatorScore(assessment=a, fiscal_year=a.fiscal_year, indicator=k, score=v)
            for k, v in scores.items()
        )


def save_published(agency: Agency, record: RecordAssessment) -> Assessment:
    """The record as the year's published assessment; a stored one gets a new version (a form or
    client holding the old one is then refused, never silently overwritten). Checking the
    version a writer read is ``cycle.actions.store_assessment``'s; this only writes."""
    data = record.model_dump(mode="json", exclude={"fiscal_year"}, exclude_defaults=True)
    with transaction.atomic():
        a = (
            Assessment.objects.select_for_update()
            .filter(agency=agency, fiscal_year=record.fiscal_year)
            .first()
        )
        if a is None:
            a = Assessment(agency=agency, fiscal_year=record.fiscal_year)
        else:
            a.version += 1
        a.published = data
        refresh(a)
    return a


def flat_published(data: dict) -> dict[str, object]:
    """A published assessment (as stored) as ``{"overall": .., "tools.OIT": .., "indicators.3":
    .., "items.o16": ..}``, to say what a write changes, value by value."""
    out: dict[str, object] = {}
    for key in ("edition", "overall", "level"):
        if data.get(key) is not None:
            out[key] = data[key]
    for kind in ("tools", "indicators", "items"):
        for k, v in (data.get(kind) or {}).items():
            out[f"{kind}.{k}"] = v
    return out


def evidence_name(e: Evidence) -> str:
    """What a document shows for an evidence: its link, the uploaded file's name (never the
    storage path), or its caption."""
    if e.url:
        return e.url
    if e.file:
        return e.file_name  # as uploaded (Thai kept); the storage name is random
    return e.caption


def latest_reported(entries: Sequence[ProgressEntry], field: str) -> str | None:
    """The newest non-empty value of ``field`` (entries newest first): a later entry that only
    changes the status must not hide the result reported before it."""
    return next((v for e in entries if (v := getattr(e, field).strip())), None)


def measure_record(m: Measure) -> RecordMeasure:
    entries = sorted(m.progress.all(), key=lambda e: (e.as_of, e.pk), reverse=True)
    units = [u.name for u in m.units.all()]
    evidence = []
    for e in m.evidence.all():
        ref = evidence_name(e)
        if ref:
            evidence.append(
                {
                    "kind": e.kind,
                    "ref": ref,
                    "caption": e.caption or None,
                    "added_on": e.added_on.isoformat(),
                    "id": str(e.pk),
                }
            )
    return RecordMeasure.model_validate(
        {
            "no": m.position or None,
            "title": m.title,
            "analysis": m.analysis or None,
            "steps": m.steps or None,
            "responsible": " ".join(units) or m.responsible_text or None,
            "period": m.period or None,
            "indicators": m.indicators,
            "items": m.items,
            "status": m.status,
            "result": latest_reported(entries, "result"),
            "outcome": latest_reported(entries, "outcome"),
            "suggestion": latest_reported(entries, "suggestion"),
            "monitoring": m.monitoring or None,
            "budget": float(m.budget) if m.budget is not None else None,
            "evidence": evidence,
        },
        context=LENIENT,
    )


def memo_record(memo: Memo) -> RecordMemo:
    """The memo form's values as the builder reads them; a blank field is the builder's default."""
    return RecordMemo.model_validate(
        {
            "unit": memo.unit or None,
            "ref_no": memo.ref_no or None,
            "date": memo.date,
            "subject": memo.subject or None,
            "to": memo.to or None,
            "body": memo.body or None,
            "signers": memo.signers(),
            "opinion": memo.opinion or None,
            "decision": memo.decision or None,
        },
        context=LENIENT,
    )


def plan_record(plan: Plan, memo_kind: str | None = None) -> Record:
    """The whole record of a plan's year: the agency, its assessments up to the one the plan
    answers, and the measures with their latest progress; with ``memo_kind`` (analysis, plan,
    progress) the stored บันทึกข้อความ that wraps that report."""
    agency = plan.agency
    assessments = [assessment_record(a) for a in latest_assessments(agency, before=plan.fiscal_year)]
    measures = [
        measure_record(m)
        for m in plan.measures.prefetch_related("units", "evidence", "progress").order_by("position", "pk")
    ]
    memo = plan.memos.filter(kind=memo_kind).first() if memo_kind else None
    return Record(
        agency=agency_record(agency),
        report_fiscal_year=plan.fiscal_year,
        assessments=assessments,
        measures=measures,
        memo=memo_record(memo) if memo else None,
    )


# The report an imported memo wraps, by what the importer recognised (the first found wins).
_WRAPPED = (
    ("progress_report", MemoKind.PROGRESS),
    ("measures_plan", MemoKind.PLAN),
    ("analysis", MemoKind.ANALYSIS),
)


def memo_kind_of(record: Record) -> str:
    return next((kind for name, kind in _WRAPPED if name in record.kinds), MemoKind.PROGRESS)


def memo_has_content(rm: RecordMemo | None) -> bool:
    if rm is None:
        return False
    return any(getattr(rm, f) for f in Memo.IMPORTED_FIELDS) or any(
        (s.get("name") or s.get("position")) for s in rm.signers
    )


def _fit(memo: Memo, field: str, value):
    if isinstance(value, str):
        value = value.strip()[: Memo._meta.get_field(field).max_length]
    return value


def store_imported_memo(plan: Plan, rm: RecordMemo | None, kind: str) -> Memo | None:
    """An imported memo's header and signers into the plan's memo of ``kind``, filling only the
    fields the officer has left blank; the memo when it changed, else None. Signers: the first is
    the preparer, the last (of two or more) the executive, the second (of three or more) the
    checker."""
    if not memo_has_content(rm):
        return None
    memo = Memo.objects.filter(plan=plan, kind=kind).first() or Memo(plan=plan, kind=kind)
    changed = memo.pk is None
    for f in Memo.IMPORTED_FIELDS:
        value = _fit(memo, f, getattr(rm, f))
        if value and not getattr(memo, f):
            setattr(memo, f, value)
            changed = True
    signers = [s for s in rm.signers if (s.get("name") or s.get("position"))]
    slots: list[tuple[tuple[str, str], dict]] = []
    if signers:
        slots.append((Memo.SIGNER_FIELDS[0], signers[0]))
    if len(signers) >= 3:
        slots.append((Memo.SIGNER_FIELDS[1], signers[1]))
    if len(signers) >= 2:
        slots.append((Memo.SIGNER_FIELDS[2], signers[-1]))
    for (name_f, pos_f), signer in slots:
        for f, key in ((name_f, "name"), (pos_f, "position")):
            value = _fit(memo, f, signer.get(key) or "")
            if value and not getattr(memo, f):
                setattr(memo, f, value)
                changed = True
    if changed:
        memo.save()
        return memo
    return None


@transaction.atomic
def import_record(agency: Agency, record: Record, *, author=None) -> Plan | None:
    """Assessments, measures and the memo of an interchange record into the agency's rows, in
    one transaction (a failure leaves nothing half-written). The memo fills the blank fields of
    the plan's memo of the report it wraps (``memo_kind_of``). Measures are added after those of
    an existing plan: for a fresh agency (the demo, tests); the web app's accept, which shows and
    chooses what happens to an existing plan and can be undone, is ``cycle.actions.accept_import``."""
    for a in record.assessments:
        save_published(agency, a)
    year = record_year(record)
    # A memo alone (no measures) still belongs to its plan year: the plan is made if needed.
    if year is None or not (record.measures or memo_has_content(record.memo)):
        return None
    plan, created = Plan.objects.get_or_create(agency=agency, fiscal_year=year)
    if created or record.measures:
        plan.assessment = agency.assessments.filter(fiscal_year=year - 1).first()
        plan.save()
    store_imported_memo(plan, record.memo, memo_kind_of(record))
    add_measures(plan, record.measures, author=author)
    return plan


def record_year(record: Record) -> int | None:
    """The plan year a record reports on: stated, else the year after its newest assessment."""
    if record.report_fiscal_year:
        return record.report_fiscal_year
    return max(a.fiscal_year for a in record.assessments) + 1 if record.assessments else None


def measure_values(rm: RecordMeasure) -> dict:
    """The measure row's fields that an interchange measure carries."""
    return {
        "title": rm.title,
        "analysis": rm.analysis or "",
        "steps": rm.steps or "",
        "period": rm.period or "",
        "indicators": list(rm.indicators),
        "items": list(rm.items),
        "responsible_text": rm.responsible or "",
        "monitoring": rm.monitoring or "",
        "budget": rm.budget,
        "status": rm.status or "not_started",
    }


def _units_named(agency: Agency, responsible: str | None):
    names = [u.name for u in agency.units.all() if responsible and u.name in responsible]
    return Unit.objects.filter(agency=agency, name__in=names)


def reported_progress(m: Measure, rm: RecordMeasure, *, author=None) -> ProgressEntry | None:
    """The record's status and results as a progress entry of today, when it reports any."""
    if not (rm.status or rm.result or rm.outcome or rm.suggestion):
        return None
    return ProgressEntry.objects.create(
        measure=m,
        as_of=timezone.localdate(),
        status=rm.status or "not_started",
        result=rm.result or "",
        outcome=rm.outcome or "",
        suggestion=rm.suggestion or "",
        author=author,
    )


def add_measures(plan: Plan, measures: Sequence[RecordMeasure], *, author=None) -> list[Measure]:
    """Interchange measures as new rows after the plan's last one, with their progress and
    evidence (links and notes: an imported file path is never a stored file)."""
    agency = plan.agency
    start = plan.measures.count()
    made = []
    for i, rm in enumerate(measures, 1):
        m = Measure.objects.create(plan=plan, position=rm.no or start + i, **measure_values(rm))
        m.units.set(_units_named(agency, rm.responsible))
        reported_progress(m, rm, author=author)
        for ev in rm.evidence:
            Evidence.objects.create(
                measure=m,
                kind=ev.kind if ev.kind in EvidenceKind.values else EvidenceKind.NOTE,
                url=ev.ref if ev.kind == "link" and ev.ref.startswith("http") else "",
                caption=ev.caption or ev.ref,
                owner=author,
            )
        made.append(m)
    return made


def measure_changes(m: Measure, rm: RecordMeasure) -> dict:
    """What the record would change in the measure: field -> (before, after); a field the record
    leaves blank keeps the measure's value."""
    out = {}
    # A record reads the responsible units' names when the measure has units (measure_record).
    responsible = {m.responsible_text, " ".join(u.name for u in m.units.all())}
    for name, value in measure_values(rm).items():
        if value in ("", None, []) or (name == "status" and not rm.status):
            continue
        if name == "title" and comparable(value) == comparable(m.title):
            continue  # the same title to a reader: the stored spelling stays
        if name == "responsible_text" and value in responsible:
            continue
        before = getattr(m, name)
        if name == "budget" and before is not None:
            before = float(before)
        if before != value:
            out[name] = (before, value)
    return out


def update_measure(m: Measure, rm: RecordMeasure, *, author=None) -> bool:
    """The record's non-blank values into an existing measure (a new version), and its reported
    status and results as a progress entry when they differ from the latest; True if changed."""
    changes = measure_changes(m, rm)
    for name, (_before, after) in changes.items():
        setattr(m, name, after)
    if changes:
        m.version += 1
        m.save()
        if "responsible_text" in changes:
            m.units.set(_units_named(m.plan.agency, rm.responsible))
    latest = m.progress.order_by("-as_of", "-pk").first()
    reported = (rm.status or (latest.status if latest else "not_started"), rm.result or "", rm.outcome or "")
    reports = rm.result or rm.outcome or rm.suggestion or "status" in changes
    if reports and (latest is None or (latest.status, latest.result, latest.outcome) != reported):
        reported_progress(m, rm, author=author)
        return True
    return bool(changes)
