"""Results pages of an agency: dashboard, score entry with live findings, analysis with editable
narratives; each as the editor (content), a viewer (reads, cannot save), another agency's editor
(not found) and an anonymous visitor (to the login page)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from prongsai.web.cycle.models import Assessment, MeasureStatus

pytestmark = pytest.mark.django_db

OURS = "tonyongmat"


def url(name: str, **kw) -> str:
    return reverse(name, kwargs={"agency": OURS, **kw})


def page_urls() -> list[str]:
    return [
        url("agency_dashboard"),
        url("scores_new"),
        url("scores_edit", year=2568),
        url("scores_import"),
        url("analysis", year=2568),
    ]


def score_post(**override) -> dict:
    """The seed's 2568 scores as the form posts them."""
    a = {
        "edition": "2568",
        "version": "1",
        "overall": "93.96",
        "level": "ผ่านดี",
        "tool_IIT": "99.89",
        "tool_EIT_1": "99.97",
        "tool_EIT_2": "100",
        "tool_OIT": "85",
        "ind_1": "100",
        "ind_2": "100",
        "ind_3": "100",
        "ind_4": "99.45",
        "ind_5": "100",
        "ind_6": "100",
        "ind_7": "100",
        "ind_8": "99.96",
        "ind_9": "90",
        "ind_10": "80",
        "auditor_suggestions": "ข้อ i11 ควรประเมินความเสี่ยง\nข้อ e7 ควรเปิดโอกาสให้บุคคลภายนอกมีส่วนร่วม",
        "comments": "ประชาชนพึงพอใจการให้บริการ",
    }
    a.update(override)
    return a


# ---- access ---------------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client):
    for u in [*page_urls(), url("scores_import_status")]:
        r = client.get(u)
        assert r.status_code == 302 and reverse("login") in r["Location"], u
    r = client.post(url("scores_check", year=2568), score_post())
    assert r.status_code == 302 and reverse("login") in r["Location"]


def test_other_agency_editor_gets_404(world, login):
    c = login(world["users"]["other_editor"])
    for u in page_urls():
        assert c.get(u).status_code == 404, u
    assert c.post(url("scores_edit", year=2568), score_post()).status_code == 404
    assert c.post(url("scores_check", year=2568), score_post()).status_code == 404
    assert c.post(url("analysis", year=2568), {"indicator": 1, "text": "x"}).status_code == 404
    assert c.post(url("scores_import"), {"action": "upload"}).status_code == 404
    # and the other agency's own dashboard works for them
    assert c.get(reverse("agency_dashboard", kwargs={"agency": "srisongkhram"})).status_code == 200


def test_outsider_and_overseer_get_404(world, login):
    for who in ("outsider", "province_overseer"):
        c = login(world["users"][who])
        assert c.get(url("agency_dashboard")).status_code == 404


def test_viewer_reads_but_cannot_save(world, login):
    c = login(world["users"]["viewer"])
    for u in page_urls():
        assert c.get(u).status_code == 200, u
    before = Assessment.objects.get(agency=world["ours"], fiscal_year=2568)
    assert c.post(url("scores_edit", year=2568), score_post(overall="50")).status_code == 403
    assert c.post(url("scores_check", year=2568), score_post()).status_code == 403
    assert c.post(url("scores_new"), {"fiscal_year": "2569", "edition": "2569"}).status_code == 403
    assert c.post(url("analysis", year=2568), {"indicator": 1, "text": "แก้"}).status_code == 403
    assert c.post(url("scores_import"), {"action": "upload"}).status_code == 403
    after = Assessment.objects.get(pk=before.pk)
    assert after.published == before.published and after.narratives == before.narratives
    # the score page is read-only for them
    html = c.get(url("scores_edit", year=2568)).content.decode()
    assert "<fieldset disabled" in html and "hx-post" not in html


