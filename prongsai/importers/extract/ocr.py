"""OCR through the tesseract command (Debian's tesseract-ocr + tesseract-ocr-tha), for scanned PDF
pages and images. The CLI rather than a binding: one subprocess per page, nothing to build."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from collections.abc import Iterable
from typing import TYPE_CHECKING

from prongsai.importers import progress
from prongsai.importers.errors import ImportFailure
from prongsai.importers.extract.result import Extracted
from prongsai.importers.extract.thai import normalise_thai

if TYPE_CHECKING:  # Pillow is loaded only when an image is read
    from PIL.Image import Image as PILImage

PACKAGES = "tesseract-ocr tesseract-ocr-tha"
LANGS = "tha+eng"  # the reports mix Thai with latin codes (ITA, IIT, EIT, OIT)
# psm 4 (one column, lines of varying size) keeps table rows that psm 6 dropped on our reports.
PSM = "4"
DPI = 300
MAX_PIXELS = 40_000_000  # A3 at 300 dpi is 17 Mpx; beyond this a page is scaled down
MAX_IMAGE_PIXELS = 120_000_000
PAGE_TIMEOUT = 180  # seconds; a normal page takes 5-10 s
MAX_FRAMES = 300
_WIDE_GAP = re.compile(r" {4,}")  # tha keeps inter-word spaces: a wide gap is a table column
_BLANK_RUN = re.compile(r"\n{3,}")

_checked: str | None = None


def tesseract() -> str:
    """Path of a tesseract that reads Thai, or ImportFailure("ocr_unavailable") naming the packages."""
    global _checked
    if _checked:
        return _checked
    exe = shutil.which("tesseract")
    langs = ""
    if exe:
        try:
            langs = subprocess.run(
                [exe, "--list-langs"], capture_output=True, text=True, timeout=30, check=False
            ).stdout
        except (OSError, subprocess.SubprocessError):
            exe = None
    if not exe or not {"tha", "eng"} <= set(langs.split()):
        missing = "tesseract" if not exe else "the Thai language data"
        raise ImportFailure(
            "ocr_unavailable",
            f"OCR needs {missing}: install the Debian packages {PACKAGES}",
            f"เครื่องนี้ยังไม่ได้ติดตั้งโปรแกรมอ่านข้อความจากภาพ (แพ็กเกจ {PACKAGES}) "
            "กรุณาแจ้งผู้ดูแลระบบ หรือนำเข้าไฟล์ที่มีข้อความ (DOCX หรือ PDF ที่ไม่ใช่ภาพสแกน)",
        )
    _checked = exe
    return exe


def ocr_image(png_bytes: bytes, *, dpi: int | None = None) -> str:
    """Text of one image (PNG, JPEG, TIFF...; the first frame). ``dpi`` defaults to the image's own,
    else 300: tesseract sizes its expectations of glyphs from it."""
    img = _open_image(png_bytes, None)
    return _ocr(img, dpi or _image_dpi(img))


def ocr_pdf_pages(data: bytes, pages: Iterable[int] | None = None) -> list[str]:
    """Text of PDF pages (0-based indices; all by default), each rendered at 300 dpi and OCR'd."""
    import pypdfium2 as pdfium

    tesseract()  # fail before the (slow) rendering
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise ImportFailure(
            "encrypted" if "password" in str(exc).lower() else "corrupt",
            f"the PDF cannot be rendered for OCR: {exc}",
            "ไม่สามารถเปิดไฟล์ PDF เพื่ออ่านข้อความจากภาพได้ (ไฟล์เสียหายหรือถูกตั้งรหัสผ่าน)",
        ) from None
    try:
        out: list[str] = []
        indices = list(range(len(pdf)) if pages is None else pages)
        for index in indices:
            progress.report("ocr", len(out) + 1, len(indices))
            page = pdf[index]
            width, height = page.get_size()  # points
            scale = min(DPI / 72, (MAX_PIXELS / max(width * height, 1)) ** 0.5)
            img = page.render(scale=scale, grayscale=True).to_pil()
            out.append(_ocr(img, round(scale * 72)))
        return out
    finally:
        pdf.close()


