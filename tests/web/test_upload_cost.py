"""Small uploads that cost minutes (issue 11, item 3).

A 99 KB XLSX of formatted empty cells cost 24 s of CPU to parse and was parsed again on every view
of the mapping page; a 45 MiB file of junk after ``%PDF-`` kept pdfminer busy for minutes. Now a
score file is read once, by the worker, bounded in rows, columns and cell length, and the mapping
page reads the stored rows; a report is read in a child process with a memory cap and deadlines,
junk is refused before any parser sees it, and the job shows what the worker is doing.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import signal
import subprocess
import sys
import time
import uuid
import zipfile
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import parse_qs, urlparse

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook
from openpyxl.styles import PatternFill

from prongsai.web.imports import sandbox, tasks
from prongsai.web.imports.models import ImportJob, JobStatus, ScoreImport
from prongsai.web.pages import score_import

pytestmark = pytest.mark.django_db

OURS = "tonyongmat"
TEXT_PDF = Path(__file__).resolve().parents[1] / "data" / "importer_holdout" / "D_01_tt-thakham-plan-pdf.pdf"


def url(name: str) -> str:
    return reverse(name, kwargs={"agency": OURS})


# ---- score import: read once, in the worker, bounded ------------------------------------------


def formatted_empty_xlsx(cells_per_row: int, rows: int) -> bytes:
    """A few rows of scores, then rows of formatted empty cells without references (<c s="1"/>),
    which compress ~1000:1: the shape of the issue's 113 KB file that took 23 s."""
    wb = Workbook()
    ws = wb.active
    ws.append(["ปีงบประมาณ", "คะแนนภาพรวม", "IIT", "EIT", "OIT"])
    for y in range(2563, 2570):
        ws.append([y, 90.5, 91, 92, 93])
    ws["F1"].fill = PatternFill("solid", fgColor="FFFF00")  # a cell style s="1" exists
    buf = io.BytesIO()
    wb.save(buf)
    filler = "".join(f'<row r="{r}">' + '<c s="1"/>' * cells_per_row + "</row>" for r in range(9, 9 + rows))
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(buf.getvalue())) as zin,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zout,
    ):
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', data)
                data = data.replace(b"</sheetData>", filler.encode() + b"</sheetData>")
            zout.writestr(info.filename, data)
    return out.getvalue()


@pytest.fixture(scope="module")
def slow_xlsx() -> bytes:
    return formatted_empty_xlsx(16_000, 20)  # 320,000 formatted empty cells, ~10 KB


def upload_scores(client, raw: bytes, name: str):
    r = client.post(url("scores_import"), {"action": "upload", "file": SimpleUploadedFile(name, raw)})
    assert r.status_code == 302, r.content.decode()[:1000]
    return parse_qs(urlparse(r["Location"]).query)["f"][0], r["Location"]


def test_slow_xlsx_is_read_once_and_the_mapping_page_reads_stored_rows(world, login, slow_xlsx, monkeypatch):
    calls = []
    real = score_import.read_table

    def counting(raw):
        calls.append(len(raw))
        return real(raw)

    monkeypatch.setattr(score_import, "read_table", counting)
    c = login(world["users"]["editor"])
    token, location = upload_scores(c, slow_xlsx, "scores.xlsx")
    assert len(calls) == 1  # by the task (run at once by the test backend), not by the request
    job = ScoreImport.objects.get(token=token)
    assert job.state == "mapping" and len(job.rows) == 8 and job.rows[1][:2] == ["2563", "90.5"]
    for _ in range(3):
        page = c.get(location)
        assert page.status_code == 200 and "ยืนยันนำเข้า 7 ปี" in page.content.decode()
    mapping = {
        f"col_{i}": v for i, v in enumerate(["year", "overall", "tools.IIT", "tools.EIT", "tools.OIT"])
    }
    c.post(url("scores_import"), {"f": token, "action": "map", **mapping})
    c.get(location)
    r = c.post(url("scores_import"), {"f": token, "action": "confirm", **mapping})
    assert "status" in r["Location"]
    assert "นำเข้าสำเร็จ" in c.get(r["Location"]).content.decode()
    assert len(calls) == 1, "the file was read again"
    assert ScoreImport.objects.get(token=token).rows is None  # stored: the rows are gone too