def test_contributor_and_approver_cannot_save_scores(world, login):
    for who in ("contributor", "approver"):
        c = login(world["users"][who])
        assert c.get(url("agency_dashboard")).status_code == 200
        assert c.post(url("scores_edit", year=2568), score_post()).status_code == 403


# ---- home -----------------------------------------------------------------------------------


def test_home_redirects_a_member_of_one_agency(world, login):
    r = login(world["users"]["editor"]).get(reverse("home"))
    assert r.status_code == 302 and r["Location"] == url("agency_dashboard")


def test_home_lists_agencies_otherwise(world, login):
    r = login(world["users"]["admin"]).get(reverse("home"))
    html = r.content.decode()
    assert r.status_code == 200
    assert "เทศบาลตำบลต้นหยงมัส" in html and "เทศบาลตำบลศรีสังคราม" in html and "93.96" in html
    r = login(world["users"]["outsider"]).get(reverse("home"))
    assert r.status_code == 200 and "ยังไม่ได้เป็นสมาชิก" in r.content.decode()


def test_login_page(client):
    r = client.get(reverse("login"))
    html = r.content.decode()
    assert r.status_code == 200 and "เข้าสู่ระบบ" in html and 'type="password"' in html


# ---- dashboard ------------------------------------------------------------------------------


def test_dashboard_shows_latest_result_chart_priorities_and_measures(world, login):
    plan = world["our_plan"]
    m1, m2 = plan.measures.order_by("position", "pk")[:2]
    import datetime as dt

    m1.period_end = dt.date(2020, 1, 31)  # long past and not done: overdue
    m1.status = MeasureStatus.IN_PROGRESS
    m1.save()
    m2.period_end = dt.date(2020, 1, 31)
    m2.status = MeasureStatus.DONE  # done: not overdue
    m2.save()
    r = login(world["users"]["editor"]).get(url("agency_dashboard"))
    assert r.status_code == 200
    html = r.content.decode()
    assert "93.96" in html and "ผ่านดี" in html and "ผ่านเกณฑ์" in html
    assert "-5.80" in html  # overall against 2567, computed by the engine
    # the engine's findings: the stated change (-5.60) disagrees with the scores
    assert "-5.60" in html and "ไม่ตรงกับผลต่าง" in html
    # what-if priorities: indicator 10 (80.00) gains the most, then item o23
    assert "ลำดับความสำคัญ" in html
    prio = html[html.index('class="priorities"') :]
    assert prio.index("ตัวชี้วัดที่ 10") < prio.index("ข้อ o23") < prio.index("ตัวชี้วัดที่ 9")
    assert "+4.00" in prio
    # chart: inline SVG with a bar per year
    assert "<svg" in html and "2567" in html and "99.76" in html
    # tool and indicator tables
    assert "99.89" in html and "การปฏิบัติหน้าที่" in html
    # measures by status and overdue ones
    counts = {s: plan.measures.filter(status=s).count() for s in MeasureStatus.values}
    assert counts["done"] == 1 and counts["in_progress"] >= 1
    overdue = html[html.index('class="overdue"') :]
    assert m1.title[:40] in overdue and m2.title[:40] not in overdue
    assert "ดำเนินการเสร็จเรียบร้อยแล้ว" in html


def test_dashboard_with_only_an_overall_score_claims_no_full_marks(world, login):
    from prongsai.interchange.models import Assessment as RecordAssessment
    from prongsai.web.cycle.records import save_published

    Assessment.objects.filter(agency=world["ours"]).delete()
    save_published(world["ours"], RecordAssessment(fiscal_year=2563, overall=51.12, level="E"))
    html = login(world["users"]["editor"]).get(url("agency_dashboard")).content.decode()
    assert "51.12" in html
    assert "ทุกตัวชี้วัดได้คะแนนเต็มแล้ว" not in html
    assert "ยังไม่มีคะแนนรายตัวชี้วัดหรือรายข้อ" in html


