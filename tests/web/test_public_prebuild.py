"""The public documents of an approval are built in a worker once the approval is recorded, so a
citizen's download reads a stored file; a request still builds a file the worker has not made yet
(logged); `manage.py public_documents --rebuild` fills what is missing."""

from __future__ import annotations

import logging

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from prongsai.web.cycle import actions
from prongsai.web.cycle.models import Approval, Memo, Plan, PlanStatus
from prongsai.web.pages import downloads
from prongsai.web.public import tasks
from prongsai.web.public.documents import STORE
from tests.web.test_public import approve_through_workflow

pytestmark = pytest.mark.django_db

YEAR = {"agency": "tonyongmat", "year": 2569}
# What the page offers for the world's plan with a memo of the measures: no progress recorded.
OFFERED = {f"{kind}.{fmt}" for kind in ("analysis", "plan", "memo-plan") for fmt in ("pdf", "docx")}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def builds(monkeypatch):
    """Every document the documents service makes, as (kind, format)."""
    made: list[tuple[str, str]] = []
    real = downloads.record_document

    def counting(record, kind, fmt, **kw):
        made.append((kind, fmt))
        return real(record, kind, fmt, **kw)

    monkeypatch.setattr(downloads, "record_document", counting)
    return made


def with_memo(plan: Plan) -> None:
    with transaction.atomic():
        Memo.objects.create(plan=plan, kind="plan", subject="ขออนุมัติมาตรการ")
        actions.bump_plan(plan)


def stored(settings, plan: Plan) -> dict[str, bytes]:
    """The complete files in the store (those with their marker), by their URL name."""
    root = settings.MEDIA_ROOT / STORE / str(plan.pk)
    files = {p.name: p for p in root.rglob("*") if p.is_file()} if root.exists() else {}
    out = {}
    for name, path in files.items():
        if not name.endswith(".done") and f"{name}.done" in files:
            kind, fmt = name.rsplit(".", 1)
            out[f"{kind.split('-m')[0] if kind.startswith('memo-') else kind}.{fmt}"] = path.read_bytes()
    return out


def download(client, name: str):
    kind, fmt = name.rsplit(".", 1)
    return client.get(reverse("public_document", kwargs={**YEAR, "kind": kind, "fmt": fmt}))


def test_an_approval_stores_every_file_before_any_request(
    world, login, client, settings, builds, django_capture_on_commit_callbacks
):
    plan = world["our_plan"]
    with_memo(plan)
    with django_capture_on_commit_callbacks(execute=True):
        approve_through_workflow(login, world["users"]["approver"], plan)
    made = stored(settings, plan)
    assert set(made) == OFFERED  # every document x PDF and DOCX the page offers
    assert sorted(builds) == sorted(
        (k, f) for k in ("analysis", "plan", "memo") for f in ("pdf", "docx")
    )  # each made once
    page = client.get(reverse("public_year", kwargs=YEAR))
    offered = {f"{d['name']}.{f}" for d in page.context["downloads"] for f in ("pdf", "docx")}
    assert offered == OFFERED

    builds.clear()
    for name in sorted(OFFERED):
        r = download(client, name)
        assert r.status_code == 200, name
        assert r.content == made[name] and len(r.content) > 1000, name
    assert builds == []  # no request built anything


def test_a_returned_plan_builds_nothing(world, login, settings, builds, django_capture_on_commit_callbacks):
    plan = world["our_plan"]
    Plan.objects.filter(pk=plan.pk).update(status=PlanStatus.SUBMITTED)
    plan.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True) as hooks:
        actions.decide_plan(
            plan, "returned", plan.content_version, comment="แก้ตัวชี้วัด", user=world["users"]["approver"]
        )
    assert Approval.objects.get().decision == "returned"
    assert builds == [] and stored(settings, plan) == {}
    assert not (settings.MEDIA_ROOT / STORE).exists()
    assert all("public" not in getattr(h, "__module__", "") for h in hooks)


def test_a_request_builds_a_file_not_built_ahead_and_says_so(
    world, login, client, settings, builds, monkeypatch, caplog
):
    """The worker is behind (the task not run yet): the first download builds the file, as
    before, and the log names the approval."""
    from prongsai.web.public import signals

    monkeypatch.setattr(signals, "_enqueue", lambda pk: None)
    approve_through_workflow(login, world["users"]["approver"], world["our_plan"])
    approval = Approval.objects.get()
    with caplog.at_level(logging.WARNING, logger="prongsai.web.public.documents"):
        r = download(client, "plan.pdf")
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    assert builds == [("plan", "pdf")]
    assert f"plan.pdf of approval {approval.pk} was not built ahead" in caplog.text
    caplog.clear()
    assert download(client, "plan.pdf").content == r.content and builds == [("plan", "pdf")]
    assert "not built ahead" not in caplog.text


