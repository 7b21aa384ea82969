"""The Content-Security-Policy (prongsai/web/csp.py): on every page, and no template relies on
what it forbids (inline script, inline event handlers, javascript: URLs), which would silently stop
working in the browser. tests/web/browser/test_csp_behaviour.py drives the behaviours in chromium."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from prongsai.web.csp import POLICY

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted((ROOT / "prongsai" / "web").rglob("*.html"))

pytestmark = pytest.mark.django_db


def test_every_page_carries_the_policy(world, login):
    assert (
        "script-src 'self'" in POLICY and "'unsafe-inline'" not in POLICY.split("script-src")[1].split(";")[0]
    )
    for response in (
        Client().get(reverse("login")),
        login(world["users"]["editor"]).get(reverse("agency_dashboard", kwargs={"agency": "tonyongmat"})),
        Client().get("/no-such-page/"),
    ):
        assert response["Content-Security-Policy"] == POLICY


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_template_needs_inline_script(template):
    html = template.read_text(encoding="utf-8")
    inline_scripts = [
        m for m in re.finditer(r"<script(?![^>]*\bsrc=)([^>]*)>", html) if "json" not in m.group(1)
    ]
    assert not inline_scripts, f"inline <script> in {template.name}: move it to a static file"
    assert not re.search(r"\son[a-z]+\s*=", html), f"inline event handler in {template.name}"
    assert "javascript:" not in html, f"javascript: URL in {template.name}"
