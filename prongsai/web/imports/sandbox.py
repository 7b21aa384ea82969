"""Reading one uploaded report with limits: in a child process with a cap on its memory
(RLIMIT_AS) and a wall-clock deadline, so a pathological file is refused in seconds with a Thai
message naming the problem, and the worker that asked survives it.

Before that, a cheap look at the bytes refuses what is obviously not a document: a "PDF" without
the marks every PDF has (``obj`` near the start, ``%%EOF`` near the end), a ZIP whose directory
cannot be read. A 45 MiB file of junk after ``%PDF-`` kept pdfminer busy for minutes (its repair
scans the whole file); now it is refused before any parser sees it.

The child comes from a ``forkserver`` with the importer already imported (a fork costs
milliseconds, not the interpreter's start), in a process group of its own so that tesseract,
which the importer runs per scanned page, dies with it. It reports its progress ("pages" 12 of
40, "ocr" 3 of 12) through a pipe; the caller stores it on the job.

This module imports nothing from Django: the forkserver and its children never set Django up.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from prongsai.importers import filetypes
from prongsai.importers.errors import ImportFailure

# Limits per file, sized to real use: an ITA report is 5-60 pages; a scanned page takes 5-10 s
# of OCR, so 60 scanned pages fit in 15 minutes; reading a text PDF of 60 pages takes seconds and
# ~200 MB. Tesseract, run per scanned page, counts against the same memory (it inherits the cap).
FILE_SECONDS = 900
# ... and no report of progress (a page read, a page OCR'd) for this long is a file the reader is
# stuck in: pdfminer repairing 45 MB of junk, say. A scanned page takes 5-10 s (30 s on a busy host).
QUIET_SECONDS = 90
MEMORY_BYTES = 1536 * 2**20
MAX_PAGES = 60

_PRELOAD = ["prongsai.importers.service", "pdfplumber", "pypdfium2"]
_context: Any = None


@dataclass
class Outcome:
    """What reading one file gave: a result (``ok``) or a refusal with its code and Thai message."""

    ok: bool
    result: dict[str, Any] = field(default_factory=dict)  # method, pages, text, draft, findings
    code: str = ""
    message_th: str = ""
    message_en: str = ""
    seconds: float = 0.0
    peak_rss_kb: int = 0  # the child's (and its tesseracts') largest resident set, when it said


def too_many_pages_th(pages: int, limit: int) -> str:
    return (
        f"ไฟล์ PDF มี {pages} หน้า เกินกว่าที่รับได้ในการนำเข้าแต่ละไฟล์ (สูงสุด {limit} หน้า) "
        "กรุณาแยกเฉพาะส่วนที่เป็นรายงาน ITA แล้วนำเข้าใหม่"
    )


def timeout_th(seconds: float) -> str:
    return (
        f"อ่านไฟล์นานเกินกำหนด (สูงสุด {_duration_th(seconds)}ต่อไฟล์) ระบบหยุดอ่านไฟล์นี้แล้ว "
        "ไฟล์อาจมีภาพสแกนจำนวนมาก กรุณาแยกไฟล์ให้เล็กลงหรือใช้ไฟล์ที่มีข้อความ (DOCX หรือ PDF ที่ไม่ใช่ภาพสแกน)"
    )


def stuck_th(seconds: float) -> str:
    return (
        "โปรแกรมอ่านไฟล์ไม่มีความคืบหน้า (อ่านไม่ได้แม้แต่หน้าเดียวในเวลาที่กำหนด) ระบบหยุดอ่านไฟล์นี้แล้ว "
        "ไฟล์อาจเสียหายหรือไม่ใช่เอกสารจริง กรุณาตรวจสอบไฟล์ต้นฉบับแล้วนำเข้าใหม่"
    )


def _duration_th(seconds: float) -> str:
    return f"{seconds / 60:.0f} นาที" if seconds >= 120 else f"{seconds:.0f} วินาที"


def memory_th(limit: int) -> str:
    return (
        f"ไฟล์นี้ต้องใช้หน่วยความจำเกินกำหนด (สูงสุด {limit // 2**20} MB ต่อไฟล์) ระบบหยุดอ่านไฟล์นี้แล้ว "
        "ไฟล์อาจเสียหายหรือมีภาพความละเอียดสูงมาก กรุณาตรวจสอบไฟล์ต้นฉบับ"
    )


CRASHED_TH = "โปรแกรมอ่านไฟล์หยุดทำงานขณะอ่านไฟล์นี้ ไฟล์อาจเสียหาย กรุณาตรวจสอบไฟล์ต้นฉบับแล้วนำเข้าใหม่"
NOT_PDF_TH = (
    "ไฟล์นี้ขึ้นต้นเหมือนไฟล์ PDF แต่ไม่มีโครงสร้างของไฟล์ PDF (ไฟล์เสียหาย ไม่ครบ หรือไม่ใช่ PDF) "
    "กรุณาตรวจสอบไฟล์ต้นฉบับแล้วนำเข้าใหม่"
)
NOT_ZIP_TH = "ไฟล์เสียหายหรือไม่สมบูรณ์ (โครงสร้าง DOCX/ZIP อ่านไม่ได้) กรุณาตรวจสอบไฟล์ต้นฉบับแล้วนำเข้าใหม่"


def precheck(data: bytes) -> Outcome | None:
    """A refusal for bytes that are obviously not what they start as, in milliseconds; None to read."""
    start = filetypes.pdf_start(data)
    if start is not None:
        # Every PDF has numbered objects from the start and ends with %%EOF; readers tolerate
        # some junk after it (scanners, mail gateways), so the last 64 KiB are looked at.
        if b" obj" not in data[start : start + 2**20] or b"%%EOF" not in data[-(2**16) :]:
            return Outcome(False, code="corrupt", message_th=NOT_PDF_TH, message_en="not a PDF structure")
        return None
    if filetypes.is_zip(data):
        try:  # the directory only; a bomb is the importer's to refuse, with its own message
            filetypes.open_zip(data, limits=filetypes.NO_LIMITS).close()
        except ImportFailure:
            return Outcome(
                False, code="corrupt", message_th=NOT_ZIP_TH, message_en="unreadable ZIP directory"
            )
    return None


def _ctx() -> Any:
    global _context
    if _context is None:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(_PRELOAD)
        _context = ctx
    return _context


def read_limited(
    data: bytes,
    name: str,
    *,
    seconds: float | None = None,
    quiet: float | None = None,
    memory: int | None = None,
    max_pages: int | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> Outcome:
    """Import ``data`` in a child process within ``seconds`` and ``memory`` bytes (address space);
    ``progress(stage, done, total)`` is called in this process as the child reports."""
    seconds = FILE_SECONDS if seconds is None else seconds
    quiet = QUIET_SECONDS if quiet is None else quiet
    memory = MEMORY_BYTES if memory is None else memory
    max_pages = MAX_PAGES if max_pages is None else max_pages
    started = time.monotonic()
    refused = precheck(data)
    if refused is not None:
        refused.seconds = time.monotonic() - started
        return refused
    ctx = _ctx()
    receive, send = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_child, args=(send, data, name, memory, max_pages, os.getpid()), daemon=True)
    child.start()
    send.close()
    outcome: Outcome | None = None
    peak = 0
    try:
        deadline, heard = started + seconds, time.monotonic()
        while outcome is None:
            now = time.monotonic()
            left = min(deadline - now, heard + quiet - now)
            if left <= 0:
                stuck = now - heard >= quiet and deadline > now
                outcome = Outcome(
                    False, code="timeout", message_th=(stuck_th if stuck else timeout_th)(seconds)
                )
                outcome.message_en = (
                    f"no progress for {quiet:.0f} s" if stuck else f"took over {seconds:.0f} s"
                )
                break
            if not receive.poll(min(left, 1.0)):
                if not child.is_alive() and not receive.poll(0):
                    break
                continue
            try:
                message = receive.recv()
            except (EOFError, OSError):
                break
            kind, heard = message[0], time.monotonic()
            if kind == "progress":
                if progress is not None:
                    progress(*message[1:4])
            elif kind == "done":
                outcome, peak = Outcome(True, result=message[1]), message[2]
            elif kind == "failed":
                outcome = Outcome(False, code=message[1], message_th=message[2], message_en=message[3])
                peak = message[4]
            elif kind == "memory":
                outcome, peak = Outcome(False, code="memory", message_th=memory_th(memory)), message[1]
                outcome.message_en = f"needed more than {memory // 2**20} MiB"
            else:  # "error": the importer's own bug; the caller says so in Thai
                outcome = Outcome(False, code="internal", message_en=str(message[1]))
    finally:
        _stop(child)
        receive.close()
    if outcome is None:  # the child died without a word: killed by the kernel, or a crash in C
        if child.exitcode in (-signal.SIGABRT, -signal.SIGKILL):
            # pdfium (C++) aborts when an allocation fails under the cap; the kernel kills.
            outcome = Outcome(False, code="memory", message_th=memory_th(memory))
        else:
            outcome = Outcome(False, code="crashed", message_th=CRASHED_TH)
        outcome.message_en = f"the reader stopped (exit code {child.exitcode})"
    outcome.seconds = time.monotonic() - started
    outcome.peak_rss_kb = peak
    return outcome


def _stop(child: Any) -> None:
    """The child and everything it started (tesseract), at once."""
    if child.is_alive():
        try:
            os.killpg(child.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            child.kill()
    child.join(10)


def _peak_kb() -> int:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return max(own, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)


def _child(conn: Any, data: bytes, name: str, memory: int, max_pages: int, worker: int) -> None:
    """In the child: limits first, then the importer; one final message on the pipe."""
    os.setpgid(0, 0)  # a group of its own: the parent kills tesseract with it
    _end_with(worker)
    if memory:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    from prongsai.importers.service import import_bytes

    try:
        try:
            pages = _pdf_pages(data)
        except _NotPdf:
            conn.send(("failed", "corrupt", NOT_PDF_TH, "pdfium finds no PDF structure", _peak_kb()))
            return
        if pages is not None and pages > max_pages:
            th = too_many_pages_th(pages, max_pages)
            conn.send(("failed", "too_many_pages", th, f"{pages} pages (limit {max_pages})", _peak_kb()))
            return
        result = import_bytes(data, name, progress_to=lambda *p: conn.send(("progress", *p)))
        payload = {
            "method": result.extracted.method,
            "pages": result.extracted.pages,
            "text": result.extracted.text,
            "draft": result.document.model_dump(mode="json"),
            "findings": result.findings,
        }
        del data, result
        conn.send(("done", payload, _peak_kb()))
    except ImportFailure as exc:
        conn.send(("failed", exc.code, exc.message_th, exc.message_en, _peak_kb()))
    except MemoryError:
        conn.send(("memory", _peak_kb()))
    except Exception as exc:  # reported; the parent logs it and tells the user in Thai
        conn.send(("error", f"{type(exc).__name__}: {exc}"[:1000]))
    finally:
        conn.close()


def _started(pid: int) -> str | None:
    """When ``pid`` started (its /proc stat), or None once it is gone: a pid alone may be reused."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            return f.read().rsplit(b")", 1)[1].split()[19].decode()
    except (OSError, IndexError):
        return None


