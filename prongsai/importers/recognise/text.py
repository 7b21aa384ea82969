"""Small text helpers shared by the recognisers: cleaning cell text, numbers, years, matching keys."""

from __future__ import annotations

import re
import unicodedata

from prongsai.thai.digits import to_arabic_digits

_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_SPACE = re.compile(r"[\s\u00a0\u200b]+")
_NUMBER = re.compile(r"(?<![\d.])[+\-−]?\s?\d{1,3}(?:\.\d{1,2})?(?![\d])")
YEAR_RE = re.compile(r"(?<!\d)(25\d\d)(?!\d)")
THAI = re.compile(r"[\u0e01-\u0e4e]")


def clean(text: str | None) -> str:
    """Cell or line text as the ground truth records it: HTML tags left by converters removed,
    whitespace runs collapsed, ends trimmed. Characters (OCR errors included) are kept."""
    if not text:
        return ""
    return _SPACE.sub(" ", _TAG.sub(" ", text)).strip()


def match_key(text: str) -> str:
    """A key for comparing labels and titles: no whitespace, no markup, arabic digits, lower case,
    sara am composed (PDF text layers often decompose it)."""
    text = unicodedata.normalize("NFC", _TAG.sub("", text)).replace("\u0e4d\u0e32", "\u0e33")
    return _SPACE.sub("", to_arabic_digits(text)).lower().strip("*:：.")


def number(text: str) -> float | None:
    """The one score in a cell ('๙๙.๔๕', '+๐.๔๔', '-15.00'); None when there is none or several."""
    found = _NUMBER.findall(to_arabic_digits(text or "").replace("−", "-"))
    if len(found) != 1:
        return None
    value = float(found[0].replace(" ", ""))
    return value if -100 <= value <= 100 else None


def years(text: str) -> list[int]:
    """B.E. years written in full (2563, ๒๕๖๘)."""
    return [int(y) for y in YEAR_RE.findall(to_arabic_digits(text))]


def is_thai(text: str) -> bool:
    return bool(THAI.search(text))


_LEADING_NO = re.compile(r"^\s*(?:\(?([0-9๐-๙]{1,2})[.)]|([0-9๐-๙]{1,2})\s)\s*(?![0-9๐-๙])")


def split_number(text: str) -> tuple[int | None, str]:
    """'๑.ให้ความรู้…' -> (1, 'ให้ความรู้…'); '1.1 มีการ…' is a sub-number, not a measure number."""
    m = _LEADING_NO.match(text)
    if not m or re.match(r"^\s*[0-9๐-๙]{1,2}\.[0-9๐-๙]", text):
        return None, text
    return int(to_arabic_digits(m.group(1) or m.group(2))), text[m.end() :]
