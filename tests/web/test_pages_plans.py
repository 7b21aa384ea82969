"""Plan pages: the plan of a year, a draft from the engine, next year, the editor, progress and
evidence, documents; and who may do what (viewer posts nothing, another agency finds nothing)."""

from __future__ import annotations

import io
from urllib.parse import unquote

import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from prongsai.web.agencies.models import Membership, Role
from prongsai.web.cycle.actions import shift_years
from prongsai.web.cycle.models import Evidence, EvidenceKind, Measure, MeasureStatus, Plan, ProgressEntry

pytestmark = pytest.mark.django_db

SLUG = "tonyongmat"


def url(name: str, **kw) -> str:
    return reverse(name, kwargs={"agency": SLUG, **kw})


def png_bytes() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (32, 24), (200, 30, 30)).save(buf, "PNG")
    return buf.getvalue()


def png_upload(name: str = "ภาพกิจกรรม.png"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


@pytest.fixture
def uploads(monkeypatch, settings, tmp_path):
    """Evidence files under a temporary folder (the real upload checker reads them)."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def first_measures(plan: Plan) -> list[Measure]:
    return list(plan.measures.order_by("position", "pk"))


def not_of_unit(plan: Plan, unit) -> Measure:
    """A measure the unit is not responsible for (the demo plan gives กองคลัง measures 1, 2 and 9)."""
    return next(m for m in first_measures(plan) if not m.units.filter(pk=unit.pk).exists())


# ------------------------------------------------------------------------------ the plan page


def test_plan_page_lists_measures_status_preaudit_and_documents(world, login):
    plan = world["our_plan"]
    c = login(world["users"]["viewer"])
    r = c.get(url("plan_detail", year=plan.fiscal_year))
    assert r.status_code == 200
    html = r.content.decode()
    for m in plan.measures.all():
        assert m.title[:20] in html
    assert "ร่าง" in html and f"ฉบับที่ {plan.content_version}" in html
    assert "ตรวจสอบก่อนเผยแพร่" in html
    assert url("document_download", year=plan.fiscal_year, kind="plan", fmt="docx") in html
    # A viewer gets no editing controls.
    assert url("measure_add", year=plan.fiscal_year) not in html
    assert 'name="direction"' not in html


def test_plan_page_for_a_year_without_plan_offers_to_create_it(world, login):
    c = login(world["users"]["editor"])
    r = c.get(url("plan_detail", year=2571))
    assert r.status_code == 404
    assert url("plan_create", year=2571) in r.content.decode()


# ------------------------------------------------------------------------------ a new plan


def test_editor_drafts_a_plan_from_the_engine_covering_all_ten_indicators(world, login):
    c = login(world["users"]["editor"])
    assert c.get(url("plan_create", year=2570)).status_code == 200
    r = c.post(url("plan_create", year=2570), {"source": "engine"}, follow=True)
    assert r.status_code == 200
    plan = Plan.objects.get(agency=world["ours"], fiscal_year=2570)
    covered = {i for m in plan.measures.all() for i in m.indicators}
    assert covered == set(range(1, 11))
    assert all(m.library_id and m.steps and m.period and m.period_end for m in plan.measures.all())
    assert all(m.status == MeasureStatus.NOT_STARTED for m in plan.measures.all())
    # Responsible units are the agency's own Unit rows, matched from the library's text.
    assert any(m.units.exists() for m in plan.measures.all())
    html = r.content.decode()
    assert "ครอบคลุมตัวชี้วัด 10 จาก 10 ตัว" in html
    # No assessment of 2569 yet: the draft says it used 2568's.
    assert "ร่างจากผลปี พ.ศ. 2568" in html
    assert plan.assessment.fiscal_year == 2568


def test_draft_of_the_year_after_the_assessment_and_an_empty_plan(world, login):
    c = login(world["users"]["editor"])
    world["our_plan"].delete()
    r = c.post(url("plan_create", year=2569), {"source": "engine"}, follow=True)
    assert "ร่างจากผลปี" not in r.content.decode()
    assert Plan.objects.get(agency=world["ours"], fiscal_year=2569).measures.count() >= 10
    c.post(url("plan_create", year=2575), {"source": "empty"})
    assert Plan.objects.get(agency=world["ours"], fiscal_year=2575).measures.count() == 0


def test_draft_without_any_assessment_says_so_in_thai(world, login):
    c = login(world["users"]["editor"])
    r = c.post(url("plan_create", year=2560), {"source": "engine"})
    assert r.status_code == 200
    assert "ยังไม่มีผลการประเมิน ITA ก่อนปี พ.ศ. 2560" in r.content.decode()
    assert not Plan.objects.filter(agency=world["ours"], fiscal_year=2560).exists()


def test_next_year_copies_measures_resets_status_and_moves_dates(world, login, uploads):
    plan = world["our_plan"]
    first = first_measures(plan)[0]
    c = login(world["users"]["editor"])
    today = timezone.localdate().isoformat()
    c.post(url("measure_progress", measure=first.pk), {"as_of": today, "status": "done", "result": "ทำแล้ว"})
    c.post(url("evidence_add", measure=first.pk), {"url": "https://example.org/a", "added_on": "2025-12-01"})
    first.refresh_from_db()
    first.period_end = first.period_end or __import__("datetime").date(2026, 9, 30)
    first.title += " ประจำปีงบประมาณ พ.ศ. ๒๕๖๙"  # a year in the title moves on too
    first.save()
    r = c.get(url("plan_next_year", year=2569))
    assert r.status_code == 200
    page = r.content.decode()
    assert "ไม่คัดลอกความก้าวหน้าและหลักฐาน" in page and "ยังไม่ดำเนินการ" in page
    r = c.post(url("plan_next_year", year=2569), follow=True)
    assert "ไม่ได้คัดลอกความก้าวหน้าและหลักฐาน" in r.content.decode()
    new = Plan.objects.get(agency=world["ours"], fiscal_year=2570)
    old_measures, new_measures = first_measures(plan), first_measures(new)
    assert len(new_measures) == len(old_measures) == 10
    assert all(m.status == MeasureStatus.NOT_STARTED for m in new_measures)
    assert not ProgressEntry.objects.filter(measure__plan=new).exists()
    assert not Evidence.objects.filter(measure__plan=new).exists()
    assert new_measures[0].period == "๑ ตุลาคม ๒๕๖๙ ถึง ๓๐ กันยายน ๒๕๗๐"
    assert "๒๕๗๐" in new_measures[0].title
    assert new_measures[0].period_end.year == first.period_end.year + 1
    assert list(new_measures[0].units.all()) == [world["finance"]]
    # The source plan is untouched.
    first.refresh_from_db()
    assert first.status == MeasureStatus.DONE


def test_shift_years_keeps_digits_and_moves_only_the_plan_years():
    years = {2568, 2569}
    assert shift_years("1 ตุลาคม 2568 ถึง 30 กันยายน 2569", years) == "1 ตุลาคม 2569 ถึง 30 กันยายน 2570"
    assert shift_years("ต.ค. ๖๘ - ก.ย. ๖๙", years) == "ต.ค. ๖๙ - ก.ย. ๗๐"
    assert shift_years("แผน 2566-2570 จำนวน 2568 บาท", {2569}) == "แผน 2566-2570 จำนวน 2568 บาท"


# ------------------------------------------------------------------------------ the editor


def test_editor_adds_edits_moves_and_deletes_measures(world, login):
    plan = world["our_plan"]
    c = login(world["users"]["editor"])
    v0 = Plan.objects.get(pk=plan.pk).content_version
    r = c.post(
        url("measure_add", year=2569),
        {
            "title": "มาตรการใหม่ เปิดเผยข้อมูลการจัดซื้อจัดจ้าง",
            "indicators": ["9", "10"],
            "items": "o16, O17",
            "units": [world["finance"].pk],
            "budget": "15000",
            "period": "ม.ค. - มี.ค. 2569",
            "period_end": "2026-03-31",
        },
    )
    assert r.status_code == 302
    new = plan.measures.get(title__startswith="มาตรการใหม่")
    assert new.indicators == [9, 10] and new.items == ["o16", "o17"] and float(new.budget) == 15000
    assert new.position == 11 and list(new.units.all()) == [world["finance"]]
    assert Plan.objects.get(pk=plan.pk).content_version > v0

    m = first_measures(plan)[1]
    r = c.get(url("measure_edit", measure=m.pk))
    assert r.status_code == 200 and f'name="version" value="{m.version}"' in r.content.decode()
    data = {
        "version": m.version,
        "title": "ชื่อใหม่",
        "indicators": ["2"],
        "steps": "- ขั้นที่ 1",
        "period": m.period,
    }
    assert c.post(url("measure_edit", measure=m.pk), data).status_code == 302
    m.refresh_from_db()
    assert m.title == "ชื่อใหม่" and m.indicators == [2] and m.version == 2
    assert m.history.first().history_user == world["users"]["editor"]

    # Bad item codes: a Thai message, nothing saved.
    r = c.post(url("measure_edit", measure=m.pk), {**data, "version": m.version, "items": "x99"})
    assert "รหัสข้อคำถามไม่ถูกต้อง" in r.content.decode()

    # Move the second measure up, through HTMX: the table comes back in the new order.
    r = c.post(url("measure_move", measure=m.pk), {"direction": "up"}, HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and r.content.decode().lstrip().startswith('<div id="measures">')
    assert first_measures(plan)[0].pk == m.pk
    c.post(url("measure_move", measure=m.pk), {"direction": "up"})  # already first: nothing moves
    assert first_measures(plan)[0].pk == m.pk

    r = c.post(url("measure_delete", measure=m.pk))
    assert r.status_code == 302 and not Measure.objects.filter(pk=m.pk).exists()
    assert [x.position for x in first_measures(plan)] == list(range(1, 11))
    assert c.get(url("measure_delete", measure=first_measures(plan)[0].pk)).status_code == 405


# ------------------------------------------------------------------------------ progress and evidence


def test_contributor_reports_progress_and_a_photo_on_their_units_measure_only(world, login, uploads):
    plan = world["our_plan"]
    mine = first_measures(plan)[0]
    other = not_of_unit(plan, world["finance"])
    c = login(world["users"]["contributor"])
    r = c.get(url("measure_progress", measure=mine.pk))
    assert r.status_code == 200 and "รายงานความก้าวหน้า" in r.content.decode()
    v0 = Plan.objects.get(pk=plan.pk).content_version
    today = timezone.localdate().isoformat()

    r = c.post(
        url("measure_progress", measure=mine.pk),
        {
            "as_of": today,
            "status": "in_progress",
            "result": "จัดอบรมแล้ว 1 ครั้ง",
            "outcome": "",
            "suggestion": "",
        },
    )
    assert r.status_code == 302
    mine.refresh_from_db()
    assert mine.status == MeasureStatus.IN_PROGRESS
    entry = mine.progress.order_by("-pk").first()
    assert entry.author == world["users"]["contributor"] and entry.result == "จัดอบรมแล้ว 1 ครั้ง"
    assert Plan.objects.get(pk=plan.pk).content_version == v0  # progress is not an edit of the plan

    r = c.post(
        url("evidence_add", measure=mine.pk),
        {"file": png_upload(), "caption": "ภาพการอบรม", "added_on": "2026-01-15"},
    )
    assert r.status_code == 302
    ev = mine.evidence.get()
    assert ev.kind == EvidenceKind.PHOTO and ev.owner == world["users"]["contributor"]
    assert ev.file.name.endswith(".png") and ev.file.read().startswith(b"\x89PNG")
    assert "ภาพการอบรม" in c.get(url("measure_progress", measure=mine.pk)).content.decode()
    r = c.get(url("evidence_file", evidence=ev.pk))
    assert r.status_code == 200 and b"".join(r.streaming_content).startswith(b"\x89PNG")
    assert r["X-Content-Type-Options"] == "nosniff"
    assert login(world["users"]["other_editor"]).get(url("evidence_file", evidence=ev.pk)).status_code == 404
    c = login(world["users"]["contributor"])

    # Not a picture at all: refused by content, in Thai, nothing stored.
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile(
        "photo.png", b"<html><script>alert(1)</script></html>", content_type="image/png"
    )
    r = c.post(url("evidence_add", measure=mine.pk), {"file": fake, "added_on": "2026-01-15"})
    assert r.status_code == 400 and mine.evidence.count() == 1

    # A link is evidence too; a delete removes it.
    c.post(url("evidence_add", measure=mine.pk), {"url": "https://example.org/x", "added_on": "2026-01-16"})
    link = mine.evidence.get(kind=EvidenceKind.LINK)
    assert c.post(url("evidence_delete", evidence=link.pk)).status_code == 302
    assert not Evidence.objects.filter(pk=link.pk).exists()

    # Another unit's measure: readable, not writable.
    other_entries = other.progress.count()
    assert c.get(url("measure_progress", measure=other.pk)).status_code == 200
    assert (
        c.post(
            url("measure_progress", measure=other.pk), {"as_of": "2026-01-15", "status": "done"}
        ).status_code
        == 403
    )
    assert (
        c.post(
            url("evidence_add", measure=other.pk), {"file": png_upload(), "added_on": "2026-01-15"}
        ).status_code
        == 403
    )
    assert c.post(url("evidence_delete", evidence=ev.pk)).status_code == 302  # their own unit's: allowed
    other_ev = Evidence.objects.create(measure=other, kind=EvidenceKind.LINK, url="https://example.org/o")
    assert c.post(url("evidence_delete", evidence=other_ev.pk)).status_code == 403
    other.refresh_from_db()
    assert other.status == MeasureStatus.NOT_STARTED and other.progress.count() == other_entries
    # Contributors do not edit the plan.
    assert c.get(url("measure_edit", measure=mine.pk)).status_code == 403


def test_evidence_needs_a_file_or_a_link(world, login, uploads):
    m = first_measures(world["our_plan"])[0]
    c = login(world["users"]["editor"])
    r = c.post(url("evidence_add", measure=m.pk), {"caption": "ไม่มีไฟล์", "added_on": "2026-01-15"})
    assert r.status_code == 400 and "กรุณาอัปโหลดไฟล์หรือภาพถ่าย" in r.content.decode()
    assert not m.evidence.exists()


# ------------------------------------------------------------------------------ documents


def test_downloads_docx_and_pdf_with_thai_file_names(world, login):
    import docx

    c = login(world["users"]["viewer"])
    r = c.get(url("document_download", year=2569, kind="plan", fmt="docx"))
    assert r.status_code == 200
    document = docx.Document(io.BytesIO(r.content))
    assert any("ต้นหยงมัส" in p.text for p in document.paragraphs) or document.tables
    cd = r["Content-Disposition"]
    assert cd.startswith("attachment;") and "filename*=UTF-8''" in cd
    assert unquote(cd.split("UTF-8''", 1)[1]).endswith("เทศบาลตำบลต้นหยงมัส ปี 2569.docx")

    r = c.get(url("document_download", year=2569, kind="progress", fmt="pdf"))
    assert r.status_code == 200 and r.content.startswith(b"%PDF") and r["Content-Type"] == "application/pdf"
    r = c.get(url("document_download", year=2569, kind="analysis", fmt="html"))
    assert r.status_code == 200 and "<html" in r.content.decode().lower()
    assert c.get(url("document_download", year=2569, kind="nonsense", fmt="pdf")).status_code == 404
    assert c.get(url("document_download", year=2569, kind="plan", fmt="exe")).status_code == 404


# ------------------------------------------------------------------------------ who may do what


def _our_urls(world) -> list[str]:
    plan = world["our_plan"]
    m = first_measures(plan)[0]
    ev = Evidence.objects.create(measure=m, kind=EvidenceKind.LINK, url="https://example.org/e")
    y = plan.fiscal_year
    return [
        url("plan_detail", year=y),
        url("plan_create", year=y + 5),
        url("plan_next_year", year=y),
        url("measure_add", year=y),
        url("plan_submit", year=y),
        url("plan_decide", year=y),
        url("document_download", year=y, kind="plan", fmt="docx"),
        url("measure_edit", measure=m.pk),
        url("measure_delete", measure=m.pk),
        url("measure_move", measure=m.pk),
        url("measure_progress", measure=m.pk),
        url("evidence_add", measure=m.pk),
        url("evidence_delete", evidence=ev.pk),
        url("evidence_file", evidence=ev.pk),
    ]


def test_viewer_gets_403_on_every_post(world, login):
    c = login(world["users"]["viewer"])
    plan = world["our_plan"]
    before = (Measure.objects.count(), ProgressEntry.objects.count(), Evidence.objects.count())
    for u in _our_urls(world):
        if u.endswith((".docx", "/plans/2569/", "/file/")):  # pages that only read
            assert c.post(u).status_code == 405, u
            continue
        r = c.post(u, {"source": "empty", "direction": "down", "decision": "approved", "version": 1})
        assert r.status_code == 403, u
    assert (Measure.objects.count(), ProgressEntry.objects.count(), Evidence.objects.count() - 1) == before
    assert Plan.objects.get(pk=plan.pk).status == "draft"
    assert not Plan.objects.filter(agency=world["ours"], fiscal_year__gt=2569).exists()


def test_other_agencys_editor_finds_nothing_of_ours(world, login):
    c = login(world["users"]["other_editor"])
    for u in _our_urls(world):
        assert c.get(u).status_code == 404, u
        assert c.post(u, {"source": "empty", "direction": "down"}).status_code == 404, u
    # Not even through their own slug with our ids.
    m = first_measures(world["our_plan"])[0]
    theirs = reverse("measure_edit", kwargs={"agency": "srisongkhram", "measure": m.pk})
    assert c.get(theirs).status_code == 404
    assert (
        c.get(reverse("measure_progress", kwargs={"agency": "srisongkhram", "measure": m.pk})).status_code
        == 404
    )


def test_overseer_and_outsider_do_not_see_drafts_and_anonymous_logs_in(world, login, client):
    plan_url = url("plan_detail", year=2569)
    r = client.get(plan_url)
    assert r.status_code == 302 and "/login/" in r["Location"]
    for who in ("province_overseer", "outsider"):
        assert login(world["users"][who]).get(plan_url).status_code == 404


def test_second_editor_membership_can_edit(world, login):
    """Any editor of the agency edits any measure (used by the locking tests)."""
    from django.contrib.auth.models import User

    second = User.objects.create_user("editor2", password="x-pass-123")
    Membership.objects.create(user=second, agency=world["ours"], role=Role.EDITOR)
    m = first_measures(world["our_plan"])[0]
    assert login(second).get(url("measure_edit", measure=m.pk)).status_code == 200