def _end_with(worker: int) -> None:
    """A worker killed outright (kill -9, a restart) cannot stop its reader, and the forkserver
    that forked it lives on: once the worker is gone this process kills its group (tesseract
    too) instead of reading on for minutes as an orphan."""
    born = _started(worker)
    if born is None:
        return  # no /proc here: the worker's own _stop and the service manager are all there is

    def watch() -> None:
        while _started(worker) == born:
            time.sleep(0.5)
        os.killpg(0, signal.SIGKILL)

    threading.Thread(target=watch, name="end-with-worker", daemon=True).start()


def _pdf_pages(data: bytes) -> int | None:
    """The page count of a PDF through pdfium (in C: milliseconds for a real file); None for
    anything else, or when pdfium cannot say (a password: the importer's message says so). A file
    pdfium finds no PDF in at all, even after rebuilding its cross-references, is refused here:
    pdfminer spent minutes on such files before giving up."""
    if filetypes.pdf_start(data) is None:
        return None
    import pypdfium2

    try:
        doc = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as exc:
        if getattr(exc, "err_code", None) == 3:  # FPDF_ERR_FORMAT: not a PDF at all
            raise _NotPdf from None
        return None
    except Exception:
        return None
    try:
        return len(doc)
    finally:
        doc.close()


class _NotPdf(Exception):
    pass
