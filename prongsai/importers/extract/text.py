"""Plain text: find the encoding, normalise line endings, change nothing else (the legacy
reports' tables are tab-separated and must survive as typed)."""

from __future__ import annotations

import re

from prongsai.importers.errors import ImportFailure

# (BOM, codec that consumes it, name reported)
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig", "utf-8"),
    (b"\xff\xfe\x00\x00", "utf-32", "utf-32"),  # before UTF-16 LE: its BOM starts the same way
    (b"\x00\x00\xfe\xff", "utf-32", "utf-32"),
    (b"\xff\xfe", "utf-16", "utf-16"),
    (b"\xfe\xff", "utf-16", "utf-16"),
)
# Control characters no text editor writes; tab, line feed, carriage return and form feed are fine.
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_THAI = re.compile("[\u0e01-\u0e5b]")
_NOT_THAI_OR_ASCII = re.compile("[^\x00-\x7f\u0e01-\u0e5b]")


def _binary(source: str | None) -> ImportFailure:
    return ImportFailure(
        "unsupported_type",
        "not a text file, DOCX, DOC, PDF or image (binary content of an unknown type)",
        "ไม่รองรับไฟล์ประเภทนี้ กรุณาใช้ไฟล์ DOCX, DOC, PDF, ไฟล์ข้อความ (TXT) หรือรูปภาพ (PNG, JPEG, TIFF)",
        source=source,
    )


def decode(data: bytes, source: str | None = None) -> tuple[str, str, list[str]]:
    """(text, encoding, warnings). BOM first; then UTF-8 strictly; then Thai Windows-874, a superset
    of TIS-620 and what Thai Windows wrote before UTF-8."""
    warnings: list[str] = []
    bom = next((entry for entry in _BOMS if data.startswith(entry[0])), None)
    if bom is not None:
        _, codec, encoding = bom
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            raise _binary(source) from None
    else:
        text, encoding = _decode_without_bom(data, source, warnings)
    # Binary junk often decodes as cp874 (nearly every byte is defined); control characters tell.
    if "\x00" in text or len(_CONTROL.findall(text)) > max(1, len(text) // 100):
        raise _binary(source)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, encoding, warnings


def _decode_without_bom(data: bytes, source: str | None, warnings: list[str]) -> tuple[str, str]:
    try:
        utf8 = data.decode("utf-8")
    except UnicodeDecodeError:
        utf8 = None
    try:
        cp874 = data.decode("cp874")
    except UnicodeDecodeError:
        cp874 = None
    if utf8 is not None and (utf8.isascii() or _THAI.search(utf8) or cp874 is None):
        return utf8, "utf-8"
    if cp874 is None:
        raise _binary(source)
    # Short TIS-620 Thai can also be valid UTF-8 ("รก" = C3 A1 = "á"). UTF-8 without a single Thai
    # letter whose cp874 reading is all Thai is far likelier a TIS-620 file in this importer.
    if utf8 is not None:
        if _NOT_THAI_OR_ASCII.search(cp874):
            return utf8, "utf-8"
        warnings.append("bytes are valid as both UTF-8 and TIS-620; read as TIS-620 (cp874)")
    return cp874, "cp874"
