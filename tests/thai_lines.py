"""A detector of line breaks inside Thai words in a PDF, for the renderers' tests.

poppler's ``pdftotext -bbox-layout`` gives the PDF's text as blocks (a paragraph, a table cell) of
lines of words. Between two lines of one block, the end of the first and the start of the second
are joined and cut into words with PyThaiNLP's newmm: a break that is not a word boundary there
("หน่วยงา / น", "ปีงบประม / าณ"), or that leaves a piece newmm does not know as a word on either
side ("ท่ามะพ / ลา" cut as ท่า|มะ|พ|ลา), is reported. A break next to a space, a digit or a Latin
letter is not a Thai word split; neither is one inside a token longer than ``LONG`` characters
(newmm's fallback for runs it cannot segment).
"""

from __future__ import annotations

import itertools
import re
import subprocess
import unicodedata
from html import unescape
from pathlib import Path

LONG = 20
THAI_LETTER = re.compile(r"[\u0e01-\u0e4e]")
_BLOCK = re.compile(r"<block\b.*?</block>", re.S)
_LINE = re.compile(r"<line\b.*?</line>", re.S)
_WORD = re.compile(r'<word\b[^>]*?xMin="([\d.]+)"[^>]*?xMax="([\d.]+)"[^>]*>(.*?)</word>', re.S)
GLUED_PT = 0.5  # pdftotext cuts words where a PDF places glyphs one by one; a real space is ~3 pt


def pdf_blocks(pdf: Path) -> list[list[str]]:
    """The PDF's text blocks, each a list of its lines (words joined by single spaces; words that
    touch, which pdftotext reports apart when the PDF positions each glyph, joined without one)."""
    xhtml = subprocess.run(
        ["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    blocks = []
    for block in _BLOCK.findall(xhtml):
        lines = []
        for line in _LINE.findall(block):
            text, end = "", None
            for x0, x1, word in _WORD.findall(line):
                gap = " " if end is not None and float(x0) - end > GLUED_PT else ""
                text += (gap if text else "") + unescape(word)
                end = float(x1)
            lines.append(text)
        blocks.append([unicodedata.normalize("NFC", ln) for ln in lines if ln.strip()])
    return blocks


def _known(word: str) -> bool:
    from pythainlp.corpus import thai_words

    global _WORDS
    try:
        words = _WORDS
    except NameError:
        words = _WORDS = frozenset(thai_words())
    return word in words or not THAI_LETTER.search(word)


def split_at(
    left: str, right: str, compounds: bool = False, names: tuple[str, ...] | list[str] = ()
) -> str | None:
    """``left`` ends a line and ``right`` starts the next: the joined text with '|' at the break
    when it falls inside a Thai word or inside one of ``names`` (the document's unbreakable names,
    which no dictionary knows: "ศรี|สองคราม" is two dictionary words but one name), else None.
    With ``compounds``, a break between two dictionary words that newmm reads as one compound
    ("งบ|ประมาณ", "ส่ง|เสริม") is allowed."""
    if not left or not right or left[-1].isspace() or right[0].isspace():
        return None
    if not (THAI_LETTER.match(left[-1]) and THAI_LETTER.match(right[0])):
        return None
    from pythainlp.tokenize import word_tokenize

    tail, head = left.split()[-1], right.split()[0]
    joined = tail + head
    at = len(tail)
    for name in names:
        start = joined.find(name)
        while start != -1:
            if start < at < start + len(name):
                return f"{tail}|{head}"
            start = joined.find(name, start + 1)
    if any(tail.endswith(n) or head.startswith(n) for n in names):
        return None  # a break before or after a whole name
    pos, bounds, tokens = 0, {0}, []
    for tok in word_tokenize(joined, engine="newmm", keep_whitespace=False):
        tokens.append((pos, tok))
        pos += len(tok)
        bounds.add(pos)
    if at in bounds:
        before = next(tok for start, tok in tokens if start + len(tok) == at)
        after = next(tok for start, tok in tokens if start == at)
        if _known(before) and _known(after):
            return None
    else:
        inside = next(tok for start, tok in tokens if start < at < start + len(tok))
        if len(inside) > LONG:
            return None
    if compounds:
        last = word_tokenize(tail, engine="newmm", keep_whitespace=False)[-1]
        first = word_tokenize(head, engine="newmm", keep_whitespace=False)[0]
        if len(last) > 1 and len(first) > 1 and _known(last) and _known(first):
            return None
    return f"{tail}|{head}"


def word_splits(
    blocks: list[list[str]],
    source_text: str | None = None,
    compounds: bool = False,
    names: tuple[str, ...] | list[str] = (),
) -> list[str]:
    """Breaks inside Thai words (or inside ``names``) among consecutive lines of each block. When
    ``source_text`` (the document's text as printed) is given, only a break inside a run the
    source has without a space is reported (pdftotext drops the space at a line end, and may put
    two cells in one block)."""
    source = re.sub(r"\s+", " ", unicodedata.normalize("NFC", source_text)) if source_text else None
    out = []
    for lines in blocks:
        for a, b in itertools.pairwise(lines):
            hit = split_at(a, b, compounds, names)
            if hit is None:
                continue
            tail, head = hit.split("|")
            # Two texts pdftotext put in one block (adjacent cells, a label and its value) never
            # occur joined in the source; a break at a space of the source is no split.
            if source is not None and (f"{tail}{head}" not in source or f"{tail} {head}" in source):
                continue
            out.append(hit)
    return out


def pdf_word_splits(
    pdf: Path,
    source_text: str | None = None,
    compounds: bool = False,
    names: tuple[str, ...] | list[str] = (),
) -> list[str]:
    return word_splits(pdf_blocks(pdf), source_text, compounds, names)
