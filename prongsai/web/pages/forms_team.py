"""Forms of the team page (units, members, invitations) and of accepting an invitation."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from prongsai.web.agencies.models import Agency, Role, Unit
from prongsai.web.pages.forms_limits import TOO_LONG, thai_limits


def _one_line(value: str) -> str:
    return " ".join((value or "").split())


class UnitForm(forms.Form):
    # The unit's column (agencies.Unit.name) holds 120.
    name = forms.CharField(label=_("ชื่อส่วนราชการ"), max_length=120, error_messages={"max_length": TOO_LONG})

    def __init__(self, *args, agency: Agency, unit: Unit | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.agency, self.unit = agency, unit

    def clean_name(self) -> str:
        name = _one_line(self.cleaned_data["name"])
        if not name:
            raise ValidationError(_("กรุณากรอกชื่อส่วนราชการ"))
        same = self.agency.units.filter(name=name)
        if self.unit is not None:
            same = same.exclude(pk=self.unit.pk)
        if same.exists():
            raise ValidationError(_("มีส่วนราชการชื่อนี้อยู่แล้ว"))
        return name


class _RoleUnit(forms.Form):
    """A role, and the unit a contributor reports for (only a contributor has one)."""

    role = forms.ChoiceField(label=_("บทบาท"), choices=Role.choices)
    unit = forms.ModelChoiceField(
        label=_("ส่วนราชการ (สำหรับผู้รายงาน)"), queryset=Unit.objects.none(), required=False
    )

    def __init__(self, *args, agency: Agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.agency = agency
        self.fields["unit"].queryset = agency.units.filter(active=True).order_by("name")
        self.fields["unit"].empty_label = "—"

    def clean(self):
        data = super().clean()
        if data.get("role") == Role.CONTRIBUTOR:
            if not data.get("unit"):
                self.add_error("unit", _("ผู้รายงานของส่วนราชการต้องมีส่วนราชการที่รับผิดชอบ"))
        else:
            data["unit"] = None
        return data


class MemberForm(_RoleUnit):
    pass


class InviteForm(_RoleUnit):
    email = forms.EmailField(label=_("อีเมล"))
    field_order = ["email", "role", "unit"]

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if self.agency.memberships.filter(user__email__iexact=email).exists():
            raise ValidationError(_("ผู้ใช้ที่มีอีเมลนี้เป็นสมาชิกของหน่วยงานอยู่แล้ว"))
        return email


class AcceptForm(forms.Form):
    """A new account for the invited person: their name, a username and a password that passes
    the site's password rules."""

    first_name = forms.CharField(label=_("ชื่อ"), max_length=150)
    last_name = forms.CharField(label=_("นามสกุล"), max_length=150, required=False)
    username = forms.CharField(
        label=_("ชื่อผู้ใช้"),
        max_length=150,
        validators=[UnicodeUsernameValidator(message=_("ชื่อผู้ใช้ใช้ได้เฉพาะตัวอักษร ตัวเลข และ @ . + - _"))],
        help_text=_("ใช้เข้าสู่ระบบ ตัวอักษร ตัวเลข และ @ . + - _ ไม่เกิน 150 ตัว"),
    )
    password1 = forms.CharField(label=_("รหัสผ่าน"), strip=False, widget=forms.PasswordInput)
    password2 = forms.CharField(label=_("ยืนยันรหัสผ่าน"), strip=False, widget=forms.PasswordInput)

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        thai_limits(self)
        self.email = email
        self.fields["password1"].help_text = password_validation.password_validators_help_text_html()

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise ValidationError(_("มีผู้ใช้ชื่อนี้แล้ว กรุณาเลือกชื่ออื่น"))
        return username

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("รหัสผ่านทั้งสองช่องไม่ตรงกัน"))
        elif p1:
            candidate = get_user_model()(
                username=data.get("username", ""),
                email=self.email,
                first_name=data.get("first_name", ""),
                last_name=data.get("last_name", ""),
            )
            try:
                password_validation.validate_password(p1, candidate)
            except ValidationError as exc:
                self.add_error("password1", exc)
        return data

    def create_user(self):
        data = self.cleaned_data
        return get_user_model().objects.create_user(
            username=data["username"],
            email=self.email,
            password=data["password1"],
            first_name=data["first_name"].strip(),
            last_name=data["last_name"].strip(),
        )