def test_dashboard_of_agency_without_scores(world, login):
    Assessment.objects.filter(agency=world["ours"]).delete()
    html = login(world["users"]["editor"]).get(url("agency_dashboard")).content.decode()
    assert "ยังไม่มีผลการประเมิน" in html


# ---- score entry ----------------------------------------------------------------------------


def test_score_page_shows_fields_by_level_with_thai_names(world, login):
    r = login(world["users"]["editor"]).get(url("scores_edit", year=2568))
    html = r.content.decode()
    assert r.status_code == 200
    for name in (
        "overall",
        "level",
        "tool_IIT",
        "tool_EIT_1",
        "tool_EIT_2",
        "tool_OIT",
        "ind_10",
        "item_o16",
    ):
        assert f'name="{name}"' in html, name
    assert "ตัวชี้วัดที่ 8 การปรับปรุงการทำงาน" in html or "ตัวชี้วัดที่ 8" in html
    assert 'value="93.96"' in html and "ข้อ i11 บุคลากร" in html
    assert "hx-post" in html and url("scores_check", year=2568) in html
    # stored findings are shown at once
    assert "ไม่ตรงกับที่คำนวณได้" in html


def test_score_check_reports_engine_mismatch_and_saves_nothing(world, login):
    before = Assessment.objects.get(agency=world["ours"], fiscal_year=2568)
    items = {f"item_e{i}": "100" for i in range(1, 10)}
    r = login(world["users"]["editor"]).post(
        url("scores_check", year=2568), score_post(**items), HTTP_HX_REQUEST="true"
    )
    assert r.status_code == 200
    html = r.content.decode()
    assert "<html" not in html  # a fragment
    assert "คะแนนตัวชี้วัดที่ 8 ที่ระบุ 99.96 ไม่ตรงกับที่คำนวณได้ 100.00" in html
    assert "93.96" in html and "ผ่านดี" in html
    after = Assessment.objects.get(pk=before.pk)
    assert after.published == before.published and after.version == before.version


def test_score_check_with_bad_input_lists_the_field(world, login):
    r = login(world["users"]["editor"]).post(url("scores_check", year=2568), score_post(ind_8="abc"))
    html = r.content.decode()
    assert "ตัวชี้วัดที่ 8" in html and "กรุณากรอกเป็นตัวเลข" in html


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("overall", "120", "คะแนนต้องไม่เกิน 100"),
        ("ind_3", "สิบ", "กรุณากรอกเป็นตัวเลข"),
        ("item_o16", "-1", "ไม่ต่ำกว่า 0"),
    ],
)
def test_bad_score_gets_thai_message_and_nothing_is_stored(world, login, field, value, message):
    before = Assessment.objects.get(agency=world["ours"], fiscal_year=2568)
    r = login(world["users"]["editor"]).post(url("scores_edit", year=2568), score_post(**{field: value}))
    assert r.status_code == 200
    html = r.content.decode()
    assert message in html and "ยังไม่ได้บันทึก" in html
    # the message sits next to its field
    at = html.index(f'name="{field}"')
    assert message in html[at : at + 800]
    after = Assessment.objects.get(pk=before.pk)
    assert after.published == before.published and after.version == before.version


def test_editor_saves_scores_through_the_engine(world, login):
    c = login(world["users"]["editor"])
    a = Assessment.objects.get(agency=world["ours"], fiscal_year=2568)
    data = score_post(version=str(a.version), overall="", level="", ind_10="๑๐๐", tool_OIT="")
    r = c.post(url("scores_edit", year=2568), data)
    assert r.status_code == 302
    a.refresh_from_db()
    assert a.published["indicators"]["10"] == 100.0  # Thai digits read
    assert "overall" not in a.published and "OIT" not in a.published["tools"]
    # stated changes of the published record are kept
    assert a.published["stated_changes"]["overall"] == -5.6
    assert a.comments == ["ประชาชนพึงพอใจการให้บริการ"]
    assert a.published["auditor_suggestions"][1].startswith("ข้อ e7")
    assert a.version == 2
    # the engine computed the overall from the tools: OIT (90+100)/2 = 95
    assert a.overall == pytest.approx(97.96, abs=0.01)
    assert a.indicator_scores.get(indicator=10).score == 100.0
    assert a.history.first().history_user == world["users"]["editor"]
    html = c.get(url("scores_edit", year=2568)).content.decode()
    assert "บันทึกผลการประเมินปี 2568 แล้ว" in html


