"""File -> text. The type is decided by the bytes (importers/filetypes.py), each type has its own
small module, and every bad input ends as an ImportFailure with an English and a Thai message.

    extract_path(path) / extract_bytes(data, name) -> Extracted(text, method, pages, encoding, warnings)
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from prongsai.importers.errors import ImportFailure
from prongsai.importers.extract.doc import extract_via_libreoffice, is_encrypted_ooxml
from prongsai.importers.extract.docx import extract_docx
from prongsai.importers.extract.ocr import extract_image, ocr_image, ocr_pdf_pages
from prongsai.importers.extract.pdf import encrypted, extract_pdf
from prongsai.importers.extract.result import Extracted
from prongsai.importers.extract.text import decode
from prongsai.importers.extract.thai import thai_ratio
from prongsai.importers.filetypes import open_zip, sniff

MAX_BYTES = 50 * 1024 * 1024

__all__ = [
    "MAX_BYTES",
    "Extracted",
    "extract_bytes",
    "extract_path",
    "ocr_image",
    "ocr_pdf_pages",
    "thai_ratio",
]
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


def extract_path(path: Path, *, max_bytes: int = MAX_BYTES) -> Extracted:
    path = Path(path)
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise IsADirectoryError(str(path))
        if size > max_bytes:  # checked before reading: never load a 2 GB upload into memory
            raise _too_large(size, max_bytes, path.name)
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFailure(
            "unreadable",
            f"cannot read the file: {exc.strerror or exc}",
            "ไม่พบไฟล์หรือไม่สามารถเปิดไฟล์ได้",
            source=path.name,
        ) from None
    return extract_bytes(data, path.name, max_bytes=max_bytes)


def extract_bytes(data: bytes, name: str = "upload", *, max_bytes: int = MAX_BYTES) -> Extracted:
    if not data:
        raise ImportFailure("empty", "the file is empty", "ไฟล์ว่างเปล่า ไม่มีข้อมูลให้นำเข้า", source=name)
    if len(data) > max_bytes:
        raise _too_large(len(data), max_bytes, name)
    try:
        result = _extract(data, name)
    except ImportFailure as exc:
        exc.source = exc.source or name
        raise
    except Exception as exc:  # a parser's own error on hostile input: still the caller's one error type
        raise ImportFailure(
            "corrupt",
            f"the file could not be read ({type(exc).__name__}: {exc})",
            "ไฟล์เสียหายหรือไม่สมบูรณ์ ไม่สามารถเปิดอ่านได้",
            source=name,
        ) from exc
    if not result.text.strip():
        raise ImportFailure(
            "empty",
            f"no text found in the file ({result.method})",
            "ไม่พบข้อความในไฟล์นี้ กรุณาตรวจสอบว่าเลือกไฟล์ถูกต้อง",
            source=name,
        )
    return result


def _extract(data: bytes, name: str) -> Extracted:
    kind = sniff(data)
    if kind == "pdf":
        return extract_pdf(data, name)
    if kind == "zip":
        return _extract_zip(data, name)
    if kind == "ole2":
        if is_encrypted_ooxml(data):
            raise encrypted(name)
        return extract_via_libreoffice(data, ".doc", name)
    if kind == "rtf":
        return extract_via_libreoffice(data, ".rtf", name)
    if kind == "image":
        return extract_image(data, name)
    text, encoding, warnings = decode(data, name)
    return Extracted(text=text, method="text", pages=None, encoding=encoding, warnings=tuple(warnings))


def _extract_zip(data: bytes, name: str) -> Extracted:
    with open_zip(data, name) as archive:
        names = set(archive.namelist())
        odt = "mimetype" in names and _read_small(archive, "mimetype") == ODT_MIMETYPE
    if "word/document.xml" in names:
        return extract_docx(data, name)
    if odt:
        return extract_via_libreoffice(data, ".odt", name)
    raise ImportFailure(
        "unsupported_type",
        "a ZIP archive that is not a Word document (DOCX)",
        "ไฟล์นี้เป็นไฟล์บีบอัด (ZIP) ที่ไม่ใช่เอกสาร Word กรุณานำเข้าไฟล์ DOCX, DOC, PDF หรือไฟล์ข้อความ",
        source=name,
    )


def _read_small(archive: zipfile.ZipFile, member: str) -> bytes:
    try:
        return archive.read(member)[:100] if archive.getinfo(member).file_size < 1000 else b""
    except (zipfile.BadZipFile, OSError, ValueError, KeyError):
        return b""


def _too_large(size: int, limit: int, name: str | None) -> ImportFailure:
    return ImportFailure(
        "too_large",
        f"the file is {size / 2**20:.1f} MiB; the limit is {limit / 2**20:.0f} MiB",
        f"ไฟล์มีขนาดใหญ่เกินกำหนด (สูงสุด {limit / 2**20:.0f} MB) กรุณาลดขนาดไฟล์หรือแยกไฟล์แล้วนำเข้าใหม่",
        source=name,
    )
