"""Overseer dashboards: the right counts for the overseer's scope, 404 for everyone else, and a
number of queries that does not grow with the number of agencies."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from prongsai.interchange.models import Assessment as RecordAssessment
from prongsai.thai.dates import fiscal_year_of
from prongsai.web.agencies.models import Agency
from prongsai.web.cycle import records
from prongsai.web.cycle.models import Approval, Decision, Measure, Plan, ProgressEntry
from prongsai.web.oversight import summary
from prongsai.web.oversight.models import AgencyYear

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


# --- who is behind: the summary rows, the table, the exports --------------------------------------

TRANG = "ตรัง"


def _agency(slug: str, name: str, province: str = TRANG, kind: str = "เทศบาลตำบล", district: str = "เมือง"):
    return Agency.objects.create(name=name, slug=slug, type=kind, province=province, district=district)


def _plan(
    agency,
    year: int,
    *,
    overdue: int = 0,
    open_later: int = 0,
    done: int = 0,
    approved: bool = True,
    progress=False,
):
    """A plan of ``year`` with ``overdue`` measures past their date, ``open_later`` due in a month
    and ``done`` finished ones."""
    today = timezone.localdate()
    plan = Plan.objects.create(agency=agency, fiscal_year=year)
    specs = (
        [(today - dt.timedelta(days=10 + i), "in_progress") for i in range(overdue)]
        + [(today + dt.timedelta(days=30), "in_progress")] * open_later
        + [(today - dt.timedelta(days=40), "done")] * done
    )
    for i, (end, status) in enumerate(specs):
        m = Measure.objects.create(plan=plan, position=i, title=f"มาตรการ {i}", period_end=end, status=status)
        if progress and i == 0:
            ProgressEntry.objects.create(measure=m, as_of=today, status=status)
    if approved:
        approve(plan, timezone.now())
        plan.status = "approved"
        plan.save()
    return plan


def _row(slug: str, year: int) -> AgencyYear:
    return AgencyYear.objects.get(agency__slug=slug, fiscal_year=year)


def test_summary_row_follows_a_progress_entry_recorded_through_the_page(world, login, committed):
    """The row changes when the editor records progress: the receivers' task runs on commit."""
    plan = world["our_plan"]
    row = _row("tonyongmat", 2569)
    measure = next(m for m in plan.measures.order_by("position", "pk") if m.status != "done" and m.overdue)
    assert row.measures == plan.measures.count() and row.overdue == len(plan.overdue_measures()) > 0
    editor = login(world["users"]["editor"])
    today = timezone.localdate()
    with committed():
        r = editor.post(
            reverse("measure_progress", kwargs={"agency": "tonyongmat", "measure": measure.pk}),
            {"as_of": today.isoformat(), "status": "done", "result": "ดำเนินการครบ"},
        )
    assert r.status_code == 302
    after = _row("tonyongmat", 2569)
    assert (after.done, after.open, after.overdue) == (row.done + 1, row.open - 1, row.overdue - 1)
    assert after.last_progress == today and after.computed_at > row.computed_at
    assert after.overdue == len(Plan.objects.get(pk=plan.pk).overdue_measures())


def test_rows_follow_plans_measures_approvals_and_agencies(world, committed):
    a = _agency("t-follow", "เทศบาลตำบลติดตาม")
    with committed():
        plan = _plan(a, 2569, overdue=2, done=1, approved=False)
    row = _row("t-follow", 2569)
    assert (row.plan_status, row.measures, row.done, row.overdue, row.measures_published) == (
        "draft",
        3,
        1,
        2,
        False,
    )
    assert row.done_share == pytest.approx(100 / 3)
    with committed():
        approve(plan, timezone.now())
    assert _row("t-follow", 2569).measures_published
    with committed():
        plan.measures.filter(status="in_progress").first().delete()
    assert _row("t-follow", 2569).overdue == 1
    with committed():
        a.name = "เทศบาลตำบลติดตามผล"
        a.save()
    assert set(AgencyYear.objects.filter(agency=a).values_list("name", flat=True)) == {"เทศบาลตำบลติดตามผล"}
    with committed():
        plan.delete()
    row = _row("t-follow", 2569)
    assert (row.plan_status, row.measures, row.measures_published) == ("", 0, False)
    # A year nobody had yet: every agency gets its row (the others have no plan).
    with committed():
        _plan(a, 2571, open_later=1)
    assert AgencyYear.objects.filter(fiscal_year=2571).count() == Agency.objects.count()
    assert _row("tonyongmat", 2571).plan_status == ""