def test_reading_costs_a_fraction_of_openpyxl(slow_xlsx):
    """The same cells, CPU time: the bounded reader against openpyxl's read-only mode (what the
    page used before)."""
    t = time.process_time()
    rows = score_import.read_table(slow_xlsx)
    ours = time.process_time() - t
    t = time.process_time()
    wb = load_workbook(io.BytesIO(slow_xlsx), read_only=True, data_only=True)
    before = [r[:5] for r in wb.worksheets[0].iter_rows(values_only=True) if any(v is not None for v in r)]
    wb.close()
    theirs = time.process_time() - t
    assert [r[0] for r in rows[1:]] == [str(r[0]) for r in before[1:]]
    assert ours * 3 < theirs, (ours, theirs)


def test_the_upload_request_only_checks_the_type(world, login, slow_xlsx, monkeypatch):
    """Until the worker has read the file the mapping page says it is being read and polls; then
    the status fragment sends the browser on to the mapping page."""
    queued = []
    monkeypatch.setattr(score_import, "read_scores", SimpleNamespace(enqueue=queued.append))
    monkeypatch.setattr(score_import, "read_table", lambda raw: pytest.fail("read in the request"))
    c = login(world["users"]["editor"])
    token, location = upload_scores(c, slow_xlsx, "scores.xlsx")
    assert queued == [token] and ScoreImport.objects.get(token=token).state == "reading"
    r = c.get(location)
    assert r.status_code == 302 and "status" in r["Location"]
    html = c.get(r["Location"]).content.decode()
    assert "กำลังอ่านไฟล์" in html and 'hx-trigger="every 1s"' in html
    monkeypatch.undo()
    assert score_import.read_upload(token) == "mapping"
    r = c.get(url("scores_import_status") + f"?f={token}", HTTP_HX_REQUEST="true")
    assert r["HX-Redirect"] == location
    assert 'name="col_4"' in c.get(location).content.decode()


def _xlsx(rows: list[list]) -> bytes:
    wb = Workbook()
    for r in rows:
        wb.active.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _far_row_xlsx() -> bytes:
    """A value in the sheet's last row: before, the rows between were filled in."""
    wb = Workbook()
    wb.active.append(["ปี", "OIT"])
    wb.active["A1048576"] = 2568
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _csv(rows: list[list[str]]) -> bytes:
    return ("\n".join(",".join(r) for r in rows) + "\n").encode()


@pytest.mark.parametrize(
    ("name", "raw", "message"),
    [
        ("rows.csv", _csv([["ปี", "OIT"]] + [["2568", "90"]] * 5_001), "เกิน 5,000 แถว"),
        ("cols.csv", _csv([["ปี"] + [f"c{i}" for i in range(200)], ["2568"] + ["1"] * 200]), "เกิน 200 คอลัมน์"),
        ("cell.csv", _csv([["ปี", "OIT"], ["2568", "ก" * 501]]), "แถวที่ 2 คอลัมน์ที่ 2 ยาวเกิน 500 ตัวอักษร"),
        ("cols.xlsx", _xlsx([["ปี"] + ["x"] * 200]), "เกิน 200 คอลัมน์"),
        ("cell.xlsx", _xlsx([["ปี", "OIT"], [2568, "ข" * 501]]), "ยาวเกิน 500 ตัวอักษร"),
        ("far.xlsx", _far_row_xlsx(), "เกิน 5,000 แถว"),
    ],
)
def test_beyond_the_limits_is_refused_naming_the_limit(world, login, name, raw, message):
    c = login(world["users"]["editor"])
    t = time.monotonic()
    token, location = upload_scores(c, raw, name)
    assert time.monotonic() - t < 10
    job = ScoreImport.objects.get(token=token)
    assert job.state == "failed" and message in job.error and job.rows is None
    status = c.get(url("scores_import_status") + f"?f={token}").content.decode()
    assert message in status
    page = c.get(location).content.decode()  # back to the upload form, the reason on it
    assert message in page and 'name="file"' in page
    assert not ScoreImport.objects.filter(token=token).exists()


