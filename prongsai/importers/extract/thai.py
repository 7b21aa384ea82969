"""Repairs for Thai text that came out of a PDF text layer or OCR, and a measure of how Thai a
text is. Plain text and DOCX are never touched: their text is what the author typed."""

from __future__ import annotations

import re

# Vowels and tone marks written above/below a consonant: nothing may separate them from it.
COMBINING = "\u0e31\u0e34-\u0e3a\u0e47-\u0e4e"
_SPACE_BEFORE_MARK = re.compile(f"[ \u00a0\u200b]+(?=[{COMBINING}])")
# PDF fonts often draw sara am as nikhahit + sara aa; a tone mark may sit between them and
# belongs before the composed sara am (น + ้ + ำ).
_SARA_AM = re.compile("\u0e4d([\u0e48-\u0e4b]?)\u0e32")
# The same with the nikhahit already read as sara am and the tone after it: 'ตำ่า' is ต่ำ.
_AM_TONE_AA = re.compile("\u0e33([\u0e48-\u0e4b])\u0e32")
# A mai tho drawn as a shifted glyph that the font leaves unmapped comes out as '&' or '.'
# ('วังนำ&าเย็น', 'นำ.า', 'ตัวชี&', 'ขึ&น'): only between a sara am and its sara aa, or after an
# upper vowel and before a Thai letter, where neither character can stand.
_LOST_TONE_AM = re.compile("\u0e33[&.]\u0e32")
_LOST_TONE_UPPER = re.compile("(?<=[\u0e31\u0e34-\u0e37])&(?=[\u0e01-\u0e2e\\s]|$)")


def normalise_thai(text: str) -> str:
    text = _SPACE_BEFORE_MARK.sub("", text)
    text = _SARA_AM.sub("\\1\u0e33", text)
    text = _AM_TONE_AA.sub("\\1\u0e33", text)
    text = _LOST_TONE_AM.sub("\u0e49\u0e33", text)
    text = _LOST_TONE_UPPER.sub("\u0e49", text)
    # LibreOffice's PDFs map the nikhahit glyph to sara am and then its sara aa glyph again:
    # 'ดำาเนิน'. Sara am is never followed by sara aa in Thai.
    return text.replace("\u0e33\u0e32", "\u0e33")


def thai_ratio(text: str) -> float:
    """Share of the non-whitespace characters that are Thai (0.0 for a blank text)."""
    chars = [c for c in text if not c.isspace()]
    if not chars:
        return 0.0
    return sum(1 for c in chars if "\u0e00" <= c <= "\u0e7f") / len(chars)
