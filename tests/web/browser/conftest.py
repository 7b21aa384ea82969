"""Browser tests: Playwright (Python) driving Debian's chromium against the app served by
pytest-django's ``live_server`` (a real port, a thread of this process).

No browser is downloaded: chromium comes from apt (``make test`` installs it). Without
/usr/bin/chromium the tests are skipped with a message saying so.

Screenshots of the main pages go to docs/screenshots/ only when PRONGSAI_SCREENSHOTS=1, so the
normal test run does not rewrite the committed images.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

# Playwright's sync API keeps an asyncio loop in this thread; Django refuses ORM calls from a
# thread with a running loop unless told the calls are really synchronous (they are).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from tests.web.conftest import PASSWORD

CHROMIUM = Path(os.environ.get("PRONGSAI_CHROMIUM", "/usr/bin/chromium"))
ROOT = Path(__file__).resolve().parents[3]
SHOTS = ROOT / "docs" / "screenshots"
WIDTH = 1280
TIMEOUT_MS = 15_000


def screenshots_wanted() -> bool:
    return os.environ.get("PRONGSAI_SCREENSHOTS") == "1"


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"browser tests need Debian's chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield browser
        browser.close()


def compact(path: Path) -> None:
    """A page is flat colours and antialiased text: 256 colours without dithering keep it sharp at
    a third of the size (the public page is 15,000 px tall)."""
    from PIL import Image

    with Image.open(path) as image:
        quantized = image.convert("RGB").quantize(
            colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
        )
    quantized.save(path, optimize=True)


class Site:
    """The live server as one person sees it through the browser: log in through the form, go to
    pages by path, take screenshots."""

    def __init__(self, browser, live_server):
        self.browser = browser
        self.url = live_server.url
        self.context = None
        self.page = None
        self.errors: list[str] = []
        self.new_context()

    def new_context(self):
        """A fresh browser profile (no cookies): the next person at the keyboard."""
        if self.context is not None:
            self.context.close()
        self.context = self.browser.new_context(
            viewport={"width": WIDTH, "height": 900}, locale="th-TH", timezone_id="Asia/Bangkok"
        )
        self.context.set_default_timeout(TIMEOUT_MS)
        self.page = self.context.new_page()
        # A page error (a script exception) is a bug even when the test's checks still pass.
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        return self.page

    def goto(self, path: str):
        response = self.page.goto(self.url + path)
        assert response is not None
        assert response.status < 400, f"{path}: HTTP {response.status}"
        return response

    def login(self, user, password: str = PASSWORD, next_path: str = ""):
        """Log in through the login form as ``user`` in a fresh profile."""
        page = self.new_context()
        self.goto("/login/" + (f"?next={next_path}" if next_path else ""))
        page.fill("input[name=username]", user.username)
        page.fill("input[name=password]", password)
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()
        assert "/login/" not in page.url, f"login as {user.username} failed: still on {page.url}"
        return page

    def logout(self):
        """Forget the session: a fresh profile, as an anonymous visitor."""
        return self.new_context()

    def shot(self, name: str) -> Path | None:
        """Full-page screenshot docs/screenshots/<name>.png, when PRONGSAI_SCREENSHOTS=1."""
        if not screenshots_wanted():
            return None
        assert re.fullmatch(r"\d\d-[a-z0-9-]+", name), name
        SHOTS.mkdir(parents=True, exist_ok=True)
        path = SHOTS / f"{name}.png"
        # Let web fonts finish before the picture.
        self.page.evaluate("document.fonts.ready.then(() => true)")
        self.page.screenshot(path=str(path), full_page=True)
        compact(path)
        return path

    def close(self):
        if self.context is not None:
            self.context.close()
            self.context = None


@pytest.fixture
def site(browser, live_server, transactional_db):
    s = Site(browser, live_server)
    yield s
    s.close()
    assert not s.errors, f"script errors in the pages: {s.errors}"
