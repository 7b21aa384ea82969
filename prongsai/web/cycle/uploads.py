"""Evidence uploads, checked by what the bytes are, never by the name or the browser's type.

Accepted: photos (PNG, JPEG, WebP, GIF: the magic bytes, and Pillow opens, verifies and decodes
the image within ``Image.MAX_IMAGE_PIXELS``), and files: PDF, Word .docx and Excel .xlsx (a ZIP
whose central directory promises no bomb, with the main part's content type; macro-enabled
documents are not these) and plain text (UTF-8, UTF-16 with BOM, or Thai TIS-620). Refused with a
Thai message: empty, over ``settings.EVIDENCE_MAX_BYTES``, any other type, a name whose extension
says another type than the content (an .exe renamed .pdf, a text renamed .png), a ZIP bomb, a
damaged image or archive.

The name kept is the user's own (no path, no control characters or what file systems refuse; Thai
vowels and tone marks kept) with the extension of what the content is; the file is stored under a
random name (``models.evidence_path``) and given back under this one.
"""

from __future__ import annotations

import contextlib
import io
import re
import struct
import threading
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from prongsai.importers import filetypes
from prongsai.importers.errors import ImportFailure

PHOTO, FILE = "photo", "file"


@dataclass(frozen=True)
class Kind:
    code: str  # png, jpeg, ...
    evidence: str  # "photo" or "file"
    ext: str  # the extension stored
    accepted_exts: tuple[str, ...]  # extensions a user's name may carry for this content
    label: str  # shown in messages


