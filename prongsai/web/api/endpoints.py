"""The JSON API (django-ninja), speaking the interchange format ``prongsai/1``.

Access is decided by ``prongsai.web.agencies.access`` exactly as for the pages: another agency's
records are not found (404), a member without the right is refused (403). The views translate
between HTTP and the cycle's actions (``prongsai.web.cycle.actions``: versions checked, audit
trail, one error type) and ``records``; numbers come from the engine only.
"""

from __future__ import annotations

import json

from django.core.serializers.json import DjangoJSONEncoder
from ninja import NinjaAPI, Query, Status
from ninja.renderers import BaseRenderer

from prongsai.interchange.models import Assessment as RecordAssessment
from prongsai.interchange.models import Document
from prongsai.ita.api import score_document
from prongsai.web.agencies.access import (
    Action,
    agency_for,
    can,
    can_update_measure,
    is_overseer,
    member_agencies,
    membership,
    overseen_agencies,
)
from prongsai.web.agencies.models import Agency
from prongsai.web.api import errors
from prongsai.web.api.auth import SessionAuth, TokenAuth
from prongsai.web.api.docs import LocalSwagger
from prongsai.web.api.schemas import (
    AgencyDetail,
    AgencyOut,
    AssessmentSummary,
    ErrorOut,
    MeasureOut,
    Overview,
    OverviewRow,
    ProgressEntryOut,
    ProgressIn,
    ProgressOut,
    ScoredAssessment,
)
from prongsai.web.cycle import actions, records
from prongsai.web.cycle.models import Assessment, Measure, Plan


class Utf8Renderer(BaseRenderer):
    media_type = "application/json"

    def render(self, request, data, *, response_status):
        return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)


