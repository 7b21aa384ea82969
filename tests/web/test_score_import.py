"""Score import from CSV and XLSX: column mapping guessed from Thai and English headers, a dry run
that names each bad row and stores nothing, and an all-or-nothing apply through the task API."""

from __future__ import annotations

import io
from urllib.parse import parse_qs, urlparse

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_tasks.signals import task_enqueued, task_finished
from openpyxl import Workbook

from prongsai.web.cycle.models import Assessment
from prongsai.web.imports.models import ScoreImport
from prongsai.web.pages import score_import

pytestmark = pytest.mark.django_db

OURS = "tonyongmat"


def url(name: str) -> str:
    return reverse(name, kwargs={"agency": OURS})


def csv_bytes(rows: list[list[str]]) -> bytes:
    return ("\n".join(",".join(r) for r in rows) + "\n").encode("utf-8-sig")


def xlsx_bytes(rows: list[list]) -> bytes:
    wb = Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def upload(client, raw: bytes, name: str):
    r = client.post(url("scores_import"), {"action": "upload", "file": SimpleUploadedFile(name, raw)})
    assert r.status_code == 302, r.content.decode()[:2000]
    token = parse_qs(urlparse(r["Location"]).query)["f"][0]
    return token, client.get(r["Location"])


def mapping_of(html: str, n: int) -> dict:
    return {f"col_{i}": _selected(html, i) for i in range(n)}


def _selected(html: str, i: int) -> str:
    start = html.index(f'name="col_{i}"')
    chunk = html[start : html.index("</select>", start)]
    marker = chunk.find(" selected>")
    if marker < 0:
        return ""
    return chunk[chunk.rfind('value="', 0, marker) + 7 : chunk.rfind('"', 0, marker)]


def stored() -> dict[int, dict]:
    return {a.fiscal_year: dict(a.published) for a in Assessment.objects.filter(agency__slug=OURS)}


WIDE_HEADER = [
    "ปีงบประมาณ",
    "คะแนนภาพรวม",
    "ระดับ",
    "IIT",
    "EIT ส่วนที่ 1",
    "EIT ส่วนที่ 2",
    "OIT",
    "ตัวชี้วัดที่ 9",
    "o16",
]


# ---- guessing --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "target"),
    [
        ("ปีงบประมาณ", "year"),
        ("ปีงบประมาณ พ.ศ.", "year"),
        ("Fiscal year", "year"),
        ("เกณฑ์ปี", "edition"),
        ("คะแนนภาพรวม", "overall"),
        ("Overall score", "overall"),
        ("ระดับผลการประเมิน", "level"),
        ("Level", "level"),
        ("IIT", "tools.IIT"),
        ("คะแนน EIT", "tools.EIT"),
        ("EIT ส่วนที่ 2", "tools.EIT_2"),
        ("eit_1", "tools.EIT_1"),
        ("OIT score", "tools.OIT"),
        ("ตัวชี้วัดที่ ๘", "indicators.8"),
        ("Indicator 10", "indicators.10"),
        ("การใช้งบประมาณ", "indicators.2"),
        ("ข้อ O16", "items.o16"),
        ("i11", "items.i11"),
        ("๐๒๓", "items.o23"),
        ("รายการ", "key"),
        ("value", "value"),
        ("หมายเหตุ", ""),
    ],
)
def test_guess(header, target):
    assert score_import.guess(header) == target


# ---- access ----------------------------------------------------------------------------------


def test_viewer_cannot_upload_and_other_agency_gets_404(world, login):
    raw = csv_bytes([WIDE_HEADER, ["2568", "93.96", "ผ่านดี", "", "", "", "", "", ""]])
    r = login(world["users"]["viewer"]).post(
        url("scores_import"), {"action": "upload", "file": SimpleUploadedFile("a.csv", raw)}
    )
    assert r.status_code == 403
    r = login(world["users"]["other_editor"]).get(url("scores_import"))
    assert r.status_code == 404