def extract_image(data: bytes, source: str | None = None) -> Extracted:
    """An image file; every frame of a multi-page TIFF is a page."""
    from PIL import ImageSequence

    img = _open_image(data, source)
    dpi = _image_dpi(img)
    texts = []
    try:
        for n, frame in enumerate(ImageSequence.Iterator(img)):
            if n >= MAX_FRAMES:
                raise _too_many(source, MAX_FRAMES)
            progress.report("ocr", n + 1, getattr(img, "n_frames", 1))
            texts.append(_ocr(frame, dpi))
    except (OSError, ValueError, EOFError) as exc:  # a damaged frame shows only when decoded
        raise _bad_image(source, exc) from None
    return Extracted(text="\n\n".join(texts), method="ocr", pages=len(texts), encoding=None)


def _too_many(source: str | None, limit: int) -> ImportFailure:
    return ImportFailure(
        "too_many_pages",
        f"more than {limit} pages",
        f"ไฟล์มีจำนวนหน้ามากเกินกว่าที่ระบบรับได้ (สูงสุด {limit} หน้า)",
        source=source,
    )


def _open_image(data: bytes, source: str | None) -> PILImage:
    from PIL import Image, UnidentifiedImageError

    try:
        img = Image.open(io.BytesIO(data))
        pixels = img.width * img.height
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise _bad_image(source, exc) from None
    if pixels > MAX_IMAGE_PIXELS:
        raise ImportFailure(
            "too_large",
            f"the image has {pixels / 1e6:.0f} megapixels (limit {MAX_IMAGE_PIXELS // 1_000_000})",
            "รูปภาพมีความละเอียดสูงเกินกว่าที่ระบบรับได้ กรุณาลดขนาดรูปแล้วนำเข้าใหม่",
            source=source,
        )
    return img


def _bad_image(source: str | None, exc: Exception) -> ImportFailure:
    return ImportFailure(
        "corrupt",
        f"the image cannot be read: {exc}",
        "ไฟล์รูปภาพเสียหายหรือไม่สมบูรณ์ ไม่สามารถเปิดอ่านได้",
        source=source,
    )


def _image_dpi(img: PILImage) -> int:
    try:
        dpi = round(float(img.info.get("dpi", (DPI,))[0]))
    except (TypeError, ValueError, IndexError):
        dpi = DPI
    return dpi if 70 <= dpi <= 1200 else DPI


def _prepared(img: PILImage) -> PILImage:
    from PIL import ImageOps

    img = ImageOps.exif_transpose(img)  # phone photos are stored sideways with an EXIF flag
    return img.convert("L")


def _ocr(img: PILImage, dpi: int) -> str:
    buf = io.BytesIO()
    try:
        _prepared(img).save(buf, format="PNG")
    except (OSError, ValueError, EOFError) as exc:  # truncated image data shows only when decoded
        raise _bad_image(None, exc) from None
    cmd = [tesseract(), "stdin", "stdout", "-l", LANGS, "--psm", PSM, "--dpi", str(dpi)]
    try:
        done = subprocess.run(cmd, input=buf.getvalue(), capture_output=True, timeout=PAGE_TIMEOUT)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise _ocr_failed(str(exc)) from None
    if done.returncode != 0:
        raise _ocr_failed(done.stderr.decode("utf-8", "replace").strip()[-300:])
    return clean_ocr(done.stdout.decode("utf-8", "replace"))


def _ocr_failed(detail: str) -> ImportFailure:
    return ImportFailure("ocr_failed", f"tesseract failed: {detail}", "อ่านข้อความจากภาพไม่สำเร็จ")


def clean_ocr(text: str) -> str:
    lines = [_WIDE_GAP.sub("\t", line.rstrip()) for line in text.replace("\f", "").split("\n")]
    return _BLANK_RUN.sub("\n\n", normalise_thai("\n".join(lines))).strip("\n")