KINDS = {
    k.code: k
    for k in (
        Kind("png", PHOTO, ".png", (".png",), "ภาพ PNG"),
        Kind("jpeg", PHOTO, ".jpg", (".jpg", ".jpeg", ".jpe", ".jfif"), "ภาพ JPEG"),
        Kind("webp", PHOTO, ".webp", (".webp",), "ภาพ WebP"),
        Kind("gif", PHOTO, ".gif", (".gif",), "ภาพ GIF"),
        Kind("pdf", FILE, ".pdf", (".pdf",), "PDF"),
        Kind("docx", FILE, ".docx", (".docx",), "Word (.docx)"),
        Kind("xlsx", FILE, ".xlsx", (".xlsx",), "Excel (.xlsx)"),
        Kind("text", FILE, ".txt", (".txt", ".text", ".csv", ".tsv", ".log", ".md"), "ไฟล์ข้อความ"),
    )
}
_PILLOW_FORMATS = {"png": "PNG", "jpeg": "JPEG", "webp": "WEBP", "gif": "GIF"}
_OOXML_MAIN = {
    "docx": (
        "word/document.xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    ),
    "xlsx": ("xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"),
}
MAX_NAME = 150  # characters of the stem kept in Evidence.original_name (255)


@dataclass(frozen=True)
class Upload:
    kind: Kind
    name: str  # the user's name, made safe to show and to give back


def validate_upload(uploaded_file, agency=None) -> str:
    """ "photo" or "file" for an acceptable upload (and its ``name`` made safe), else a
    ``ValidationError`` with a Thai message; with ``agency``, also refused when it would take the
    agency over its storage quota (prongsai/web/housekeeping/quota.py)."""
    upload = inspect_upload(uploaded_file)
    if agency is not None:
        from prongsai.web.housekeeping import quota

        quota.check(agency, getattr(uploaded_file, "size", 0) or 0)
    uploaded_file.name = upload.name
    return upload.kind.evidence


def inspect_upload(uploaded_file) -> Upload:
    size = getattr(uploaded_file, "size", None)
    limit = settings.EVIDENCE_MAX_BYTES
    if size is not None and size > limit:
        raise _too_large(size, limit)
    uploaded_file.seek(0)
    data = uploaded_file.read(limit + 1)  # never more than the limit, whatever size claimed
    uploaded_file.seek(0)
    if len(data) > limit:
        raise _too_large(len(data), limit)
    if not data:
        raise ValidationError(_("ไฟล์ว่างเปล่า ไม่มีข้อมูล กรุณาเลือกไฟล์ใหม่"), code="empty")
    kind = KINDS[_content_kind(data)]
    name = getattr(uploaded_file, "name", "") or ""
    ext = _extension(name)
    if ext and ext not in kind.accepted_exts:
        raise ValidationError(
            _("เนื้อหาของไฟล์ “%(name)s” ไม่ตรงกับนามสกุล %(ext)s (เนื้อหาเป็น %(kind)s) ระบบจึงไม่รับไฟล์นี้"),
            code="mismatch",
            params={"name": _base_name(name), "ext": ext, "kind": kind.label},
        )
    if kind.evidence == PHOTO:
        _check_image(data, kind)
    return Upload(kind, safe_name(name, ext or kind.ext))  # .jpeg stays .jpeg, .csv stays .csv


def _too_large(size: int, limit: int) -> ValidationError:
    return ValidationError(
        _("ไฟล์มีขนาด %(size)s เกินกว่าที่กำหนด (ไม่เกิน %(limit)s)"),
        code="too_large",
        params={"size": filesizeformat(size), "limit": filesizeformat(limit)},
    )


def _unknown() -> ValidationError:
    return ValidationError(
        _(
            "ไม่รองรับไฟล์ชนิดนี้ รับเฉพาะภาพถ่าย (PNG, JPEG, WebP, GIF), PDF, "
            "Word (.docx), Excel (.xlsx) และไฟล์ข้อความ"
        ),
        code="unknown_type",
    )


def _content_kind(data: bytes) -> str:
    image = filetypes.image_type(data)
    if image in ("png", "jpeg", "webp", "gif"):
        return image
    if filetypes.pdf_start(data) == 0:  # at the very start: no junk before it, unlike the importer
        return "pdf"
    if data.startswith(filetypes.ZIP_LOCAL):
        return _ooxml_kind(data)
    if _is_text(data):
        return "text"
    raise _unknown()


def _ooxml_kind(data: bytes) -> str:
    try:
        archive = filetypes.open_zip(data)  # refuses a bomb from the central directory, before inflating
    except ImportFailure as exc:
        code = "zip_bomb" if exc.code == "zip_bomb" else "corrupt"
        raise ValidationError(exc.message_th, code=code) from None
    try:
        with archive:
            names = set(archive.namelist())
            if "[Content_Types].xml" not in names:
                raise _unknown()
            types = archive.read("[Content_Types].xml")
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, ValueError) as exc:  # damaged or encrypted
        raise ValidationError(
            _("ไฟล์เสียหายหรือไม่สมบูรณ์ ไม่สามารถเปิดได้ กรุณาตรวจสอบไฟล์ต้นฉบับ"), code="corrupt"
        ) from exc
    for code, (part, content_type) in _OOXML_MAIN.items():
        if part in names and f'ContentType="{content_type}"'.encode() in types:
            return code
    raise _unknown()  # .docm/.xlsm (macros), .pptx, .odt, a plain ZIP ...


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")  # C0 and C1 controls


