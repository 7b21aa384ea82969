"""Word 97-2003 (.doc), RTF and ODT: converted to DOCX by LibreOffice headless, then read as DOCX.
Also tells a password-protected DOCX apart from a .doc: both are OLE2 compound files, but an
encrypted OOXML file holds an "EncryptedPackage" stream."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from prongsai.importers.errors import ImportFailure
from prongsai.importers.extract.docx import extract_docx
from prongsai.importers.extract.result import Extracted
from prongsai.importers.filetypes import corrupt

TIMEOUT = 120  # seconds; a long report converts in under 10
_ENCRYPTED_NAME = "EncryptedPackage".encode("utf-16-le")


def is_encrypted_ooxml(data: bytes) -> bool:
    """An OLE2 directory entry named EncryptedPackage. Entries are 128 bytes and sectors are
    multiples of 128 from the file start, so a real entry is 128-aligned; its name-length field
    (34 bytes with the terminator) and type (2 = stream) rule out the name merely occurring in text."""
    start = data.find(_ENCRYPTED_NAME)
    while start != -1:
        if start % 128 == 0 and data[start + 64 : start + 67] == b"\x22\x00\x02":
            return True
        start = data.find(_ENCRYPTED_NAME, start + 1)
    return False


def extract_via_libreoffice(data: bytes, suffix: str, source: str | None = None) -> Extracted:
    docx_bytes = convert_to_docx(data, suffix, source)
    result = extract_docx(docx_bytes, source)
    return Extracted(text=result.text, method="doc", pages=None, encoding=None, warnings=result.warnings)


def convert_to_docx(data: bytes, suffix: str, source: str | None = None) -> bytes:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        raise ImportFailure(
            "doc_needs_libreoffice",
            f"reading {suffix} files needs LibreOffice (Debian package libreoffice-writer-nogui); "
            "or save the file as .docx",
            f"การอ่านไฟล์ {suffix} ต้องใช้โปรแกรม LibreOffice ซึ่งยังไม่ได้ติดตั้งบนเครื่องนี้ "
            "กรุณาเปิดไฟล์ใน Word แล้วบันทึกเป็น .docx แล้วนำเข้าใหม่",
            source=source,
        )
    with tempfile.TemporaryDirectory(prefix="prongsai-doc-") as tmp:
        src = Path(tmp, "input" + suffix)
        src.write_bytes(data)
        cmd = [
            soffice,
            # A private profile: two conversions (or a user's own LibreOffice) sharing the default
            # profile make the second one exit at once without converting.
            f"-env:UserInstallation={Path(tmp, 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(Path(tmp, "out")),
            str(src),
        ]
        _run(cmd, source)
        out = Path(tmp, "out", "input.docx")
        if not out.is_file():
            raise corrupt(source, f"LibreOffice could not convert the {suffix} file (damaged or protected)")
        return out.read_bytes()


def _run(cmd: list[str], source: str | None) -> None:
    # Own process group: soffice is a wrapper script, and a timeout must also end soffice.bin.
    proc = subprocess.Popen(
        cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
    )
    try:
        proc.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise ImportFailure(
            "doc_timeout",
            f"LibreOffice did not finish converting within {TIMEOUT} s",
            "การแปลงไฟล์ใช้เวลานานเกินกำหนด กรุณาบันทึกไฟล์เป็น .docx แล้วนำเข้าใหม่",
            source=source,
        ) from None
