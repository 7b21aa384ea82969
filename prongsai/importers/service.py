"""Import one file: extract its text, recognise the fields, check the numbers with the engine.

The result is a draft for a person to review; nothing is stored here. Bad input raises
``ImportFailure`` (code, English and Thai message) and nothing is written.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from prongsai.importers import progress
from prongsai.importers.errors import ImportFailure
from prongsai.importers.extract import Extracted, extract_bytes, extract_path
from prongsai.importers.recognise import Draft, recognise
from prongsai.interchange.limits import LENIENT, over_limits
from prongsai.interchange.models import Document
from prongsai.ita.api import score_document
from prongsai.ita.findings import Finding
from prongsai.ita.preaudit import photo_problems

log = logging.getLogger(__name__)

NO_NAME = "(ไม่พบชื่อหน่วยงาน)"


@dataclass
class ImportResult:
    source: str
    extracted: Extracted
    draft: Draft
    document: Document  # the draft as an interchange document, provenance included
    findings: list[dict[str, Any]] = field(default_factory=list)  # importer's notes and the engine's findings

    @property
    def truth_view(self) -> dict[str, Any]:
        """The draft in the ground-truth schema, for evaluation."""
        return self.draft.data

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "extraction": {
                "method": self.extracted.method,
                "pages": self.extracted.pages,
                "encoding": self.extracted.encoding,
                "warnings": list(self.extracted.warnings),
                "lines": len(self.extracted.lines),
            },
            "draft": self.document.model_dump(mode="json", exclude_none=False),
            "findings": self.findings,
        }


def import_path(path: Path | str) -> ImportResult:
    path = Path(path)
    return _finish(path.name, extract_path(path))


def import_bytes(
    data: bytes, name: str = "upload", *, progress_to: progress.Reader | None = None
) -> ImportResult:
    """``progress_to(stage, done, total)`` is told what is being read (see ``importers.progress``)."""
    with progress.reporting(progress_to):
        extracted = extract_bytes(data, name)
        progress.report("recognise", 0, 0)
        return _finish(name, extracted)


def import_text(text: str, name: str = "text") -> ImportResult:
    """Recognition only, on text already extracted (tests, fuzzing, the review screen's re-run)."""
    extracted = Extracted(text=text, method="text", pages=None, encoding="utf-8")
    return _finish(name, extracted)


def _finish(name: str, extracted: Extracted) -> ImportResult:
    draft = recognise(extracted.lines, source=name, ocr=extracted.method == "ocr")
    document = to_document(draft, name)
    findings = [dict(f, source="importer") for f in draft.findings]
    for w in extracted.warnings:
        findings.append({"code": "extraction_warning", "message_en": w, "message_th": w, "lines": []})
    try:
        skipped: list[Finding] = []
        for score in score_document(document, skipped):
            for f in score.findings:
                findings.append(
                    {
                        "code": f.code,
                        "severity": f.severity,
                        "path": f"assessments[{score.fiscal_year}].{f.path}",
                        "message_en": f"{score.fiscal_year}: {f.message_en}",
                        "message_th": f"ปี {score.fiscal_year}: {f.message_th}",
                        "source": "engine",
                    }
                )
        for f in skipped:  # a year the engine has no edition for: said, the others still checked
            findings.append({**f.to_dict(), "source": "engine"})
    except Exception as exc:  # the engine must never lose a draft; say why it could not check
        log.warning("engine could not check %s: %s", name, exc)
        findings.append(
            {
                "code": "engine_check_failed",
                "message_en": f"the numbers could not be checked: {exc}",
                "message_th": "ตรวจสอบตัวเลขไม่ได้",
                "source": "engine",
            }
        )
    # Photos the report only points to (a path on someone's disk, an empty image frame): the
    # documents leave them out, so the reviewer is told here to upload them or drop them.
    for check in photo_problems(document):
        findings.append(
            {
                "code": check.code,
                "severity": check.severity,
                "path": f"measures[{(check.measure or 1) - 1}].evidence",
                "message_en": check.message_en,
                "message_th": check.message_th,
                "source": "importer",
            }
        )
    # A text longer than the web app keeps (prongsai.interchange.limits) stays in the draft as
    # read, never cut: the reviewer shortens it, and accepting is refused until then.
    for over in over_limits(document.model_dump(mode="json")):
        findings.append({**over.to_finding(), "source": "importer"})
    return ImportResult(name, extracted, draft, document, findings)


def to_document(draft: Draft, name: str) -> Document:
    """The draft as an interchange document. Parts the format refuses (a year outside any B.E.
    range, say) are left out with a note, so one bad number never loses the whole draft. A text
    over its limit is kept (LENIENT): it is a finding for the reviewer, not a reason to drop it."""
    data = json.loads(json.dumps(draft.data, ensure_ascii=False, default=str))
    if not data["agency"]["name"]:
        data["agency"]["name"] = NO_NAME
    data["provenance"] = draft.provenance
    try:
        return Document.model_validate(data, context=LENIENT)
    except ValidationError:
        pass
    kept: list[dict[str, Any]] = []
    for a in data["assessments"]:
        try:
            Document.model_validate({"agency": data["agency"], "assessments": [a]}, context=LENIENT)
            kept.append(a)
        except ValidationError as exc:
            draft.note(
                "assessment_left_out",
                f"the {a.get('year_be')} scores were left out: {exc.errors()[0]['msg']}",
                f"ไม่นำเข้าคะแนนปี {a.get('year_be')} เพราะข้อมูลไม่ถูกต้อง",
                [],
            )
    data["assessments"] = kept
    for key in ("report_fiscal_year_be", "memo"):
        try:
            Document.model_validate({"agency": data["agency"], key: data[key]}, context=LENIENT)
        except ValidationError:
            data[key] = None
    measures = []
    for i, m in enumerate(data["measures"]):
        try:
            Document.model_validate({"agency": data["agency"], "measures": [m]}, context=LENIENT)
            measures.append(m)
        except ValidationError as exc:
            draft.note(
                "measure_left_out",
                f"measure {i + 1} was left out: {exc.errors()[0]['msg']}",
                f"ไม่นำเข้ามาตรการที่ {i + 1} เพราะข้อมูลไม่ครบ",
                [],
            )
    data["measures"] = measures
    data["provenance"] = {k: v for k, v in draft.provenance.items() if not k.startswith(("assess", "measur"))}
    return Document.model_validate(data, context=LENIENT)


def failure_dict(exc: ImportFailure) -> dict[str, Any]:
    return exc.to_dict()