def test_trend_is_against_the_previous_years_result(world):
    row = _row("tonyongmat", 2568)
    assert row.overall == pytest.approx(93.96)
    assert row.previous_overall is not None
    assert row.trend == pytest.approx(round(row.overall - row.previous_overall, 2))


def test_behind_rules_at_their_boundaries(world):
    """Rule 1: an overdue measure; rule 2: open measures and more than 90 days without progress;
    rule 3: measures not published after 31 December of the fiscal year."""
    year = 2570
    deadline = summary.publish_deadline(year)
    assert deadline == dt.date(2026, 12, 31)
    base = dict(fiscal_year=year, publish_deadline=deadline, measures_published=True)
    day = dt.date(2027, 3, 1)
    assert summary.reasons(AgencyYear(**base, overdue=1), day) == ["overdue"]
    # A due day passed since the row was computed counts too (the stored count is older).
    assert summary.reasons(AgencyYear(**base, next_due=day - dt.timedelta(days=1)), day) == ["overdue"]
    assert summary.reasons(AgencyYear(**base, next_due=day), day) == []
    quiet = AgencyYear(**base, open=2, quiet_since=day - dt.timedelta(days=90))
    assert summary.reasons(quiet, day) == []
    quiet.quiet_since -= dt.timedelta(days=1)
    assert summary.reasons(quiet, day) == ["quiet"]
    quiet.open = 0
    assert summary.reasons(quiet, day) == []  # nothing left to do
    unpublished = AgencyYear(**{**base, "measures_published": False})
    assert summary.reasons(unpublished, deadline) == []
    assert summary.reasons(unpublished, deadline + dt.timedelta(days=1)) == ["unpublished"]
    # The SQL rule is the same rule.
    a = _agency("t-rule", "เทศบาลตำบลกฎ")
    rows = [
        AgencyYear(agency=a, name="x", slug="x", province="x", computed_at=timezone.now(), **base, overdue=1),
        AgencyYear(
            agency=world["ours"],
            name="y",
            slug="y",
            province="y",
            computed_at=timezone.now(),
            **{**base, "measures_published": False},
        ),
    ]
    AgencyYear.objects.bulk_create(rows)
    behind = AgencyYear.objects.filter(fiscal_year=year).filter(summary.behind_q(deadline))
    assert [r.slug for r in behind] == ["x"]
    behind = AgencyYear.objects.filter(fiscal_year=year).filter(
        summary.behind_q(deadline + dt.timedelta(days=1))
    )
    assert sorted(r.slug for r in behind) == ["x", "y"]


YEAR = fiscal_year_of(timezone.localdate())  # the plans under way


