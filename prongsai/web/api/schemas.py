"""Response and request shapes of the API that the interchange format does not already define.

Records themselves (assessments, measures, whole documents) are the interchange models of
``prongsai.interchange.models``; these are the lists and summaries around them.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from ninja import Schema
from pydantic import Field

from prongsai.interchange.models import Limit, Measure, Status


class AgencyOut(Schema):
    slug: str
    name: str
    type: str
    district: str
    province: str
    executive_title: str
    website: str
    role: str = Field(description="the caller's role here: editor, contributor, approver, viewer or admin")


class AssessmentSummary(Schema):
    fiscal_year: int
    edition: int | None
    overall: float | None
    level: str
    passed: bool | None
    version: int


class PlanSummary(Schema):
    fiscal_year: int
    status: str = Field(description="draft, submitted, approved or returned")
    content_version: int
    approved_version: int | None
    approval_current: bool = Field(description="approved, and nothing changed since the approval")
    measures: int


class AgencyDetail(AgencyOut):
    units: list[str]
    assessments: list[AssessmentSummary]
    plans: list[PlanSummary]


class FindingOut(Schema):
    code: str
    severity: str
    path: str
    message_th: str
    message_en: str
    published: float | str | None = None
    computed: float | str | None = None
    confidence: str = "high"


class ScoredAssessment(Schema):
    """What the engine computed from a stored assessment (never typed by hand)."""

    fiscal_year: int
    edition: int | None
    overall: float | None = Field(description="the published overall score, else the computed one")
    level: str
    passed: bool | None
    computed: dict[str, Any] = Field(description="the engine's scores at every level")
    findings: list[FindingOut]
    uncertain_facts: list[dict[str, Any]]
    version: int = Field(description="the stored assessment's version, to send back with the next change")


class MeasureOut(Schema):
    id: int
    position: int
    version: int = Field(description="send it back as 'version' when updating, to detect a concurrent edit")
    units: list[str]
    overdue: bool
    record: Measure


class ProgressIn(Schema):
    status: Status
    # Bounded by the limits table (prongsai.interchange.limits): over it, 422 naming the field.
    result: Annotated[str, Limit("progress.result")] = ""
    outcome: Annotated[str, Limit("progress.outcome")] = ""
    suggestion: Annotated[str, Limit("progress.suggestion")] = ""
    as_of: dt.date | None = Field(default=None, description="defaults to today")
    version: int | None = Field(
        default=None,
        ge=0,
        le=2**31 - 1,
        description="the measure's version as read; a later change answers 409 (none: no check)",
    )


class ProgressEntryOut(Schema):
    id: int
    as_of: dt.date
    status: str
    result: str
    outcome: str
    suggestion: str


class ProgressOut(Schema):
    entry: ProgressEntryOut
    measure: MeasureOut


class OverviewRow(Schema):
    slug: str
    name: str
    type: str
    district: str
    province: str
    overall: float | None
    level: str | None
    passed: bool | None
    plan_status: str | None = Field(description="status of the plan of this fiscal year; null when none")
    plan_approval_current: bool


class Overview(Schema):
    fiscal_year: int
    agencies: list[OverviewRow]


class ErrorOut(Schema):
    error: str
    error_th: str
