"""What a file is, from its first bytes, and a ZIP opened without the risk of a bomb: the one
place every reader of uploads asks (the importer, evidence uploads, the score import, the import
sandbox's precheck). Pure Python, no Django: the sandbox's forkserver and the core packages import it.

The name is the user's, the bytes are the truth: uploads arrive renamed (a .docx saved as .txt,
a scan called .pdf.jpg).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from prongsai.importers.errors import ImportFailure

PDF = b"%PDF-"
ZIP_LOCAL = b"PK\x03\x04"  # a ZIP's first local file header: every archive with a member
ZIP_EMPTY = b"PK\x05\x06"  # the end-of-directory record first: an empty archive
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc, .xls, and password-protected .docx
RTF = b"{\\rtf"
_PHOTOS = (
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
)
_TIFF = (b"II*\x00", b"MM\x00*")  # little- and big-endian

# Readers accept a PDF header anywhere in the first KiB (some scanners prepend junk).
PDF_HEAD = 1024


def pdf_start(data: bytes) -> int | None:
    """Where the PDF header is, within the first KiB; None when there is none."""
    at = data[:PDF_HEAD].find(PDF)
    return None if at < 0 else at


def is_zip(data: bytes) -> bool:
    return data.startswith((ZIP_LOCAL, ZIP_EMPTY))


def is_ole2(data: bytes) -> bool:
    return data.startswith(OLE2)


def image_type(data: bytes) -> str | None:
    """ "png", "jpeg", "webp", "gif", "tiff" or "bmp"; None for anything else."""
    for magic, code in _PHOTOS:
        if data.startswith(magic):
            return code
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if data.startswith(_TIFF):
        return "tiff"
    # "BM" alone would catch text files; a BMP's reserved header bytes are zero.
    if data.startswith(b"BM") and data[6:10] == b"\0\0\0\0":
        return "bmp"
    return None


def sniff(data: bytes) -> str:
    """One of "pdf", "zip", "ole2", "rtf", "image", "text"; "text" means "nothing else matched"."""
    if pdf_start(data) is not None:
        return "pdf"
    if is_zip(data):
        return "zip"
    if is_ole2(data):
        return "ole2"
    if data.startswith(RTF):
        return "rtf"
    if image_type(data) is not None:
        return "image"
    return "text"


# What a ZIP may promise in its central directory before it is refused as a bomb.
MAX_TOTAL_UNCOMPRESSED = 200 * 1024 * 1024
MAX_RATIO = 100
RATIO_FROM = 1024 * 1024  # small members (styles.xml...) legitimately compress far better than 100:1


@dataclass(frozen=True)
class ZipLimits:
    """``None`` turns a check off."""

    total: int | None  # bytes, all members inflated
    ratio: float | None  # the worst member's, among members over RATIO_FROM


NO_LIMITS = ZipLimits(None, None)


def open_zip(data: bytes, source: str | None = None, limits: ZipLimits | None = None) -> zipfile.ZipFile:
    """The archive, refused before anything is decompressed if its central directory promises a
    bomb (ImportFailure "zip_bomb") or cannot be read (ImportFailure "corrupt"). zipfile never
    inflates past a member's declared size, so the directory can be trusted. ``limits`` default to
    MAX_TOTAL_UNCOMPRESSED and MAX_RATIO (the score import sets its own total and no ratio: an
    XLSX of formatted empty cells compresses about 1000:1)."""
    if limits is None:
        limits = ZipLimits(MAX_TOTAL_UNCOMPRESSED, MAX_RATIO)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise corrupt(source, f"damaged ZIP/DOCX ({exc})") from None
    total = sum(i.file_size for i in infos)
    worst = max((i.file_size / max(i.compress_size, 1) for i in infos if i.file_size > RATIO_FROM), default=0)
    over_total = limits.total is not None and total > limits.total
    if over_total or (limits.ratio is not None and worst > limits.ratio):
        archive.close()
        raise ImportFailure(
            "zip_bomb",
            f"refused: the archive would expand to {total / 2**20:.0f} MiB "
            f"(largest compression ratio {worst:.0f}:1); limits "
            f"{'-' if limits.total is None else limits.total // 2**20} MiB, {limits.ratio or '-'}:1",
            "ไฟล์มีลักษณะผิดปกติ (เมื่อขยายแล้วมีขนาดใหญ่เกินไป) ระบบจึงไม่เปิดอ่านเพื่อความปลอดภัย",
            source=source,
        )
    return archive


def corrupt(source: str | None, detail: str) -> ImportFailure:
    return ImportFailure(
        "corrupt",
        f"the file is damaged or incomplete: {detail}",
        "ไฟล์เสียหายหรือไม่สมบูรณ์ ไม่สามารถเปิดอ่านได้ กรุณาตรวจสอบไฟล์ต้นฉบับแล้วนำเข้าใหม่",
        source=source,
    )
