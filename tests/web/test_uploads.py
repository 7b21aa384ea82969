"""Evidence uploads are judged by their bytes: real photos and documents pass, with a safe name;
renamed, executable, oversized, empty, bomb and damaged files are refused in Thai."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from prongsai.web.cycle.uploads import safe_name, validate_upload

DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


def _image(fmt: str, size=(40, 30)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buf, format=fmt)
    return buf.getvalue()


def _docx() -> bytes:
    import docx

    d = docx.Document()
    d.add_paragraph("รายงานผลการดำเนินงาน")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _xlsx() -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active["A1"] = "ตัวชี้วัด"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _refused(name: str, data: bytes, code: str) -> str:
    with pytest.raises(ValidationError) as info:
        validate_upload(SimpleUploadedFile(name, data, content_type="image/png"))
    assert info.value.code == code
    message = info.value.messages[0]
    assert any("\u0e00" <= ch <= "\u0e7f" for ch in message), message  # Thai
    return message


@pytest.mark.parametrize(
    ("fmt", "name"), [("PNG", "ภาพกิจกรรม.png"), ("JPEG", "photo.jpeg"), ("WEBP", "a.webp")]
)
def test_photos_pass(fmt, name):
    f = SimpleUploadedFile(name, _image(fmt), content_type="application/octet-stream")
    assert validate_upload(f) == "photo"
    assert f.name == name  # already safe, extension matches


def test_gif_passes():
    assert validate_upload(SimpleUploadedFile("x.gif", _image("GIF"))) == "photo"


def test_documents_pass():
    pdf = io.BytesIO()
    Image.new("RGB", (20, 20)).save(pdf, format="PDF")
    for name, data in [
        ("รายงาน.pdf", pdf.getvalue()),
        ("บันทึก.docx", _docx()),
        ("คะแนน.xlsx", _xlsx()),
        ("notes.txt", "ผลการดำเนินงาน\nรอบ ๖ เดือน\n".encode()),
        ("data.csv", "ข้อ,คะแนน\r\no1,100\r\n".encode("tis-620")),
    ]:
        f = SimpleUploadedFile(name, data, content_type="text/html")
        assert validate_upload(f) == "file", name
        assert f.name == name


def test_a_name_without_extension_gets_the_contents():
    f = SimpleUploadedFile("scan", _image("JPEG"))
    assert validate_upload(f) == "photo" and f.name == "scan.jpg"
    f = SimpleUploadedFile("รายงาน", _docx())
    assert validate_upload(f) == "file" and f.name == "รายงาน.docx"


def test_text_renamed_png_refused():
    message = _refused("photo.png", b"just some text, not a picture\n", "mismatch")
    assert "photo.png" in message and ".png" in message


def test_svg_is_not_a_photo():
    _refused(
        "logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "mismatch"
    )


def test_pdf_named_as_image_refused():
    pdf = io.BytesIO()
    Image.new("RGB", (20, 20)).save(pdf, format="PDF")
    _refused("photo.jpg", pdf.getvalue(), "mismatch")


@pytest.mark.parametrize(
    ("name", "data"),
    [
        (
            "report.pdf",
            b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + bytes(200),
        ),  # Windows .exe
        ("tool.txt", b"\x7fELF\x02\x01\x01\x00" + bytes(200)),  # Linux executable
        ("setup", b"\xca\xfe\xba\xbe" + bytes(100)),  # Mach-O / Java class
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500)),  # OLE2 (.doc, .xls, macros)
        ("binary.txt", bytes(range(0x80, 0xA0)) * 4),  # C1 control bytes are not text
    ],
)
def test_executables_and_unknown_types_refused(name, data):
    _refused(name, data, "unknown_type")


def test_macro_document_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(
            "[Content_Types].xml",
            '<Types><Override PartName="/word/document.xml" '
            'ContentType="application/vnd.ms-word.document.macroEnabled.main+xml"/></Types>',
        )
        z.writestr("word/document.xml", "<w:document/>")
        z.writestr("word/vbaProject.bin", b"\x00" * 100)
    _refused("report.docx", buf.getvalue(), "unknown_type")


def test_oversized_refused(settings):
    settings.EVIDENCE_MAX_BYTES = 1000
    message = _refused("big.txt", b"a" * 1001, "too_large")
    assert "1000" in message or "KB" in message or "ไบต์" in message
    # A file that claims to be small is measured, not believed.
    f = SimpleUploadedFile("big.txt", b"a" * 5000)
    f.size = 10
    with pytest.raises(ValidationError) as info:
        validate_upload(f)
    assert info.value.code == "too_large"
    settings.EVIDENCE_MAX_BYTES = 1001
    assert validate_upload(SimpleUploadedFile("ok.txt", b"a" * 1001)) == "file"


def test_empty_refused():
    _refused("empty.pdf", b"", "empty")


def test_zip_bomb_disguised_as_docx_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            f'<Types><Override PartName="/word/document.xml" ContentType="{DOCX_MAIN}"/></Types>',
        )
        with z.open("word/document.xml", "w") as member:
            chunk = bytes(1 << 20)
            for _ in range(64):  # 64 MiB of zeros, about 64 KiB compressed
                member.write(chunk)
    data = buf.getvalue()
    assert len(data) < 1 << 20
    message = _refused("รายงาน.docx", data, "zip_bomb")
    assert "ขยาย" in message


def test_damaged_archive_refused():
    _refused("report.docx", _docx()[:2000], "corrupt")


def test_corrupt_png_refused():
    png = bytearray(_image("PNG", size=(64, 64)))
    _refused("cut.png", bytes(png[: len(png) // 2]), "corrupt_image")  # truncated
    idat = png.index(b"IDAT")
    png[idat + 10] ^= 0xFF  # one flipped byte: the CRC no longer matches
    _refused("flipped.png", bytes(png), "corrupt_image")
    _refused("header-only.png", b"\x89PNG\r\n\x1a\n" + b"garbage" * 20, "corrupt_image")


def test_truncated_jpeg_refused(monkeypatch):
    from PIL import ImageFile

    jpeg = _image("JPEG", size=(200, 200))
    _refused("cut.jpg", jpeg[: len(jpeg) // 2], "corrupt_image")
    # A library may turn on Pillow's lenient loading for the whole process (WeasyPrint did).
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    _refused("cut.jpg", jpeg[: len(jpeg) // 2], "corrupt_image")
    png = _image("PNG", size=(64, 64))
    _refused("cut.png", png[: len(png) // 2], "corrupt_image")
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True  # put back as it was


def test_decompression_bomb_refused(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    _refused("huge.png", _image("PNG", size=(40, 30)), "image_bomb")  # 1,200 pixels
    _refused("huger.png", _image("PNG", size=(100, 100)), "image_bomb")  # past Pillow's own 2x error


def test_safe_names_keep_the_persons_name():
    """The name is given back on download: Thai vowels and tone marks, spaces and brackets stay
    (issue 12, defect 8); only the path, control and format characters and what file systems
    refuse go."""
    assert safe_name("บันทึกข้อความ.pdf", ".pdf") == "บันทึกข้อความ.pdf"
    assert safe_name("../../etc/รายงาน ผล (ฉบับที่ 1).JPG", ".jpg") == "รายงาน ผล (ฉบับที่ 1).jpg"
    assert safe_name("C:\\Users\\สมชาย\\photo.png", ".png") == "photo.png"
    assert safe_name("<script>alert(1)</script>.png", ".png") == "script.png"  # "/" ends a path
    assert safe_name('<b>x|y:z?"*.png', ".png") == "bxyz.png"  # what Windows refuses
    assert safe_name("...", ".pdf") == "evidence.pdf"
    assert safe_name("a\x00b\u202e\tc.pdf", ".pdf") == "abc.pdf"  # NUL, right-to-left override, tab
    assert safe_name("ก" * 300 + ".pdf", ".pdf") == "ก" * 150 + ".pdf"
    assert safe_name("re\u0301sume\u0301.pdf", ".pdf") == "r\u00e9sum\u00e9.pdf"  # NFC (a Mac sends NFD)


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.mark.django_db
def test_a_thai_file_name_is_kept_and_given_back(world, login, settings, tmp_path):
    """บันทึกข้อความ.pdf stays บันทึกข้อความ.pdf (issue 12, defect 8): stored under a random name,
    shown and downloaded under the person's own (RFC 5987 filename*)."""
    from urllib.parse import quote

    from django.urls import reverse

    settings.MEDIA_ROOT = tmp_path
    m = world["our_plan"].measures.order_by("position", "pk").first()
    c = login(world["users"]["editor"])
    name = "บันทึกข้อความ รายงานผล (ฉบับที่ 2).pdf"
    r = c.post(
        reverse("evidence_add", kwargs={"agency": "tonyongmat", "measure": m.pk}),
        {"file": SimpleUploadedFile(name, PDF, content_type="application/pdf"), "added_on": "03/12/2569"},
    )
    assert r.status_code == 302
    ev = m.evidence.get(kind="file")
    assert ev.original_name == name and ev.file_name == name
    stored = ev.file.name
    assert stored.isascii() and stored.endswith(".pdf") and "บ" not in stored
    page = c.get(
        reverse("measure_progress", kwargs={"agency": "tonyongmat", "measure": m.pk})
    ).content.decode()
    assert name in page and stored not in page
    r = c.get(reverse("evidence_file", kwargs={"agency": "tonyongmat", "evidence": ev.pk}))
    assert r.status_code == 200 and b"".join(r.streaming_content) == PDF
    assert f"filename*=utf-8''{quote(name)}" in r["Content-Disposition"]
    assert r["Content-Disposition"].startswith("attachment")
    # Documents print the name as uploaded too.
    from prongsai.web.cycle.records import measure_record

    assert [e.ref for e in measure_record(m).evidence if e.kind == "file"] == [name]
