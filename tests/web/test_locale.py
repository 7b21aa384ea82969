"""English locale smoke test. The application is Thai first (Thai msgids); English comes from
prongsai/web/locale/en/LC_MESSAGES/django.po, compiled to django.mo by `make test` before pytest runs."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from prongsai.web.cycle.models import MeasureStatus
from prongsai.web.pages.forms_plans import MeasureForm

pytestmark = pytest.mark.django_db

LOCALE = Path(settings.LOCALE_PATHS[0])
PO = LOCALE / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


@pytest.fixture
def compiled_catalogue() -> Path:
    """The compiled English catalogue; without it Django silently falls back to the Thai msgids."""
    if not MO.is_file():
        pytest.fail(
            f"{MO} is missing: the English translations are not compiled. Run `make test`, or "
            "`python manage.py compilemessages --ignore=.venv` before pytest (compiled .mo files "
            "are not kept in git)."
        )
    return MO


def test_representative_strings_are_english(compiled_catalogue):
    with translation.override("en"):
        assert translation.gettext("ออกจากระบบ") == "Log out"
        assert str(MeasureStatus.IN_PROGRESS.label) == "In progress"
        assert str(MeasureForm.base_fields["period"].label) == "Implementation period"
    with translation.override("th"):
        assert translation.gettext("ออกจากระบบ") == "ออกจากระบบ"
        assert str(MeasureStatus.IN_PROGRESS.label) == "อยู่ระหว่างดำเนินการ"


def test_login_page_in_english_under_en_prefix(client, compiled_catalogue):
    response = client.get("/en/login/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    for english in ("Log in", "Username", "Password", "Language"):
        assert english in html, f"{english!r} missing from the English login page"
    for thai in ("เข้าสู่ระบบ", "ชื่อผู้ใช้", "รหัสผ่าน"):
        assert thai not in html, f"untranslated {thai!r} on the English login page"


def test_login_page_in_thai_without_prefix(client, compiled_catalogue):
    response = client.get("/login/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="th">' in html
    for thai in ("เข้าสู่ระบบ", "ชื่อผู้ใช้", "รหัสผ่าน"):
        assert thai in html
    assert "Username" not in html


def test_po_file_passes_msgfmt_check_format():
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("GNU gettext (msgfmt) is not installed")
    result = subprocess.run(
        [msgfmt, "--check-format", "--check-header", "-o", "/dev/null", str(PO)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, f"msgfmt --check-format failed for {PO}:\n{result.stderr}"
