"""Thai text in the real browser: drawn with a Thai font, and shaped (marks above and below a
consonant take no width of their own: no dotted circles, no tone marks pushed aside).

``document.fonts.check('16px "TH Sarabun New"')`` is no evidence: it answers true for any font
that is not a web font of the page (nothing to load). So these tests ask chromium itself which
platform font drew the text (DevTools ``CSS.getPlatformFontsForNode``) and measure shaped widths.
"""

from __future__ import annotations

import subprocess

import pytest
from django.urls import NoReverseMatch, reverse

from prongsai.web.cycle.models import Approval, Decision, PlanStatus
from prongsai.web.cycle.records import plan_record

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Fonts with Thai glyphs a Thai page may fall back to; anything else drawing Thai text is wrong.
THAI_FONTS = {
    "TH Sarabun New",
    "Sarabun",
    "Noto Sans Thai",
    "Noto Serif Thai",
    "Noto Sans Thai Looped",
    "Leelawadee UI",
    "Tahoma",
    "Loma",
    "Garuda",
    "Kinnari",
    "Norasi",
    "Waree",
    "Umpush",
    "Laksaman",
    "Sawasdee",
    "Purisa",
}
WANTED = "TH Sarabun New"


def platform_fonts(page, selector: str) -> list[dict]:
    """The fonts chromium really used for the text of the first element matching ``selector``."""
    cdp = page.context.new_cdp_session(page)
    try:
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument")["root"]["nodeId"]
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        assert node, f"no element {selector!r} on {page.url}"
        return cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    finally:
        cdp.detach()


def served_font_families(page) -> set[str]:
    """Families the page loads as web fonts (@font-face), loaded or not."""
    return set(page.evaluate("[...document.fonts].map(f => f.family.replace(/[\"']/g, ''))"))


def system_has(family: str) -> bool:
    try:
        out = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True, timeout=20).stdout
    except (OSError, subprocess.TimeoutExpired):
        return False
    return any(family in line.split(",") for line in out.splitlines())


SHAPING_JS = """
() => {
  const body = getComputedStyle(document.body);
  const probe = document.createElement('span');
  probe.style.font = body.font;
  probe.style.whiteSpace = 'pre';
  probe.style.position = 'absolute';
  probe.style.visibility = 'hidden';
  document.body.appendChild(probe);
  const width = (text) => { probe.textContent = text; return probe.getBoundingClientRect().width; };
  // Above/below marks (mai ek, mai tho, sara i, sara u, thanthakhat) take no advance of their own.
  const pairs = [['ก', 'ก่'], ['ท', 'ที่'], ['น', 'นี้'], ['ป', 'ปุ๋'], ['ร', 'รู้'], ['ต', 'ต์']];
  const result = pairs.map(([base, marked]) => [marked, width(base), width(marked)]);
  probe.remove();
  return {font: body.fontFamily, pairs: result};
}
"""


def check_thai_page(page, selector: str) -> None:
    assert page.evaluate("document.documentElement.lang") == "th"
    text = page.locator(selector).first.inner_text()
    assert any("\u0e00" <= ch <= "\u0e7f" for ch in text), f"{selector} holds no Thai: {text!r}"

    fonts = platform_fonts(page, selector)
    names = {f["familyName"] for f in fonts}
    assert names, f"chromium reports no font for {selector}"
    assert names <= THAI_FONTS, f"Thai text of {selector} drawn with {names} (not Thai fonts)"

    served = served_font_families(page)
    if WANTED in served:
        # Served by the site: the same on every visitor's machine.
        assert any(f["familyName"] == WANTED and f["isCustomFont"] for f in fonts), fonts
    elif system_has(WANTED):
        # Not served; this machine has it installed (make fonts), so chromium must pick it.
        assert WANTED in names, f"{WANTED} is installed but {selector} is drawn with {names}"

    shaping = page.evaluate(SHAPING_JS)
    for marked, base_w, marked_w in shaping["pairs"]:
        assert base_w > 0, shaping
        # A dotted circle or a mark placed after its consonant would add a glyph's width.
        assert abs(marked_w - base_w) < 0.75, f"{marked!r}: {marked_w:.2f}px vs {base_w:.2f}px ({shaping})"


def test_login_page_thai_font_and_shaping(site):
    site.goto("/login/")
    check_thai_page(site.page, "main h1")
    check_thai_page(site.page, "footer")


def approve(plan, approver) -> None:
    """The executive's approval, as the decision page records it (the public page shows it)."""
    Approval.objects.create(
        plan=plan,
        version=plan.content_version,
        decision=Decision.APPROVED,
        approver=approver,
        approver_name=approver.get_full_name(),
        snapshot=plan_record(plan).model_dump(mode="json"),
    )
    plan.status, plan.approved_version = PlanStatus.APPROVED, plan.content_version
    plan.save(update_fields=["status", "approved_version"])


def test_public_page_thai_font(site, world):
    """The page an agency gives the NACC: read by anyone, on any machine, so it serves its font."""
    try:
        path = reverse("public_year", kwargs={"agency": world["ours"].slug, "year": 2569})
    except NoReverseMatch:
        pytest.skip("public page (URL name public_year) not built yet")
    approve(world["our_plan"], world["users"]["approver"])
    site.goto(path)
    site.page.evaluate("document.fonts.ready.then(() => true)")
    assert WANTED in served_font_families(site.page), "the public page serves no Thai web font"
    check_thai_page(site.page, "main h1")
    # The approved documents themselves (headings and table cells of the plan).
    check_thai_page(site.page, "article.doc h1, article.doc h2, article.doc p")


def test_thai_web_font_served(site):
    """Visitors without TH Sarabun New installed (most phones, many office PCs) only get it when
    the site serves it; otherwise they read Thai in whatever fallback their system has."""
    site.goto("/login/")
    served = served_font_families(site.page)
    if WANTED not in served:
        pytest.xfail(f"no {WANTED} web font served (@font-face); families served: {sorted(served)}")
    site.page.evaluate("document.fonts.ready.then(() => true)")
    assert site.page.evaluate(f"document.fonts.check('20px \"{WANTED}\"', 'ภาษาไทย')")
    fonts = platform_fonts(site.page, "main h1")
    assert any(f["familyName"] == WANTED and f["isCustomFont"] for f in fonts), fonts