def _is_text(data: bytes) -> bool:
    """Plain text: decodes strictly, and no control characters besides tab, newlines, form feed."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ["utf-16"]
    elif b"\x00" in data:
        return False
    else:
        encodings = ["utf-8-sig", "tis-620"]
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return not _CONTROL.search(text)
    return False


_PILLOW_GLOBAL = threading.Lock()


@contextlib.contextmanager
def _truncated_images_refused():
    """Pillow decodes a truncated image silently when ``ImageFile.LOAD_TRUNCATED_IMAGES`` is set,
    and any library in the process may set it (WeasyPrint did, when the documents used it): turn
    it off while an upload is decoded."""
    from PIL import ImageFile

    with _PILLOW_GLOBAL:
        before = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = before


def _check_image(data: bytes, kind: Kind) -> None:
    from PIL import Image, UnidentifiedImageError

    corrupt = ValidationError(
        _("ไฟล์ภาพเสียหายหรือไม่สมบูรณ์ ไม่สามารถเปิดได้ กรุณาถ่ายหรือบันทึกภาพใหม่"), code="corrupt_image"
    )
    bomb = ValidationError(
        _("ภาพมีจำนวนพิกเซลมากเกินไป (เกิน %(limit)s ล้านพิกเซล) กรุณาย่อขนาดภาพก่อนอัปโหลด"),
        code="image_bomb",
        params={"limit": f"{(Image.MAX_IMAGE_PIXELS or 0) / 1e6:.0f}"},
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as im:
                if im.format != _PILLOW_FORMATS[kind.code]:
                    raise corrupt
                if Image.MAX_IMAGE_PIXELS and im.width * im.height > Image.MAX_IMAGE_PIXELS:
                    raise bomb
                im.verify()  # structure and checksums (PNG CRCs)
            with _truncated_images_refused(), Image.open(io.BytesIO(data)) as im:
                im.load()  # decodes the pixels: a truncated or damaged body fails here
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise bomb from None
        except ValidationError:
            raise
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError, struct.error):
            raise corrupt from None


# ---------------------------------------------------------------------------------------------
# Names


def _base_name(name: str) -> str:
    return re.split(r"[\\/]", name)[-1]


def _extension(name: str) -> str:
    base = _base_name(name).strip().rstrip(".")
    if "." not in base.lstrip("."):
        return ""
    return "." + base.rsplit(".", 1)[1].lower()


# What Windows, macOS or Linux refuse in a file name (besides controls): the name is given back
# on download, and a person saves it on their own machine.
_REFUSED = frozenset('<>:"/\\|?*')


def safe_name(name: str, ext: str) -> str:
    """The user's file name as they wrote it (NFC: Thai vowels and tone marks kept, spaces and
    punctuation too), without its path, control or format characters (NUL, a right-to-left
    override that would disguise the extension) or what file systems refuse; at most
    ``MAX_NAME`` characters before the extension the content has. It is a name to show and to
    give back on download, never a storage path (``Evidence.file`` is stored under a random
    name)."""
    base = unicodedata.normalize("NFC", _base_name(name or ""))
    stem = base.rsplit(".", 1)[0] if "." in base.lstrip(".") else base
    kept = "".join(ch for ch in stem if unicodedata.category(ch)[0] != "C" and ch not in _REFUSED)
    stem = re.sub(r"\s+", " ", kept).strip(" .")[:MAX_NAME].strip(" .")
    return f"{stem or 'evidence'}{ext}"


# ---------------------------------------------------------------------------------------------
# The agency's emblem (ครุฑ)

EMBLEM_MAX_BYTES = 2 * 1024 * 1024
EMBLEM_MAX_SIDE = 2000


def validate_emblem(uploaded_file) -> str:
    """The MIME type of an acceptable emblem: a PNG or JPEG (by content, decoded by Pillow) of at
    most ``EMBLEM_MAX_BYTES`` and ``EMBLEM_MAX_SIDE`` pixels a side; else a Thai ValidationError.
    The file's name is made safe with the extension of its content."""
    size = getattr(uploaded_file, "size", None)
    if size is not None and size > EMBLEM_MAX_BYTES:
        raise _too_large(size, EMBLEM_MAX_BYTES)
    uploaded_file.seek(0)
    data = uploaded_file.read(EMBLEM_MAX_BYTES + 1)
    uploaded_file.seek(0)
    if len(data) > EMBLEM_MAX_BYTES:
        raise _too_large(len(data), EMBLEM_MAX_BYTES)
    if not data:
        raise ValidationError(_("ไฟล์ว่างเปล่า ไม่มีข้อมูล กรุณาเลือกไฟล์ใหม่"), code="empty")
    not_image = ValidationError(_("ตราครุฑต้องเป็นไฟล์ภาพ PNG หรือ JPEG"), code="not_emblem_image")
    try:
        code = _content_kind(data)
    except ValidationError:
        raise not_image from None
    if code not in ("png", "jpeg"):
        raise not_image
    kind = KINDS[code]
    _check_image(data, kind)
    from PIL import Image

    with Image.open(io.BytesIO(data)) as im:
        width, height = im.size
    if width > EMBLEM_MAX_SIDE or height > EMBLEM_MAX_SIDE:
        raise ValidationError(
            _("ภาพมีขนาด %(w)s×%(h)s พิกเซล เกินกว่าที่กำหนด (ไม่เกิน %(max)s×%(max)s พิกเซล) กรุณาย่อขนาดภาพ"),
            code="emblem_too_big",
            params={"w": width, "h": height, "max": EMBLEM_MAX_SIDE},
        )
    uploaded_file.name = safe_name(getattr(uploaded_file, "name", "") or "emblem", kind.ext)
    return "image/png" if code == "png" else "image/jpeg"