def test_the_forms_state_the_limits(world, login):
    c = login(world["users"]["editor"])
    scores = c.get(url("scores_import")).content.decode()
    assert "5,000 แถว" in scores and "200 คอลัมน์" in scores and "500 ตัวอักษร" in scores
    reports = c.get(reverse("import_upload", kwargs={"agency": OURS})).content.decode()
    assert "ครั้งละไม่เกิน 10 ไฟล์" in reports and "ไม่เกิน 60 หน้า" in reports and "15 นาที" in reports
    assert "1536 MB" in reports
    files = [SimpleUploadedFile(f"{i}.txt", b"x") for i in range(11)]
    before = ImportJob.objects.count()
    r = c.post(reverse("import_upload", kwargs={"agency": OURS}), {"files": files}, follow=True)
    assert "ไม่เกิน 10 ไฟล์" in r.content.decode() and ImportJob.objects.count() == before


# ---- report import: limits per file, in a child process ----------------------------------------


def upload_report(client, raw: bytes, name: str) -> tuple[ImportJob, float]:
    before = set(ImportJob.objects.values_list("pk", flat=True))
    t = time.monotonic()
    r = client.post(
        reverse("import_upload", kwargs={"agency": OURS}), {"files": [SimpleUploadedFile(name, raw)]}
    )
    took = time.monotonic() - t
    assert r.status_code == 302
    (job,) = ImportJob.objects.exclude(pk__in=before)
    return job, took


def test_45_mib_of_junk_after_pdf_header_is_refused_in_seconds(world, login):
    """The issue's file: 274 s and ~900 MB before its refusal."""
    junk = b"%PDF-1.7\n" + os.urandom(45 * 2**20)
    job, took = upload_report(login(world["users"]["editor"]), junk, "report.pdf")
    assert job.status == JobStatus.FAILED and job.error_code == "corrupt"
    assert "ไม่มีโครงสร้างของไฟล์ PDF" in job.error_th
    assert (job.finished_at - job.started).total_seconds() < 3  # the worker's reading
    assert took < 60, took  # the whole request, 45 MiB into the database included


@pytest.mark.parametrize("filler", [b"\0", b"A"])
def test_junk_with_pdf_marks_is_refused_by_the_child_with_bounded_memory(filler):
    """Junk that has the marks (an object, %%EOF) gets past the first look; pdfium, in the
    child, finds no PDF in it. Before, pdfminer spent over 400 s on each (measured)."""
    junk = b"%PDF-1.4\n1 0 obj\n" + filler * (45 * 2**20) + b"\n%%EOF\n"
    out = sandbox.read_limited(junk, "report.pdf")
    assert not out.ok and out.code == "corrupt" and "PDF" in out.message_th
    assert out.seconds < 60 and 0 < out.peak_rss_kb < 400 * 1024, (out.seconds, out.peak_rss_kb)


def _stuck_pdf() -> bytes:
    """Objects pdfium and pdfminer both try to make sense of, for minutes."""
    body = b"".join(b"%d 0 obj << /Length %d >> stream junk endstream\n" % (i, i) for i in range(100_000))
    return b"%PDF-1.4\n" + body + b"%%EOF\n"


def test_a_stuck_reader_is_stopped_and_the_worker_goes_on(world, login, monkeypatch):
    monkeypatch.setattr(sandbox, "QUIET_SECONDS", 2)
    c = login(world["users"]["editor"])
    job, took = upload_report(c, _stuck_pdf(), "stuck.pdf")
    assert job.status == JobStatus.FAILED and job.error_code == "timeout", job.error_th
    assert "ไม่มีความคืบหน้า" in job.error_th and job.progress_stage == ""
    assert took < 30, took
    # The same worker reads the next file.
    job, _took = upload_report(c, TEXT_PDF.read_bytes(), TEXT_PDF.name)
    assert job.status == JobStatus.DONE and job.method == "pdf" and job.pages == 2 and job.draft


def test_the_whole_file_has_a_deadline():
    out = sandbox.read_limited(_stuck_pdf(), "stuck.pdf", seconds=2, quiet=100)
    assert not out.ok and out.code == "timeout" and "นานเกินกำหนด" in out.message_th
    assert out.seconds < 15


def test_memory_is_capped():
    """Deeply nested junk that pdfium fills memory with: stopped at the cap, said in Thai."""
    nested = b"%PDF-1.4\n1 0 obj\n" + b"[" * (8 * 2**20) + b"\n%%EOF\n"
    out = sandbox.read_limited(nested, "nested.pdf", memory=300 * 2**20, seconds=120)
    assert not out.ok and out.code == "memory", out
    assert "หน่วยความจำเกินกำหนด (สูงสุด 300 MB" in out.message_th