api = NinjaAPI(
    title="Prongsai API",
    version="1",
    description=(
        "ITA records of the agencies you belong to, in the interchange format prongsai/1 "
        "(docs/interchange.md). Authenticate with 'Authorization: Bearer <token>'."
    ),
    urls_namespace="api",
    auth=[TokenAuth(), SessionAuth()],
    renderer=Utf8Renderer(),
    docs=LocalSwagger(),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
errors.install(api)

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _agency(request, slug: str) -> Agency:
    """The agency if the caller is a member (or a site admin); otherwise not found: the one lookup
    of the agency pages (``access.agency_for``, VIEW, so never 403), its Http404 answered as the
    API's JSON 404 by ``errors.install``."""
    return agency_for(request.user, slug)


def _role(user, agency: Agency) -> str:
    m = membership(user, agency)
    return m.role if m else "admin"


def _agency_out(user, agency: Agency) -> dict:
    return {
        "slug": agency.slug,
        "name": agency.name,
        "type": agency.type,
        "district": agency.district,
        "province": agency.province,
        "executive_title": agency.executive_title,
        "website": agency.website,
        "role": _role(user, agency),
    }


def _summary(a: Assessment) -> dict:
    return {
        "fiscal_year": a.fiscal_year,
        "edition": a.edition,
        "overall": a.overall,
        "level": a.level,
        "passed": a.passed,
        "version": a.version,
    }


def _measure_out(m: Measure) -> dict:
    return {
        "id": m.pk,
        "position": m.position,
        "version": m.version,
        "units": [u.name for u in m.units.all()],
        "overdue": m.overdue,
        "record": records.measure_record(m),
    }


def _refused(exc: actions.ActionRefused) -> errors.ApiError:
    """An action's refusal as the API's error: 409 for a stale version, else 400."""
    return errors.ApiError(exc.status, str(exc), exc.message, code=exc.code)


def _plan(agency: Agency, year: int) -> Plan:
    plan = agency.plans.filter(fiscal_year=year).first()
    if plan is None:
        raise errors.not_found()
    return plan


@api.get("/agencies", response=list[AgencyOut], tags=["agencies"], summary="The caller's agencies")
def agencies(request):
    return [_agency_out(request.user, a) for a in member_agencies(request.user).order_by("province", "name")]


@api.get("/agencies/{slug}", response={200: AgencyDetail, **ERRORS}, tags=["agencies"])
def agency(request, slug: str):
    a = _agency(request, slug)
    plans = [
        {
            "fiscal_year": p.fiscal_year,
            "status": p.status,
            "content_version": p.content_version,
            "approved_version": p.approved_version,
            "approval_current": p.approval_current,
            "measures": p.measures.count(),
        }
        for p in a.plans.order_by("-fiscal_year")
    ]
    return {
        **_agency_out(request.user, a),
        "units": [u.name for u in a.units.all()],
        "assessments": [_summary(x) for x in a.assessments.order_by("-fiscal_year")],
        "plans": plans,
    }


@api.get(
    "/agencies/{slug}/assessments",
    response={200: list[AssessmentSummary], **ERRORS},
    tags=["assessments"],
    summary="Every assessment of the agency with the engine's overall, level and pass",
)
def assessments(request, slug: str):
    return [_summary(a) for a in _agency(request, slug).assessments.order_by("-fiscal_year")]


@api.get(
    "/agencies/{slug}/assessments/{year}",
    response={200: RecordAssessment, **ERRORS},
    tags=["assessments"],
    summary="One assessment as published (interchange Assessment)",
)
def assessment(request, slug: str, year: int):
    a = _agency(request, slug).assessments.filter(fiscal_year=year).first()
    if a is None:
        raise errors.not_found()
    return records.assessment_record(a)


@api.put(
    "/agencies/{slug}/assessments/{year}",
    response={200: ScoredAssessment, **ERRORS},
    tags=["assessments"],
    summary="Store an assessment as published; answers what the engine computed and found",
)
def put_assessment(
    request,
    slug: str,
    year: int,
    payload: RecordAssessment,
    version: int | None = Query(
        None,
        ge=0,
        le=2**31 - 1,
        description="the assessment's version as read (0: none was stored); a later change answers 409",
    ),
):
    a = _agency(request, slug)
    if not can(request.user, Action.EDIT, a):
        raise errors.forbidden(
            "only the agency's editors may change its assessments",
            "เฉพาะผู้จัดทำของหน่วยงานเท่านั้นที่แก้ไขผลการประเมินได้",
        )
    if payload.fiscal_year != year:
        raise errors.ApiError(
            400,
            f"fiscal_year: the body says {payload.fiscal_year}, the URL says {year}",
            f"fiscal_year: ปีงบประมาณในข้อมูล ({payload.fiscal_year}) ไม่ตรงกับปีในลิงก์ ({year})",
            fields=[{"field": "fiscal_year", "message": "does not match the URL"}],
        )
    try:
        stored = actions.store_assessment(a, payload, expected_version=version, user=request.user)
    except actions.ActionRefused as exc:
        raise _refused(exc) from None
    # Scored beside the earlier years, so the changes the record states are checked too.
    earlier = list(a.assessments.filter(fiscal_year__lt=year).order_by("fiscal_year"))
    doc = records.agency_document(a, [*earlier, stored])
    (scored,) = [s for s in score_document(doc) if s.fiscal_year == year]
    out = scored.to_dict()
    return {
        **out,
        "overall": stored.overall,
        "level": stored.level,
        "passed": stored.passed,
        "version": stored.version,
    }


@api.get(
    "/agencies/{slug}/plans/{year}",
    response={200: Document, **ERRORS},
    tags=["plans"],
    summary="The plan of a fiscal year with its measures and latest progress (interchange Document)",
)
def plan(request, slug: str, year: int):
    return records.plan_record(_plan(_agency(request, slug), year))


@api.get(
    "/agencies/{slug}/plans/{year}/measures",
    response={200: list[MeasureOut], **ERRORS},
    tags=["plans"],
    summary="The plan's measures with their ids and versions (for progress updates)",
)
def measures(request, slug: str, year: int):
    p = _plan(_agency(request, slug), year)
    return [
        _measure_out(m)
        for m in p.measures.prefetch_related("units", "evidence", "progress").order_by("position", "pk")
    ]


@api.post(
    "/agencies/{slug}/plans/{year}/measures/{measure_id}/progress",
    response={201: ProgressOut, **ERRORS},
    tags=["plans"],
    summary="Report progress of a measure (its unit's contributors or the editors)",
)
def progress(request, slug: str, year: int, measure_id: int, payload: ProgressIn):
    a = _agency(request, slug)
    m = (
        Measure.objects.select_related("plan")
        .filter(pk=measure_id, plan__agency=a, plan__fiscal_year=year)
        .first()
    )
    if m is None:
        raise errors.not_found()
    if not can_update_measure(request.user, m):
        raise errors.forbidden(
            "only the editors and the contributors of the measure's unit may report its progress",
            "เฉพาะผู้จัดทำและผู้รายงานของส่วนราชการที่รับผิดชอบมาตรการนี้เท่านั้นที่รายงานความก้าวหน้าได้",
        )
    # Without a version the client read nothing to protect: the report simply comes last.
    try:
        entry = actions.record_progress(
            m,
            as_of=payload.as_of,
            status=payload.status,
            result=payload.result,
            outcome=payload.outcome,
            suggestion=payload.suggestion,
            expected_version=payload.version,
            user=request.user,
        )
    except actions.ActionRefused as exc:
        raise _refused(exc) from None
    m.refresh_from_db()
    return Status(201, {"entry": ProgressEntryOut.from_orm(entry).model_dump(), "measure": _measure_out(m)})


@api.get(
    "/agencies/{slug}/record",
    response={200: Document, **ERRORS},
    tags=["agencies"],
    summary="The whole agency as one interchange document: every assessment and a plan's measures",
)
def record(request, slug: str, year: int | None = None):
    """``year`` picks the plan (default: the latest one)."""
    a = _agency(request, slug)
    everything = records.agency_document(a, list(a.assessments.order_by("fiscal_year")))
    plans = a.plans.order_by("-fiscal_year")
    p = plans.filter(fiscal_year=year).first() if year else plans.first()
    if year and p is None:
        raise errors.not_found()
    if p is None:
        return everything
    return records.plan_record(p).model_copy(update={"assessments": everything.assessments})


@api.get(
    "/overview/{year}",
    response={200: Overview, **ERRORS},
    tags=["oversight"],
    summary="Overseers: every agency in scope with its result and plan status (no draft content)",
)
def overview(request, year: int, province: str | None = None):
    user = request.user
    if not is_overseer(user):
        raise errors.forbidden("only overseers read the overview", "เฉพาะผู้กำกับดูแลเท่านั้นที่ดูภาพรวมได้")
    scope = overseen_agencies(user)
    if province:
        scope = scope.filter(province=province)
    found = {
        a["agency_id"]: a
        for a in Assessment.objects.filter(agency__in=scope, fiscal_year=year).values(
            "agency_id", "overall", "level", "passed"
        )
    }
    plans = {
        p.agency_id: p
        for p in Plan.objects.filter(agency__in=scope, fiscal_year=year).only(
            "agency_id", "status", "approved_version", "content_version"
        )
    }
    rows = []
    for ag in scope.order_by("province", "name").values("pk", "slug", "name", "type", "district", "province"):
        a = found.get(ag["pk"], {})
        p = plans.get(ag["pk"])
        rows.append(
            OverviewRow(
                slug=ag["slug"],
                name=ag["name"],
                type=ag["type"],
                district=ag["district"],
                province=ag["province"],
                overall=a.get("overall"),
                level=a.get("level") or None,
                passed=a.get("passed"),
                plan_status=p.status if p else None,
                plan_approval_current=bool(p and p.approval_current),
            )
        )
    return {"fiscal_year": year, "agencies": rows}