def test_token_belongs_to_its_uploader(world, login, client):
    c = login(world["users"]["editor"])
    token, _page = upload(c, csv_bytes([WIDE_HEADER, ["2568", "93.96", "", "", "", "", "", "", ""]]), "a.csv")
    client.logout()
    admin = login(world["users"]["admin"])
    r = admin.get(url("scores_import") + f"?f={token}")
    assert r.status_code == 302 and "?f=" not in r["Location"]
    r = admin.get(url("scores_import") + "?f=../../etc/passwd")
    assert r.status_code == 302


# ---- dry run ---------------------------------------------------------------------------------


def test_csv_with_bad_rows_lists_errors_and_stores_nothing(world, login):
    before = stored()
    rows = [
        WIDE_HEADER,
        ["2566", "95.10", "ผ่านดีเยี่ยม", "96", "97", "98", "93", "90", ""],
        ["2567", "120", "ผ่านดีเยี่ยม", "99.45", "99.5", "100", "100", "100", ""],  # row 3: overall 120
        ["2568", "93.96", "ผ่านดี", "abc", "99.97", "100", "85", "90", "0"],  # row 4: IIT not a number
        ["25xx", "90", "", "", "", "", "", "", ""],  # row 5: year
    ]
    c = login(world["users"]["editor"])
    token, page = upload(c, csv_bytes(rows), "scores.csv")
    html = page.content.decode()
    assert page.status_code == 200
    assert mapping_of(html, len(WIDE_HEADER)) == {
        "col_0": "year",
        "col_1": "overall",
        "col_2": "level",
        "col_3": "tools.IIT",
        "col_4": "tools.EIT_1",
        "col_5": "tools.EIT_2",
        "col_6": "tools.OIT",
        "col_7": "indicators.9",
        "col_8": "items.o16",
    }
    errors = html[html.index('class="errors"') :]
    assert '<td class="num">3</td><td>คะแนนภาพรวม</td><td>คะแนน 120 ต้องอยู่ระหว่าง 0 ถึง 100</td>' in errors
    assert '<td class="num">4</td><td>IIT</td><td>“abc” ไม่ใช่ตัวเลข</td>' in errors
    assert '<td class="num">5</td><td>ปีงบประมาณ</td>' in errors and "25xx" in errors
    assert "พบข้อผิดพลาด 3 รายการ" in html
    assert 'value="confirm"' not in html  # no confirm button while errors remain
    # confirming anyway is refused
    r = c.post(url("scores_import"), {"f": token, "action": "confirm", **mapping_of(html, len(WIDE_HEADER))})
    assert r.status_code == 302
    assert stored() == before


def test_xlsx_long_layout_with_bad_row(world, login):
    before = stored()
    rows = [
        ["Year", "Key", "Value"],
        [2568, "คะแนนภาพรวม", 93.96],
        [2568, "ตัวชี้วัดที่ 8", 99.96],
        [2568, "ข้อ x99", 50],  # row 4: unknown key
        [2568, "o99", 50],  # row 5: no such item in the 2568 edition
        [2568, "ตัวชี้วัดที่ 8", 99.0],  # row 6: given twice
    ]
    c = login(world["users"]["editor"])
    _token, page = upload(c, xlsx_bytes(rows), "scores.xlsx")
    html = page.content.decode()
    assert mapping_of(html, 3) == {"col_0": "year", "col_1": "key", "col_2": "value"}
    assert "แบบแถวละหนึ่งค่า" in html
    errors = html[html.index('class="errors"') :]
    assert '<td class="num">4</td><td>Key</td><td>ไม่รู้จักรายการ “ข้อ x99”</td>' in errors
    assert "เกณฑ์ปี 2568 ไม่มีข้อ o99" in errors
    assert '<td class="num">6</td>' in errors and "ซ้ำกับแถวที่ 3" in errors
    assert stored() == before


