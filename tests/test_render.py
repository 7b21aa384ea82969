"""The renderers read back: the Typst PDF's text layer against the model, no line break inside a
Thai word (Typst PDF and LibreOffice's PDF of our DOCX), escaping of user text, landscape tables,
column widths sized to the longest word."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import unicodedata
import uuid
from pathlib import Path

import pytest
from docx import Document as read_docx
from docx.enum.section import WD_ORIENT

from prongsai.documents.layout import chunk_pieces, column_widths, min_width_cm
from prongsai.documents.model import (
    Cell,
    Chart,
    Document,
    Figure,
    Heading,
    MemoHeader,
    Paragraph,
    Run,
    Section,
    Table,
)
from prongsai.documents.render.typst import to_typst
from prongsai.documents.service import build, render
from prongsai.interchange import load_document, parse_document
from prongsai.thai.digits import to_thai_digits

from .conftest import DEMO
from .thai_lines import pdf_word_splits

KINDS = {
    "analysis": {},
    "plan": {},
    "progress-status": {"layout": "status"},
    "progress-result": {"layout": "result"},
    "memo": {},
}
# Seed 001's agency and signer: names no dictionary knows ("ศรี|สองคราม" is two dictionary words).
NAMED = "memo-names"
ALL = [*KINDS, NAMED]
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
# LibreOffice 7.4's ICU line breaker cuts "(แบบวัด" after "(แ" in a justified paragraph; the DOCX
# has no way to forbid a break inside a word without putting a character into the text.
LIBREOFFICE_KNOWN = {"(แ|บบวัด"}


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text))


def pdftotext(pdf: Path) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def printed(doc: Document, text: str) -> str:
    return to_thai_digits(text) if doc.thai_digits else text


def paragraphs(blocks) -> list[Paragraph]:
    out = []
    for b in blocks:
        if isinstance(b, Paragraph):
            out.append(b)
        elif isinstance(b, Section):
            out.extend(paragraphs(b.blocks))
    return out


def named_record():
    """Seed 003 as เทศบาลตำบลศรีสังคราม, with seed 001's memo signer."""
    data = load_document(DEMO).model_dump(mode="json")
    data["agency"]["name"] = "เทศบาลตำบลศรีสังคราม"
    data["memo"] = {
        "to": "นายกเทศมนตรีตำบลศรีสังคราม",
        "signers": [
            {"name": "นางสาวสมศรี ใจดี", "position": "หัวหน้าสำนักปลัดเทศบาล"},
            {"name": None, "position": "ปลัดเทศบาล ปฏิบัติหน้าที่ นายกเทศมนตรีตำบลศรีสองคราม"},
        ],
    }
    return parse_document(data)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """Every kind from seed 003, and the memo of a record with unknown names: the model, its
    Typst PDF and its DOCX, on disk."""
    record = load_document(DEMO)
    folder = tmp_path_factory.mktemp("kinds")
    out = {}
    for name, kw in [*KINDS.items(), (NAMED, {"wraps": "progress"})]:
        doc = build(name.split("-")[0], named_record() if name == NAMED else record, **kw)
        render(doc, "pdf", folder / f"{name}.pdf")
        render(doc, "docx", folder / f"{name}.docx")
        out[name] = doc
    return folder, out


def sarabun_cmap() -> set[int]:
    from fontTools.ttLib import TTFont

    from prongsai.documents.fonts import font_path

    return set(TTFont(font_path(), lazy=True).getBestCmap())


def source_text(doc: Document) -> str:
    return printed(doc, doc.plain_text())


@pytest.mark.parametrize("name", ALL)
def test_pdf_text_layer_is_the_model_text(rendered, name):
    folder, docs = rendered
    doc = docs[name]
    raw = pdftotext(folder / f"{name}.pdf")
    text = flat(raw).replace(" ", "")
    assert "\u0e4d\u0e32" not in raw  # ำ never decomposed into nikhahit + sara aa
    for p in paragraphs(doc.blocks):
        want = flat("".join(r.text if r.verbatim else printed(doc, r.text) for r in p.runs)).replace(" ", "")
        assert want in text, p.text[:60]
    if "การดำเนินการ" in doc.plain_text():
        assert "การดำเนินการ" in raw
    fonts = subprocess.run(["pdffonts", str(folder / f"{name}.pdf")], capture_output=True, text=True).stdout
    names = {line.split()[0].split("+")[-1] for line in fonts.splitlines()[2:] if line.strip()}
    assert {"THSarabunNew", "THSarabunNew-Bold"} <= names
    # Never a fallback font, except Typst's own for a symbol TH Sarabun New lacks (✓).
    missing = {ch for ch in doc.plain_text() if not ch.isspace() and ord(ch) not in sarabun_cmap()}
    if not missing:
        assert names <= {"THSarabunNew", "THSarabunNew-Bold"}, names


