"""Thai text reduced to what a reader compares: two titles typed, exported or OCR'd differently
('๑. จัดทำคู่มือ ', '1.จัดทํา คู่มือ') compare equal."""

from __future__ import annotations

import re
import unicodedata

from prongsai.thai.digits import to_arabic_digits

# \s misses the zero-width characters Thai word processors put between words.
_SPACE = re.compile(r"[\s\u200b-\u200d\u2060\ufeff]+")
# A list number in front ('1.', '(2)', '3)', 'ข้อ 4') is where the title sat, not what it says.
_NUMBERING = re.compile(r"^(?:ข้อ)?\(?[0-9]{1,3}[.)]+|^\([0-9]{1,3}\)")
_TRAILING = re.compile(r"[.,;:]+$")


def comparable(text: str | None) -> str:
    """NFC, Arabic digits, no whitespace, sara am composed, no leading list number or trailing
    punctuation, case folded (Latin words in a title)."""
    s = unicodedata.normalize("NFC", to_arabic_digits(text or ""))
    # Whitespace first so that a split 'ํ า' is composed too; NFC leaves U+0E4D U+0E32 alone.
    s = _SPACE.sub("", s).replace("\u0e4d\u0e32", "\u0e33")
    s = _NUMBERING.sub("", s)
    return _TRAILING.sub("", s).casefold()
