"""The engine's entry points for whole interchange documents: score every assessment, check the
stated year-over-year changes, analyse a year against the one before it, draft a plan.

Callers (CLI, web, documents, importer) use these and never repeat the arithmetic.
"""

from __future__ import annotations

from dataclasses import dataclass

from prongsai.interchange.models import Assessment, Document, Note
from prongsai.ita import findings as F
from prongsai.ita.analysis import Analysis, analyse
from prongsai.ita.edition import Edition, EditionError, get_edition
from prongsai.ita.findings import Finding
from prongsai.ita.numbers import round2, same_printed
from prongsai.ita.scoring import Published, ScoreResult, score


@dataclass(slots=True)
class AssessmentScore:
    fiscal_year: int
    edition: Edition
    result: ScoreResult
    findings: list[Finding]  # the scoring findings plus notes and stated-change checks

    def to_dict(self) -> dict[str, object]:
        return {
            "fiscal_year": self.fiscal_year,
            "edition": self.edition.edition,
            "computed": self.result.to_dict(),
            "findings": [f.to_dict() for f in self.findings],
            "uncertain_facts": uncertain_facts(self.edition),
        }


def published_from(a: Assessment) -> Published:
    return Published(
        overall=a.overall,
        level=a.level,
        tools=a.tools.known(),
        indicators={int(k): v for k, v in a.indicators.items()},
        items=dict(a.items),
    )


def _note_finding(note: Note) -> Finding:
    return Finding(
        code=note.code,
        severity="info",
        path=note.path,
        published=note.published,
        computed=note.computed,
        message_th=note.message_th,
        message_en=note.message_en,
    )


def score_document(doc: Document, skipped: list[Finding] | None = None) -> list[AssessmentScore]:
    """Score every assessment, oldest first, and check each stated change against the year before.

    With ``skipped`` given, a year whose edition the engine does not have (2562, 2570) is left out
    with a finding appended there, and the other years are still scored; without it, or when no
    year at all has an edition, the EditionError is raised."""
    out: list[AssessmentScore] = []
    first_error: EditionError | None = None
    for a in sorted(doc.assessments, key=lambda x: x.fiscal_year):
        try:
            edition = get_edition(a.edition_year)
        except EditionError as exc:
            if skipped is None:
                raise
            first_error = first_error or exc
            skipped.append(F.edition_unknown(a.fiscal_year, a.edition_year))
            continue
        result = score(edition, published_from(a))
        found = [_note_finding(n) for n in a.notes] + list(result.findings)
        prev = out[-1] if out else None
        found += check_stated_changes(
            a, result, prev.result if prev else None, prev.fiscal_year if prev else None
        )
        out.append(AssessmentScore(a.fiscal_year, edition, result, found))
    if first_error is not None and not out:
        raise first_error
    return out


def check_stated_changes(
    a: Assessment, cur: ScoreResult, prev: ScoreResult | None, prev_year: int | None
) -> list[Finding]:
    stated = a.stated_changes
    pairs: list[tuple[str, float, float | None, float | None]] = []
    if stated.overall is not None:
        pairs.append(("overall", stated.overall, cur.overall.value, prev.overall.value if prev else None))
    for tool, value in stated.tools.items():
        pairs.append(
            (
                f"tools.{tool}",
                value,
                cur.tools[tool].value if tool in cur.tools else None,
                prev.tools[tool].value if prev and tool in prev.tools else None,
            )
        )
    for key, value in stated.indicators.items():
        n = int(key)
        pairs.append(
            (f"indicators.{n}", value, cur.indicators[n].value, prev.indicators[n].value if prev else None)
        )
    out = []
    for path, value, now, before in pairs:
        if now is None or before is None or prev_year is None:
            out.append(F.change_without_previous(path, value))
            continue
        delta = round2(round2(now) - round2(before))
        if not same_printed(value, delta):
            out.append(F.change_mismatch(path, value, delta, prev_year))
    return out


def _printed_level(doc: Document, year: int) -> str | None:
    a = doc.assessment(year)
    return a.level.strip() if a and a.level and a.level.strip() else None


def _suggestions(doc: Document, year: int) -> list[str]:
    a = doc.assessment(year)
    return [s for s in (a.auditor_suggestions if a else []) if s and s.strip()]


def analyse_document(doc: Document, year: int | None = None) -> tuple[Analysis, list[AssessmentScore]]:
    """Analyse ``year`` (default: the latest assessed year) against the nearest earlier year.
    Years without a known edition are left out (their finding is in the analysis' findings)."""
    skipped: list[Finding] = []
    scores = score_document(doc, skipped)
    if not scores:
        raise ValueError("the document has no assessment to analyse")
    idx = (
        len(scores) - 1
        if year is None
        else next((i for i, s in enumerate(scores) if s.fiscal_year == year), None)
    )
    if idx is None:
        known = ", ".join(str(s.fiscal_year) for s in scores)
        raise ValueError(f"no assessment for fiscal year {year} (the document has {known})")
    cur = scores[idx]
    prev = scores[idx - 1] if idx > 0 else None
    analysis = analyse(
        cur.result,
        cur.fiscal_year,
        prev.result if prev else None,
        prev.fiscal_year if prev else None,
        agency=doc.agency.name,
        published_level=_printed_level(doc, cur.fiscal_year),
        suggestions=_suggestions(doc, cur.fiscal_year),
        agency_type=doc.agency.type,
    )
    analysis.findings = [*skipped, *cur.findings]
    return analysis, scores


def report_year(doc: Document, assessed_year: int | None = None) -> int:
    """The fiscal year a plan or report is about: as the record states it, else the year after
    the assessed one (ITA 2568 is analysed to plan 2569), else after the latest assessment. A
    stated year that is not after the assessed one (seed 001 analyses 2567 in a 2564 report) is
    not used for a plan drawn from that assessment: measures cannot come before their analysis."""
    if doc.report_fiscal_year and (assessed_year is None or doc.report_fiscal_year > assessed_year):
        return doc.report_fiscal_year
    if assessed_year is not None:
        return assessed_year + 1
    if doc.assessments:
        return max(a.fiscal_year for a in doc.assessments) + 1
    raise ValueError("the record states no report_fiscal_year and has no assessment to infer it from")


def uncertain_facts(edition: Edition) -> list[dict[str, object]]:
    """The edition's facts below high confidence, for users to see beside every result."""
    return [
        {
            "key": key,
            "confidence": fact.confidence,
            "note": fact.note,
            "source": edition.source_refs(fact),
        }
        for key, fact in edition.uncertain_facts()
    ]