@pytest.mark.parametrize("name", ALL)
def test_typst_pdf_never_breaks_a_thai_word(rendered, name):
    folder, docs = rendered
    doc = docs[name]
    assert pdf_word_splits(folder / f"{name}.pdf", source_text(doc), names=doc.unbreakable) == []


def test_unbreakable_names_are_whole_in_every_renderer(rendered):
    folder, docs = rendered
    doc = docs[NAMED]
    assert {"ศรีสังคราม", "ศรีสองคราม"} <= set(doc.unbreakable)
    assert chunk_pieces("นายกเทศมนตรีตำบลศรีสองคราม", tuple(doc.unbreakable))[-1] == "ศรีสองคราม"
    assert chunk_pieces("ต้นหยงมัสจึง", ("หยงมัส",)) == ("ต้น", "หยงมัส", "จึง")
    source, _ = to_typst(doc)
    assert '#box("ศรีสองคราม");' in source and '#box("ศรีสังคราม");' in source
    xml = read_docx(folder / f"{NAMED}.docx").element.xml
    assert "ศ\u2060รี\u2060ส\u2060อ\u2060ง\u2060ค\u2060ร\u2060า\u2060ม" in xml
    text = pdftotext(folder / f"{NAMED}.pdf")
    assert "ศรีสองคราม" in text and "ศรีสังคราม" in text and "\u2060" not in text
    html = render(doc, "html").decode()
    assert '<span class="nb">ศรีสองคราม</span>' in html and ".nb { white-space: nowrap; }" in html


@pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice is not installed (apt-get install libreoffice-writer-nogui)"
)
def test_libreoffice_pdf_of_our_docx_breaks_no_thai_word(rendered, tmp_path):
    folder, docs = rendered
    profile = (Path("/tmp") / f"prongsai-lo-{uuid.uuid4().hex}").as_uri()
    proc = subprocess.run(
        [
            SOFFICE,
            "--headless",
            "--norestore",
            f"-env:UserInstallation={profile}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            *[str(folder / f"{name}.docx") for name in ALL],
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    found = {}
    for name in ALL:
        doc = docs[name]
        # LibreOffice breaks compounds between two dictionary words ("งบ|ประมาณ"): allowed here.
        # Never inside a name: the DOCX joins its letters with WORD JOINER, which the text drops.
        pdf = tmp_path / f"{name}.pdf"
        splits = pdf_word_splits(pdf, source_text(doc), compounds=True, names=doc.unbreakable)
        if set(splits) - LIBREOFFICE_KNOWN:
            found[name] = splits
    assert found == {}
    text = pdftotext(tmp_path / f"{NAMED}.pdf")
    assert "ศรีสองคราม" in text and "ศรีสังคราม" in text and "\u2060" not in text


TRICKY = 'หัวเรื่อง #set *ตัวหนา* _x_ $a+b$ <lbl> @ref [วงเล็บ] \\ทับ // ไม่ใช่คอมเมนต์ "อัญ" `code` ~ = - + / 1.'


def test_user_text_prints_literally(tmp_path):
    doc = Document("memo", TRICKY, thai_digits=False).add(
        Heading(TRICKY, 1),
        Paragraph([Run(TRICKY), Run(" ลิงก์", link='https://a.go.th/"x"?a=1#b')]),
        MemoHeader(TRICKY, None, None, TRICKY, TRICKY),
        Table([[Cell.of(TRICKY)]], [[Cell.of(TRICKY, bold=True)]], [1], caption=TRICKY),
        Chart([TRICKY[:12]], {TRICKY[:9]: [50.0], "b": [60.0]}, TRICKY, TRICKY),
    )
    source, _ = to_typst(doc)
    assert "ไม่ใช่คอมเมนต์" in source
    path = tmp_path / "t.pdf"
    render(doc, "pdf", path)
    text = flat(pdftotext(path))
    assert text.count(flat(TRICKY)) >= 6, text  # title, heading, paragraph, memo subject/unit, table


def test_unsafe_links_are_plain_text_in_the_pdf():
    doc = Document("progress", "t").add(Paragraph([Run("x", link="javascript:alert(1)")]))
    source, _ = to_typst(doc)
    assert "javascript" not in source and "#link(" not in source


def _wide_table() -> Table:
    header = [[Cell.of(h) for h in ("หน่วยงาน", "ปีงบประมาณ", "คะแนน", "ผู้รับผิดชอบ", "หมายเหตุ")]]
    rows = [
        [
            Cell.of("เทศบาลตำบลท่ามะพลา"),
            Cell.of("2568"),
            Cell.of("100.00", align="right"),
            Cell.of("กอง"),
            Cell.of(""),
        ]
    ]
    return Table(header, rows, [6, 1, 1, 3, 3], font_pt=14, landscape=True)


def test_landscape_table_pages_in_pdf_and_docx(tmp_path):
    doc = Document("progress", "ทดสอบ").add(Paragraph.of("ก่อนตาราง"), _wide_table(), Paragraph.of("หลังตาราง"))
    pdf = tmp_path / "l.pdf"
    render(doc, "pdf", pdf)
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "3", str(pdf)], capture_output=True, text=True).stdout
    sizes = re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info)
    assert len(sizes) == 3
    (w1, h1), (w2, h2), (w3, h3) = ((float(w), float(h)) for w, h in sizes)
    assert w1 < h1 and w2 > h2 and w3 < h3  # portrait, landscape for the table, portrait again
    d = read_docx(io.BytesIO(render(doc, "docx")))
    orients = [s.orientation for s in d.sections]
    assert orients == [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE, WD_ORIENT.PORTRAIT]
    assert d.sections[1].page_width > d.sections[1].page_height


