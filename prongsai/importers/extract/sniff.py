"""File type from the first bytes, never from the name: uploads arrive renamed (a .docx saved
as .txt, a scan called .pdf.jpg) and the name is the user's, the bytes are the truth."""

from __future__ import annotations

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc, .xls, and password-protected .docx
_IMAGES = (
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff",  # JPEG
    b"II*\x00",  # TIFF, little-endian
    b"MM\x00*",  # TIFF, big-endian
    b"GIF87a",
    b"GIF89a",
)


def sniff(data: bytes) -> str:
    """One of "pdf", "zip", "ole2", "rtf", "image", "text"; "text" means "nothing else matched"."""
    # Readers accept a PDF header anywhere in the first KiB (some scanners prepend junk).
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "zip"
    if data.startswith(OLE2):
        return "ole2"
    if data.startswith(b"{\\rtf"):
        return "rtf"
    if data.startswith(_IMAGES) or (data[:4] == b"RIFF" and data[8:12] == b"WEBP"):
        return "image"
    # "BM" alone would catch text files; a BMP's reserved header bytes are zero.
    if data.startswith(b"BM") and data[6:10] == b"\0\0\0\0":
        return "image"
    return "text"