def test_mapping_can_be_corrected(world, login):
    c = login(world["users"]["editor"])
    rows = [["ปี", "หมายเหตุ", "คะแนน OIT"], ["2568", "ปรับแล้ว", "88"]]
    token, page = upload(c, csv_bytes(rows), "a.csv")
    html = page.content.decode()
    assert mapping_of(html, 3) == {"col_0": "year", "col_1": "", "col_2": "tools.OIT"}
    r = c.post(
        url("scores_import"),
        {"f": token, "action": "map", "col_0": "year", "col_1": "", "col_2": "indicators.10"},
    )
    html = c.get(r["Location"]).content.decode()
    assert _selected(html, 2) == "indicators.10"
    assert "80.00" in html and "88.00" in html  # indicator 10: before and after


def test_changed_mapping_needs_a_new_dry_run(world, login):
    c = login(world["users"]["editor"])
    token, _page = upload(c, csv_bytes([["ปี", "OIT"], ["2568", "88"]]), "a.csv")
    before = stored()
    r = c.post(url("scores_import"), {"f": token, "action": "confirm", "col_0": "year", "col_1": "tools.IIT"})
    assert r.status_code == 302 and "status" not in r["Location"]
    assert stored() == before


def test_not_a_table_is_refused(world, login):
    c = login(world["users"]["editor"])
    r = c.post(
        url("scores_import"),
        {"action": "upload", "file": SimpleUploadedFile("x.xlsx", b"\x00\x01\x02binary\x00" * 10)},
    )
    assert r.status_code == 200 and "ไม่ใช่ CSV หรือ XLSX" in r.content.decode()
    r = c.post(
        url("scores_import"), {"action": "upload", "file": SimpleUploadedFile("x.xlsx", b"PK\x03\x04broken")}
    )
    assert r.status_code == 200 and "XLSX เสียหาย" in r.content.decode()


# ---- apply -----------------------------------------------------------------------------------


def _confirm(c, token, html, n):
    r = c.post(url("scores_import"), {"f": token, "action": "confirm", **mapping_of(html, n)})
    assert r.status_code == 302 and "status" in r["Location"], r["Location"]
    return c.get(r["Location"])


def test_good_csv_stores_every_row(world, login):
    rows = [
        WIDE_HEADER,
        ["2565", "91.00", "ผ่านดี", "95", "", "", "88", "", ""],
        ["2566", "95.10", "", "96", "97", "98", "93", "90", ""],
        ["2567", "", "", "", "", "", "", "", ""],  # blank cells: nothing changes
        ["2568", "93.96", "ผ่านดี", "99.89", "99.97", "100", "85", "๙๐", "0"],
    ]
    c = login(world["users"]["editor"])
    token, page = upload(c, csv_bytes(rows), "scores.csv")
    html = page.content.decode()
    assert 'value="confirm"' in html and "เพิ่มใหม่" in html and "ยืนยันนำเข้า 4 ปี" in html
    before = stored()
    before_versions = dict(
        Assessment.objects.filter(agency=world["ours"]).values_list("fiscal_year", "version")
    )
    status = _confirm(c, token, html, len(WIDE_HEADER))
    assert "นำเข้าสำเร็จ" in status.content.decode()
    after = stored()
    assert after[2565]["overall"] == 91.0 and after[2565]["tools"] == {"IIT": 95.0, "OIT": 88.0}
    assert after[2566]["indicators"] == {"9": 90.0} and "items" not in after[2566]
    assert after[2566]["tools"] == {"IIT": 96.0, "EIT_1": 97.0, "EIT_2": 98.0, "OIT": 93.0}
    assert after[2567] == before[2567]
    # 2568 merged: what the file names changes, the rest is kept
    assert after[2568]["items"]["o16"] == 0.0 and after[2568]["items"]["o23"] == 0.0
    assert after[2568]["stated_changes"] == before[2568]["stated_changes"]
    a = Assessment.objects.get(agency=world["ours"], fiscal_year=2565)
    assert a.level == "ผ่านดี" and a.overall == 91.0 and a.findings
    assert a.history.first().history_user == world["users"]["editor"]
    # every year a new version (a score form opened before is refused, not overwritten)
    assert Assessment.objects.get(agency=world["ours"], fiscal_year=2568).version == before_versions[2568] + 1
    # the upload's data is gone; its state is kept in the database and the status page reads it
    job = ScoreImport.objects.get(token=token)
    assert bytes(job.data) == b"" and job.state == "done" and job.years == [2565, 2566, 2567, 2568]
    r = c.get(url("scores_import_status") + f"?f={token}", HTTP_HX_REQUEST="true")
    assert "นำเข้าสำเร็จ" in r.content.decode() and "<html" not in r.content.decode()


