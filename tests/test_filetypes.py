"""The one file-type sniffing and safe-archive module (prongsai/importers/filetypes.py)."""

import io
import zipfile

import pytest

from prongsai.importers import filetypes
from prongsai.importers.errors import ImportFailure


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, body in members.items():
            z.writestr(name, body)
    return buf.getvalue()


def test_sniff_by_bytes():
    assert filetypes.sniff(b"junk from a scanner\n%PDF-1.7\n") == "pdf"
    assert filetypes.sniff(_zip({"a": b"x"})) == "zip"
    assert filetypes.sniff(filetypes.OLE2 + bytes(100)) == "ole2"
    assert filetypes.sniff(b"{\\rtf1 hello}") == "rtf"
    assert filetypes.sniff(b"RIFF\0\0\0\0WEBPVP8 ") == "image"
    assert filetypes.sniff(b"BM is not a bitmap") == "text"
    assert filetypes.sniff("รายงาน".encode()) == "text"


def test_pdf_start_and_image_type():
    assert filetypes.pdf_start(b"%PDF-1.4") == 0
    assert filetypes.pdf_start(b"xx%PDF-1.4") == 2
    assert filetypes.pdf_start(b" " * 1024 + b"%PDF-1.4") is None  # beyond the first KiB
    assert filetypes.image_type(b"\x89PNG\r\n\x1a\n....") == "png"
    assert filetypes.image_type(b"\xff\xd8\xff\xe0") == "jpeg"
    assert filetypes.image_type(b"II*\x00") == "tiff"
    assert filetypes.image_type(b"%PDF-") is None


def test_open_zip_refuses_a_bomb_and_damage_before_inflating():
    bomb = _zip({"word/document.xml": b"\0" * (20 * 2**20)})
    with pytest.raises(ImportFailure) as exc:
        filetypes.open_zip(bomb, "r.docx")
    assert exc.value.code == "zip_bomb" and exc.value.source == "r.docx"
    # The same archive under limits that allow it (the score import's: a total, no ratio).
    with filetypes.open_zip(bomb, limits=filetypes.ZipLimits(total=50 * 2**20, ratio=None)) as z:
        assert z.namelist() == ["word/document.xml"]
    with pytest.raises(ImportFailure) as exc:
        filetypes.open_zip(bomb, limits=filetypes.ZipLimits(total=2**20, ratio=None))
    assert exc.value.code == "zip_bomb"
    with pytest.raises(ImportFailure) as exc:
        filetypes.open_zip(b"PK\x03\x04 truncated", limits=filetypes.NO_LIMITS)
    assert exc.value.code == "corrupt"