def test_too_many_pages_is_refused_before_reading(monkeypatch):
    out = sandbox.read_limited(TEXT_PDF.read_bytes(), TEXT_PDF.name, max_pages=1)
    assert not out.ok and out.code == "too_many_pages" and "มี 2 หน้า" in out.message_th


# ---- progress --------------------------------------------------------------------------------


def test_the_child_reports_each_page():
    seen = []
    out = sandbox.read_limited(TEXT_PDF.read_bytes(), TEXT_PDF.name, progress=lambda *p: seen.append(p))
    assert out.ok and out.result["pages"] == 2
    assert seen == [("pages", 1, 2), ("pages", 2, 2), ("recognise", 0, 0)]


def test_progress_is_on_the_job_and_the_pages_show_it(world, login, monkeypatch):
    c = login(world["users"]["editor"])
    upload = reverse("import_upload", kwargs={"agency": OURS})
    seen = []

    def fake(data, name, *, progress):
        progress("pages", 12, 40)
        seen.append(ImportJob.objects.get(file_name=name).progress_th)
        progress("ocr", 3, 12)
        seen.append(ImportJob.objects.get(file_name=name).progress_th)
        return sandbox.Outcome(False, code="corrupt", message_th="ทดสอบ")

    monkeypatch.setattr(tasks.sandbox, "read_limited", fake)
    job, _took = upload_report(c, b"text", "a.txt")
    assert seen == ["อ่านหน้า 12/40", "อ่านข้อความจากภาพ (OCR) หน้า 3/12"]
    assert job.status == JobStatus.FAILED and job.progress_th == ""
    # A job a worker is reading: the polling fragment and the review page say where it is.
    ImportJob.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, progress_stage="ocr", progress_done=3, progress_total=12
    )
    part = c.get(upload, headers={"HX-Request": "true"}).content.decode()
    assert "อ่านข้อความจากภาพ (OCR) หน้า 3/12" in part and 'hx-trigger="every 2s"' in part
    assert 'max="12" value="3"' in part
    review = c.get(reverse("import_review", kwargs={"agency": OURS, "job": job.pk})).content.decode()
    assert "อ่านข้อความจากภาพ (OCR) หน้า 3/12" in review


def _marked(marker: str) -> dict[int, bool]:
    """The processes whose environment carries ``marker``: pid -> leads its own group (the
    reader does; the worker, its forkserver and resource tracker do not)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdecimal():
            try:
                if marker.encode() in (entry / "environ").read_bytes():
                    group = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[2])
                    found[int(entry.name)] = group == int(entry.name)
            except (OSError, ValueError, IndexError):
                continue
    return found


def _readers(marker: str) -> list[int]:
    return [pid for pid, leads in _marked(marker).items() if leads]


def test_a_killed_worker_leaves_no_reader_behind(tmp_path):
    """kill -9 of the worker: its reader (a forkserver's child, in a group of its own) read on
    for minutes as an orphan (the forkserver outlives the worker, so the reader's parent stays)."""
    key, value = "PRONGSAI_ORPHAN_TEST", uuid.uuid4().hex
    stuck = tmp_path / "stuck.pdf"
    stuck.write_bytes(_stuck_pdf())  # pdfium and pdfminer take a minute and more over it
    script = (
        "import sys; from prongsai.web.imports import sandbox; "
        "sandbox.read_limited(open(sys.argv[1], 'rb').read(), 'stuck.pdf', seconds=600, quiet=600)"
    )
    worker = subprocess.Popen([sys.executable, "-c", script, str(stuck)], env={**os.environ, key: value})
    try:
        deadline = time.monotonic() + 60
        while not _readers(value) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _readers(value), "the reader never started"
        time.sleep(1)  # reading
    finally:
        worker.kill()
        worker.wait()
    deadline = time.monotonic() + 10
    while _readers(value) and time.monotonic() < deadline:
        time.sleep(0.2)
    left = _readers(value)
    for pid in _marked(value):  # nothing of this test left running, whatever the outcome
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
    assert not left, f"the reader still runs after its worker was killed: {left}"
