"""Thai digits (๐–๙) to and from arabic digits."""

from pythainlp.util import arabic_digit_to_thai_digit, thai_digit_to_arabic_digit


def to_thai_digits(text: str) -> str:
    """'93.96' -> '๙๓.๙๖'. Other characters pass through."""
    return arabic_digit_to_thai_digit(text) if text else text


def to_arabic_digits(text: str) -> str:
    """'๙๓.๙๖' -> '93.96'. Other characters pass through."""
    return thai_digit_to_arabic_digit(text) if text else text
