"""The approved documents of an agency-year as PDF and DOCX for the public: the same files the
officers download (``pages.downloads.record_document``, one path from a record to a file), built
from what the executive approved only.

- The record is the newest approval's ``snapshot`` (the interchange document frozen at approval),
  never the live rows: an edit after approval is not public until it is approved again.
- A memo (บันทึกข้อความ) is not in the snapshot; it is taken as it stood when the executive
  approved (its audit history at ``decided_at``: a memo change bumps the plan's version, so the
  approved version held exactly that memo). A memo written after the approval, or one whose
  recorded decision is ไม่อนุมัติ, is not published.
- Each file is made at most once per approved version: the bytes are kept in the default file
  storage (shared by every web process, object storage in a deployment) under a name made of the
  plan id, the approval, the snapshot's digest, the kind and the format, with a marker written
  after the file is complete. The first request builds it under a lock (the approval row on
  PostgreSQL, a process lock on SQLite, whose deployments are one process), every later one reads
  it back.
- Built ahead: recording an approval enqueues ``tasks.build_public_documents`` (``signals``), which
  makes every file of the approval in a worker with ``prebuild``, the same path a request takes.
  A request that finds its file not built yet (the worker behind, or its task failed) builds it
  itself, logged. ``manage.py public_documents --rebuild`` fills what is missing.
"""

from __future__ import annotations

import logging
import re
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction

from prongsai.documents.service import DocumentError
from prongsai.interchange.limits import LENIENT
from prongsai.interchange.models import Document as Record
from prongsai.web.cycle.actions.plans import record_digest
from prongsai.web.cycle.images import agency_emblem, evidence_images
from prongsai.web.cycle.models import Approval, Decision, Evidence, Memo, MemoDecision, MemoKind
from prongsai.web.cycle.records import memo_record
from prongsai.web.pages import downloads

log = logging.getLogger(__name__)

FORMATS = ("pdf", "docx")
REPORTS = ("analysis", "plan", "progress")
STORE = "public-documents"


def has_progress(snapshot: dict) -> bool:
    return any(
        (m.get("status") and m.get("status") != "not_started")
        or m.get("result")
        or m.get("outcome")
        or m.get("evidence")
        for m in snapshot.get("measures") or []
    )


def progress_layout(snapshot: dict) -> str:
    """The progress report with its results column when there are results to show."""
    measures = snapshot.get("measures") or []
    return "result" if any(m.get("result") or m.get("outcome") for m in measures) else "status"


def published_reports(snapshot: dict) -> list[str]:
    """The reports an approved record (``Approval.snapshot``, read as stored: no validation on
    every download) makes: the analysis when it has an assessment, the measures when it has
    measures, the progress report once progress was recorded."""
    out = []
    if snapshot.get("assessments"):
        out.append("analysis")
    if snapshot.get("measures"):
        out.append("plan")
        if has_progress(snapshot):
            out.append("progress")
    return out


@dataclass
class PublicDocument:
    """One downloadable document: ``name`` is its URL kind (analysis, plan, progress, memo-plan …)."""

    name: str
    kind: str  # the documents service's kind
    wraps: str = "progress"
    layout: str = "status"
    memo: Memo | None = None
    memo_version: int | None = None  # the memo's history id at approval

    @property
    def report(self) -> str:
        """The report this document is (or wraps, for a memo)."""
        return self.wraps if self.kind == "memo" else self.kind


def approved_memos(approval: Approval) -> dict[str, tuple[int, Memo]]:
    """Each memo of the plan as it stood at the approval: kind -> (history id, memo)."""
    rows = Memo.history.model.objects.filter(
        plan_id=approval.plan_id, history_date__lte=approval.decided_at
    ).order_by("kind", "-history_date", "-history_id")
    out: dict[str, tuple[int, Memo]] = {}
    seen: set[str] = set()
    for h in rows:
        if h.kind in seen:
            continue
        seen.add(h.kind)
        if h.history_type == "-" or h.decision == MemoDecision.NOT_APPROVED:
            continue
        out[h.kind] = (h.history_id, h.instance)
    return out


@dataclass
class Approved:
    """What one approval publishes."""

    approval: Approval
    _docs: dict[str, PublicDocument] | None = field(default=None, repr=False)

    @cached_property
    def record(self) -> Record:
        return Record.model_validate(self.approval.snapshot, context=LENIENT)  # as approved, stored

    @cached_property
    def digest(self) -> str:
        return record_digest(self.approval.snapshot)

    @property
    def documents(self) -> dict[str, PublicDocument]:
        if self._docs is None:
            snapshot = self.approval.snapshot
            layout = progress_layout(snapshot)
            reports = published_reports(snapshot)
            docs = {r: PublicDocument(r, r, layout=layout) for r in reports}
            for kind, (version, memo) in approved_memos(self.approval).items():
                if kind in reports:  # a memo wraps a report this approval publishes
                    name = f"memo-{kind}"
                    docs[name] = PublicDocument(
                        name, "memo", wraps=kind, layout=layout, memo=memo, memo_version=version
                    )
            order = [*REPORTS, *(f"memo-{k}" for k in MemoKind.values)]
            self._docs = {n: docs[n] for n in order if n in docs}
        return self._docs

    def title_year(self, doc: PublicDocument) -> int:
        """The year in the file name: the analysis is named for the ITA year it analyses."""
        year = self.approval.plan.fiscal_year
        if doc.kind == "analysis":
            assessed = self.approval.snapshot.get("assessments") or []
            years = [a["fiscal_year"] for a in assessed if isinstance(a.get("fiscal_year"), int)]
            years = [y for y in years if y < year]
            return max(years) if years else year
        return year

    @property
    def folder(self) -> str:
        a = self.approval
        return f"a{a.pk}-v{a.version}-{self.digest[:24]}"

    def storage_name(self, doc: PublicDocument, fmt: str) -> str:
        memo = f"-m{doc.memo_version}" if doc.memo_version else ""
        return f"{STORE}/{self.approval.plan_id}/{self.folder}/{doc.name}{memo}.{fmt}"

    def build(self, doc: PublicDocument, fmt: str) -> bytes:
        """The document from the approved record (DocumentError when it cannot be made)."""
        record = self.record
        if doc.memo is not None:
            record = record.model_copy(update={"memo": memo_record(doc.memo)})
        plan = self.approval.plan
        images = evidence_images(Evidence.objects.filter(measure__plan_id=plan.pk))
        return downloads.record_document(
            record,
            doc.kind,
            fmt,
            layout=doc.layout,
            wraps=doc.wraps,
            images=images,
            emblem=agency_emblem(plan.agency) if doc.kind == "memo" else None,
        )


