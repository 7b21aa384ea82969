"""The isolation matrix: every URL of the project and every API path × every role × our agency's
objects and their agency's objects.

The URL set is read from the resolver when the tests are collected, so a page added tomorrow is in
the matrix tomorrow; a URL keyword this file cannot fill fails with a message saying so.

What must hold (never a 500 anywhere):
- anonymous: the login page (a redirect) for pages, 401 for the API; public pages are public;
- a user who is not a member of the agency that owns the object: 404 — overseers included, for
  every page of the agency itself — and the answer is the same as for an agency that does not
  exist (so it tells nothing); no measure title of that agency appears in any answer;
- members: 200/302/403/405 (and a form's 200/400/409/422 to an empty POST), as their role allows;
- oversight pages: overseers of the agency's province (or the country) only; never draft content;
- public pages: approved content only — a title changed after approval, or a plan never
  approved, never shows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import LocalePrefixPattern, RegexPattern, RoutePattern
from django.utils import timezone

from prongsai.interchange import load_document
from prongsai.web.agencies.models import Agency, ApiToken, Membership, OverseerGrant, Role, Unit
from prongsai.web.cycle import actions, links
from prongsai.web.cycle.models import (
    Approval,
    Decision,
    Evidence,
    LinkCheck,
    Measure,
    Memo,
    PlanStatus,
    ProgressEntry,
)
from prongsai.web.cycle.records import assessment_record, import_record, plan_record, save_published
from tests.conftest import DEMO, DEMO_DIR

pytestmark = pytest.mark.django_db

ROLES = [
    "editor",
    "contributor",
    "approver",
    "viewer",
    "other_editor",
    "province_overseer",
    "national_overseer",
    "outsider",
    "anonymous",
]
MEMBERS = {"ours": {"editor", "contributor", "approver", "viewer"}, "theirs": {"other_editor"}}
# Overseer grants: ours is in ตรัง, theirs in เลย.
OVERSEES = {"ours": {"province_overseer", "national_overseer"}, "theirs": {"national_overseer"}}
OVERSEERS = {"province_overseer", "national_overseer"}

# Not agency data, or not ours to judge here.
SKIP_NAMESPACES = {"admin"}
SKIP_NAMES = {
    "set_language",  # Django's i18n view
    "login",
    "logout",
    # Pages for people not logged in, owning nothing (tests/web/test_password_reset.py, test_team.py).
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "invitation_accept",
    "openapi-json",  # the API schema and docs are public by design (tests/web/test_api.py)
    "openapi-view",
    "docs-asset",
    "api-root",  # django-ninja's prefix marker, not an endpoint
}
SKIP_VIEWS = {"django.views.static.serve"}  # static and media in DEBUG
SKIP_PREFIXES = ("static/", "media/")

# Every measure title carries its agency's marker, so a leak is found whatever the page does to
# the text; what was changed after approval carries the draft marker too.
MARK = {"ours": "ISOOURS", "theirs": "ISOTHEIRS"}
DRAFT = "ISODRAFT"
DRAFT_TITLE = f"{DRAFT}-title {MARK['ours']}-changed มาตรการที่แก้หลังอนุมัติ"
DRAFT_RESULT = f"{DRAFT}-result ผลการดำเนินงานที่รายงานหลังอนุมัติ"
NO_AGENCY = "no-such-agency-x"
# A 1×1 PNG (the agency's emblem in the world).
_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de"
    "0000000c4944415408d763f8cfc000000301010018dd8db00000000049454e44ae426082"
)
MEMBER_GET = {200, 302, 403, 405}
MEMBER_WRITE = {200, 201, 302, 400, 403, 405, 409, 422}  # an empty form or body may be refused


# --- the URL set ------------------------------------------------------------------------------

_KEYWORD = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>")


@dataclass(frozen=True)
class Route:
    route: str  # 'a/<slug:agency>/plans/<int:year>/'
    name: str
    view: str
    regex: bool = False

    @property
    def keywords(self) -> list[str]:
        return [m.group("name") for m in _KEYWORD.finditer(self.route)]

    @property
    def area(self) -> str:
        if self.route.startswith("api/"):
            return "api"
        if self.route.startswith("p/"):
            return "public"
        if self.route.startswith("oversight/"):
            return "oversight"
        if {"agency", "slug"} & set(self.keywords):
            return "agency"
        return "site"

    @property
    def id(self) -> str:
        return self.name or self.route


def _walk(resolver: URLResolver, prefix: str = "", namespace: str | None = None):
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace or namespace
            if ns in SKIP_NAMESPACES:
                continue
            if isinstance(p.pattern, LocalePrefixPattern):
                part = ""  # the default language has no prefix
            elif isinstance(p.pattern, RegexPattern):
                part = p.pattern.regex.pattern.lstrip("^").rstrip("$")
            else:
                part = str(p.pattern)
            yield from _walk(p, prefix + part, ns)
        elif isinstance(p, URLPattern):
            regex = not isinstance(p.pattern, RoutePattern)
            part = p.pattern.regex.pattern if regex else str(p.pattern)
            yield Route(prefix + part, p.name or "", p.lookup_str, regex)


def _routes() -> list[Route]:
    seen: dict[str, Route] = {}
    for r in _walk(get_resolver()):
        if r.name in SKIP_NAMES or r.view in SKIP_VIEWS or r.route.startswith(SKIP_PREFIXES):
            continue
        seen.setdefault(r.route, r)  # the API answers GET and PUT of one path with two patterns
    return list(seen.values())


ROUTES = _routes()


# --- the world: built once for the module, each test rolled back to it -------------------------


@dataclass
class Side:
    agency: Agency
    year: int
    plan: object
    measure: object
    evidence: Evidence
    check: LinkCheck
    job: object | None
    token: object  # an API token of the side's editor: a person's object, not the agency's
    marker: str  # in every measure title of the agency (live and approved)
    unapproved: str  # in what must never show on a public or oversight page


def _fill_values(side: Side) -> dict[str, str]:
    return {
        "agency": side.agency.slug,
        "slug": side.agency.slug,
        "year": str(side.year),
        "measure": str(side.measure.pk),
        "measure_id": str(side.measure.pk),
        "evidence": str(side.evidence.pk),
        "check": str(side.check.pk),
        "job": str(side.job.pk) if side.job else "",
        "token": str(side.token.pk),
        "province": side.agency.province,
        "kind": "plan",  # documents service kind; fastest format below
        "fmt": "html",
    }


FILLABLE = {
    *("agency", "slug", "year", "measure", "measure_id", "evidence", "check", "job", "province", "token")
}
# Keywords naming an object one person owns (their API tokens): only that person may act on it.
PERSONAL = {"token"}
OWNERS = {"ours": "editor", "theirs": "other_editor"}
# Keywords naming an object one agency owns.
OWNED = {"agency", "slug", "measure", "measure_id", "evidence", "check", "job"}
FIXED = {"kind", "fmt"}


def _unfillable(route: Route) -> list[str]:
    if route.regex:
        return [f"regex pattern {route.route!r}"]
    return [k for k in route.keywords if k not in FILLABLE | FIXED]


def _fill(route: Route, values: dict[str, str]) -> str:
    return "/" + _KEYWORD.sub(lambda m: values[m.group("name")], route.route)


def _copy_assessment(agency: Agency, year: int) -> None:
    """A year with both an assessment and a plan, so every ``year`` URL has something to show."""
    if agency.assessments.filter(fiscal_year=year).exists():
        return
    latest = assessment_record(agency.assessments.order_by("-fiscal_year").first())
    data = latest.model_dump(
        mode="json", exclude={"fiscal_year", "stated_changes", "notes"}, exclude_defaults=True
    )
    save_published(agency, type(latest).model_validate({**data, "fiscal_year": year}))


def _import_job(agency: Agency, user, doc) -> object | None:
    from prongsai.web.imports.models import ImportJob, JobStatus

    return ImportJob.objects.create(
        agency=agency,
        uploaded_by=user,
        file_name="report.txt",
        size=4,
        data=b"text",
        status=JobStatus.DONE,
        method="text",
        text="รายงาน",
        draft=doc.model_dump(mode="json"),
        finished_at=timezone.now(),
    )


def _build_world() -> dict:
    ours = Agency.objects.create(
        name="เทศบาลตำบลต้นหยงมัส", slug="tonyongmat", type="เทศบาลตำบล", district="เมือง", province="ตรัง"
    )
    theirs = Agency.objects.create(
        name="เทศบาลตำบลศรีสังคราม", slug="srisongkhram", type="เทศบาลตำบล", district="วังสะพุง", province="เลย"
    )
    for agency in (ours, theirs):
        for name in ("สำนักปลัด", "กองคลัง", "กองช่าง"):
            Unit.objects.create(agency=agency, name=name)
    our_doc, their_doc = load_document(DEMO), load_document(DEMO_DIR / "srisongkhram.json")
    plans = {"ours": import_record(ours, our_doc), "theirs": import_record(theirs, their_doc)}
    for key, plan in plans.items():
        for m in plan.measures.all():
            Measure.objects.filter(pk=m.pk).update(title=f"{m.title} [{MARK[key]}-{m.position}]")
    users = {r: User.objects.create_user(r) for r in ROLES if r != "anonymous"}
    finance = ours.units.get(name="กองคลัง")
    Membership.objects.create(user=users["editor"], agency=ours, role=Role.EDITOR)
    Membership.objects.create(user=users["contributor"], agency=ours, role=Role.CONTRIBUTOR, unit=finance)
    Membership.objects.create(user=users["approver"], agency=ours, role=Role.APPROVER)
    Membership.objects.create(user=users["viewer"], agency=ours, role=Role.VIEWER)
    Membership.objects.create(user=users["other_editor"], agency=theirs, role=Role.EDITOR)
    OverseerGrant.objects.create(user=users["province_overseer"], province="ตรัง")
    OverseerGrant.objects.create(user=users["national_overseer"], province="")

    # Ours: approved, then changed — the public sees the approved version, nobody outside sees the
    # change. Theirs: a draft that was never approved.
    plan = plans["ours"]
    first = plan.measures.order_by("position", "pk").first()
    first.units.set([finance])
    Approval.objects.create(
        plan=plan,
        version=plan.content_version,
        decision=Decision.APPROVED,
        approver=users["approver"],
        approver_name="นายสมชาย ใจดี",
        approver_position="นายกเทศมนตรีตำบลต้นหยงมัส",
        snapshot=plan_record(plan).model_dump(mode="json"),
    )
    plan.status = PlanStatus.APPROVED
    plan.approved_version = plan.content_version
    plan.save()
    actions.edit_measure(first, first.version, {"title": DRAFT_TITLE})
    ProgressEntry.objects.create(
        measure=first, as_of=timezone.localdate(), status="in_progress", result=DRAFT_RESULT
    )

    sides = {}
    for key, agency, doc, owner in (
        ("ours", ours, our_doc, users["editor"]),
        ("theirs", theirs, their_doc, users["other_editor"]),
    ):
        p = plans[key]
        _copy_assessment(agency, p.fiscal_year)
        measure = p.measures.order_by("position", "pk").first()
        Evidence.objects.create(
            measure=measure, kind="link", url="https://example.org/evidence", caption="ลิงก์", owner=owner
        )
        evidence = Evidence(measure=measure, kind="file", caption="หลักฐาน", owner=owner)
        evidence.file.save("evidence.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
        check = LinkCheck.objects.create(plan=p, finished=timezone.now(), total=0, done=0)
        # The agency's emblem (served to members only) and a memo of the plan.
        agency.emblem.save("emblem.png", ContentFile(_PNG), save=True)
        Memo.objects.create(plan=p, kind="plan", subject=f"{MARK[key]}-memo บันทึกข้อความ")
        sides[key] = Side(
            agency=agency,
            year=p.fiscal_year,
            plan=p,
            measure=measure,
            evidence=evidence,
            check=check,
            job=_import_job(agency, owner, doc),
            token=ApiToken.issue(owner, f"{MARK[key]}-token")[0],
            marker=MARK[key],
            unapproved=DRAFT if key == "ours" else MARK[key],  # theirs was never approved
        )
    return {"users": users, "sides": sides}


@pytest.fixture(scope="module")
def iso(django_db_setup, django_db_blocker, tmp_path_factory):
    """Like TestCase.setUpTestData: the world inside an outer transaction that is rolled back
    at the end; each test runs in a savepoint inside it. Evidence files go to a temporary folder."""
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            world = _build_world()
            cache.clear()  # public pages cache by approval id: start clean
            yield world
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            cache.clear()


@pytest.fixture(autouse=True)
def _no_network(monkeypatch):
    """A link check started by an empty POST must not reach the network."""
    monkeypatch.setattr(links, "fetch_status", lambda url: (True, 200, ""))


# --- the cases --------------------------------------------------------------------------------


def _sides(route: Route) -> list[str]:
    return ["ours", "theirs"] if set(route.keywords) & FILLABLE else ["-"]


CASES = [
    pytest.param(route, role, side, id=f"{route.id}-{role}-{side}")
    for route in ROUTES
    for side in _sides(route)
    for role in ROLES
]


def test_every_url_keyword_can_be_filled():
    missing = {r.route: _unfillable(r) for r in ROUTES if _unfillable(r)}
    assert not missing, (
        "URL keywords the isolation matrix cannot fill (use the shared names agency, year, measure, "
        f"evidence, check, or add a filler in tests/web/test_isolation.py _fill_values): {missing}"
    )


def test_the_matrix_sees_the_areas():
    areas = {r.area for r in ROUTES}
    assert {"api", "agency"} <= areas, areas
    assert any(r.route == "api/agencies/<slug>/assessments/<year>" for r in ROUTES)


def _client(iso, role: str) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(iso["users"][role])
    return client


def _api_client(iso, role: str) -> Client:
    if role == "anonymous":
        return Client()
    _, raw = ApiToken.issue(iso["users"][role], "isolation")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def _request(client: Client, method: str, url: str):
    try:
        if method == "GET":
            return client.get(url)
        if method == "POST":
            return client.post(url)
        return client.generic(method, url, b"", content_type="application/json")
    except Exception as exc:  # the test client re-raises the view's exception: a 500
        pytest.fail(f"{method} {url}: server error (500): {exc!r}")


def _text(response) -> str:
    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    return content.decode("utf-8", errors="replace")


def _leaks(text: str, marker: str) -> list[str]:
    """The marked titles (or texts) in an answer, whatever the escaping."""
    return sorted(set(re.findall(re.escape(marker) + r"[-\w]*", text)))


def _login_redirect(response) -> bool:
    return response.status_code == 302 and "/login/" in response.headers.get("Location", "")


@pytest.mark.parametrize(("route", "role", "side"), CASES)
def test_isolation(iso, route: Route, role: str, side: str):
    missing = _unfillable(route)
    if missing:
        pytest.fail(
            f"{route.route!r} ({route.name}): cannot fill {missing}; use the shared URL keyword names "
            "or add a filler in tests/web/test_isolation.py _fill_values"
        )
    sides = iso["sides"]
    s = sides.get(side)
    values = _fill_values(s) if s else {}
    if s and "job" in route.keywords and s.job is None:
        pytest.fail(f"{route.route!r}: no import job model to fill 'job'")
    url = _fill(route, values)
    nowhere = _fill(route, {**values, "agency": NO_AGENCY, "slug": NO_AGENCY}) if s else None
    owned = bool(set(route.keywords) & OWNED)
    member = bool(s) and role in MEMBERS[side]
    methods = ["GET", "POST", "PUT"] if route.area == "api" else ["GET", "POST"]
    client = _api_client(iso, role) if route.area == "api" else _client(iso, role)
    where = f"{route.route} as {role} on {side}"

    for method in methods:
        r = _request(client, method, url)
        got = r.status_code
        ctx = f"{method} {url} ({where}): got {got}"
        assert got < 500, ctx
        text = _text(r)

        # Nothing of an agency the user does not belong to; on public and oversight pages nothing
        # unapproved, whoever asks.
        for key, other in sides.items():
            if route.area in ("public", "oversight"):
                leaked = _leaks(text, other.unapproved)
            elif role not in MEMBERS[key]:
                leaked = _leaks(text, other.marker)
            else:
                continue
            assert not leaked, f"{ctx}; shows {key}'s measure titles: {leaked[:3]}"

        if route.area == "public":
            assert got in (200, 404, 405, 302), ctx
            continue

        if got == 405 and not (owned and not member and role != "anonymous"):
            continue  # the view does not take this method (for a non-member: checked below)

        if role == "anonymous":
            if route.area == "api":
                assert got == 401, f"{ctx}, expected 401"
            else:
                assert _login_redirect(r) or got == 405, f"{ctx}, expected a redirect to the login page"
            continue

        if route.area == "api" and not owned:
            # /api/agencies lists the caller's own; /api/overview is for overseers only.
            if "overview" in route.route:
                expected = {200} if role in OVERSEERS else {403}
                if method != "GET":
                    expected = {405}
            else:
                expected = {200} if method == "GET" else {405}
            assert got in expected, f"{ctx}, expected {sorted(expected)}"
            continue

        if route.area == "oversight":
            in_scope = role in OVERSEERS and (not s or role in OVERSEES[side])
            if method == "GET":
                expected = {200} if in_scope else {403, 404}
            else:
                expected = {405, 403} | ({200, 302} if in_scope else {404})
            assert got in expected, f"{ctx}, expected {sorted(expected)}"
            continue

        if set(route.keywords) & PERSONAL:
            # Another person's token: not found, whoever asks (their agency's editor included).
            mine = role == OWNERS[side]
            expected = {200, 302, 405} if mine else {404, 405}
            assert got in expected, f"{ctx}, expected one of {sorted(expected)} (owner: {OWNERS[side]})"
            continue

        if route.area == "site" or not owned:
            # 400: an empty POST to a form that answers its errors so (the token page).
            assert got in ((200, 302, 403, 405) if method == "GET" else (200, 302, 400, 403, 405)), ctx
            continue

        # An agency's own pages and API records.
        if member:
            expected = MEMBER_GET if method == "GET" else MEMBER_WRITE
            assert got in expected, f"{ctx}, expected one of {sorted(expected)} for a member"
        else:
            # 404; or 405 (the view does not take the method) and 400/422 (an API body is checked
            # before anything is looked up), as long as an agency that does not exist gets the same.
            allowed = {404, 405} if method == "GET" else {400, 404, 405, 422}
            assert got in allowed, f"{ctx}, expected 404 (not a member of {s.agency.slug})"
            # And no different from an agency that does not exist.
            same = _request(client, method, nowhere).status_code
            assert got == same, f"{ctx}, but {same} for an agency that does not exist ({nowhere})"


def test_public_pages_show_the_approved_version_only(iso):
    """The approved titles are public; the change made after approval and the never-approved
    plan are not (checked on every public URL the resolver knows)."""
    public = [r for r in ROUTES if r.area == "public" and not _unfillable(r)]
    if not public:
        pytest.skip("no public pages yet")
    ours, theirs = iso["sides"]["ours"], iso["sides"]["theirs"]
    seen_approved = False
    for route in public:
        for side in ("ours", "theirs"):
            url = _fill(route, _fill_values(iso["sides"][side]))
            r = Client().get(url)
            assert r.status_code < 500, url
            text = _text(r)
            assert not _leaks(text, ours.unapproved), url
            assert not _leaks(text, theirs.unapproved), url
            seen_approved |= bool(_leaks(text, ours.marker))
    assert seen_approved, "no public page shows the approved measures of our agency"
