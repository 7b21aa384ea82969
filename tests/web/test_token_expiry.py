"""API tokens expire (issue 11, item 9): 90 days unless chosen at creation, at most a year; an
expired token is refused with 401 and a message saying it expired (in Thai with its B.E. date);
the token list (admin, `manage.py api_token list`) shows the expiry in B.E."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from prongsai.thai.dates import local_day, thai_date
from prongsai.web.agencies.models import ApiToken, TokenExpiry

pytestmark = pytest.mark.django_db


def _get(raw: str):
    return Client(headers={"Authorization": f"Bearer {raw}"}).get("/api/agencies")


def test_a_token_lasts_ninety_days_by_default_and_up_to_a_year(world):
    user = world["users"]["viewer"]
    token, _ = ApiToken.issue(user, "cli")
    assert abs(token.expires - (timezone.now() + timedelta(days=90))) < timedelta(minutes=1)
    year, _ = ApiToken.issue(user, "long", days=365)
    assert year.expires - year.created > timedelta(days=364)
    for days in (0, 367, -5):
        with pytest.raises(TokenExpiry):
            ApiToken.issue(user, "bad", days=days)


def test_an_expired_token_is_refused_with_401_saying_so(world):
    token, raw = ApiToken.issue(world["users"]["viewer"], "cli", days=30)
    assert _get(raw).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires=timezone.now() - timedelta(seconds=1))
    r = _get(raw)
    assert r.status_code == 401
    body = r.json()
    assert body["code"] == "token_expired" and "expired" in body["error"]
    token.refresh_from_db()
    assert f"หมดอายุแล้วเมื่อ {thai_date(local_day(token.expires))}" in body["error_th"]
    assert "25" in body["error_th"]  # a B.E. year (25xx)
    # A token that never existed still gets the generic answer.
    assert "Bearer" in _get("ps_nothing").json()["error"]


def test_a_token_used_just_before_expiry_still_works(world):
    token, raw = ApiToken.issue(world["users"]["viewer"], "cli")
    ApiToken.objects.filter(pk=token.pk).update(expires=timezone.now() + timedelta(minutes=1))
    assert _get(raw).status_code == 200


def test_the_command_issues_lists_and_revokes_with_expiry_in_buddhist_era(world):
    out = StringIO()
    call_command("api_token", "issue", "viewer", "สคริปต์รายงาน", "--days", "30", stdout=out)
    raw, info = out.getvalue().splitlines()[:2]
    assert raw.startswith("ps_") and _get(raw).status_code == 200
    token = ApiToken.objects.get(name="สคริปต์รายงาน")
    be = thai_date(local_day(token.expires))
    assert f"หมดอายุ {be}" in info and str(local_day(token.expires).year + 543) in be
    listing = StringIO()
    call_command("api_token", "list", "viewer", stdout=listing)
    assert f"สคริปต์รายงาน\tหมดอายุ {be}" in listing.getvalue()
    with pytest.raises(CommandError):
        call_command("api_token", "issue", "viewer", "x", "--days", "400", stdout=StringIO())
    call_command("api_token", "revoke", str(token.pk), stdout=StringIO())
    assert _get(raw).status_code == 401


def test_the_admin_lists_tokens_with_expiry_in_buddhist_era(world, login):
    token, _ = ApiToken.issue(world["users"]["viewer"], "cli")
    expired, _ = ApiToken.issue(world["users"]["viewer"], "old")
    ApiToken.objects.filter(pk=expired.pk).update(expires=timezone.now() - timedelta(days=1))
    page = login(world["users"]["admin"]).get("/admin/agencies/apitoken/").content.decode()
    assert thai_date(local_day(token.expires)) in page
    assert "หมดอายุแล้ว" in page


def test_the_token_page_issues_with_a_chosen_lifetime_shows_expiry_in_be_and_revokes(world, login):
    from django.urls import reverse

    from prongsai.web.agencies.models import AuditAction, AuditEvent

    viewer = world["users"]["viewer"]
    client = login(viewer)
    r = client.post(reverse("api_tokens"), {"name": "สคริปต์ส่งคะแนน", "days": "365"})
    assert r.status_code == 200
    raw = r.context["raw"]
    assert raw.startswith("ps_") and raw in r.content.decode()
    token = ApiToken.objects.get(user=viewer)
    assert token.expires - token.created > timedelta(days=364)
    page = client.get(reverse("api_tokens")).content.decode()
    assert thai_date(local_day(token.expires)) in page and raw not in page  # shown once only
    assert client.post(reverse("api_tokens"), {"name": "x", "days": "400"}).status_code == 400  # over a year
    # Another person's token cannot be revoked from here.
    other, _ = ApiToken.issue(world["users"]["editor"], "ของคนอื่น")
    assert client.post(reverse("api_token_revoke", kwargs={"token": other.pk})).status_code == 404
    assert client.post(reverse("api_token_revoke", kwargs={"token": token.pk})).status_code == 302
    assert not ApiToken.objects.filter(pk=token.pk).exists() and _get(raw).status_code == 401
    revoked = AuditEvent.objects.get(action=AuditAction.TOKEN_REVOKED)
    assert revoked.actor == viewer and AuditEvent.objects.filter(action=AuditAction.TOKEN_ISSUED).count() == 2
