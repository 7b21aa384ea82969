"""The date field of every form a person fills in: shown and typed as วว/ดด/ปปปป in the Buddhist
era. A browser's own date picker (``<input type=date>``) shows Christian-era years ("2026") and
cannot be told otherwise, so this is a text input with a pattern, a numeric keypad on phones and a
Thai hint; what is typed is read by ``prongsai.thai.dates.parse_be_date``."""

from __future__ import annotations

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from prongsai.thai.dates import NoSuchDate, be_numeric, parse_be_date

# What the browser lets through before the server reads it: day, month, 4-digit year, with /, .
# or - between (arabic or Thai digits). Escaped for both the u and the v flag browsers compile
# pattern attributes with.
PATTERN = r"\s*[0-9๐-๙]{1,2}\s*[\/.\-]\s*[0-9๐-๙]{1,2}\s*[\/.\-]\s*[0-9๐-๙]{4}\s*"


class BEDateInput(forms.TextInput):
    """A text input showing a date as 03/12/2569."""

    def __init__(self, attrs: dict | None = None):
        defaults = {
            "inputmode": "numeric",
            "autocomplete": "off",
            "pattern": PATTERN,
            "placeholder": _("วว/ดด/ปปปป"),
            "title": _("วันที่ในรูปแบบ วว/ดด/ปปปป ปีเป็น พ.ศ."),
            "class": "be-date",
            "size": 12,
            "maxlength": 20,
        }
        super().__init__({**defaults, **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, date):
            return be_numeric(value)
        return super().format_value(value)


class BEDateField(forms.DateField):
    """A date typed as วว/ดด/ปปปป in the Buddhist era (Thai or arabic digits, '/', '.' or '-'), a
    Thai written date, or yyyy-mm-dd; a year below 2400 is taken as C.E. The hint under the field
    gives today's date as the example."""

    widget = BEDateInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("help_text", "")
        super().__init__(*args, **kwargs)
        if not self.help_text:
            self.help_text = _example_hint()

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, date):
            return value
        try:
            return parse_be_date(str(value))
        except NoSuchDate:
            raise ValidationError(_("ไม่มีวันที่นี้ในปฏิทิน กรุณาตรวจสอบวัน เดือน และปี"), code="invalid") from None
        except ValueError:
            raise ValidationError(
                _("กรุณากรอกวันที่เป็น วว/ดด/ปปปป (พ.ศ.) เช่น %(example)s"),
                code="invalid",
                params={"example": be_numeric(timezone.localdate())},
            ) from None

    def prepare_value(self, value):
        return be_numeric(value) if isinstance(value, date) else value


def _today_hint() -> str:
    return str(_("วว/ดด/ปปปป (พ.ศ.) เช่น %(example)s") % {"example": be_numeric(timezone.localdate())})


# Worked out each time it is shown: a form class outlives the day it was imported on.
_example_hint = lazy(_today_hint, str)
