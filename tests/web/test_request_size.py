"""Request size (issue 11, item 8): a body over PRONGSAI_MAX_REQUEST_BYTES is refused by its
Content-Length before Django reads any of it (a 300 MiB upload was written to disk first), in
Thai, as HTML for pages and JSON for the API; the deployment settings cap what is held in memory
and put temporary upload files where the cleanup sweeps them."""

from __future__ import annotations

import io
import json

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


class Exploding(io.RawIOBase):
    """A request body that fails the test if anything reads it."""

    def readable(self) -> bool:
        return True

    def readinto(self, b):
        raise AssertionError("the body was read")


def _post(client: Client, path: str, length: int):
    return client.generic(
        "POST",
        path,
        b"",
        # Set in the environment itself: the test client writes them only for a non-empty body.
        CONTENT_TYPE="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH=str(length),
        **{"wsgi.input": Exploding()},
    )


def test_an_announced_300_mib_upload_is_refused_unread(world, login):
    client = login(world["users"]["editor"])
    r = _post(client, reverse("import_upload", kwargs={"agency": world["ours"].slug}), 300 * 1024 * 1024)
    assert r.status_code == 413
    page = r.content.decode()
    assert "คำขอมีขนาดเกิน 100.0\xa0MB" in page and "กรุณาแบ่งไฟล์" in page


def test_the_api_answers_413_in_json(settings):
    settings.PRONGSAI_MAX_REQUEST_BYTES = 1000
    r = _post(Client(), "/api/agencies/tonyongmat/plans/2568/measures/1/progress", 1001)
    assert r.status_code == 413 and r["Content-Type"] == "application/json"
    body = json.loads(r.content)
    assert "1000 bytes" in body["error"] and "คำขอมีขนาดเกิน" in body["error_th"]


def test_a_body_within_the_limit_goes_through(world, login, settings):
    settings.PRONGSAI_MAX_REQUEST_BYTES = 10_000
    client = login(world["users"]["editor"])
    r = client.post("/i18n/setlang/", {"language": "th", "next": "/"})
    assert r.status_code == 302  # the middleware let it through to the view


def test_upload_settings_bound_memory_and_temp_files():
    assert django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 5 * 1024 * 1024
    assert django_settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= 5 * 1024 * 1024
    assert str(django_settings.FILE_UPLOAD_TEMP_DIR).startswith(str(django_settings.VAR))
    assert django_settings.MIDDLEWARE[0] == "prongsai.web.housekeeping.middleware.RequestSizeLimitMiddleware"
    assert 20 * 1024 * 1024 < django_settings.PRONGSAI_MAX_REQUEST_BYTES < 300 * 1024 * 1024
