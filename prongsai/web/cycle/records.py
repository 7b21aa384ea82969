"""Between the database and the interchange format, both ways.

The engine, the document builders and the API all speak interchange records; the web app keeps
rows. These functions are the only translation, so a number shown on a page, printed in a
document and returned by the API is the same number.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from prongsai.interchange.models import Assessment as RecordAssessment
from prongsai.interchange.models import Document as Record
from prongsai.interchange.models import Measure as RecordMeasure
from prongsai.ita.api import score_document
from prongsai.web.agencies.models import Agency, Unit
from prongsai.web.cycle.models import (
    Assessment,
    Evidence,
    EvidenceKind,
    IndicatorScore,
    Measure,
    Plan,
    ProgressEntry,
)

TOOLS = ("IIT", "EIT", "EIT_1", "EIT_2", "OIT")


def assessment_record(a: Assessment) -> RecordAssessment:
    data = {k: v for k, v in (a.published or {}).items() if k not in ("fiscal_year", "year_be")}
    return RecordAssessment.model_validate({"fiscal_year": a.fiscal_year, **data})


def agency_record(agency: Agency) -> dict:
    return {
        "name": agency.name,
        "type": agency.type or None,
        "district": agency.district or None,
        "province": agency.province or None,
    }


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
    return {k: round(v, 2) for k, v in sorted(scores.items())}


def refresh(a: Assessment) -> None:
    """Recompute what the engine says of the published numbers; keep it for lists and dashboards."""
    # Scored beside the year before, so stated year-over-year changes are checked too.
    before = a.agency.assessments.filter(fiscal_year__lt=a.fiscal_year).order_by("-fiscal_year").first()
    scores = engine_view(a, assessment_record(a), [assessment_record(before)] if before else [])
    with transaction.atomic():
        a.save()
        a.indicator_scores.all().delete()
        IndicatorScore.objects.bulk_create(
            IndicatorScore(assessment=a, fiscal_year=a.fiscal_year, indicator=k, score=v)
            for k, v in scores.items()
        )


def save_published(agency: Agency, record: RecordAssessment) -> Assessment:
    data = record.model_dump(mode="json", exclude={"fiscal_year"}, exclude_defaults=True)
    a, _ = Assessment.objects.update_or_create(
        agency=agency, fiscal_year=record.fiscal_year, defaults={"published": data}
    )
    refresh(a)
    return a


def measure_record(m: Measure) -> RecordMeasure:
    latest = m.progress.first()  # ordered newest first
    units = [u.name for u in m.units.all()]
    evidence = []
    for e in m.evidence.all():
        ref = e.url or (e.file.name if e.file else "") or e.caption
        if ref:
            evidence.append(
                {"kind": e.kind, "ref": ref, "caption": e.caption or None, "added_on": e.added_on.isoformat()}
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
            "result": latest.result or None if latest else None,
            "outcome": latest.outcome or None if latest else None,
            "suggestion": latest.suggestion or None if latest else None,
            "monitoring": m.monitoring or None,
            "budget": float(m.budget) if m.budget is not None else None,
            "evidence": evidence,
        }
    )


def plan_record(plan: Plan) -> Record:
    """The whole record of a plan's year: the agency, its assessments up to the one the plan
    answers, and the measures with their latest progress."""
    agency = plan.agency
    last_assessed = plan.fiscal_year - 1
    assessments = [
        assessment_record(a)
        for a in agency.assessments.filter(fiscal_year__lte=last_assessed).order_by("fiscal_year")
    ]
    measures = [
        measure_record(m)
        for m in plan.measures.prefetch_related("units", "evidence", "progress").order_by("position", "pk")
    ]
    return Record(
        agency=agency_record(agency),
        report_fiscal_year=plan.fiscal_year,
        assessments=assessments[-2:],
        measures=measures,
    )


@transaction.atomic
def import_record(agency: Agency, record: Record, *, author=None) -> Plan | None:
    """Assessments and measures of an interchange record into the agency's rows, in one
    transaction (a failure leaves nothing half-written)."""
    for a in record.assessments:
        save_published(agency, a)
    if not record.measures:
        return None
    year = record.report_fiscal_year or (max(a.fiscal_year for a in record.assessments) + 1)
    plan, _ = Plan.objects.get_or_create(agency=agency, fiscal_year=year)
    plan.assessment = agency.assessments.filter(fiscal_year=year - 1).first()
    plan.save()
    start = plan.measures.count()
    for i, rm in enumerate(record.measures, 1):
        m = Measure.objects.create(
            plan=plan,
            position=rm.no or start + i,
            title=rm.title,
            analysis=rm.analysis or "",
            steps=rm.steps or "",
            period=rm.period or "",
            indicators=rm.indicators,
            items=rm.items,
            responsible_text=rm.responsible or "",
            monitoring=rm.monitoring or "",
            budget=rm.budget,
            status=rm.status or "not_started",
        )
        names = [u.name for u in agency.units.all() if rm.responsible and u.name in rm.responsible]
        m.units.set(Unit.objects.filter(agency=agency, name__in=names))
        if rm.status or rm.result or rm.outcome or rm.suggestion:
            ProgressEntry.objects.create(
                measure=m,
                as_of=timezone.localdate(),
                status=rm.status or "not_started",
                result=rm.result or "",
                outcome=rm.outcome or "",
                suggestion=rm.suggestion or "",
                author=author,
            )
        for ev in rm.evidence:
            Evidence.objects.create(
                measure=m,
                kind=ev.kind if ev.kind in EvidenceKind.values else EvidenceKind.NOTE,
                url=ev.ref if ev.kind == "link" and ev.ref.startswith("http") else "",
                caption=ev.caption or ev.ref,
                owner=author,
            )
    return plan
