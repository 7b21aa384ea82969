"""Thai digits (๐–๙) to and from arabic digits.

A prebuilt translation table: PyThaiNLP's converters rebuild theirs on every call, which made digit
conversion the importer's hottest function."""

import re
from functools import lru_cache

THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
_TO_ARABIC = str.maketrans(THAI_DIGITS, "0123456789")
_TO_THAI = str.maketrans("0123456789", THAI_DIGITS)
# Digits that belong to a Latin code stay arabic: item ids (o16, i11), MOIT22, ISO 9001 is not
# one (space). Thai digits inside "o16" would print a Latin letter with Thai digits (o๑๖).
_LATIN_CODE = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]+[0-9][A-Za-z0-9.]*")
_ARABIC = re.compile(r"[0-9]")


@lru_cache(maxsize=65536)
def to_thai_digits(text: str) -> str:
    """'93.96' -> '๙๓.๙๖'; codes such as 'o16' or 'MOIT22' keep their arabic digits.

    Cached, and a text without arabic digits is returned as it is: documents convert every
    sentence, most have no digit, and translate() walks the whole string."""
    if not text or not _ARABIC.search(text):
        return text
    if not _LATIN_CODE.search(text):
        return text.translate(_TO_THAI)
    out, last = [], 0
    for m in _LATIN_CODE.finditer(text):
        out.append(text[last : m.start()].translate(_TO_THAI))
        out.append(m.group())
        last = m.end()
    out.append(text[last:].translate(_TO_THAI))
    return "".join(out)


def to_arabic_digits(text: str) -> str:
    """'๙๓.๙๖' -> '93.96'. Other characters pass through."""
    return text.translate(_TO_ARABIC) if text else text
