"""Overseer dashboards: the right counts for the overseer's scope, 404 for everyone else, and a
number of queries that does not grow with the number of agencies."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from prongsai.interchange.models import Assessment as RecordAssessment
from prongsai.web.agencies.models import Agency
from prongsai.web.cycle import records
from prongsai.web.cycle.models import Approval, Decision, Plan, ProgressEntry
from prongsai.web.oversight import summary

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_figures(settings):
    """Figures computed on every request (they are cached for 5 minutes in the application, the
    list of years a minute)."""
    settings.PRONGSAI_OVERSIGHT_CACHE_SECONDS = 0
    cache.clear()


@pytest.fixture(autouse=True)
def rows(world):
    """The summary rows of the world, built once: the test's transaction never commits, so the
    receivers' on-commit tasks of the fixture's saves never ran."""
    summary.rebuild()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """What happens inside runs its on-commit hooks (the signal receivers' tasks) on leaving."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def approve(plan: Plan, when: dt.datetime) -> Approval:
    return Approval.objects.create(
        plan=plan,
        version=plan.content_version,
        decision=Decision.APPROVED,
        approver_name="นายก",
        decided_at=when,
        snapshot=records.plan_record(plan).model_dump(mode="json"),
    )


def test_not_overseers_get_404(world, login, client):
    for name in ("editor", "viewer", "approver", "other_editor", "outsider"):
        c = login(world["users"][name])
        assert c.get(reverse("oversight_home")).status_code == 404
        assert c.get(reverse("oversight_agency", kwargs={"agency": "tonyongmat"})).status_code == 404
        assert (
            c.get(reverse("oversight_province", kwargs={"province": "ตรัง", "year": 2568})).status_code == 404
        )
    client.logout()
    response = client.get(reverse("oversight_home"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_province_overseer_sees_only_the_province(world, login):
    c = login(world["users"]["province_overseer"])
    page = c.get(reverse("oversight_home"), {"year": 2568})
    assert page.status_code == 200
    s = page.context["summary"]
    assert s.agencies == 1 and s.assessed == 1  # ต้นหยงมัส only; ศรีสังคราม is in เลย
    assert s.passed == 1 and s.average == pytest.approx(93.96)
    assert [p["province"] for p in page.context["provinces"]] == ["ตรัง"]
    # The weakest indicators of ต้นหยงมัส 2568 (seed 003): 10 (80.00), then 9 (90.00).
    assert [w["indicator"] for w in s.weakest[:2]] == [10, 9]
    assert s.weakest[0]["average"] == pytest.approx(80.0)
    assert "ศรีสังคราม" not in page.content.decode()
    # Another province, another agency: not found.
    assert c.get(reverse("oversight_province", kwargs={"province": "เลย", "year": 2567})).status_code == 404
    assert c.get(reverse("oversight_agency", kwargs={"agency": "srisongkhram"})).status_code == 404
    assert c.get(reverse("oversight_agency", kwargs={"agency": "tonyongmat"})).status_code == 200


def test_publication_counts(world, login, committed):
    """Measures published = an approved plan; progress published = approved again on or after the
    first progress entry."""
    plan = world["our_plan"]
    c = login(world["users"]["national_overseer"])
    url = reverse("oversight_province", kwargs={"province": "ตรัง", "year": 2569})

    def summary():
        page = c.get(url)
        assert page.status_code == 200
        return page.context["summary"], page.content.decode()

    s, html = summary()
    assert (s.agencies, s.measures_published, s.progress_published) == (1, 0, 0)
    assert [a["slug"] for a in s.missing_measures] == ["tonyongmat"] and "ยังไม่เผยแพร่มาตรการ (1 แห่ง)" in html

    with committed():
        approve(plan, timezone.now() - dt.timedelta(days=30))
    s, _ = summary()
    assert (s.measures_published, s.progress_published) == (1, 0)  # its progress came after

    m = plan.measures.first()
    with committed():
        ProgressEntry.objects.create(
            measure=m, as_of=timezone.localdate() - dt.timedelta(days=10), status="in_progress"
        )
    s, _ = summary()
    assert (s.measures_published, s.progress_published) == (1, 0)  # the approval came before it

    with committed():
        approve(plan, timezone.now())
    s, html = summary()
    assert (s.measures_published, s.progress_published) == (1, 1)
    assert s.missing_progress == [] and "เผยแพร่ครบทุกหน่วยงาน" in html
    # Nationally: ศรีสังคราม has no plan for 2569 at all.
    page = c.get(reverse("oversight_home"), {"year": 2569, "status": "no_measures"})
    home = page.context["summary"]
    assert (home.agencies, home.measures_published, home.progress_published) == (2, 1, 1)
    assert [a.slug for a in page.context["table"].rows] == ["srisongkhram"]
    # A returned plan is not published.
    with committed():
        for a in Approval.objects.filter(plan=plan):
            a.decision = Decision.RETURNED
            a.save()
    s, _ = summary()
    assert (s.measures_published, s.progress_published) == (0, 0)


def test_agency_page_shows_results_and_plan_status_not_drafts(world, login):
    c = login(world["users"]["national_overseer"])
    plan = world["our_plan"]
    draft_title = plan.measures.first().title
    page = c.get(reverse("oversight_agency", kwargs={"agency": "tonyongmat"}))
    html = page.content.decode()
    assert "93.96" in html and "99.76" in html
    assert draft_title[:30] not in html  # never draft content
    assert [p["fiscal_year"] for p in page.context["plans"]] == [2569]
    assert page.context["plans"][0]["measures_ok"] is False


def _more_agencies(n: int) -> None:
    for i in range(n):
        a = Agency.objects.create(
            name=f"อบต.ทดสอบ {i}", slug=f"t{i}", type="องค์การบริหารส่วนตำบล", province="ตรัง"
        )
        records.save_published(
            a, RecordAssessment(fiscal_year=2568, indicators={str(k): 80 + i % 10 for k in range(1, 11)})
        )
        plan = Plan.objects.create(agency=a, fiscal_year=2569)
        if i % 2:
            approve(plan, timezone.now())


def test_queries_do_not_grow_with_agencies(world, login, django_assert_max_num_queries):
    c = login(world["users"]["national_overseer"])
    urls = [
        reverse("oversight_home") + "?year=2569",
        reverse("oversight_province", kwargs={"province": "ตรัง", "year": 2569}),
    ]
    for url in urls:
        c.get(url)  # warm the session and caches
    with django_assert_max_num_queries(2 * 20) as few:  # session, user, menus and ~10 aggregates each
        for url in urls:
            assert c.get(url).status_code == 200
    _more_agencies(12)
    summary.rebuild()
    with django_assert_max_num_queries(len(few.captured_queries)):
        for url in urls:
            page = c.get(url)
            assert page.status_code == 200
    assert page.context["summary"].agencies == 13
    assert page.context["summary"].measures_published == 6


def test_figures_are_cached_per_scope(world, login, settings, committed):
    settings.PRONGSAI_OVERSIGHT_CACHE_SECONDS = 300
    c = login(world["users"]["national_overseer"])
    url = reverse("oversight_province", kwargs={"province": "ตรัง", "year": 2569})
    assert c.get(url).context["summary"].measures_published == 0
    with committed():
        approve(world["our_plan"], timezone.now())
    assert c.get(url).context["summary"].measures_published == 0  # within five minutes
    # Another scope computes its own figures.
    other = login(world["users"]["province_overseer"])
    assert other.get(url).context["summary"].measures_published == 1
