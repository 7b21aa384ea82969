"""Text fields of the web forms, bounded by the limits table (``prongsai.interchange.limits``):
the same numbers as the database columns, the interchange format and the API. Over the limit,
the field says so in Thai with the limit and the text's length (Django's own message has no
Thai translation)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from prongsai.interchange.limits import LIMITS

TOO_LONG = _("ข้อความยาว %(show_value)s ตัวอักษร เกินที่กำหนดไว้ %(limit_value)s ตัวอักษร กรุณาตัดให้สั้นลง")


def limited(key: str, **kwargs: Any) -> forms.CharField:
    """A CharField of at most ``LIMITS[key]`` characters, refused in Thai beyond it."""
    kwargs["error_messages"] = {"max_length": TOO_LONG, **kwargs.get("error_messages", {})}
    return forms.CharField(max_length=LIMITS[key], **kwargs)


def thai_limits(form: forms.BaseForm) -> None:
    """The Thai over-limit message on every bounded text field of ``form`` (a ModelForm's fields
    take their max_length from the model, which reads the limits table)."""
    for field in form.fields.values():
        if isinstance(field, forms.CharField) and field.max_length:
            field.error_messages["max_length"] = TOO_LONG


def over_limit_lines(text: str, key: str) -> list[int]:
    """The numbers (from 1) of the non-blank lines of ``text`` longer than ``LIMITS[key]``: a
    textarea holding one item per line (auditor's suggestions, stakeholders' comments)."""
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    return [n for n, line in enumerate(lines, 1) if len(line) > LIMITS[key]]


def too_long_lines(lines: list[int], key: str) -> forms.ValidationError:
    return forms.ValidationError(
        _("ข้อที่ %(lines)s ยาวเกินที่กำหนดไว้ %(limit)s ตัวอักษรต่อข้อ กรุณาตัดให้สั้นลง")
        % {"lines": ", ".join(str(n) for n in lines), "limit": LIMITS[key]},
        code="max_length",
    )