def test_stale_form_is_refused(world, login):
    c = login(world["users"]["editor"])
    a = Assessment.objects.get(agency=world["ours"], fiscal_year=2568)
    assert c.post(url("scores_edit", year=2568), score_post(version=str(a.version))).status_code == 302
    r = c.post(url("scores_edit", year=2568), score_post(version=str(a.version), overall="90"))
    assert r.status_code == 200 and "มีผู้อื่นบันทึก" in r.content.decode()
    a.refresh_from_db()
    assert a.published["overall"] == 93.96


def test_new_year(world, login):
    c = login(world["users"]["editor"])
    html = c.get(url("scores_new")).content.decode()
    assert "2568" in html and "2567" in html and 'value="2569"' in html
    r = c.post(url("scores_new"), {"fiscal_year": "๒๕๖๙", "edition": "2569"})
    assert r.status_code == 302 and r["Location"] == url("scores_edit", year=2569) + "?edition=2569"
    r = c.post(url("scores_new"), {"fiscal_year": "abc", "edition": "2569"})
    assert r.status_code == 200 and "กรุณากรอกปี พ.ศ." in r.content.decode()
    html = c.get(url("scores_edit", year=2569) + "?edition=2569").content.decode()
    assert 'name="ind_1"' in html
    r = c.post(
        url("scores_edit", year=2569),
        {"edition": "2569", "version": "", "ind_1": "95", "ind_2": "96", "tool_IIT": ""},
    )
    assert r.status_code == 302
    a = Assessment.objects.get(agency=world["ours"], fiscal_year=2569)
    assert a.published["indicators"] == {"1": 95.0, "2": 96.0} and a.edition == 2569


# ---- analysis -------------------------------------------------------------------------------


def test_analysis_page(world, login):
    r = login(world["users"]["editor"]).get(url("analysis", year=2568))
    html = r.content.decode()
    assert r.status_code == 200
    assert "93.96" in html and "-5.80" in html and "2567" in html
    assert "o16" in html and "o23" in html  # items below full marks
    assert "จุดแข็ง" in html and "จุดที่ควรพัฒนา" in html
    assert 'name="text"' in html and "hx-post" in html
    assert login(world["users"]["editor"]).get(url("analysis", year=2550)).status_code == 404


def test_editor_saves_a_narrative_inline(world, login):
    c = login(world["users"]["editor"])
    text = "ตัวชี้วัดที่ 10 ได้ 80.00 คะแนน ต้องเผยแพร่ข้อมูลให้ครบ"
    r = c.post(url("analysis", year=2568), {"indicator": "10", "text": text}, HTTP_HX_REQUEST="true")
    assert r.status_code == 200
    html = r.content.decode()
    assert "<html" not in html and text in html and "บันทึกแล้ว" in html and 'id="n10"' in html
    a = Assessment.objects.get(agency=world["ours"], fiscal_year=2568)
    assert a.narratives == {"10": text}
    assert text in c.get(url("analysis", year=2568)).content.decode()
    # blank: back to the engine's draft
    c.post(url("analysis", year=2568), {"indicator": "10", "text": "  "})
    a.refresh_from_db()
    assert a.narratives == {}


def test_viewer_sees_narratives_without_form(world, login):
    html = login(world["users"]["viewer"]).get(url("analysis", year=2568)).content.decode()
    assert 'name="text"' not in html and "ตัวชี้วัดที่ 10" in html