@pytest.fixture
def province_of_60(world):
    """60 agencies more in ตรัง with approved plans of this fiscal year and progress recorded
    today: every fifth with overdue measures (1-3), the rest on track; two types, two districts."""
    made = []
    for i in range(60):
        a = _agency(
            f"t{i:02d}",
            f"{'อบต.' if i % 2 else 'ทต.'}ทดสอบ {i:02d}",
            kind="องค์การบริหารส่วนตำบล" if i % 2 else "เทศบาลตำบล",
            district="ห้วยยอด" if i % 3 == 0 else "เมือง",
        )
        _plan(a, YEAR, overdue=(i // 5) % 3 + 1 if i % 5 == 0 else 0, open_later=2, done=i % 3, progress=True)
        made.append(a)
    summary.rebuild()
    return made


def test_table_sorts_filters_searches_and_pages(world, login, province_of_60):
    c = login(world["users"]["province_overseer"])
    url = reverse("oversight_province", kwargs={"province": TRANG, "year": YEAR})
    page = c.get(url)
    t = page.context["table"]
    assert t.total == 61 and len(t.rows) == 50 and t.page.paginator.num_pages == 2
    assert len(c.get(url, {"page": 2}).context["table"].rows) == 11
    # ต้นหยงมัส has no plan this year: behind once the publication deadline has passed.
    late = int(timezone.localdate() > summary.publish_deadline(YEAR))
    # The most behind first: overdue measures 3, 3, 3, 3, 2, ..., 1.
    t = c.get(url, {"sort": "-behind"}).context["table"]
    assert [r.overdue for r in t.rows[:12]] == [3] * 4 + [2] * 4 + [1] * 4
    assert all(r.reasons == ["overdue"] for r in t.rows[:12])
    assert bool(t.rows[12].reasons) == bool(late) and not t.rows[12 + late].reasons
    behind = c.get(url, {"status": "behind"}).context["table"]
    assert behind.total == 12 + late and all(r.reasons for r in behind.rows)
    assert c.get(url, {"status": "ok"}).context["table"].total == 49 - late
    assert c.get(url, {"q": "ทดสอบ 07"}).context["table"].total == 1
    assert c.get(url, {"q": "ต้นหยง"}).context["table"].rows[0].slug == "tonyongmat"
    assert c.get(url, {"type": "องค์การบริหารส่วนตำบล"}).context["table"].total == 30
    assert c.get(url, {"district": "ห้วยยอด"}).context["table"].total == 20
    assert c.get(url, {"level": "-"}).context["table"].total == 61  # no result of this year yet
    assert c.get(url, {"status": "no_measures"}).context["table"].total == 1  # ต้นหยงมัส
    t = c.get(url, {"sort": "done"}).context["table"]
    shares = [r.done_share for r in t.rows if r.done_share is not None]
    assert shares == sorted(shares) and t.rows[-1].done_share is not None
    t = c.get(url, {"sort": "-overdue"}).context["table"]
    assert [r.overdue for r in t.rows[:4]] == [3] * 4
    # Unknown values never widen the list.
    assert c.get(url, {"type": "ไม่มีประเภทนี้"}).context["table"].total == 0
    assert c.get(url, {"sort": "'; drop"}).status_code == 200
    html = c.get(url).content.decode()
    assert 'id="behind-rule"' in html and "90 วัน" in html
    assert page.context["summary"].behind == 12 + late


def test_exports_hold_the_tables_rows(world, login, province_of_60):
    import csv
    import io

    from openpyxl import load_workbook

    c = login(world["users"]["province_overseer"])
    query = {"year": YEAR, "province": TRANG, "status": "behind", "sort": "-behind"}
    table_rows = (
        c.get(
            reverse("oversight_province", kwargs={"province": TRANG, "year": YEAR}),
            {"sort": "-behind", "status": "behind"},
        )
        .context["table"]
        .rows
    )
    x = c.get(reverse("oversight_export_xlsx"), query)
    assert x.status_code == 200 and x["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in x["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(x.content), read_only=True).active
    xrows = list(sheet.iter_rows(values_only=True))
    r = c.get(reverse("oversight_export_csv"), query)
    assert r.status_code == 200 and r.content.startswith("\ufeff".encode())
    crows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert xrows[0][0] == crows[0][0] == "หน่วยงาน" and len(xrows[0]) == len(crows[0]) == 20
    names = [row.name for row in table_rows]
    late = int(timezone.localdate() > summary.publish_deadline(YEAR))
    assert [row[0] for row in xrows[1:]] == [row[0] for row in crows[1:]] == names and len(names) == 12 + late
    first = table_rows[0]
    head = list(xrows[0])
    assert xrows[1][head.index("เลยกำหนด")] == first.overdue == int(crows[1][head.index("เลยกำหนด")]) == 3
    assert xrows[1][head.index("ล่าช้า")] == "ใช่" and "เลยกำหนด" in xrows[1][head.index("เหตุที่ล่าช้า")]
    assert xrows[1][head.index("ปีงบประมาณ (พ.ศ.)")] == YEAR
    # Dates as people read them: Buddhist Era.
    progress = [row[head.index("ความก้าวหน้าล่าสุด")] for row in xrows[1:] if row[head.index("ความก้าวหน้าล่าสุด")]]
    assert all(
        str(timezone.localdate().year + 543) in p or str(timezone.localdate().year + 542) in p
        for p in progress
    )
    # Outside the overseer's scope: nothing.
    other = c.get(reverse("oversight_export_csv"), {"year": 2567, "province": "เลย"})
    assert len(list(csv.reader(io.StringIO(other.content.decode("utf-8-sig"))))) == 1


def test_province_overseer_lands_on_the_province_page(world, client):
    from tests.web.conftest import PASSWORD

    r = client.post(reverse("login"), {"username": "province_overseer", "password": PASSWORD}, follow=True)
    assert r.redirect_chain[-1][0] == reverse("oversight_province", kwargs={"province": TRANG, "year": 2569})
    assert r.status_code == 200 and "ยังไม่ได้เป็นสมาชิก" not in r.content.decode()
    client.logout()
    r = client.post(reverse("login"), {"username": "national_overseer", "password": PASSWORD}, follow=True)
    assert r.redirect_chain[-1][0] == reverse("oversight_home")
    client.logout()
    r = client.post(reverse("login"), {"username": "editor", "password": PASSWORD}, follow=True)
    assert r.redirect_chain[-1][0] == reverse("agency_dashboard", kwargs={"agency": "tonyongmat"})


def test_national_page_drills_down_and_charts(world, login):
    c = login(world["users"]["national_overseer"])
    page = c.get(reverse("oversight_home"), {"year": 2568})
    html = page.content.decode()
    province_url = reverse("oversight_province", kwargs={"province": TRANG, "year": 2568})
    assert f'href="{province_url}"' in html
    assert html.count("<svg") == 2 and "<script" not in html.split("</header>")[-1].split("<footer")[0]
    province = c.get(province_url).content.decode()
    assert reverse("oversight_agency", kwargs={"agency": "tonyongmat"}) in province
    agency = c.get(reverse("oversight_agency", kwargs={"agency": "tonyongmat"}))
    # Back up to the province, at the agency's newest year (its plan of 2569).
    back = reverse("oversight_province", kwargs={"province": TRANG, "year": 2569})
    assert agency.status_code == 200 and back in agency.content.decode()
    # Its years with a plan or a result, and this fiscal year's (no plan yet); not every year known.
    shown = [r.fiscal_year for r in agency.context["years"]]
    assert shown == sorted(
        {2569, 2568, 2567, fiscal_year_of(timezone.localdate())} & set(shown), reverse=True
    )
    assert 2569 in shown and 2568 in shown


def test_rebuild_command_and_stale_rows(world, capsys):
    from django.core.management import call_command

    AgencyYear.objects.all().delete()
    call_command("oversight_rebuild")
    assert AgencyYear.objects.count() == Agency.objects.count() * len(summary.known_years())
    # A row whose next due day has passed is recomputed by --stale.
    row = _row("tonyongmat", 2569)
    AgencyYear.objects.filter(pk=row.pk).update(overdue=0, next_due=dt.date(2000, 1, 1))
    call_command("oversight_rebuild", "--stale")
    assert _row("tonyongmat", 2569).overdue == len(world["our_plan"].overdue_measures())
    assert "rows in" in capsys.readouterr().out


def test_agencies_written_in_bulk_get_their_rows_when_a_page_is_read(world, login):
    """load_demo and restores write agencies without signals: the page queues the year's rebuild."""
    Agency.objects.bulk_create(
        [
            Agency(name=f"อบต.นำเข้า {i}", slug=f"bulk{i}", type="องค์การบริหารส่วนตำบล", province=TRANG)
            for i in range(3)
        ]
    )
    assert not AgencyYear.objects.filter(slug__startswith="bulk").exists()
    c = login(world["users"]["national_overseer"])
    assert c.get(reverse("oversight_home"), {"year": 2569}).status_code == 200
    assert AgencyYear.objects.filter(slug__startswith="bulk", fiscal_year=2569).count() == 3
    page = c.get(reverse("oversight_home"), {"year": 2569})
    assert page.context["summary"].agencies == Agency.objects.count()
