"""Shared by the results pages: the agency of the URL as the access module allows it, the agency's
assessments as an interchange record for the engine, and numbers as printed.

Access is decided in ``prongsai.web.agencies.access``; this only turns its answers into 404
(another agency: not found) and 403 (a member without the right)."""

from __future__ import annotations

from django.utils.translation import get_language

from prongsai.interchange.models import Document as Record
from prongsai.ita.edition import EditionError, all_editions, get_edition, nearest_edition
from prongsai.ita.findings import where_th
from prongsai.ita.numbers import fmt
from prongsai.web.agencies.models import Agency
from prongsai.web.cycle.labels import SEVERITY_TH
from prongsai.web.cycle.labels import TOOL_ORDER as TOOL_ORDER  # used by the results pages
from prongsai.web.cycle.labels import tool_label as tool_label
from prongsai.web.cycle.models import Assessment
from prongsai.web.cycle.records import agency_document


def record_of(agency: Agency, assessments: list[Assessment] | None = None, extra=None) -> Record:
    """The agency's assessments (all, or those given) as one interchange document; ``extra`` is an
    interchange assessment that replaces the stored one of its year (a form not yet saved)."""
    if assessments is None:
        assessments = list(agency.assessments.order_by("fiscal_year"))
    return agency_document(agency, assessments, extra=extra)


def edition_or_none(year: int | None):
    if year is None:
        return None
    try:
        return get_edition(year)
    except EditionError:
        return None


def edition_years() -> list[int]:
    return sorted(all_editions())


def level_label(label: str | None, year: int) -> str:
    """A level as stored (the edition's Thai label) in the page's language: the edition of
    ``year`` (else the nearest) names it in English too; a label it does not know stays as it is."""
    if not label:
        return "–"
    if get_language() != "en":
        return label
    rules = nearest_edition(year).levels.rules
    return next((r.label_en for r in rules if r.label == label), label)


def indicator_names(year: int) -> dict[int, str]:
    """Thai names of the 10 indicators (of the year's edition, else the nearest one)."""
    return {i.id: i.name_th for i in nearest_edition(year).indicators}


def _message(d: dict) -> str:
    """The engine's finding in the page's language (it writes both)."""
    first, second = ("message_en", "message_th") if get_language() == "en" else ("message_th", "message_en")
    return d.get(first) or d.get(second) or d.get("code") or ""


def finding_rows(findings: list) -> list[dict]:
    """Engine findings (objects or their dicts) for a template: Thai message, severity, place."""
    out = []
    for f in findings:
        d = f if isinstance(f, dict) else f.to_dict()
        out.append(
            {
                "severity": d.get("severity", "info"),
                "severity_th": SEVERITY_TH.get(d.get("severity", "info"), ""),
                "message": _message(d),
                "where": where_th(d.get("path") or ""),
                "code": d.get("code"),
            }
        )
    order = {"error": 0, "warning": 1, "info": 2}
    out.sort(key=lambda r: order.get(r["severity"], 3))
    return out


def num(value: float | None, signed: bool = False) -> str:
    return fmt(value, signed=signed)


def delta_class(delta: float | None) -> str:
    if delta is None or delta == 0:
        return ""
    return "up" if delta > 0 else "down"
