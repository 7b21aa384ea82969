"""Forgot-password (defect 14): linked from the login page, Django's reset views with Thai pages in
the site's look, the e-mail in Thai, a single-use link, and the site's password rules with Thai
messages (English through the catalogue)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import password_validation
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "สวนหลวง-ร.9-ITA"


@pytest.fixture
def editor(world):
    u = world["users"]["editor"]
    u.email = "editor@tonyongmat.go.th"
    u.first_name, u.last_name = "สมหญิง", "รักดี"
    u.save()
    return u


def logs_in(client, username: str, password: str) -> bool:
    r = client.post(reverse("login"), {"username": username, "password": password})
    return r.status_code == 302 and "/login/" not in r["Location"]


def reset_link(message) -> str:
    found = re.search(r"https?://\S+/password/reset/\S+/\S+/", message.body)
    assert found, message.body
    return urlsplit(found.group(0)).path


def test_the_login_page_leads_to_the_thai_reset_form(client):
    login = client.get(reverse("login")).content.decode()
    assert reverse("password_reset") in login and "ลืมรหัสผ่าน?" in login
    page = client.get(reverse("password_reset")).content.decode()
    assert "ลืมรหัสผ่าน" in page and "ส่งลิงก์ตั้งรหัสผ่านใหม่" in page
    assert 'class="bar"' in page  # the site's layout


def test_reset_by_email_in_thai_then_log_in_with_the_new_password(editor, client):
    r = client.post(reverse("password_reset"), {"email": "Editor@TonYongMat.go.th"})
    assert r.status_code == 302 and r["Location"] == reverse("password_reset_done")
    assert "ตรวจสอบอีเมลของท่าน" in client.get(r["Location"]).content.decode()
    assert [m.to for m in mail.outbox] == [["editor@tonyongmat.go.th"]]
    message = mail.outbox[0]
    assert message.subject == "[โปร่งใส] ตั้งรหัสผ่านใหม่"
    assert "เรียน สมหญิง รักดี" in message.body
    assert 'สำหรับบัญชี "editor"' in message.body
    link = reset_link(message)

    r = client.get(link)  # Django moves the token into the session
    assert r.status_code == 302
    form_url = r["Location"]
    page = client.get(form_url).content.decode()
    assert "ตั้งรหัสผ่านใหม่" in page and "รหัสผ่านต้องยาวอย่างน้อย 10 ตัวอักษร" in page

    # The rules, in Thai.
    r = client.post(form_url, {"new_password1": "12345", "new_password2": "12345"})
    text = r.content.decode()
    assert r.status_code == 200
    assert "รหัสผ่านสั้นเกินไป ต้องยาวอย่างน้อย 10 ตัวอักษร" in text
    assert "รหัสผ่านต้องไม่เป็นตัวเลขทั้งหมด" in text
    r = client.post(form_url, {"new_password1": "password123", "new_password2": "password123"})
    assert "รหัสผ่านนี้ใช้กันทั่วไปและเดาได้ง่าย" in r.content.decode()
    r = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert r.status_code == 302 and r["Location"] == reverse("password_reset_complete")
    assert "ตั้งรหัสผ่านใหม่แล้ว" in client.get(r["Location"]).content.decode()

    assert logs_in(client, "editor", NEW_PASSWORD)
    client.logout()
    # The link works once.
    r = client.get(link, follow=True)
    assert "ลิงก์ตั้งรหัสผ่านใหม่นี้ใช้ไม่ได้" in r.content.decode()


def test_an_unknown_address_gets_the_same_answer_and_no_mail(editor, client):
    r = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert r.status_code == 302 and r["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


def test_password_rules_are_configured_with_thai_and_english_messages(editor):
    names = [type(v).__name__ for v in password_validation.get_default_password_validators()]
    assert names == [
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    ]
    with translation.override("th"), pytest.raises(ValidationError) as th:
        password_validation.validate_password("9876543210", editor)
    assert "รหัสผ่านต้องไม่เป็นตัวเลขทั้งหมด" in th.value.messages
    with translation.override("th"), pytest.raises(ValidationError) as similar:
        password_validation.validate_password("editor@tonyongmat", editor)
    assert any(m.startswith("รหัสผ่านคล้ายกับข้อมูลของท่าน") for m in similar.value.messages)
    with translation.override("en"), pytest.raises(ValidationError) as en:
        password_validation.validate_password("9876543210", editor)
    assert "The password can't be entirely numeric." in en.value.messages
    assert password_validation.validate_password(NEW_PASSWORD, editor) is None


def test_english_pages_through_the_catalogue(client):
    with translation.override("th"):  # the /en/ request activates English: not for the next test
        page = client.get("/en" + reverse("password_reset")).content.decode()
    assert "Forgot password" in page and "Send the reset link" in page