def test_columns_are_at_least_their_longest_word():
    tb = Table(
        [[Cell.of("ปีงบประมาณ"), Cell.of("รายละเอียด")]],
        [[Cell.of("100.00", align="right"), Cell.of("ข้อความยาว " * 20)]],
        [0.5, 9],
        font_pt=14,
    )
    widths = column_widths(tb, 14, 16)
    assert abs(sum(widths) - 16) < 1e-6
    assert widths[0] >= min_width_cm("ปีงบประมาณ", 14, True) + 0.38
    assert widths[0] >= min_width_cm("๑๐๐.๐๐", 14, False) + 0.38
    d = read_docx(io.BytesIO(render(Document("plan", "t").add(tb), "docx")))
    grid = d.tables[0]._tbl.tblGrid.gridCol_lst
    assert abs(grid[0].w.cm - widths[0]) < 0.01  # the DOCX grid says what Typst is told


def _fixed_time_pdf(sources: dict[str, bytes], images: dict[str, bytes], root: Path) -> bytes:
    from prongsai.documents.render.typst import _compiler

    for name, data in images.items():
        (root / name).write_bytes(data)
    project: dict = sources
    return _compiler().compile(project, format="pdf", root=str(root), timestamp=0)


def test_pdf_project_of_files_is_the_one_file_source(rendered, tmp_path):
    """The PDF is compiled from one file per top-level block (so that Typst reuses what it laid out
    for the previous report); at a fixed time it is byte for byte the PDF of the one-file source,
    images (a photo, the memo's emblem) and landscape pages included."""
    from PIL import Image

    from prongsai.documents.render.typst import MAIN, typst_files

    buf = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buf, format="PNG")
    photo = Figure(buf.getvalue(), "ภาพกิจกรรม", 5)
    memo = Document("memo", "บันทึก").add(
        MemoHeader("สำนักปลัด", "ที่ ๑/๒๕๖๘", "๑ ตุลาคม ๒๕๖๘", "รายงานผล", "นายก", buf.getvalue(), "image/png"),
        photo,
        _wide_table(),
        Paragraph.of("หลังตาราง"),
    )
    _, docs = rendered
    for i, doc in enumerate([*docs.values(), memo]):
        source, images = to_typst(doc)
        sources, project_images = typst_files(doc)
        assert project_images == images and len(sources) > 2 and MAIN in sources
        one, many = tmp_path / f"one{i}", tmp_path / f"many{i}"
        one.mkdir()
        many.mkdir()
        assert _fixed_time_pdf({MAIN: source.encode()}, images, one) == _fixed_time_pdf(
            sources, project_images, many
        ), doc.title


def test_the_same_block_is_the_same_file_in_every_report():
    """Two agencies' reports: a block that prints the same is the same file (same spans, so Typst's
    memoised layout of it is reused), and the title, which differs, is set after every block."""
    from prongsai.documents.render.typst import MAIN, typst_files

    data = load_document(DEMO).model_dump(mode="json")
    a = build("analysis", parse_document(data))
    data["agency"]["name"] = "เทศบาลตำบลศรีสังคราม"
    b = build("analysis", parse_document(data))
    fa, _ = typst_files(a)
    fb, _ = typst_files(b)
    same = [name for name in fa if name != MAIN and fa[name] == fb.get(name)]
    assert len(same) >= len(fa) // 2, same
    main = fa[MAIN].decode()
    assert main.rstrip().splitlines()[-1].startswith("#set document(title: ")
    assert "ศรีสังคราม" not in fa[MAIN].decode() and "ศรีสังคราม" in fb[MAIN].decode()