def test_good_xlsx_stores_every_row(world, login):
    rows = [
        ["Fiscal year", "Overall", "Level", "IIT", "EIT part 1", "EIT part 2", "OIT"],
        [2566, 90.5, "ผ่าน", 91, 92, 93, 89],
        [2025, 97.25, "ผ่านดีเยี่ยม", 98, 97, 99, 96],  # C.E. 2025 is B.E. 2568
    ]
    c = login(world["users"]["editor"])
    token, page = upload(c, xlsx_bytes(rows), "scores.xlsx")
    html = page.content.decode()
    assert "ปี 2568" in html and "93.96" in html and "97.25" in html  # what would change
    assert "พบข้อผิดพลาด" not in html and 'value="confirm"' in html
    status = _confirm(c, token, html, 7)
    assert "นำเข้าสำเร็จ" in status.content.decode()
    after = stored()
    assert after[2566]["overall"] == 90.5 and after[2568]["overall"] == 97.25


def test_failure_halfway_stores_nothing(world, login, monkeypatch):
    rows = [
        WIDE_HEADER,
        ["2565", "91", "", "", "", "", "", "", ""],
        ["2566", "92", "", "", "", "", "", "", ""],
        ["2568", "90", "", "", "", "", "", "", ""],
    ]
    c = login(world["users"]["editor"])
    token, page = upload(c, csv_bytes(rows), "scores.csv")
    before = stored()
    real = score_import.store_assessment
    calls = []

    def flaky(agency, record, **kw):
        calls.append(record.fiscal_year)
        if len(calls) == 2:
            raise RuntimeError("database went away")
        return real(agency, record, **kw)

    monkeypatch.setattr(score_import, "store_assessment", flaky)
    status = _confirm(c, token, page.content.decode(), len(WIDE_HEADER)).content.decode()
    assert calls == [2565, 2566]
    assert "ไม่มีข้อมูลใดถูกบันทึก" in status and "database went away" in status
    assert stored() == before  # 2565 was written, then rolled back


def test_large_import_runs_as_a_task(world, login, monkeypatch):
    """Confirming enqueues the task (the immediate backend runs it at once) and the status page
    reports progress from it."""
    enqueued = []

    def seen(sender, task_result, **kwargs):
        enqueued.append((task_result.task.name, task_result.args))

    task_enqueued.connect(seen)
    finished = []

    def done(sender, task_result, **kwargs):
        finished.append(task_result.status)

    task_finished.connect(done)
    rows = [["ปี", "รายการ", "ค่า"]] + [
        [str(y), f"ตัวชี้วัดที่ {n}", "90"] for y in range(2563, 2569) for n in range(1, 11)
    ]
    c = login(world["users"]["editor"])
    token, page = upload(c, csv_bytes(rows), "many.csv")
    status = _confirm(c, token, page.content.decode(), 3).content.decode()
    task_enqueued.disconnect(seen)
    task_finished.disconnect(done)
    # the upload is read by one task, the confirmed import applied by another
    assert enqueued == [
        ("read_scores", [token]),
        ("import_scores", [token, world["ours"].pk, world["users"]["editor"].pk]),
    ]
    assert finished == ["SUCCESSFUL", "SUCCESSFUL"]
    assert "นำเข้าสำเร็จ" in status
    assert Assessment.objects.filter(agency=world["ours"]).count() == 6
    assert all(
        a.published["indicators"]["5"] == 90.0 for a in Assessment.objects.filter(agency=world["ours"])
    )


