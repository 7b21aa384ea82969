"""Table column widths sized to their content, shared by the DOCX and the PDF (Typst) renderers.

A line breaker may break a line between Thai words, never inside one, and never inside a number;
a column narrower than its widest unbreakable run forces an emergency break ("ปีงบประม / าณ",
"๑๐๐.๐๐" over two lines). So every column is at least as wide as the widest such run among its
cells (measured with the real TH Sarabun New advance widths, bold where the cell is bold, plus the
cell padding); the width left over is shared in proportion to the builder's relative widths.

Runs are whitespace-separated chunks cut into words by PyThaiNLP's newmm; the document's
unbreakable names (``Document.unbreakable``: "ศรีสังคราม", "หยงมัส") are one piece each, and pieces
newmm cannot find in its dictionary (proper nouns: "ท่ามะพลา" comes out as ท่า|มะ|พ|ลา) are glued
to their neighbours, since a line breaker with another dictionary may cut such a name anywhere.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import TypedDict

from prongsai.documents.model import Cell, Table
from prongsai.thai.digits import to_thai_digits

PORTRAIT_CM = 16.0  # A4 (21 cm) less 3 cm left and 2 cm right margins
LANDSCAPE_CM = 24.7  # A4 landscape (29.7 cm) less the same margins
CELL_PAD_CM = 0.19  # left and right cell margins: Word's and LibreOffice's default, and ours in Typst
SLACK_CM = 0.08  # kerning, mark positioning and rounding in the readers' own measuring
PT_PER_CM = 72 / 2.54
# A body row of at most this many lines never splits over two pages (Word's "allow row to break
# across pages" off); taller rows may, as Word does by default, so a long measure does not leave
# half a page empty. Keeping every row whole also cost Typst a second layout of each tall row that
# did not fit, nearly doubling a report's compile time.
WHOLE_ROW_LINES = 12

_THAI = re.compile(r"[\u0e01-\u0e4f]")
_WORDISH = re.compile(r"[\w\u0e01-\u0e5b]")


# TH Sarabun New's advance widths by code point, read from the pinned font files by
# scripts/font_metrics.py (tests/test_font_metrics.py checks them against the installed fonts):
# loading the font with fontTools at run time was a tenth of a CLI document's time.
METRICS = Path(__file__).with_name("font_metrics.json")


class _FaceMetrics(TypedDict):
    advances: dict[str, int]  # code point (JSON keys are strings) -> advance in font units
    units_per_em: int


@lru_cache(maxsize=1)
def _metrics() -> dict[str, _FaceMetrics]:
    metrics: dict[str, _FaceMetrics] = json.loads(METRICS.read_text(encoding="utf-8"))
    return metrics


@lru_cache(maxsize=2)
def _advances(bold: bool) -> tuple[dict[int, int], int]:
    face = _metrics()["bold" if bold else "normal"]
    return {int(cp): adv for cp, adv in face["advances"].items()}, face["units_per_em"]


def text_width_pt(text: str, size_pt: float, bold: bool = False) -> float:
    """Advance width of ``text`` at ``size_pt`` (Thai marks have no advance in this font)."""
    adv, upem = _advances(bold)
    fallback = adv.get(ord("n"), upem // 2)
    return sum(adv.get(ord(ch), fallback) for ch in text) * size_pt / upem


@lru_cache(maxsize=1)
def _dictionary() -> frozenset[str]:
    from pythainlp.corpus import thai_words

    return frozenset(thai_words())


class _Words:
    """PyThaiNLP's word list as newmm's dictionary: newmm only asks for the words that start at
    a position, which a set answers as fast as its trie, and the set loads in 0.15 s where
    building the trie takes 0.6 s (a whole CLI run's worth). Same words, same segmentation."""

    def __init__(self, words: frozenset[str]):
        self.words = words
        self.longest = max(map(len, words))

    def prefixes(self, text: str, start: int = 0) -> list[str]:
        words, end = self.words, min(len(text), start + self.longest)
        return [text[start:i] for i in range(start + 1, end + 1) if text[start:i] in words]

    def __contains__(self, word: str) -> bool:
        return word in self.words


@lru_cache(maxsize=1)
def _newmm() -> Callable[[str], list[str]]:
    from pythainlp.tokenize.newmm import segment

    words = _Words(_dictionary())
    # newmm's hint asks for a Trie; it only calls prefixes() and `in`, which _Words answers.
    return lambda text: segment(text, custom_dict=words)  # type: ignore[arg-type]


def unbreakable_runs(text: str, names: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The pieces of ``text`` a line may not be broken inside (each of ``names`` one piece)."""
    out: list[str] = []
    for chunk in text.split():
        out.extend(chunk_pieces(chunk, names))
    return tuple(out)


@lru_cache(maxsize=64)
def _names_pattern(names: tuple[str, ...]) -> re.Pattern[str] | None:
    """One alternation of ``names``, longest first so the longest name wins where two overlap."""
    names = tuple(sorted({n for n in names if n}, key=len, reverse=True))
    return re.compile("|".join(map(re.escape, names))) if names else None


def name_spans(text: str, names: tuple[str, ...]) -> list[tuple[str, bool]]:
    """``text`` cut into (segment, is_name) around every occurrence of ``names``."""
    pattern = _names_pattern(names)
    if pattern is None:
        return [(text, False)]
    out: list[tuple[str, bool]] = []
    last = 0
    for m in pattern.finditer(text):
        if m.start() > last:
            out.append((text[last : m.start()], False))
        out.append((m.group(), True))
        last = m.end()
    if last < len(text):
        out.append((text[last:], False))
    return out


@lru_cache(maxsize=65536)
def chunk_pieces(chunk: str, names: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The words of one whitespace-free chunk, as a line breaker should see them, each of
    ``names`` (the document's unbreakable names) one whole piece (cached: a batch of reports
    repeats most of its sentences)."""
    if not _THAI.search(chunk):
        return (chunk,)  # numbers, Latin words, URLs: one piece
    if names and (pattern := _names_pattern(names)) is not None and pattern.search(chunk):
        out: list[str] = []
        for segment, is_name in name_spans(chunk, names):
            out.extend((segment,) if is_name else _pieces(segment))
        return tuple(out)
    return _pieces(chunk)


@lru_cache(maxsize=65536)
def _pieces(chunk: str) -> tuple[str, ...]:
    if not _THAI.search(chunk):
        return (chunk,)
    words = _dictionary()
    pieces: list[str] = []
    glue_next = False
    for tok in _newmm()(chunk):
        if not tok:
            continue
        thai = bool(_THAI.search(tok))
        unknown = thai and tok not in words
        punct = not _WORDISH.search(tok)
        opening = punct and tok in "([{\"'“‘"
        latin_run = not thai and pieces and not _THAI.search(pieces[-1])
        if pieces and (glue_next or unknown or (punct and not opening) or latin_run):
            pieces[-1] += tok
        else:
            pieces.append(tok)
        glue_next = unknown or opening
    return tuple(pieces)


def is_thai(text: str) -> bool:
    return bool(_THAI.search(text))


@lru_cache(maxsize=65536)
def width_em(piece: str, bold: bool) -> float:
    """Advance width of ``piece`` in ems (cached: the same words recur in every table)."""
    return text_width_pt(piece, 1.0, bold)


@lru_cache(maxsize=65536)
def min_width_cm(text: str, size_pt: float, bold: bool, names: tuple[str, ...] = ()) -> float:
    widest = max((width_em(r, bold) for r in unbreakable_runs(text, names)), default=0.0)
    return widest * size_pt / PT_PER_CM


def available_cm(table: Table) -> float:
    return LANDSCAPE_CM if table.landscape else PORTRAIT_CM


_WIDTHS: dict[tuple[int, float, float | None, bool, tuple[str, ...]], tuple[Table, list[float]]] = {}


def column_widths(
    table: Table,
    font_pt: float,
    avail_cm: float | None = None,
    *,
    thai_digits: bool = True,
    names: tuple[str, ...] = (),
) -> list[float]:
    """Column widths in cm for ``table`` at ``font_pt``, summing to the available width; each of
    ``names`` (the document's unbreakable names) is measured as one piece. Remembered for the
    last tables asked about, so a document's DOCX and PDF measure each table once."""
    key = (id(table), font_pt, avail_cm, thai_digits, names)
    hit = _WIDTHS.get(key)
    if hit is not None and hit[0] is table:
        return list(hit[1])
    widths = _column_widths(table, font_pt, avail_cm, thai_digits=thai_digits, names=names)
    if len(_WIDTHS) >= 256:
        _WIDTHS.clear()
    _WIDTHS[key] = (table, widths)
    return list(widths)


def _column_widths(
    table: Table,
    font_pt: float,
    avail_cm: float | None = None,
    *,
    thai_digits: bool = True,
    names: tuple[str, ...] = (),
) -> list[float]:
    avail = available_cm(table) if avail_cm is None else avail_cm
    n = table.columns
    pad = 2 * CELL_PAD_CM + SLACK_CM
    mins = [pad] * n
    spans: list[tuple[int, int, float]] = []
    for r_idx, row in enumerate(cell_grid([*table.header, *table.rows])):
        header = r_idx < len(table.header)
        for cell, c_idx in row:
            need = 0.0
            for p in cell.content:
                for run in p.runs:
                    text = run.text if run.verbatim or not thai_digits else to_thai_digits(run.text)
                    need = max(need, min_width_cm(text, font_pt, header or cell.bold or run.bold, names))
            need += pad
            if cell.colspan == 1:
                mins[c_idx] = max(mins[c_idx], need)
            else:
                spans.append((c_idx, cell.colspan, need))
    weights = [max(w, 1e-6) for w in table.widths]
    for c_idx, span, need in spans:  # a merged cell wider than its columns widens them in proportion
        have = sum(mins[c_idx : c_idx + span])
        if need > have:
            share = sum(weights[c_idx : c_idx + span])
            for c in range(c_idx, c_idx + span):
                mins[c] += (need - have) * weights[c] / share
    if sum(mins) >= avail:  # cannot fit: keep the proportions of the minima (some words will break)
        scale = avail / sum(mins)
        return [m * scale for m in mins]
    fixed: dict[int, float] = {}
    while True:  # columns whose share is below their minimum take the minimum; the rest share what is left
        free = [i for i in range(n) if i not in fixed]
        left = avail - sum(fixed.values())
        total = sum(weights[i] for i in free)
        widths = {i: left * weights[i] / total for i in free}
        short = [i for i in free if widths[i] < mins[i]]
        if not short:
            break
        for i in short:
            fixed[i] = mins[i]
    return [fixed.get(i, widths.get(i, 0.0)) for i in range(n)]


def estimated_lines(
    cell: Cell, width_cm: float, font_pt: float, *, thai_digits: bool = True, names: tuple[str, ...] = ()
) -> int:
    """How many lines ``cell`` takes in a column ``width_cm`` wide: its words (the pieces a line
    may break between, unbreakable_runs) filled first-fit into lines, as the renderers' line
    breakers do. Used to tell short rows, which must never split over two pages, from tall ones."""
    usable_em = max(width_cm - 2 * CELL_PAD_CM, 0.5) * PT_PER_CM / font_pt
    lines = 0
    for p in cell.content:
        bold = cell.bold or any(r.bold for r in p.runs)
        text = "".join(r.text if r.verbatim or not thai_digits else to_thai_digits(r.text) for r in p.runs)
        lines += _filled_lines(text, usable_em, bold, names)
    return lines


@lru_cache(maxsize=65536)
def _filled_lines(text: str, usable_em: float, bold: bool, names: tuple[str, ...]) -> int:
    space = width_em(" ", bold)
    lines, line = 1, 0.0
    for chunk in text.split():
        for i, piece in enumerate(chunk_pieces(chunk, names)):
            w = width_em(piece, bold)
            gap = space if i == 0 and line else 0.0
            if line and line + gap + w > usable_em:
                lines += 1
                line = w
            else:
                line += gap + w
            while line > usable_em:  # a piece wider than the column wraps anywhere
                lines += 1
                line -= usable_em
    return lines


def cell_grid(rows: list[list[Cell]]) -> list[list[tuple[Cell, int]]]:
    """Each row's cells with the column each starts in (cells merged from above take their place)."""
    occupied: set[tuple[int, int]] = set()
    out: list[list[tuple[Cell, int]]] = []
    for r_idx, row in enumerate(rows):
        placed: list[tuple[Cell, int]] = []
        c_idx = 0
        for cell in row:
            while (r_idx, c_idx) in occupied:
                c_idx += 1
            placed.append((cell, c_idx))
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    occupied.add((r_idx + dr, c_idx + dc))
            c_idx += cell.colspan
        out.append(placed)
    return out


def tall_rows(
    table: Table,
    widths: list[float],
    font_pt: float,
    limit: int = WHOLE_ROW_LINES,
    *,
    thai_digits: bool = True,
    grid: list[list[tuple[Cell, int]]] | None = None,
    names: tuple[str, ...] = (),
) -> set[int]:
    """Body rows covered by a cell of more than ``limit`` lines (estimated_lines); ``grid`` is
    ``cell_grid(table.rows)`` when the caller has it."""
    tall: set[int] = set()
    for r_idx, row in enumerate(grid if grid is not None else cell_grid(table.rows)):
        for cell, c_idx in row:
            width = sum(widths[c_idx : c_idx + cell.colspan])
            if estimated_lines(cell, width, font_pt, thai_digits=thai_digits, names=names) > limit:
                tall.update(range(r_idx, r_idx + cell.rowspan))
    return tall
