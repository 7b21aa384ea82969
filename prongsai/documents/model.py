"""The format-neutral document model: what a builder produces and every renderer reads.

Builders know the ITA and nothing of formats; renderers know formats and nothing of the ITA.
Text is kept with arabic digits; a renderer turns digits Thai when ``Document.thai_digits`` is set,
except in runs marked ``verbatim`` (URLs, file names, reference numbers a person typed).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, TypedDict, Unpack

Align = Literal["left", "center", "right", "justify"]


class ParagraphOptions(TypedDict, total=False):
    """The keywords ``Paragraph.of`` passes on (its fields besides the runs)."""

    align: Align
    indent: bool
    size: int | None
    space_before: int


class CellOptions(TypedDict, total=False):
    """The keywords ``Cell.of`` and ``text_cell`` pass on (its fields besides the content)."""

    colspan: int
    rowspan: int
    align: Align
    bold: bool


@dataclass(slots=True)
class Run:
    text: str
    bold: bool = False
    verbatim: bool = False  # never convert digits (links, file names)
    link: str | None = None


@dataclass(slots=True)
class Paragraph:
    runs: list[Run]
    align: Align = "justify"
    indent: bool = True  # first-line indent of official Thai prose
    size: int | None = None  # points; None = body size
    space_before: int = 0  # points

    @classmethod
    def of(cls, text: str, **kw: Unpack[ParagraphOptions]) -> Paragraph:
        return cls([Run(text)], **kw)

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass(slots=True)
class Heading:
    text: str
    level: int = 1  # 0 = document title, 1 = section, 2 = sub-section


@dataclass(slots=True)
class BulletList:
    items: list[list[Run]]


@dataclass(slots=True)
class Cell:
    content: list[Paragraph]
    colspan: int = 1
    rowspan: int = 1
    align: Align = "left"
    bold: bool = False

    @classmethod
    def of(cls, text: str, **kw: Unpack[CellOptions]) -> Cell:
        return cls([Paragraph([Run(text)], align=kw.get("align", "left"), indent=False)], **kw)

    @property
    def text(self) -> str:
        return "\n".join(p.text for p in self.content)


@dataclass(slots=True)
class Table:
    """Header rows may merge cells (colspan/rowspan); covered positions are simply absent."""

    header: list[list[Cell]]
    rows: list[list[Cell]]
    widths: list[float]  # relative column widths
    caption: str | None = None
    font_pt: int | None = None  # smaller than the body for wide tables; None = one point below body
    # Printed on landscape pages (a wide table such as the progress report's eight columns);
    # renderers start a landscape page before it and return to portrait after it.
    landscape: bool = False

    @property
    def columns(self) -> int:
        return len(self.widths)


@dataclass(slots=True)
class Figure:
    png: bytes  # the image bytes (PNG for charts; a photo may be JPEG, see mime)
    caption: str
    width_cm: float = 15.0
    mime: str = "image/png"


@dataclass(slots=True)
class Chart:
    """A grouped bar chart described by its data; each renderer draws it (PDF natively as vectors,
    DOCX and HTML from one cached image), so no format pays for another's drawing."""

    categories: list[str]
    series: dict[str, list[float | None]]  # legend label -> one value per category (None = none)
    title: str
    caption: str
    width_cm: float = 15.0
    height_cm: float = 7.5
    ymin: float = 0.0


@dataclass(slots=True)
class Signature:
    """A signature block: '(ลงชื่อ) ....', '(name)', position lines, centred on the right half."""

    name: str | None
    position: list[str]
    label: str = "(ลงชื่อ)"


@dataclass(slots=True)
class MemoHeader:
    """The บันทึกข้อความ head. ``ref_no``/``date`` are None when not yet given: renderers leave a
    dotted space to fill by hand. ``emblem`` is the agency's ครุฑ image (PNG/JPEG bytes); without
    one its space is kept (the pre-audit says so)."""

    unit: str
    ref_no: str | None
    date: str | None
    subject: str
    to: str
    emblem: bytes | None = None
    emblem_mime: str = "image/png"


@dataclass(slots=True)
class PageBreak:
    pass


@dataclass(slots=True)
class Section:
    """A titled group of blocks, e.g. one appendix entry; keeps its heading with its first block."""

    heading: Heading
    blocks: list[Block]


Block = (
    Paragraph | Heading | BulletList | Table | Figure | Chart | Signature | MemoHeader | PageBreak | Section
)


@dataclass(slots=True)
class Document:
    kind: str  # analysis | plan | progress | memo
    title: str
    blocks: list[Block] = field(default_factory=list)
    thai_digits: bool = True
    language: str = "th"
    page_numbers: bool = True
    show_title: bool = True  # a memo's heading is its บันทึกข้อความ header instead
    fiscal_year: int | None = None  # the year the document is about (for a memo wrapping it)
    # Names a line must never break inside (an agency's place name, a signer's name): no
    # dictionary knows "ศรีสังคราม", so renderers keep these whole where they occur.
    unbreakable: list[str] = field(default_factory=list)
    landscape: bool = False  # every page landscape (a report whose main table is wide)

    def add(self, *blocks: Block) -> Document:
        self.blocks.extend(blocks)
        return self

    def plain_text(self) -> str:
        """All text, for tests and search (digits as the builder wrote them)."""
        out: list[str] = [self.title]

        def walk(blocks: list[Block]) -> None:
            for b in blocks:
                if isinstance(b, (Paragraph, Heading)):
                    out.append(b.text)
                elif isinstance(b, BulletList):
                    out.extend("".join(r.text for r in item) for item in b.items)
                elif isinstance(b, Table):
                    for row in [*b.header, *b.rows]:
                        out.append(" | ".join(c.text for c in row))
                elif isinstance(b, (Figure, Chart)):
                    out.append(b.caption)
                elif isinstance(b, Signature):
                    out.extend([b.name or "", *b.position])
                elif isinstance(b, MemoHeader):
                    out.extend([b.unit, b.ref_no or "", b.date or "", b.subject, b.to])
                elif isinstance(b, Section):
                    out.append(b.heading.text)
                    walk(b.blocks)

        walk(self.blocks)
        return "\n".join(out)
