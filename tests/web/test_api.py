"""The JSON API: token and session authentication, the same access rules as the pages, records in
the interchange format, errors as {"error", "error_th"}."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.utils import timezone

from prongsai.interchange import load_document
from prongsai.interchange.models import Assessment as RecordAssessment
from prongsai.interchange.models import Document
from prongsai.web.agencies.models import ApiToken
from prongsai.web.cycle.models import Assessment, Measure, ProgressEntry
from tests.conftest import DEMO

pytestmark = pytest.mark.django_db

OURS = "/api/agencies/tonyongmat"
THEIRS = "/api/agencies/srisongkhram"


@pytest.fixture
def api(world):
    """api(role) -> a client sending that role's bearer token (and no session)."""

    def as_(role: str) -> Client:
        _, raw = ApiToken.issue(world["users"][role], f"test {role}")
        return Client(headers={"Authorization": f"Bearer {raw}"})

    return as_


def _assert_error(response, status: int) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) >= {"error", "error_th"} and body["error"] and body["error_th"]
    return body


def _put(client: Client, url: str, data) -> object:
    return client.put(url, data=json.dumps(data), content_type="application/json")


def _seed_2568() -> RecordAssessment:
    return load_document(DEMO).assessment(2568)


# --- authentication -------------------------------------------------------------------------


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer nope"}, {"Authorization": "Token x"}])
def test_missing_or_invalid_token_is_401(world, headers):
    r = Client(headers=headers).get("/api/agencies")
    body = _assert_error(r, 401)
    assert "Bearer" in body["error"]


def test_token_of_an_inactive_user_is_401(world):
    user = world["users"]["editor"]
    _, raw = ApiToken.issue(user, "old")
    user.is_active = False
    user.save()
    _assert_error(Client(headers={"Authorization": f"Bearer {raw}"}).get("/api/agencies"), 401)


def test_token_records_last_use(world):
    token, raw = ApiToken.issue(world["users"]["viewer"], "cli")
    assert token.last_used is None
    assert Client(headers={"Authorization": f"Bearer {raw}"}).get("/api/agencies").status_code == 200
    token.refresh_from_db()
    assert token.last_used is not None


def test_wrong_token_is_401_even_with_a_session(world, login):
    client = login(world["users"]["editor"])
    _assert_error(client.get("/api/agencies", headers={"Authorization": "Bearer wrong"}), 401)