def test_progress_fragment_polls_while_running(world, login):
    c = login(world["users"]["editor"])
    token, _page = upload(c, csv_bytes([["ปี", "ภาพรวม"], ["2568", "90"]]), "a.csv")
    score_import.update(token, state="running", done=1, total=4)
    html = c.get(url("scores_import_status") + f"?f={token}", HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 1s"' in html and "1 / 4" in html and 'value="25"' in html


def test_edition_rules_name_the_cell(world, login):
    """An item or EIT part the year's edition does not have is reported at its own row and column."""
    rows = [
        WIDE_HEADER,
        ["2565", "", "", "", "97", "", "", "", ""],
        ["2567", "", "", "", "", "", "", "", "50"],
    ]
    c = login(world["users"]["editor"])
    _token, page = upload(c, csv_bytes(rows), "a.csv")
    errors = page.content.decode()
    errors = errors[errors.index('class="errors"') :]
    assert '<td class="num">2</td><td>EIT ส่วนที่ 1</td><td>เกณฑ์ปี 2565 ไม่แบ่ง EIT เป็นสองส่วน</td>' in errors
    assert '<td class="num">3</td><td>o16</td><td>เกณฑ์ปี 2567 ไม่มีข้อ o16</td>' in errors


def test_job_state_lives_in_the_database(world, login):
    """The upload, its mapping and its progress are a row: another process (a worker, the web
    process after a restart) reads the same state; nothing is kept in a local folder."""
    c = login(world["users"]["editor"])
    token, _page = upload(c, csv_bytes([["ปี", "ภาพรวม"], ["2568", "90"]]), "a.csv")
    job = ScoreImport.objects.get(token=token)
    assert job.agency == world["ours"] and job.uploaded_by == world["users"]["editor"]
    assert job.file_name == "a.csv" and bytes(job.data).startswith(b"\xef\xbb\xbf")
    # What a worker writes is what the status page shows, read from the database.
    ScoreImport.objects.filter(pk=job.pk).update(state="running", done=2, total=5)
    html = c.get(url("scores_import_status") + f"?f={token}").content.decode()
    assert "2 / 5" in html and 'value="40"' in html
    ScoreImport.objects.filter(pk=job.pk).update(state="failed", error="ทดสอบข้อผิดพลาด")
    assert "ทดสอบข้อผิดพลาด" in c.get(url("scores_import_status") + f"?f={token}").content.decode()
    # Another user cannot read it, even with the token.
    other = login(world["users"]["viewer"])
    r = other.get(url("scores_import_status") + f"?f={token}")
    assert r.status_code == 302


def test_an_import_whose_worker_stopped_ends_failed(world, login):
    """A worker killed while storing the scores (its transaction wrote nothing) left the status
    page saying "กำลังนำเข้า" until the upload expired a day later (issue 11, item 7)."""
    from datetime import timedelta

    from django.utils import timezone

    from prongsai.web.pages.score_import import RUN_LIMIT

    c = login(world["users"]["editor"])
    token, _page = upload(c, csv_bytes([["ปี", "ภาพรวม"], ["2568", "90"]]), "a.csv")
    ScoreImport.objects.filter(token=token).update(state="running", done=0, total=1)
    assert "กำลังนำเข้า" in c.get(url("scores_import_status") + f"?f={token}").content.decode()
    ScoreImport.objects.filter(token=token).update(updated=timezone.now() - RUN_LIMIT - timedelta(minutes=1))
    html = c.get(url("scores_import_status") + f"?f={token}").content.decode()
    assert "หยุดกลางคัน" in html and ScoreImport.objects.get(token=token).state == "failed"