def test_a_task_for_a_superseded_approval_builds_nothing(world, login, settings, builds, monkeypatch):
    """A worker far behind reaches an approval after the plan was approved again: only the newest
    approval's files are made (the older ones would never be served)."""
    from prongsai.web.public import signals

    plan = world["our_plan"]
    monkeypatch.setattr(signals, "_enqueue", lambda pk: None)
    approve_through_workflow(login, world["users"]["approver"], plan)
    first = Approval.objects.get()
    actions.bump_plan(plan)
    approve_through_workflow(login, world["users"]["approver"], plan)
    result = tasks.build_public_documents.enqueue(first.pk)
    assert result.return_value == {"skipped": "superseded"} and builds == []
    newest = Approval.objects.exclude(pk=first.pk).get()
    assert tasks.build_public_documents.enqueue(newest.pk).return_value["built"]
    assert len(builds) == 4


def test_a_failed_file_fails_the_task_and_the_rest_is_built(world, login, client, settings, monkeypatch):
    from prongsai.web.public import signals

    monkeypatch.setattr(signals, "_enqueue", lambda pk: None)
    approve_through_workflow(login, world["users"]["approver"], world["our_plan"])
    real = downloads.record_document

    def docx_breaks(record, kind, fmt, **kw):
        if fmt == "docx":
            raise OSError("disk full")
        return real(record, kind, fmt, **kw)

    monkeypatch.setattr(downloads, "record_document", docx_breaks)
    result = tasks.build_public_documents.enqueue(Approval.objects.get().pk)
    assert result.status == "FAILED"
    assert "analysis.docx, plan.docx" in result.errors[0].traceback
    assert set(stored(settings, world["our_plan"])) == {"analysis.pdf", "plan.pdf"}
    monkeypatch.setattr(downloads, "record_document", real)
    r = download(client, "plan.docx")  # the request builds the one the worker could not
    assert r.status_code == 200 and "plan.docx" in stored(settings, world["our_plan"])


def test_the_command_fills_missing_files(world, login, client, settings, builds, monkeypatch, capsys):
    """An approval recorded before the files were built ahead: the command counts, then builds
    the missing files (of the newest approval only), and leaves stored ones alone."""
    from prongsai.web.public import signals

    plan = world["our_plan"]
    monkeypatch.setattr(signals, "_enqueue", lambda pk: None)
    approve_through_workflow(login, world["users"]["approver"], plan)
    actions.bump_plan(plan)
    approve_through_workflow(login, world["users"]["approver"], plan)  # a newer approval
    client.logout()
    first = download(client, "plan.pdf").content  # one file a citizen already asked for
    builds.clear()

    call_command("public_documents")
    assert "3 files missing" in capsys.readouterr().out and builds == []
    call_command("public_documents", "--rebuild")
    out = capsys.readouterr().out
    assert "tonyongmat 2569" in out and "3 files built, 0 failed" in out
    assert sorted(builds) == [("analysis", "docx"), ("analysis", "pdf"), ("plan", "docx")]
    made = stored(settings, plan)
    assert set(made) == {"analysis.pdf", "analysis.docx", "plan.pdf", "plan.docx"}
    assert made["plan.pdf"] == first
    newest = Approval.objects.order_by("-decided_at", "-pk").first()
    folders = {p.name for p in (settings.MEDIA_ROOT / STORE / str(plan.pk)).iterdir()}
    assert folders == {f"a{newest.pk}-v{newest.version}-" + p.split("-", 2)[2] for p in folders}

    builds.clear()
    for name in made:
        assert download(client, name).content == made[name]
    call_command("public_documents", "--rebuild")
    assert "0 files built, 0 failed" in capsys.readouterr().out and builds == []


def test_a_document_that_cannot_be_made_does_not_fail_the_task(world, login, client, settings, monkeypatch):
    """A record the documents service refuses (DocumentError, a 404 on the page too) is noted, not
    a failed task to retry; the other files are built."""
    from prongsai.documents.service import DocumentError
    from prongsai.web.public import signals

    monkeypatch.setattr(signals, "_enqueue", lambda pk: None)
    approve_through_workflow(login, world["users"]["approver"], world["our_plan"])
    real = downloads.record_document

    def no_analysis(record, kind, fmt, **kw):
        if kind == "analysis":
            raise DocumentError("no assessment to analyse")
        return real(record, kind, fmt, **kw)

    monkeypatch.setattr(downloads, "record_document", no_analysis)
    result = tasks.build_public_documents.enqueue(Approval.objects.get().pk)
    assert result.status == "SUCCESSFUL"
    assert result.return_value == {
        "built": ["plan.pdf", "plan.docx"],
        "refused": ["analysis.pdf", "analysis.docx"],
    }
    assert download(client, "analysis.pdf").status_code == 404
