"""Thai digits (๐–๙) to and from arabic digits.

A prebuilt translation table: PyThaiNLP's converters rebuild theirs on every call, which made digit
conversion the importer's hottest function."""

THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
_TO_ARABIC = str.maketrans(THAI_DIGITS, "0123456789")
_TO_THAI = str.maketrans("0123456789", THAI_DIGITS)


def to_thai_digits(text: str) -> str:
    """'93.96' -> '๙๓.๙๖'. Other characters pass through."""
    return text.translate(_TO_THAI) if text else text


def to_arabic_digits(text: str) -> str:
    """'๙๓.๙๖' -> '93.96'. Other characters pass through."""
    return text.translate(_TO_ARABIC) if text else text
