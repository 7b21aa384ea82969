"""manage.py load_demo: the seeds with their users, N generated agencies (the benchmark's
national mode, small here), overseers; idempotent; --reset starts over."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from prongsai.demo import DEMO_DIR
from prongsai.interchange import load_document
from prongsai.ita.api import score_document
from prongsai.web.agencies.models import Agency, Membership, OverseerGrant, Role, Unit
from prongsai.web.cycle import records
from prongsai.web.cycle.models import (
    Approval,
    Assessment,
    Decision,
    IndicatorScore,
    Measure,
    Plan,
    PlanStatus,
    ProgressEntry,
)
from prongsai.web.demo import loader as demo

pytestmark = pytest.mark.django_db

MODELS = (Agency, Unit, Membership, User, OverseerGrant, Assessment, IndicatorScore, Plan, Measure)


@pytest.fixture
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in (*MODELS, ProgressEntry, Approval, Measure.units.through)}


@pytest.fixture
def loaded(fast_passwords, capsys):
    call_command("load_demo", "--national", "20")
    return capsys.readouterr().out


def test_seeds_users_and_overseers(loaded):
    assert "http://127.0.0.1:8000/" in loaded
    for username in ("editor003", "contributor003", "approver003", "viewer003", "overseer_national", "admin"):
        assert username in loaded
        assert User.objects.get(username=username).check_password("demo1234")
    assert set(Agency.objects.filter(slug__in=demo.SEED_SLUGS).values_list("slug", flat=True)) == set(
        demo.SEED_SLUGS
    )
    ton = Agency.objects.get(slug="tonyongmat")
    assert (ton.province, ton.type) == ("ตรัง", "เทศบาลตำบล")  # the seed prints no province: ours
    assert Agency.objects.get(slug="thungmaphrao").province == "ชุมพร"
    assert Agency.objects.get(slug="srisongkhram").province == "เลย"  # printed in the seed
    assert {"สำนักปลัด", "กองคลัง", "กองช่าง", "กองการศึกษา"} <= set(ton.units.values_list("name", flat=True))
    contributor = Membership.objects.get(user__username="contributor003")
    assert (contributor.agency, contributor.role, contributor.unit.name) == (ton, Role.CONTRIBUTOR, "กองคลัง")
    # Seed 003: its own 2567 and 2568 (as printed), and a generated history before them.
    years = dict(ton.assessments.values_list("fiscal_year", "overall"))
    assert set(years) == {2563, 2564, 2565, 2566, 2567, 2568}
    assert years[2568] == pytest.approx(93.96) and years[2567] == pytest.approx(99.76)
    plan = ton.plans.get(fiscal_year=2569)
    assert plan.measures.count() == 10 and plan.status == PlanStatus.APPROVED
    assert User.objects.get(username="admin").is_superuser
    assert OverseerGrant.objects.filter(user__username="overseer_national", province="").exists()


def test_generated_agencies(loaded):
    generated = Agency.objects.filter(slug__regex=r"^n[0-9]{5}$")
    assert generated.count() == 20
    assert len(demo.PROVINCES) == 77
    for a in generated:
        assert sorted(a.assessments.values_list("fiscal_year", flat=True)) == list(range(2563, 2570))
        plans = a.plans.all()
        assert {p.fiscal_year for p in plans} <= set(range(2564, 2571))
        assert len(plans) >= 6
        for p in plans:
            assert 8 <= p.measures.count() <= 12
    # Scored by the engine: every assessment has a level and ten indicator scores.
    assert not Assessment.objects.filter(level="").exists()
    assert not Assessment.objects.filter(overall__isnull=True).exists()
    assert IndicatorScore.objects.filter(assessment__agency__in=generated).count() == 20 * 7 * 10
    # Statuses and progress spread: several plan statuses, done and open measures, approvals.
    statuses = set(Plan.objects.filter(agency__in=generated).values_list("status", flat=True))
    assert {PlanStatus.APPROVED, PlanStatus.DRAFT} <= statuses
    assert set(Measure.objects.values_list("status", flat=True)) == {"done", "in_progress", "not_started"}
    assert Approval.objects.filter(plan__agency__in=generated, decision=Decision.APPROVED).count() > 20
    # Measures from the library, assigned to one of the agency's units.
    m = Measure.objects.filter(plan__agency__in=generated).first()
    assert m.library_id and m.units.get().agency_id == m.plan.agency_id


def test_snapshot_is_what_plan_record_reads(loaded):
    """The generated approval of an untouched approved plan is the record the workflow would take."""
    plans = Plan.objects.filter(agency__slug__startswith="n", status=PlanStatus.APPROVED).select_related(
        "agency"
    )
    checked = 0
    for plan in plans[:15]:
        if plan.approved_version != plan.content_version:
            continue
        latest = plan.approvals.filter(decision=Decision.APPROVED).order_by("-decided_at").first()
        assert latest.snapshot == records.plan_record(plan).model_dump(mode="json")
        checked += 1
    assert checked >= 5


def test_fast_engine_view_is_refresh(loaded):
    a = Assessment.objects.filter(agency__slug="n00003").order_by("fiscal_year").last()
    stored = (a.edition, a.overall, a.level, a.passed, a.findings)
    scores = dict(a.indicator_scores.values_list("indicator", "score"))
    records.refresh(a)
    a.refresh_from_db()
    assert (a.edition, a.overall, a.level, a.passed, a.findings) == stored
    assert dict(a.indicator_scores.values_list("indicator", "score")) == scores


def test_idempotent_and_reset(loaded, capsys):
    before = counts()
    password = User.objects.get(username="editor003").password
    call_command("load_demo", "--national", "20")
    assert "มีอยู่แล้ว" in capsys.readouterr().out
    assert counts() == before
    assert User.objects.get(username="editor003").password == password
    call_command("load_demo", "--reset", "--national", "20")
    assert counts() == before
    assert User.objects.get(username="editor003").password != password  # a new account


def test_demo_documents_are_read_from_the_repository_only(fast_passwords, monkeypatch):
    """A clone of the repository alone loads the demo: every document comes from prongsai/demo/."""
    read: list[Path] = []

    def recording(path, *args, **kwargs):
        read.append(Path(path).resolve())
        return load_document(path, *args, **kwargs)

    monkeypatch.setattr(demo, "load_document", recording)
    demo.Loader(out=lambda _: None).seeds()
    assert sorted(p.name for p in read) == sorted(f"{slug}.json" for slug in demo.SEED_SLUGS)
    assert {p.parent for p in read} == {DEMO_DIR}


def test_each_agency_shows_its_document(loaded):
    for slug in demo.SEED_SLUGS:
        doc = load_document(DEMO_DIR / f"{slug}.json")
        agency = Agency.objects.get(slug=slug)
        assert agency.name == doc.agency.name
        plan = agency.plans.get(fiscal_year=doc.report_fiscal_year)
        assert list(plan.measures.order_by("position").values_list("title", flat=True)) == [
            m.title for m in doc.measures
        ]
        assert plan.status == PlanStatus.APPROVED
        for a in doc.assessments:
            assert agency.assessments.get(fiscal_year=a.fiscal_year).overall == pytest.approx(a.overall)
    # The memo of ศรีสังคราม's report, with its signers.
    memo = Plan.objects.get(agency__slug="srisongkhram", fiscal_year=2564).memos.get()
    names = {memo.preparer_name, memo.checker_name, memo.executive_name}
    assert memo.ref_no == "ลย ๗๔๓๐๑/" and {"นางสาวสุภาพร ใจซื่อ", "นายวิชัย ทองดี"} <= names


# Paths of somebody's computer, photo placeholders left by a text extraction, English notes.
NOT_DEMO_TEXT = re.compile(r"[A-Za-z]:\\|/home/|/work/|/tmp/|\[image|inconsistencies|source")


@pytest.mark.parametrize("path", sorted(DEMO_DIR.glob("*.json")), ids=lambda p: p.stem)
def test_demo_document_is_valid_scored_and_clean(path):
    doc = load_document(path)
    scored = score_document(doc)
    assert scored, "every demo agency has an assessment to show"
    assert not [f for s in scored for f in s.findings if f.severity == "error"]
    assert not NOT_DEMO_TEXT.search(path.read_text(encoding="utf-8"))
