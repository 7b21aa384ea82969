"""The บันทึกข้อความ form, the agency's emblem, and the documents' photos: filled over HTTP, downloaded,
read back by the importer; photos only ever from the plan's own evidence."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from prongsai.documents.service import build
from prongsai.documents.service import render as render_document
from prongsai.interchange.models import Document as Record
from prongsai.interchange.models import Evidence as RecordEvidence
from prongsai.thai.digits import to_arabic_digits
from prongsai.web.cycle.images import plan_images
from prongsai.web.cycle.models import Approval, Decision, Evidence, Memo, Plan, PlanStatus
from prongsai.web.cycle.records import import_record, measure_record, plan_record

pytestmark = pytest.mark.django_db


def url(name: str, agency: str = "tonyongmat", **kw) -> str:
    return reverse(name, kwargs={"agency": agency, **kw})


def png_bytes(size=(48, 48), color=(200, 30, 30)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, "PNG")
    return buf.getvalue()


def jpeg_bytes(size=(40, 30)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, (20, 120, 200)).save(buf, "JPEG")
    return buf.getvalue()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    cache.clear()
    yield tmp_path
    cache.clear()


MEMO = {
    "unit": "สำนักปลัดเทศบาลตำบลต้นหยงมัส งานบริหารทั่วไป",
    "ref_no": "ตง 52201/123",
    "date": "15/01/2569",
    "subject": "รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใส รอบ 6 เดือน",
    "to": "นายกเทศมนตรีตำบลต้นหยงมัส",
    "body": "",
    "preparer_name": "นางสาวสมศรี ตั้งใจ",
    "preparer_position": "นักจัดการงานทั่วไปชำนาญการ",
    "checker_name": "นายสมศักดิ์ รักงาน",
    "checker_position": "ปลัดเทศบาลตำบลต้นหยงมัส",
    "executive_name": "นายสมชาย ใจดี",
    "executive_position": "นายกเทศมนตรีตำบลต้นหยงมัส",
    "opinion": "เห็นควรเผยแพร่",
    "decision": "acknowledged",
}


def memo_url(plan: Plan, kind: str = "progress") -> str:
    return url("memo_edit", year=plan.fiscal_year, kind=kind)


# ------------------------------------------------------------------------------ the memo form


def test_memo_form_round_trip_through_docx_and_the_importer(world, login, media):
    from prongsai.importers.service import import_bytes

    plan = world["our_plan"]
    c = login(world["users"]["editor"])
    page = c.get(memo_url(plan))
    assert page.status_code == 200
    html = page.content.decode()
    # Defaults as placeholders: the สำนักปลัด of the agency, the executive's title by its type.
    assert 'placeholder="สำนักปลัดเทศบาลตำบลต้นหยงมัส"' in html
    assert "นายกเทศมนตรีตำบลต้นหยงมัส" in html
    assert "พ.ศ." in html  # the date is typed and shown in the Buddhist era
    assert url("memo_download", year=plan.fiscal_year, kind="progress", fmt="pdf") in html
    assert url("memo_download", year=plan.fiscal_year, kind="progress", fmt="docx") in html

    v0 = plan.content_version
    r = c.post(memo_url(plan), MEMO)
    assert r.status_code == 302, r.content.decode()[:2000]
    memo = Memo.objects.get(plan=plan, kind="progress")
    assert memo.date == date(2026, 1, 15) and memo.ref_no == "ตง 52201/123"
    assert memo.decision == "acknowledged"
    assert Plan.objects.get(pk=plan.pk).content_version > v0
    assert memo.history.first().history_user == world["users"]["editor"]
    assert "15 มกราคม 2569" in c.get(memo_url(plan)).content.decode()

    record = plan_record(plan, memo_kind="progress")
    assert record.memo.ref_no == "ตง 52201/123"
    assert [s["name"] for s in record.memo.signers] == [
        "นางสาวสมศรี ตั้งใจ",
        "นายสมศักดิ์ รักงาน",
        "นายสมชาย ใจดี",
    ]

    r = c.get(url("memo_download", year=plan.fiscal_year, kind="progress", fmt="docx"))
    assert r.status_code == 200, r.content.decode(errors="replace")[:2000]
    back = import_bytes(r.content, "memo.docx").document.memo
    assert back is not None
    # The document prints Thai digits (official style): equal once the digits are read back.
    assert back.unit == MEMO["unit"]
    assert to_arabic_digits(back.ref_no) == MEMO["ref_no"]
    assert back.date == date(2026, 1, 15)
    assert to_arabic_digits(back.subject) == MEMO["subject"]
    assert back.to == MEMO["to"]
    names = [s.get("name") for s in back.signers]
    for name in ("นางสาวสมศรี ตั้งใจ", "นายสมชาย ใจดี"):
        assert name in names, names

    r = c.get(url("memo_download", year=plan.fiscal_year, kind="progress", fmt="pdf"))
    assert r.status_code == 200 and r.content.startswith(b"%PDF")


def test_memo_date_accepts_be_ce_and_thai_digits_and_refuses_nonsense(world, login):
    plan = world["our_plan"]
    c = login(world["users"]["editor"])
    plan_memo = {**MEMO, "decision": "approved"}
    for typed in ("๑๕/๐๑/๒๕๖๙", "2026-01-15", "2569-01-15"):
        r = c.post(memo_url(plan, "plan"), {**plan_memo, "date": typed})
        assert r.status_code == 302, typed
        assert Memo.objects.get(plan=plan, kind="plan").date == date(2026, 1, 15)
    r = c.post(memo_url(plan, "plan"), {**plan_memo, "date": "31/02/2569"})
    assert r.status_code == 400 and "ไม่มีวันที่นี้" in r.content.decode()
    r = c.post(memo_url(plan, "plan"), {**plan_memo, "ref_no": "ท" * 61})
    assert r.status_code == 400
    # A plan's memo is approved or not: "acknowledged" is the progress report's choice.
    assert c.post(memo_url(plan, "plan"), MEMO).status_code == 400


def test_viewer_reads_the_memo_but_cannot_edit_it(world, login):
    plan = world["our_plan"]
    Memo.objects.create(plan=plan, kind="progress", ref_no="ตง 1/1")
    c = login(world["users"]["viewer"])
    r = c.get(memo_url(plan))
    assert r.status_code == 200
    html = r.content.decode()
    assert "ตง 1/1" in html and "disabled" in html
    r = c.post(memo_url(plan), {**MEMO, "ref_no": "แก้โดยผู้อ่าน"})
    assert r.status_code == 403
    assert Memo.objects.get(plan=plan, kind="progress").ref_no == "ตง 1/1"
    for role in ("contributor", "approver"):
        assert login(world["users"][role]).post(memo_url(plan), MEMO).status_code == 403


def test_another_agency_finds_no_memo(world, login):
    plan = world["our_plan"]
    Memo.objects.create(plan=plan, kind="progress", ref_no="ลับ 9/9")
    c = login(world["users"]["other_editor"])
    assert c.get(memo_url(plan)).status_code == 404
    assert c.post(memo_url(plan), MEMO).status_code == 404
    assert c.get(url("memo_download", year=plan.fiscal_year, kind="progress", fmt="docx")).status_code == 404
    assert c.get(url("agency_settings")).status_code == 404
    assert c.get(url("agency_emblem")).status_code == 404
    assert Memo.objects.get(plan=plan, kind="progress").ref_no == "ลับ 9/9"
    # An unknown kind is not found either.
    editor = login(world["users"]["editor"])
    assert editor.get(url("memo_edit", year=plan.fiscal_year, kind="memo")).status_code == 404


def test_plan_page_and_progress_page_link_the_memos_and_both_layouts(world, login):
    plan = world["our_plan"]
    c = login(world["users"]["viewer"])
    html = c.get(url("plan_detail", year=plan.fiscal_year)).content.decode()
    for kind in ("analysis", "plan", "progress"):
        assert memo_url(plan, kind) in html
    for fmt in ("pdf", "docx"):
        link = url("document_download", year=plan.fiscal_year, kind="progress", fmt=fmt)
        assert f"{link}?layout=result" in html
    m = plan.measures.order_by("position", "pk").first()
    assert memo_url(plan) in c.get(url("measure_progress", measure=m.pk)).content.decode()


# ------------------------------------------------------------------------------ imported memos


def test_imported_memo_fills_only_the_blank_fields_of_the_memo_it_wraps(world):
    plan = world["our_plan"]
    Memo.objects.create(plan=plan, kind="plan", ref_no="ตง 52201/999", preparer_name="นางสาวผู้กรอกเอง")
    record = Record.model_validate(
        {
            "agency": {"name": "เทศบาลตำบลต้นหยงมัส"},
            "report_fiscal_year": plan.fiscal_year,
            "kinds": ["memo", "measures_plan"],
            "memo": {
                "unit": "สำนักปลัด เทศบาลตำบลต้นหยงมัส",
                "ref_no": "ตง 52201/001",
                "date": "2025-10-20",
                "subject": "ขออนุมัติมาตรการ",
                "to": "นายกเทศมนตรีตำบลต้นหยงมัส",
                "signers": [
                    {"name": "นางสาวจากรายงาน", "position": "นักจัดการงานทั่วไป"},
                    {"name": "นายผู้บริหาร จากรายงาน", "position": "นายกเทศมนตรีตำบลต้นหยงมัส"},
                ],
            },
        }
    )
    assert import_record(world["ours"], record) == plan
    memo = Memo.objects.get(plan=plan, kind="plan")
    assert memo.ref_no == "ตง 52201/999"  # the officer's own value is kept
    assert memo.preparer_name == "นางสาวผู้กรอกเอง"
    assert memo.preparer_position == "นักจัดการงานทั่วไป"
    assert memo.subject == "ขออนุมัติมาตรการ" and memo.date == date(2025, 10, 20)
    assert memo.executive_name == "นายผู้บริหาร จากรายงาน"
    assert not Memo.objects.filter(plan=plan, kind="progress").exists()
    # No kinds: the memo wraps the progress report.
    record = record.model_copy(update={"kinds": []})
    import_record(world["ours"], record)
    assert Memo.objects.get(plan=plan, kind="progress").ref_no == "ตง 52201/001"


def test_accepting_an_imported_memo_through_the_review_stores_it(world, login, media):
    from prongsai.web.imports.models import ImportJob, JobStatus

    plan = world["our_plan"]
    draft = {
        "format": "prongsai/1",
        "agency": {"name": "เทศบาลตำบลต้นหยงมัส"},
        "report_fiscal_year": plan.fiscal_year,
        "kinds": ["memo", "progress_report"],
        "memo": {"ref_no": "ตง 52201/777", "to": "นายกเทศมนตรีตำบลต้นหยงมัส", "signers": []},
    }
    job = ImportJob.objects.create(
        agency=world["ours"],
        uploaded_by=world["users"]["editor"],
        file_name="memo.txt",
        size=4,
        data=b"text",
        status=JobStatus.DONE,
        method="text",
        text="บันทึกข้อความ",
        draft=draft,
        finished_at=timezone.now(),
    )
    c = login(world["users"]["editor"])
    v0 = plan.content_version
    r = c.post(url("import_accept", job=job.pk), {"memo.ref_no": "ตง 52201/777"})
    assert r.status_code == 302, r.content.decode()[:3000]
    assert Memo.objects.get(plan=plan, kind="progress").ref_no == "ตง 52201/777"
    assert Plan.objects.get(pk=plan.pk).content_version > v0


# ------------------------------------------------------------------------------ the emblem


def test_emblem_upload_refuses_non_images_and_oversized_images(world, login, media):
    c = login(world["users"]["editor"])
    page = c.get(url("agency_settings"))
    assert page.status_code == 200 and 'name="emblem"' in page.content.decode()

    text = SimpleUploadedFile("garuda.png", b"not an image at all\n" * 10, content_type="image/png")
    r = c.post(url("agency_settings"), {"emblem": text})
    assert r.status_code == 400 and "PNG หรือ JPEG" in r.content.decode()
    gif = SimpleUploadedFile("garuda.gif", b"GIF89a" + b"\x00" * 40, content_type="image/gif")
    assert c.post(url("agency_settings"), {"emblem": gif}).status_code == 400
    wide = SimpleUploadedFile("garuda.png", png_bytes((2001, 20)), content_type="image/png")
    r = c.post(url("agency_settings"), {"emblem": wide})
    assert r.status_code == 400 and "2001" in r.content.decode()
    noise = Image.frombytes("RGB", (1000, 1000), bytes((i * 7919) % 251 for i in range(3_000_000)))
    buf = io.BytesIO()
    noise.save(buf, "PNG", compress_level=0)
    assert len(buf.getvalue()) > 2 * 1024 * 1024
    big = SimpleUploadedFile("garuda.png", buf.getvalue(), content_type="image/png")
    r = c.post(url("agency_settings"), {"emblem": big})
    assert r.status_code == 400 and "เกินกว่าที่กำหนด" in r.content.decode()
    world["ours"].refresh_from_db()
    assert not world["ours"].emblem

    # A viewer may look but not upload.
    viewer = login(world["users"]["viewer"])
    ok = SimpleUploadedFile("garuda.png", png_bytes(), content_type="image/png")
    assert viewer.post(url("agency_settings"), {"emblem": ok}).status_code == 403
    assert 'name="emblem"' not in viewer.get(url("agency_settings")).content.decode()


def test_emblem_is_previewed_served_to_members_replaced_and_in_the_memo_docx(world, login, media):
    c = login(world["users"]["editor"])
    assert c.get(url("agency_emblem")).status_code == 404  # none yet
    r = c.post(
        url("agency_settings"),
        {"emblem": SimpleUploadedFile("ครุฑ.png", png_bytes(), content_type="image/png")},
    )
    assert r.status_code == 302
    agency = world["ours"]
    agency.refresh_from_db()
    assert agency.emblem.name.startswith("emblems/") and agency.emblem.name.endswith(".png")
    assert "ครุฑ" not in agency.emblem.name  # a name nobody can guess
    html = c.get(url("agency_settings")).content.decode()
    assert url("agency_emblem") in html
    viewer = login(world["users"]["viewer"])
    r = viewer.get(url("agency_emblem"))
    assert r.status_code == 200 and r["Content-Type"] == "image/png"
    assert b"".join(r.streaming_content).startswith(b"\x89PNG")
    assert r["X-Content-Type-Options"] == "nosniff"
    assert login(world["users"]["outsider"]).get(url("agency_emblem")).status_code == 404

    # Replaced by a JPEG.
    c = login(world["users"]["editor"])
    r = c.post(url("agency_settings"), {"emblem": SimpleUploadedFile("e.jpg", jpeg_bytes(), "image/jpeg")})
    assert r.status_code == 302
    agency.refresh_from_db()
    assert agency.emblem.name.endswith(".jpg")
    assert agency.history.count() >= 2

    plan = world["our_plan"]
    r = c.get(url("memo_download", year=plan.fiscal_year, kind="plan", fmt="docx"))
    assert r.status_code == 200, r.content.decode(errors="replace")[:2000]
    with zipfile.ZipFile(io.BytesIO(r.content)) as z:
        media_parts = [n for n in z.namelist() if n.startswith("word/media/")]
        assert media_parts, z.namelist()
        assert any(z.read(n).startswith(b"\xff\xd8\xff") for n in media_parts)


# ------------------------------------------------------------------------------ photos and results


def _their_photo(world) -> Evidence:
    their_measure = world["their_plan"].measures.order_by("position", "pk").first()
    ev = Evidence(measure=their_measure, kind="photo", caption="ภาพของหน่วยงานอื่น")
    ev.file.save("their.png", ContentFile(png_bytes(color=(0, 200, 0))), save=True)
    return ev


def _inline_images(data: bytes) -> int:
    import docx

    return len(docx.Document(io.BytesIO(data)).inline_shapes)


def _docx_text(data: bytes) -> str:
    import docx

    d = docx.Document(io.BytesIO(data))
    parts = [p.text for p in d.paragraphs]
    for t in d.tables:
        for row in t.rows:
            parts.extend(cell.text for cell in row.cells)
    return to_arabic_digits("\n".join(parts))


def test_progress_result_layout_shows_results_and_photos_of_the_plan_only(world, login, media):
    plan = world["our_plan"]
    mine = plan.measures.order_by("position", "pk").first()
    c = login(world["users"]["contributor"])
    today = timezone.localdate().isoformat()
    result = "จัดอบรมเจ้าหน้าที่เรื่องผลประโยชน์ทับซ้อนแล้ว 2 ครั้ง ผู้เข้าร่วม 45 คน"
    r = c.post(
        url("measure_progress", measure=mine.pk),
        {
            "as_of": today,
            "status": "in_progress",
            "result": result,
            "outcome": "เจ้าหน้าที่เข้าใจแนวปฏิบัติมากขึ้น",
            "suggestion": "ควรจัดต่อเนื่องทุกไตรมาส",
        },
    )
    assert r.status_code == 302
    # A later entry that only changes the status must not hide the result.
    r = c.post(
        url("measure_progress", measure=mine.pk),
        {"as_of": today, "status": "done", "result": "", "outcome": "", "suggestion": ""},
    )
    assert r.status_code == 302
    photo = SimpleUploadedFile("ภาพการอบรม.png", png_bytes(), content_type="image/png")
    r = c.post(
        url("evidence_add", measure=mine.pk),
        {"file": photo, "caption": "ภาพการอบรมเจ้าหน้าที่", "added_on": today},
    )
    assert r.status_code == 302
    ev = Evidence.objects.filter(measure=mine, kind="photo").get()

    mine.refresh_from_db()
    rm = measure_record(mine)
    assert rm.result == result
    assert rm.status == "done"
    shown = next(e for e in rm.evidence if e.id == str(ev.pk))
    assert shown.ref == "ภาพการอบรม.png" and "evidence/" not in shown.ref
    assert shown.caption == "ภาพการอบรมเจ้าหน้าที่"

    r = c.get(url("document_download", year=plan.fiscal_year, kind="progress", fmt="docx") + "?layout=result")
    assert r.status_code == 200, r.content.decode(errors="replace")[:2000]
    text = _docx_text(r.content)
    assert result in text
    assert "ควรจัดต่อเนื่องทุกไตรมาส" in text
    assert "ภาพการอบรมเจ้าหน้าที่" in text
    assert _inline_images(r.content) >= 1
    pdf = url("document_download", year=plan.fiscal_year, kind="progress", fmt="pdf")
    r = c.get(pdf + "?layout=result")
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    assert c.get(pdf + "?layout=x").status_code == 404


def test_a_record_naming_another_agencys_evidence_id_embeds_nothing(world, media):
    plan = world["our_plan"]
    theirs = _their_photo(world)
    mine = plan.measures.order_by("position", "pk").first()
    own = Evidence(measure=mine, kind="photo", caption="ของเรา")
    own.file.save("ours.png", ContentFile(png_bytes()), save=True)
    lookup = plan_images(plan)
    named = RecordEvidence(kind="photo", ref="their.png", id=str(theirs.pk))
    assert lookup(named) is None
    assert lookup(RecordEvidence(kind="photo", ref=theirs.file.name)) is None  # a ref is never opened
    assert lookup(RecordEvidence(kind="photo", ref="ours.png", id=str(own.pk)))[1] == "image/png"

    record = plan_record(plan)
    first = record.measures[0]
    forged = first.model_copy(
        update={
            "result": "ผลการดำเนินงาน",
            "evidence": [RecordEvidence(kind="photo", ref="their.png", caption="ปลอม", id=str(theirs.pk))],
        }
    )
    record = record.model_copy(update={"measures": [forged, *record.measures[1:]]})
    data = render_document(build("progress", record, layout="result", images=plan_images(plan)), "docx")
    assert _inline_images(data) == 0


def test_public_page_embeds_only_the_approved_plans_own_photos(world, client, media):
    plan = world["our_plan"]
    mine = plan.measures.order_by("position", "pk").first()
    own = Evidence(measure=mine, kind="photo", caption="ภาพที่อนุมัติ")
    own.file.save("approved.png", ContentFile(png_bytes()), save=True)
    theirs = _their_photo(world)
    snapshot = plan_record(plan)
    first = snapshot.measures[0].model_copy(
        update={
            "status": "done",
            "result": "ดำเนินการแล้ว",
            "evidence": [
                RecordEvidence(kind="photo", ref="approved.png", caption="ภาพที่อนุมัติ", id=str(own.pk)),
                RecordEvidence(kind="photo", ref="their.png", caption="ภาพปลอม", id=str(theirs.pk)),
                RecordEvidence(kind="photo", ref=theirs.file.name, caption="ภาพตามที่อยู่ไฟล์"),
            ],
        }
    )
    snapshot = snapshot.model_copy(update={"measures": [first, *snapshot.measures[1:]]})
    Approval.objects.create(
        plan=plan,
        version=plan.content_version,
        decision=Decision.APPROVED,
        approver=world["users"]["approver"],
        approver_name="นายสมชาย ใจดี",
        snapshot=snapshot.model_dump(mode="json"),
    )
    plan.status, plan.approved_version = PlanStatus.APPROVED, plan.content_version
    plan.save()
    r = client.get(f"/p/{world['ours'].slug}/{plan.fiscal_year}/")
    assert r.status_code == 200
    html = r.content.decode()
    import base64

    own_b64 = base64.b64encode(png_bytes()).decode()
    their_b64 = base64.b64encode(png_bytes(color=(0, 200, 0))).decode()
    assert own_b64 in html  # the approved plan's own photo, from the evidence store
    assert their_b64 not in html  # neither by the other agency's id nor by its storage path
