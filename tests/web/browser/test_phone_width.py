"""No page scrolls sideways on a phone (360 px, issue 12 defect 12): a real chromium at 360 px
walks every page a person can reach by following links, as each role and as the public, and
measures the page's scroll width. A wide table may scroll inside its own box; the page may not."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from tests.web.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
MAX_PAGES = 80
PER_KIND = 2  # pages of one kind (the same path but for its ids), e.g. two measures' progress pages
# Links that are not pages (documents, a file, leaving the session) or are not ours.
SKIP = (".pdf", ".docx", ".html", "/file/", "/logout/", "/admin/", "/api/", "/static/", "/media/", "/i18n/")

WIDER_THAN_THE_SCREEN = """() => {
  const doc = document.scrollingElement;
  const over = doc.scrollWidth - doc.clientWidth;
  if (over <= 0) return null;
  // Name the widest elements that stick out, for the failure message.
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.right > doc.clientWidth + 1 && el.offsetParent !== null) {
      let inScroller = false;
      for (let p = el.parentElement; p; p = p.parentElement) {
        const s = getComputedStyle(p).overflowX;
        if (s === 'auto' || s === 'scroll' || s === 'hidden') { inScroller = true; break; }
      }
      const name = el.tagName.toLowerCase() + (el.className ? '.' + String(el.className) : '');
      if (!inScroller) out.push(name + ' ' + Math.round(r.right));
    }
  }
  return {over, elements: out.slice(0, 6)};
}"""


def crawl(page, base: str, start: str, limit: int = MAX_PAGES) -> dict[str, dict]:
    """Every same-site page reachable by links from ``start``: path -> overflow (None when fine)."""
    seen: dict[str, dict | None] = {}
    kinds: dict[str, int] = {}
    queue = [start]
    while queue and len(seen) < limit:
        path = queue.pop(0)
        if path in seen:
            continue
        response = page.goto(base + path)
        html = response is not None and "text/html" in response.headers.get("content-type", "")
        if not html or response.status >= 400:
            seen[path] = None
            continue
        page.evaluate("document.fonts.ready.then(() => true)")
        seen[path] = page.evaluate(WIDER_THAN_THE_SCREEN)
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))"):
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if any(s in target for s in SKIP) or target in seen or target in queue:
                continue
            kind = re.sub(r"\d+", "N", parts.path)
            if kinds.get(kind, 0) >= PER_KIND:
                continue
            kinds[kind] = kinds.get(kind, 0) + 1
            queue.append(target)
    return seen


def login(site, user):
    page = site.new_context()
    page.set_viewport_size(PHONE)
    site.goto("/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    return page


@pytest.mark.parametrize("role", ["editor", "contributor", "approver", "viewer"])
def test_no_page_scrolls_sideways_on_a_phone(site, world, role):
    page = login(site, world["users"][role])
    pages = crawl(page, site.url, urlsplit(page.url).path)
    assert len(pages) >= 8, sorted(pages)
    assert any(re.search(r"/years/\d+/$", p) for p in pages), sorted(pages)  # the year page
    wide = {p: o for p, o in pages.items() if o}
    assert not wide, f"pages wider than a 360 px phone as {role}: {wide}"


def test_public_and_error_pages_fit_a_phone(site, world):
    page = site.new_context()
    page.set_viewport_size(PHONE)
    slug = world["ours"].slug
    wide = {}
    for start in ("/login/", reverse("public_agency", kwargs={"agency": slug})):
        page.goto(site.url + start)
        if over := page.evaluate(WIDER_THAN_THE_SCREEN):
            wide[start] = over
    page = login(site, world["users"]["viewer"])
    for start in ("/a/nowhere/", f"/a/{slug}/imports/"):  # 404 and 403
        page.goto(site.url + start)
        if over := page.evaluate(WIDER_THAN_THE_SCREEN):
            wide[start] = over
    assert not wide, f"wider than a 360 px phone: {wide}"


def test_no_page_scrolls_sideways_in_english(site, world):
    """English words are longer than Thai ones: the editor's pages once more under /en/."""
    page = login(site, world["users"]["editor"])
    pages = crawl(page, site.url, f"/en/a/{world['ours'].slug}/")
    assert sum(p.startswith("/en/") for p in pages) >= 8, sorted(pages)
    wide = {p: o for p, o in pages.items() if o}
    assert not wide, f"English pages wider than a 360 px phone: {wide}"
