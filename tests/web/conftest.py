"""Personas and two agencies for every web test: ours (with a plan, measures, units) and another
one in another province. Tests check both what a role may do here and that nothing of the other
agency is reachable."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache

from prongsai.interchange import load_document
from prongsai.web.agencies.models import Agency, Membership, OverseerGrant, Role, Unit
from prongsai.web.cycle.records import import_record
from tests.conftest import DEMO, DEMO_DIR

PASSWORD = "pass-1234-word"


def _user(username: str, **extra) -> User:
    return User.objects.create_user(username=username, password=PASSWORD, **extra)


@pytest.fixture(autouse=True)
def fresh_cache():
    """Each test starts with an empty cache, as a new server would: pages cache figures by scope
    and path (the overseer's list of years, a minute), and an earlier test's database is gone."""
    cache.clear()
    yield


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """PBKDF2 makes every login and user creation slow; tests need no real hashing strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db):
    """Two agencies with their plans, and one user per role."""
    ours = Agency.objects.create(
        name="เทศบาลตำบลต้นหยงมัส", slug="tonyongmat", type="เทศบาลตำบล", district="เมือง", province="ตรัง"
    )
    theirs = Agency.objects.create(
        name="เทศบาลตำบลศรีสังคราม", slug="srisongkhram", type="เทศบาลตำบล", district="วังสะพุง", province="เลย"
    )
    for agency in (ours, theirs):
        for name in ("สำนักปลัด", "กองคลัง", "กองช่าง"):
            Unit.objects.create(agency=agency, name=name)
    our_plan = import_record(ours, load_document(DEMO))
    their_plan = import_record(theirs, load_document(DEMO_DIR / "srisongkhram.json"))
    users = {
        "editor": _user("editor"),
        "contributor": _user("contributor"),
        "approver": _user("approver", first_name="นายสมชาย", last_name="ใจดี"),
        "viewer": _user("viewer"),
        "other_editor": _user("other_editor"),
        "province_overseer": _user("province_overseer"),
        "national_overseer": _user("national_overseer"),
        "admin": _user("admin", is_staff=True, is_superuser=True),
        "outsider": _user("outsider"),
    }
    finance = ours.units.get(name="กองคลัง")
    Membership.objects.create(user=users["editor"], agency=ours, role=Role.EDITOR)
    Membership.objects.create(user=users["contributor"], agency=ours, role=Role.CONTRIBUTOR, unit=finance)
    Membership.objects.create(user=users["approver"], agency=ours, role=Role.APPROVER)
    Membership.objects.create(user=users["viewer"], agency=ours, role=Role.VIEWER)
    Membership.objects.create(user=users["other_editor"], agency=theirs, role=Role.EDITOR)
    OverseerGrant.objects.create(user=users["province_overseer"], province="ตรัง")
    OverseerGrant.objects.create(user=users["national_overseer"], province="")
    # The contributor's unit (กองคลัง) owns the first measure, and those whose responsible text
    # names กองคลัง (import_record links units by name).
    first = our_plan.measures.order_by("position", "pk").first()
    first.units.add(finance)
    return {
        "ours": ours,
        "theirs": theirs,
        "our_plan": our_plan,
        "their_plan": their_plan,
        "users": users,
        "finance": finance,
    }


@pytest.fixture
def login(client):
    def as_(user: User):
        client.force_login(user)
        return client

    return as_
