"""Public pages: approved content only, from the approval's snapshot; a year's page stays as it
was approved (next year's approval and later edits do not touch it)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from prongsai.web.cycle import actions
from prongsai.web.cycle.models import Measure, Plan, PlanStatus

pytestmark = pytest.mark.django_db


def approve_through_workflow(login, approver, plan: Plan) -> None:
    """Submitted, then approved by the executive through the approval page."""
    Plan.objects.filter(pk=plan.pk).update(status=PlanStatus.SUBMITTED)
    plan.refresh_from_db()
    c = login(approver)
    response = c.post(
        reverse("plan_decide", kwargs={"agency": plan.agency.slug, "year": plan.fiscal_year}),
        {"decision": "approved", "version": plan.content_version, "comment": ""},
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED
    c.logout()


def published_part(response) -> str:
    """The page below the site header (which carries a per-session CSRF token)."""
    html = response.content.decode()
    return html[html.index('class="pub-head"') :]


def edit_title(measure: Measure, title: str) -> None:
    actions.edit_measure(measure, measure.version, {"title": title})


def test_nothing_approved_is_404(world, client):
    assert client.get(reverse("public_agency", kwargs={"agency": "tonyongmat"})).status_code == 404
    assert (
        client.get(reverse("public_year", kwargs={"agency": "tonyongmat", "year": 2569})).status_code == 404
    )
    assert client.get(reverse("public_year", kwargs={"agency": "nobody", "year": 2569})).status_code == 404


def test_approved_year_is_public_and_frozen(world, login, client):
    users, plan = world["users"], world["our_plan"]
    first = plan.measures.order_by("position", "pk").first()
    edit_title(first, "มาตรการฉบับที่อนุมัติ")
    approve_through_workflow(login, users["approver"], plan)

    url = reverse("public_year", kwargs={"agency": "tonyongmat", "year": 2569})
    page = client.get(url)  # anonymous
    assert page.status_code == 200
    html = page.content.decode()
    assert "มาตรการฉบับที่อนุมัติ" in html
    assert [s["kind"] for s in page.context["sections"]] == ["analysis", "plan"]  # no progress yet
    assert "นายสมชาย ใจดี" in html
    listing = client.get(reverse("public_agency", kwargs={"agency": "tonyongmat"}))
    assert listing.status_code == 200 and url in listing.content.decode()

    # An edit after approval is not public until approved again.
    edit_title(first, "แก้ไขหลังอนุมัติ")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT
    again = client.get(url).content.decode()
    assert "แก้ไขหลังอนุมัติ" not in again and "มาตรการฉบับที่อนุมัติ" in again

    # Next year's approval leaves this year's page exactly as it was.
    before = published_part(client.get(url))
    nxt = Plan.objects.create(agency=world["ours"], fiscal_year=2570)
    Measure.objects.create(plan=nxt, position=1, title="มาตรการปีถัดไป", indicators=[9])
    approve_through_workflow(login, users["approver"], nxt)
    assert published_part(client.get(url)) == before
    page_2570 = client.get(reverse("public_year", kwargs={"agency": "tonyongmat", "year": 2570}))
    assert page_2570.status_code == 200 and "มาตรการปีถัดไป" in page_2570.content.decode()
    assert "มาตรการปีถัดไป" not in before

    # Approved again: now the edit is public, under the same stable URL.
    approve_through_workflow(login, users["approver"], plan)
    assert "แก้ไขหลังอนุมัติ" in client.get(url).content.decode()


def test_progress_shows_once_approved(world, login, client):
    users, plan = world["users"], world["our_plan"]
    approve_through_workflow(login, users["approver"], plan)
    url = reverse("public_year", kwargs={"agency": "tonyongmat", "year": 2569})
    assert "progress" not in [s["kind"] for s in client.get(url).context["sections"]]
    c = login(users["editor"])
    m = plan.measures.order_by("position", "pk").first()
    actions.edit_measure(m, m.version, {"status": "done"})
    m.progress.create(as_of=timezone.localdate(), status="done", result="ผลการดำเนินงานทดสอบหน้าสาธารณะ")
    c.logout()
    assert "ผลการดำเนินงานทดสอบหน้าสาธารณะ" not in client.get(url).content.decode()
    approve_through_workflow(login, users["approver"], plan)
    page = client.get(url)
    assert [s["kind"] for s in page.context["sections"]] == ["analysis", "plan", "progress"]
    assert "ผลการดำเนินงานทดสอบหน้าสาธารณะ" in page.content.decode()


def test_fonts_are_served(client):
    response = client.get(reverse("public_font_normal_normal"))
    if response.status_code == 404:
        pytest.skip("TH Sarabun New is not installed (make fonts)")
    assert response["Content-Type"] == "font/ttf"
    assert b"".join(response.streaming_content)[:4] in (b"\x00\x01\x00\x00", b"true", b"OTTO")


def test_approved_evidence_files_are_linked_by_name(world, login, client, settings, tmp_path):
    """The public page names each approved evidence file as uploaded, linked to its public
    download (issue 12, defect 8); files not in the approved version are not served."""
    from urllib.parse import quote

    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    users, plan = world["users"], world["our_plan"]
    m = plan.measures.order_by("position", "pk").first()
    pdf = b"%PDF-1.4\n%%EOF\n"

    def upload(name: str) -> None:
        editor = login(users["editor"])  # one test client: the approval logs out
        r = editor.post(
            reverse("evidence_add", kwargs={"agency": "tonyongmat", "measure": m.pk}),
            {"file": SimpleUploadedFile(name, pdf), "added_on": "01/12/2569"},
        )
        assert r.status_code == 302

    upload("บันทึกข้อความ.pdf")
    approve_through_workflow(login, users["approver"], plan)
    upload("ร่างที่ยังไม่อนุมัติ.pdf")  # after the approval: not public
    approved, later = m.evidence.order_by("pk")
    client.logout()

    page = client.get(reverse("public_year", kwargs={"agency": "tonyongmat", "year": 2569}))
    html = page.content.decode()
    link = reverse("public_evidence", kwargs={"agency": "tonyongmat", "year": 2569, "evidence": approved.pk})
    assert f'<a href="{link}">บันทึกข้อความ.pdf</a>' in html
    assert "ร่างที่ยังไม่อนุมัติ" not in html and approved.file.name not in html  # no storage path
    r = client.get(link)
    assert r.status_code == 200 and b"".join(r.streaming_content) == pdf
    assert f"filename*=utf-8''{quote('บันทึกข้อความ.pdf')}" in r["Content-Disposition"]
    for pk, year in ((later.pk, 2569), (approved.pk, 2570)):
        url = reverse("public_evidence", kwargs={"agency": "tonyongmat", "year": year, "evidence": pk})
        assert client.get(url).status_code == 404
    theirs = reverse(
        "public_evidence", kwargs={"agency": "srisongkhram", "year": 2569, "evidence": approved.pk}
    )
    assert client.get(theirs).status_code == 404


# --- issue 13: the directory, the approved documents as PDF and DOCX, the OIT anchors ---------

PUBLIC_AGENCIES = [
    ("เทศบาลตำบลท่ามะพลา", "thamaphla", "เทศบาลตำบล", "ปากพะยูน", "พัทลุง"),
    ("องค์การบริหารส่วนตำบลนาโยงเหนือ", "nayongnuea", "องค์การบริหารส่วนตำบล", "นาโยง", "ตรัง"),
    ("เทศบาลเมืองกันตัง", "kantang", "เทศบาลเมือง", "กันตัง", "ตรัง"),
]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Evidence and the public documents' store in a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"


def directory(client, **params):
    response = client.get(reverse("public_directory"), params)
    assert response.status_code == 200, params
    return response


def slugs(response) -> list[str]:
    return [row["slug"] for row in response.context["result"].rows]


def add_agencies(rows=PUBLIC_AGENCIES):
    from prongsai.web.agencies.models import Agency

    for name, slug, type_, district, province in rows:
        Agency.objects.create(name=name, slug=slug, type=type_, district=district, province=province)


def test_directory_finds_agencies_by_forgiving_name(world, client):
    add_agencies()
    for q in (
        "ท่ามะพลา",  # a part of the name
        "ท่า มะพลา",  # spaced differently
        "ทต.ท่ามะพลา",  # the abbreviation of its type
        "เทศบาลตำบล ท่ามะพลา",
        "ท่ามะพลา พัทลุง",  # name and province
        "\u0e17\u0e48\u0e32\u0e21\u0e30\u0e1e\u0e25\u0e32\u200b",  # a zero-width space typed in
    ):
        assert slugs(directory(client, q=q)) == ["thamaphla"], q
    assert slugs(directory(client, q="อบต. นาโยง")) == ["nayongnuea"]
    assert slugs(directory(client, q="นาโยง")) == ["nayongnuea"]  # name and district both say นาโยง
    # No name contains a misspelling: close names are offered, and said to be so.
    close = directory(client, q="ท่ามะพาลา")
    assert slugs(close)[:1] == ["thamaphla"] and close.context["result"].fuzzy
    assert "ชื่อที่ใกล้เคียง" in close.content.decode()
    assert slugs(directory(client, q="ไม่มีหน่วยงานชื่อนี้เลยจริงๆ")) == []
    # The exact name first, then names that contain it.
    html = directory(client, q="ท่ามะพลา").content.decode()
    assert "เทศบาลตำบลท่ามะพลา" in html and "อำเภอปากพะยูน" in html


def test_directory_filters_by_province_type_and_published(world, client, login):
    add_agencies()
    assert sorted(slugs(directory(client, province="ตรัง"))) == ["kantang", "nayongnuea", "tonyongmat"]
    assert slugs(directory(client, province="ตรัง", type="เทศบาลเมือง")) == ["kantang"]
    assert slugs(directory(client, q="กันตัง", province="พัทลุง")) == []
    assert len(slugs(directory(client))) == 5  # everyone, published or not
    assert slugs(directory(client, published="1")) == []
    approve_through_workflow(login, world["users"]["approver"], world["our_plan"])
    client.logout()
    response = directory(client, published="1")
    assert slugs(response) == ["tonyongmat"]
    year_url = reverse("public_year", kwargs={"agency": "tonyongmat", "year": 2569})
    assert response.context["result"].rows[0]["years"] == [2569]
    assert year_url in response.content.decode()


def test_directory_pages(world, client):
    add_agencies(
        [
            (f"องค์การบริหารส่วนตำบลทดสอบ{n:02d}", f"test{n:02d}", "องค์การบริหารส่วนตำบล", "", "สตูล")
            for n in range(45)
        ]
    )
    first = directory(client, province="สตูล")
    assert first.context["result"].total == 45 and first.context["result"].pages == 3
    assert slugs(first) == [f"test{n:02d}" for n in range(20)]
    assert first.context["prev_url"] == "" and "page=2" in first.context["next_url"]
    assert "province=" in first.context["next_url"]  # the filter is kept from page to page
    third = directory(client, province="สตูล", page="3")
    assert slugs(third) == [f"test{n:02d}" for n in range(40, 45)] and third.context["next_url"] == ""
    assert slugs(directory(client, province="สตูล", page="4")) == []


@pytest.mark.parametrize(
    "params",
    [
        {"q": "ท" * 101},
        {"q": "x" * 100_000},
        {"q": "\x00ท่ามะพลา"},
        {"page": "abc"},
        {"page": "-1"},
        {"page": "0"},
        {"page": "²"},
        {"page": "99999999999999999999"},
        {"page": "99999"},
        {"province": "\x00"},
        {"province": "ไม่มีจังหวัดนี้"},
        {"type": "' OR 1=1 --"},
        {"q": "%", "province": "ตรัง"},
        {"published": "\x00"},
    ],
)
def test_directory_garbage_is_an_empty_answer(world, client, params):
    add_agencies()
    response = directory(client, **params)
    if params.get("q") == "\x00ท่ามะพลา":  # a control character is dropped, the rest searched
        assert slugs(response) == ["thamaphla"]
    elif params.get("published") == "\x00":  # not "1": the filter is off
        assert len(slugs(response)) == 5
    else:
        assert slugs(response) == []


def test_draft_shows_nothing_anywhere_public(world, client):
    """Their plan was never approved: listed in the directory as not published, nothing of it
    behind any public URL."""
    theirs = world["their_plan"]
    titles = list(theirs.measures.values_list("title", flat=True))
    page = directory(client, q="ศรีสังคราม")
    assert slugs(page) == ["srisongkhram"] and page.context["result"].rows[0]["years"] == []
    html = page.content.decode()
    assert reverse("public_agency", kwargs={"agency": "srisongkhram"}) not in html
    assert not any(t in html for t in titles)
    year = {"agency": "srisongkhram", "year": theirs.fiscal_year}
    assert client.get(reverse("public_year", kwargs=year)).status_code == 404
    for kind in ("analysis", "plan", "progress", "memo-plan"):
        for fmt in ("pdf", "docx"):
            url = reverse("public_document", kwargs={**year, "kind": kind, "fmt": fmt})
            assert client.get(url).status_code == 404, url


def pdf_text(data: bytes, tmp_path) -> str:
    import subprocess

    from prongsai.thai.normalise import comparable

    path = tmp_path / "public.pdf"
    path.write_bytes(data)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    # Sara am comes out of a PDF decomposed; lines break inside names.
    return comparable(text)


def docx_text(data: bytes) -> str:
    import io

    from docx import Document as read_docx

    d = read_docx(io.BytesIO(data))
    parts = [p.text for p in d.paragraphs]
    for table in d.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "".join("".join(parts).replace("\u2060", "").split())


def test_downloads_are_the_approved_documents_made_once(
    world, login, client, tmp_path, monkeypatch, settings
):
    """PDF and DOCX of the approved record (not the draft edited since), each made once per
    approved version however many citizens ask (even with Django's cache emptied), and made again
    for a new approval."""
    from django.core.cache import cache

    from prongsai.web.pages import downloads

    users, plan = world["users"], world["our_plan"]
    first = plan.measures.order_by("position", "pk").first()
    edit_title(first, "มาตรการฉบับที่อนุมัติแล้ว")
    approve_through_workflow(login, users["approver"], plan)
    edit_title(first, "ร่างที่แก้หลังอนุมัติ")  # a draft now: never in a public file
    client.logout()

    built = []
    real = downloads.record_document

    def counting(record, kind, fmt, **kw):
        built.append((kind, fmt))
        return real(record, kind, fmt, **kw)

    monkeypatch.setattr(downloads, "record_document", counting)
    year = {"agency": "tonyongmat", "year": 2569}
    pdf_url = reverse("public_document", kwargs={**year, "kind": "plan", "fmt": "pdf"})
    r = client.get(pdf_url)
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r.content.startswith(b"%PDF")
    text = pdf_text(r.content, tmp_path)
    assert "เทศบาลตำบลต้นหยงมัส" in text and "มาตรการฉบับที่อนุมัติแล้ว" in text
    assert "ร่างที่แก้หลังอนุมัติ" not in text
    assert "filename*=UTF-8''" in r["Content-Disposition"]
    assert built == [("plan", "pdf")]

    again = client.get(pdf_url)
    assert again.content == r.content and built == [("plan", "pdf")]  # read back, not made again
    cache.clear()
    assert client.get(pdf_url).content == r.content and built == [("plan", "pdf")]

    docx = client.get(reverse("public_document", kwargs={**year, "kind": "plan", "fmt": "docx"}))
    assert docx.status_code == 200 and docx["Content-Type"].startswith("application/vnd.openxml")
    words = docx_text(docx.content)
    assert "เทศบาลตำบลต้นหยงมัส" in words and "มาตรการฉบับที่อนุมัติแล้ว" in words
    assert "ร่างที่แก้หลังอนุมัติ" not in words
    analysis = client.get(reverse("public_document", kwargs={**year, "kind": "analysis", "fmt": "pdf"}))
    assert analysis.status_code == 200 and "เทศบาลตำบลต้นหยงมัส" in pdf_text(analysis.content, tmp_path)
    assert built == [("plan", "pdf"), ("plan", "docx"), ("analysis", "pdf")]
    # No progress approved yet, html is not a public format, no such kind.
    for kind, fmt in (("progress", "pdf"), ("plan", "html"), ("memo", "pdf"), ("x", "pdf")):
        assert (
            client.get(reverse("public_document", kwargs={**year, "kind": kind, "fmt": fmt})).status_code
            == 404
        )

    # Approved again: the new version is made once, under the same URL.
    approve_through_workflow(login, users["approver"], plan)
    client.logout()
    newer = client.get(pdf_url)
    assert "ร่างที่แก้หลังอนุมัติ" in pdf_text(newer.content, tmp_path)
    client.get(pdf_url)
    assert built.count(("plan", "pdf")) == 2
    # The earlier approval's files are never served again: removed from the store.
    store = settings.MEDIA_ROOT / "public-documents" / str(plan.pk)
    kept = sorted(p.relative_to(store).parts[0] for p in store.rglob("*") if p.is_file())
    assert len(set(kept)) == 1 and kept[0].startswith(f"a{plan.approvals.latest('decided_at').pk}-")


def test_the_year_page_offers_downloads_and_oit_anchors(world, login, client):
    approve_through_workflow(login, world["users"]["approver"], world["our_plan"])
    client.logout()
    page = client.get(reverse("public_year", kwargs={"agency": "tonyongmat", "year": 2569}))
    html = page.content.decode()
    year = {"agency": "tonyongmat", "year": 2569}
    for kind in ("analysis", "plan"):
        for fmt in ("pdf", "docx"):
            assert reverse("public_document", kwargs={**year, "kind": kind, "fmt": fmt}) in html
    # Every OIT item of the 2569 edition has its anchor; the measures' item links the plan files.
    from prongsai.ita.edition import get_edition

    edition = get_edition(2569)
    oit = [i.id for g in edition.items if g.tool == "OIT" for i in g.entries]
    assert oit and all(f'id="{i}"' in html for i in oit)
    item = edition.document_items.measures.item
    row = html[html.index(f'<tr id="{item}">') :]
    row = row[: row.index("</tr>")]
    assert reverse("public_document", kwargs={**year, "kind": "plan", "fmt": "pdf"}) in row
    assert "#o1" in html  # the page says how to link to an item


def test_memo_as_approved_is_published(world, login, client, tmp_path):
    """The memo of the measures as it stood at the approval; one changed later shows as it was
    approved, a memo recorded as not approved is not published."""
    from django.db import transaction

    from prongsai.web.cycle.models import Memo

    users, plan = world["users"], world["our_plan"]
    with transaction.atomic():
        memo = Memo.objects.create(plan=plan, kind="plan", subject="ขออนุมัติมาตรการฉบับอนุมัติ")
        actions.bump_plan(plan)
    approve_through_workflow(login, users["approver"], plan)
    memo.subject = "เรื่องที่แก้หลังอนุมัติ"
    memo.save()
    client.logout()
    year = {"agency": "tonyongmat", "year": 2569}
    url = reverse("public_document", kwargs={**year, "kind": "memo-plan", "fmt": "pdf"})
    r = client.get(url)
    assert r.status_code == 200
    text = pdf_text(r.content, tmp_path)
    assert "ขออนุมัติมาตรการฉบับอนุมัติ" in text and "เรื่องที่แก้หลังอนุมัติ" not in text
    assert url in client.get(reverse("public_year", kwargs=year)).content.decode()
    # No memo of the progress report existed at the approval.
    assert (
        client.get(
            reverse("public_document", kwargs={**year, "kind": "memo-progress", "fmt": "pdf"})
        ).status_code
        == 404
    )

    with transaction.atomic():
        Memo.objects.filter(pk=memo.pk).update(decision="not_approved")
        memo.refresh_from_db()
        memo.save()  # recorded in the history
        actions.bump_plan(plan)
    approve_through_workflow(login, users["approver"], plan)
    client.logout()
    assert client.get(url).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_a_crowd_at_once_gets_one_build(world, login, monkeypatch):
    """Eight citizens ask for the same new file at the same moment: it is made once (the
    approval row locked on PostgreSQL, a process lock on SQLite), and all eight get it."""
    import threading
    import time

    from django.db import connection

    from prongsai.web.cycle.models import Approval
    from prongsai.web.pages import downloads
    from prongsai.web.public import signals
    from prongsai.web.public.documents import Approved, document_bytes

    monkeypatch.setattr(signals, "_enqueue", lambda pk: None)  # the worker is behind: not built ahead
    approve_through_workflow(login, world["users"]["approver"], world["our_plan"])
    built = []

    def slow(record, kind, fmt, **kw):
        built.append(kind)
        time.sleep(0.3)  # the others arrive while it is being made
        return b"%PDF-1.7 made once"

    monkeypatch.setattr(downloads, "record_document", slow)
    approval_pk = Approval.objects.get().pk
    got, errors = [], []

    def citizen():
        try:
            approved = Approved(Approval.objects.select_related("plan__agency").get(pk=approval_pk))
            got.append(document_bytes(approved, approved.documents["plan"], "pdf"))
        except Exception as exc:
            errors.append(repr(exc))
        finally:
            connection.close()

    crowd = [threading.Thread(target=citizen) for _ in range(8)]
    for t in crowd:
        t.start()
    for t in crowd:
        t.join()
    assert not errors
    assert built == ["plan"] and got == [b"%PDF-1.7 made once"] * 8


def test_english_when_chosen(world, login, client):
    """Thai first; English once the visitor chose it with the language switch (its cookie), on
    the directory and the year page alike."""
    from django.conf import settings

    approve_through_workflow(login, world["users"]["approver"], world["our_plan"])
    client.logout()
    year_url = reverse("public_year", kwargs={"agency": "tonyongmat", "year": 2569})
    thai = client.get(reverse("public_directory"), {"q": "ต้นหยง"}, HTTP_ACCEPT_LANGUAGE="en")
    assert "พบ 1 หน่วยงาน" in thai.content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(reverse("public_directory"), {"q": "ต้นหยง"}).content.decode()
    assert "1 agency found" in english and 'lang="en"' in english
    assert "Download the approved documents" in client.get(year_url).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"  # not a language of the site: Thai
    assert "พบ 1 หน่วยงาน" in client.get(reverse("public_directory"), {"q": "ต้นหยง"}).content.decode()