_LOCAL = threading.Lock()


@contextmanager
def _building(approval: Approval):
    """One builder at a time for an approval's files: the approval row locked on a database that
    can (PostgreSQL: across every web process), a process lock otherwise (SQLite)."""
    if connection.features.has_select_for_update:
        with transaction.atomic():
            Approval.objects.select_for_update().filter(pk=approval.pk).first()
            yield
    else:
        with _LOCAL:
            yield


def _read(name: str) -> bytes:
    with default_storage.open(name, "rb") as handle:
        return handle.read()


def is_stored(approved: Approved, doc: PublicDocument, fmt: str) -> bool:
    return default_storage.exists(f"{approved.storage_name(doc, fmt)}.done")


def _make(approved: Approved, doc: PublicDocument, fmt: str) -> bytes | None:
    """Build and store the file under the lock: its bytes, or None when another builder stored it
    while this one waited."""
    name = approved.storage_name(doc, fmt)
    done = f"{name}.done"
    with _building(approved.approval):
        if default_storage.exists(done):
            return None
        data = approved.build(doc, fmt)
        for stale in (name, done):  # left by a build that stopped half-way
            if default_storage.exists(stale):
                default_storage.delete(stale)
        default_storage.save(name, ContentFile(data))
        default_storage.save(done, ContentFile(b""))
        _forget_older(approved)
    return data


def document_bytes(approved: Approved, doc: PublicDocument, fmt: str) -> bytes:
    """The document's bytes, built once per approved version and kept (see the module's note)."""
    name = approved.storage_name(doc, fmt)
    if is_stored(approved, doc, fmt):
        return _read(name)
    log.warning(
        "public document %s.%s of approval %s was not built ahead (worker behind or its task "
        "failed): building it in the request",
        doc.name,
        fmt,
        approved.approval.pk,
    )
    data = _make(approved, doc, fmt)
    return _read(name) if data is None else data


def current_approval(plan_id: int) -> Approval | None:
    """The plan's newest approving decision: the one the public sees (``views.latest_approval``)."""
    return (
        Approval.objects.filter(plan_id=plan_id, decision=Decision.APPROVED)
        .select_related("plan__agency")
        .order_by("-decided_at", "-pk")
        .first()
    )


@dataclass
class Prebuilt:
    built: list[str] = field(default_factory=list)  # "plan.pdf", …
    refused: list[str] = field(default_factory=list)  # DocumentError: a request answers 404 too
    failed: list[str] = field(default_factory=list)  # anything else: a request tries again


def prebuild(approval: Approval) -> Prebuilt:
    """Every file the public page offers for the approval (each document x PDF and DOCX), made and
    stored unless already there. A document that fails is logged and the others still made."""
    approved = Approved(approval)
    out = Prebuilt()
    for doc in approved.documents.values():
        for fmt in FORMATS:
            if is_stored(approved, doc, fmt):
                continue
            try:
                if _make(approved, doc, fmt) is not None:
                    out.built.append(f"{doc.name}.{fmt}")
            except DocumentError as exc:
                log.warning(
                    "public document %s.%s of approval %s cannot be made: %s", doc.name, fmt, approval.pk, exc
                )
                out.refused.append(f"{doc.name}.{fmt}")
            except Exception:
                log.exception("public document %s.%s of approval %s: not built", doc.name, fmt, approval.pk)
                out.failed.append(f"{doc.name}.{fmt}")
    return out


_FOLDER = re.compile(r"a([0-9]+)-")


def _forget_older(approved: Approved) -> None:
    """The files of the plan's earlier approvals: never served again (the public sees the newest
    approval only), so removed once the newer approval has a file. Only approvals older than this
    one, so a slow request for an old approval never removes a newer one's files."""
    base = f"{STORE}/{approved.approval.plan_id}"
    try:
        folders, _ = default_storage.listdir(base)
        for folder in folders:
            m = _FOLDER.match(folder)
            if not m or int(m.group(1)) >= approved.approval.pk:
                continue
            _, files = default_storage.listdir(f"{base}/{folder}")
            for name in files:
                default_storage.delete(f"{base}/{folder}/{name}")
    except (OSError, NotImplementedError):  # a storage that cannot list: the files stay
        return


__all__ = [
    "FORMATS",
    "Approved",
    "DocumentError",
    "PublicDocument",
    "current_approval",
    "document_bytes",
    "prebuild",
]
