"""Thai conventions: digits, Buddhist-era years and dates. Thin, on top of PyThaiNLP."""

from prongsai.thai.dates import be_to_ce, ce_to_be, fiscal_year_bounds, thai_date
from prongsai.thai.digits import to_arabic_digits, to_thai_digits

__all__ = [
    "be_to_ce",
    "ce_to_be",
    "fiscal_year_bounds",
    "thai_date",
    "to_arabic_digits",
    "to_thai_digits",
]