def test_session_is_accepted_and_unsafe_methods_need_csrf(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["users"]["editor"])
    assert client.get(f"{OURS}/assessments").status_code == 200
    r = _put(client, f"{OURS}/assessments/2568", _seed_2568().model_dump(mode="json"))
    body = _assert_error(r, 403)
    assert "CSRF" in body["error"]
    client.get("/api/docs")  # sets the CSRF cookie, as a page would
    token = client.cookies["csrftoken"].value
    r = client.put(
        f"{OURS}/assessments/2568",
        data=_seed_2568().model_dump_json(),
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert r.status_code == 200, r.content


def test_a_token_request_needs_no_csrf(api):
    r = _put(api("editor"), f"{OURS}/assessments/2568", _seed_2568().model_dump(mode="json"))
    assert r.status_code == 200, r.content


def test_a_token_acts_with_its_users_rights_in_the_audit_trail(world, api):
    from prongsai.web.cycle.models import Assessment

    _put(api("editor"), f"{OURS}/assessments/2568", _seed_2568().model_dump(mode="json"))
    latest = Assessment.history.filter(fiscal_year=2568, agency_id=world["ours"].pk).latest("history_date")
    assert latest.history_user == world["users"]["editor"]


# --- agencies ---------------------------------------------------------------------------------


def test_agencies_lists_only_the_callers_agencies(api):
    assert [a["slug"] for a in api("editor").get("/api/agencies").json()] == ["tonyongmat"]
    assert [a["slug"] for a in api("other_editor").get("/api/agencies").json()] == ["srisongkhram"]
    assert api("outsider").get("/api/agencies").json() == []
    # Overseers read the overview, not the agencies' own records.
    assert api("province_overseer").get("/api/agencies").json() == []
    assert {a["slug"] for a in api("admin").get("/api/agencies").json()} == {"tonyongmat", "srisongkhram"}


def test_agency_detail(api):
    r = api("contributor").get(OURS)
    assert r.status_code == 200
    body = r.json()
    assert body["role"] == "contributor" and body["province"] == "ตรัง"
    assert set(body["units"]) == {"สำนักปลัด", "กองคลัง", "กองช่าง"}
    assert [a["fiscal_year"] for a in body["assessments"]] == [2568, 2567]
    assert body["assessments"][0]["overall"] == 93.96 and body["assessments"][0]["level"] == "ผ่านดี"
    assert body["plans"][0]["fiscal_year"] == 2569 and body["plans"][0]["measures"] == 10
    assert body["plans"][0]["status"] == "draft"


@pytest.mark.parametrize("role", ["other_editor", "outsider", "province_overseer", "national_overseer"])
def test_another_agency_is_not_found(api, role):
    for path in ("", "/assessments", "/assessments/2568", "/plans/2569", "/plans/2569/measures", "/record"):
        _assert_error(api(role).get(OURS + path), 404)


def test_unknown_agency_and_year_are_404(api):
    _assert_error(api("editor").get("/api/agencies/nowhere"), 404)
    _assert_error(api("editor").get(f"{OURS}/assessments/2550"), 404)
    _assert_error(api("editor").get(f"{OURS}/plans/2550"), 404)
    _assert_error(api("editor").get(f"{OURS}/record?year=2550"), 404)


# --- assessments ------------------------------------------------------------------------------


def test_assessments_list_the_engines_view(api):
    body = api("viewer").get(f"{OURS}/assessments").json()
    assert [(a["fiscal_year"], a["level"], a["passed"]) for a in body] == [
        (2568, "ผ่านดี", True),
        (2567, "ผ่านดีเยี่ยม", True),
    ]


def test_assessment_round_trip_of_seed_003(world, api):
    editor = api("editor")
    original = _seed_2568()
    # Into a year of its own (a fresh row) and over the existing 2568: both read back equal.
    fresh = original.model_copy(update={"fiscal_year": 2566, "stated_changes": original.stated_changes})
    for record in (original, fresh):
        url = f"{OURS}/assessments/{record.fiscal_year}"
        r = _put(editor, url, record.model_dump(mode="json"))
        assert r.status_code == 200, r.content
        back = RecordAssessment.model_validate(editor.get(url).json())
        assert back == record
    assert world["ours"].assessments.filter(fiscal_year=2566).exists()


def test_put_answers_the_engines_scores_and_findings(api):
    record = _seed_2568().model_dump(mode="json")
    record["overall"] = 97.5  # not what the tools add up to
    r = _put(api("editor"), f"{OURS}/assessments/2568", record)
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["fiscal_year"] == 2568 and body["edition"] == 2568
    assert body["overall"] == 97.5  # the published one is kept ...
    assert body["computed"]["overall"] == pytest.approx(93.96, abs=0.01)  # ... the engine says otherwise
    codes = {f["code"] for f in body["findings"]}
    assert any(f["path"] == "overall" for f in body["findings"]), codes
    assert all(f["message_th"] and f["message_en"] for f in body["findings"])
    assert set(body["computed"]["indicators"]) == {str(i) for i in range(1, 11)}


@pytest.mark.parametrize("role", ["contributor", "approver", "viewer"])
def test_only_editors_put_assessments(api, world, role):
    before = world["ours"].assessments.get(fiscal_year=2568).published
    record = _seed_2568().model_dump(mode="json") | {"overall": 10}
    _assert_error(_put(api(role), f"{OURS}/assessments/2568", record), 403)
    assert world["ours"].assessments.get(fiscal_year=2568).published == before


@pytest.mark.parametrize("role", ["other_editor", "outsider", "national_overseer"])
def test_put_to_another_agency_is_404_and_changes_nothing(api, world, role):
    before = world["ours"].assessments.get(fiscal_year=2568).published
    _assert_error(_put(api(role), f"{OURS}/assessments/2568", _seed_2568().model_dump(mode="json")), 404)
    assert world["ours"].assessments.get(fiscal_year=2568).published == before


def test_an_invalid_score_is_refused_naming_the_field(api, world):
    before = world["ours"].assessments.get(fiscal_year=2568).published
    record = _seed_2568().model_dump(mode="json")
    record["indicators"]["3"] = 130
    body = _assert_error(_put(api("editor"), f"{OURS}/assessments/2568", record), 422)
    assert "indicators.3" in body["error"] and "indicators.3" in body["error_th"]
    assert body["fields"][0]["field"] == "indicators.3"
    assert world["ours"].assessments.get(fiscal_year=2568).published == before

    record = _seed_2568().model_dump(mode="json") | {"surprise": 1}
    body = _assert_error(_put(api("editor"), f"{OURS}/assessments/2568", record), 422)
    assert "surprise" in body["error"]


def test_a_year_that_disagrees_with_the_url_is_400(api):
    body = _assert_error(
        _put(api("editor"), f"{OURS}/assessments/2567", _seed_2568().model_dump(mode="json")), 400
    )
    assert "fiscal_year" in body["error"]


def test_malformed_json_is_refused(api):
    r = api("editor").put(f"{OURS}/assessments/2568", data="{not json", content_type="application/json")
    assert r.status_code in (400, 422)
    assert "error" in r.json()


# --- plans and progress -----------------------------------------------------------------------


def test_plan_is_the_interchange_document(api):
    r = api("approver").get(f"{OURS}/plans/2569")
    assert r.status_code == 200
    doc = Document.model_validate(r.json())
    seed = load_document(DEMO)
    assert doc.report_fiscal_year == 2569
    assert [m.title for m in doc.measures] == [m.title for m in seed.measures]
    assert [a.fiscal_year for a in doc.assessments] == [2567, 2568]


def test_measures_carry_ids_and_versions(api, world):
    body = api("viewer").get(f"{OURS}/plans/2569/measures").json()
    ids = list(world["our_plan"].measures.order_by("position", "pk").values_list("pk", flat=True))
    assert [m["id"] for m in body] == ids
    assert body[0]["units"] == ["กองคลัง"] and body[0]["version"] == 1


def _progress_url(measure: Measure) -> str:
    return f"{OURS}/plans/2569/measures/{measure.pk}/progress"


def test_contributor_reports_progress_of_their_units_measure(api, world):
    finance = world["finance"]
    first = world["our_plan"].measures.order_by("position", "pk").first()
    second = world["our_plan"].measures.exclude(units=finance).first()  # another unit's
    assert finance in first.units.all() and second is not None
    client = api("contributor")
    today = timezone.localdate().isoformat()  # the latest entry: the measure takes its status
    data = {"status": "in_progress", "result": "จัดประชุมแล้ว ๑ ครั้ง", "as_of": today}
    r = client.post(_progress_url(first), data=data, content_type="application/json")
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["entry"]["result"] == "จัดประชุมแล้ว ๑ ครั้ง" and body["entry"]["as_of"] == today
    assert body["measure"]["record"]["status"] == "in_progress"
    # Progress is not an edit of the measure: an editor's open form of it stays current.
    assert body["measure"]["version"] == 1
    first.refresh_from_db()
    assert first.status == "in_progress"
    entry = ProgressEntry.objects.get(pk=body["entry"]["id"])
    assert entry.author == world["users"]["contributor"] and entry.measure == first

    # Not a measure of their unit.
    _assert_error(client.post(_progress_url(second), data=data, content_type="application/json"), 403)
    assert not second.progress.filter(result=data["result"]).exists()


def test_editor_reports_progress_of_any_measure(api, world):
    last = world["our_plan"].measures.order_by("position", "pk").last()
    r = api("editor").post(_progress_url(last), data={"status": "done"}, content_type="application/json")
    assert r.status_code == 201, r.content
    assert (
        Document.model_validate(api("editor").get(f"{OURS}/plans/2569").json()).measures[-1].status == "done"
    )


@pytest.mark.parametrize("role", ["viewer", "approver"])
def test_readers_cannot_report_progress(api, world, role):
    first = world["our_plan"].measures.order_by("position", "pk").first()
    entries = first.progress.count()
    r = api(role).post(_progress_url(first), data={"status": "done"}, content_type="application/json")
    _assert_error(r, 403)
    first.refresh_from_db()
    assert first.version == 1 and first.progress.count() == entries


def test_progress_to_another_agencys_measure_is_404(api, world):
    theirs = world["their_plan"].measures.first()
    # Through our slug (the measure is not ours) and through theirs (we are not members).
    for url in (
        _progress_url(theirs),
        f"{THEIRS}/plans/{world['their_plan'].fiscal_year}/measures/{theirs.pk}/progress",
    ):
        r = api("editor").post(url, data={"status": "done"}, content_type="application/json")
        _assert_error(r, 404)
    theirs.refresh_from_db()
    assert theirs.version == 1


def test_progress_with_a_stale_version_is_409(api, world):
    from prongsai.web.cycle import actions

    first = world["our_plan"].measures.order_by("position", "pk").first()
    entries = first.progress.count()
    client = api("editor")
    ok = client.post(
        _progress_url(first),
        data={"status": "in_progress", "result": "เริ่มแล้ว", "version": 1},
        content_type="application/json",
    )
    assert ok.status_code == 201
    # Someone edits the measure after the client read version 1.
    actions.edit_measure(first, 1, {"steps": "ขั้นตอนที่แก้ไข"}, user=world["users"]["editor"])
    stale = client.post(
        _progress_url(first), data={"status": "done", "version": 1}, content_type="application/json"
    )
    body = _assert_error(stale, 409)
    assert "โปรดโหลดข้อมูลใหม่" in body["error_th"]
    first.refresh_from_db()
    assert first.status == "in_progress" and first.progress.count() == entries + 1
    # Without a version the client read nothing to protect: no spurious 409.
    r = client.post(_progress_url(first), data={"status": "done"}, content_type="application/json")
    assert r.status_code == 201


def test_progress_dated_in_the_future_is_refused(api, world):
    """Issue 11: 2099 would freeze the measure's status until then; the web form refuses it too."""
    first = world["our_plan"].measures.order_by("position", "pk").first()
    entries = first.progress.count()
    r = api("editor").post(
        _progress_url(first), data={"status": "done", "as_of": "2099-01-01"}, content_type="application/json"
    )
    body = _assert_error(r, 400)
    assert "ต้องไม่เกินวันนี้" in body["error_th"] and "future" in body["error"]
    assert first.progress.count() == entries


def test_assessment_put_bumps_the_version_and_refuses_a_stale_one(api, world):
    """Issue 11: a PUT did not bump the assessment's version, so a score form opened earlier
    overwrote it silently."""
    a = Assessment.objects.get(agency=world["ours"], fiscal_year=2568)
    v = a.version
    record = _seed_2568().model_dump(mode="json")
    r = _put(api("editor"), f"{OURS}/assessments/2568?version={v}", record)
    assert r.status_code == 200, r.content
    assert r.json()["version"] == v + 1
    a.refresh_from_db()
    assert a.version == v + 1
    stale = _put(api("editor"), f"{OURS}/assessments/2568?version={v}", record)
    body = _assert_error(stale, 409)
    assert "มีผู้อื่นบันทึกผลการประเมินปีนี้" in body["error_th"]
    a.refresh_from_db()
    assert a.version == v + 1


def test_progress_with_an_unknown_status_names_the_field(api, world):
    first = world["our_plan"].measures.order_by("position", "pk").first()
    r = api("editor").post(_progress_url(first), data={"status": "finished"}, content_type="application/json")
    body = _assert_error(r, 422)
    assert "status" in body["error"]


# --- whole record and overview ----------------------------------------------------------------


def test_record_is_the_whole_agency(api):
    doc = Document.model_validate(api("viewer").get(f"{OURS}/record").json())
    assert doc.agency.name == "เทศบาลตำบลต้นหยงมัส"
    assert [a.fiscal_year for a in doc.assessments] == [2567, 2568]
    assert len(doc.measures) == 10 and doc.report_fiscal_year == 2569


def test_overview_for_overseers(api, world):
    body = api("province_overseer").get("/api/overview/2568").json()
    assert body["fiscal_year"] == 2568
    assert [a["slug"] for a in body["agencies"]] == ["tonyongmat"]  # ตรัง only
    (row,) = body["agencies"]
    assert row["overall"] == 93.96 and row["level"] == "ผ่านดี" and row["passed"] is True
    assert row["plan_status"] is None  # no plan of 2568

    body = api("national_overseer").get("/api/overview/2569").json()
    rows = {a["slug"]: a for a in body["agencies"]}
    assert set(rows) == {"tonyongmat", "srisongkhram"}
    assert rows["tonyongmat"]["plan_status"] == "draft" and rows["tonyongmat"]["overall"] is None
    # Status only: nothing of a draft's content.
    text = json.dumps(body, ensure_ascii=False)
    assert all(m.title not in text for m in Measure.objects.all())


@pytest.mark.parametrize("role", ["editor", "viewer", "other_editor", "outsider"])
def test_overview_is_refused_to_non_overseers(api, role):
    _assert_error(api(role).get("/api/overview/2568"), 403)


# --- schema -----------------------------------------------------------------------------------


def test_openapi_schema_lists_every_path(world):
    r = Client().get("/api/openapi.json")
    assert r.status_code == 200
    schema = r.json()
    assert set(schema["paths"]) == {
        "/api/agencies",
        "/api/agencies/{slug}",
        "/api/agencies/{slug}/assessments",
        "/api/agencies/{slug}/assessments/{year}",
        "/api/agencies/{slug}/plans/{year}",
        "/api/agencies/{slug}/plans/{year}/measures",
        "/api/agencies/{slug}/plans/{year}/measures/{measure_id}/progress",
        "/api/agencies/{slug}/record",
        "/api/overview/{year}",
    }
    assert set(schema["paths"]["/api/agencies/{slug}/assessments/{year}"]) == {"get", "put"}
    schemes = schema["components"]["securitySchemes"]
    assert {s["type"] for s in schemes.values()} >= {"http", "apiKey"}
    # The interchange bounds are in the published schema.
    assessment = schema["components"]["schemas"]["Assessment"]
    assert "indicators" in assessment["properties"]


def test_docs_page_uses_no_cdn(world):
    client = Client()
    r = client.get("/api/docs")
    assert r.status_code == 200
    html = r.content.decode()
    assert "cdn" not in html.lower() and "https://" not in html
    for asset in ("swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-init.js"):
        assert f"/api/docs/assets/{asset}" in html
        res = client.get(f"/api/docs/assets/{asset}")
        assert res.status_code == 200 and b"".join(res.streaming_content)
    assert client.get("/api/docs/assets/..%2Fmain.py").status_code == 404
