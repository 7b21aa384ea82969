"""The บันทึกข้อความ form and the agency's emblem upload. Thai labels first; each blank field of the
memo is left to the document's default, which the form shows as the field's placeholder."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from prongsai.documents.builders.common import officers
from prongsai.documents.builders.reports import DECISIONS
from prongsai.thai.dates import be_numeric, thai_date
from prongsai.web.agencies.models import Agency
from prongsai.web.cycle.models import Memo, MemoDecision, Plan
from prongsai.web.cycle.records import agency_interchange, latest_assessments
from prongsai.web.cycle.uploads import EMBLEM_MAX_BYTES, EMBLEM_MAX_SIDE, validate_emblem
from prongsai.web.pages.forms_limits import thai_limits
from prongsai.web.pages.widgets import BEDateField


def be_text(day: date | None) -> str:
    """dd/mm/yyyy with the Buddhist-era year: how the memo form shows a date."""
    return be_numeric(day) if day else ""


# The executive's choices are the ones the memo prints for its report (the builder's DECISIONS);
# here only their labels are translated.
_DECISION_LABELS = {
    "ทราบ": _("ทราบ"),
    "เห็นชอบ": _("เห็นชอบ"),
    "ไม่เห็นชอบ": _("ไม่เห็นชอบ"),
    "อนุมัติ": _("อนุมัติ"),
    "ไม่อนุมัติ": _("ไม่อนุมัติ"),
    "อนุญาตให้เผยแพร่": _("อนุญาตให้เผยแพร่"),
}
DECISION_CHOICES = {
    kind: [(key, _DECISION_LABELS[label]) for key, label in choices] for kind, choices in DECISIONS.items()
}


def default_subject(kind: str, year: int, assessed: int | None = None) -> str:
    """The subject the document prints when the field is blank (the memo builder's own text)."""
    from prongsai.documents.builders import reports

    subjects = getattr(reports, "MEMO_SUBJECT", None)
    if isinstance(subjects, dict) and kind in subjects:
        try:
            return subjects[kind].format(year=year, assessed=assessed or year - 1)
        except (KeyError, IndexError):
            pass
    return {
        "analysis": _(
            "รายงานผลการวิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ (ITA) "
            "และแนวทางการพัฒนา ประจำปีงบประมาณ พ.ศ. %(year)s"
        ),
        "plan": _("ขออนุมัติมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน ประจำปีงบประมาณ พ.ศ. %(year)s"),
        "progress": _(
            "รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน ประจำปีงบประมาณ พ.ศ. %(year)s"
        ),
    }[kind] % {"year": year}


class MemoForm(forms.ModelForm):
    date = BEDateField(label=_("วันที่ (พ.ศ.)"), required=False)
    decision = forms.ChoiceField(
        label=_("ผลการพิจารณา"),
        required=False,
        choices=[("", _("ยังไม่ระบุ")), *MemoDecision.choices],
        widget=forms.RadioSelect,
    )

    class Meta:
        model = Memo
        fields = (
            "unit",
            "ref_no",
            "date",
            "subject",
            "to",
            "body",
            "preparer_name",
            "preparer_position",
            "checker_name",
            "checker_position",
            "executive_name",
            "executive_position",
            "opinion",
            "decision",
        )
        widgets = {
            "subject": forms.Textarea(attrs={"rows": 2}),
            "body": forms.Textarea(attrs={"rows": 8}),
            "opinion": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, plan: Plan, kind: str, approver_name: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        thai_limits(self)
        off = officers(agency_interchange(plan.agency))
        today = timezone.localdate()
        latest = latest_assessments(plan.agency, before=plan.fiscal_year)
        assessed = latest[-1].fiscal_year if latest else None
        self.fields["decision"].choices = [("", _("ยังไม่ระบุ")), *DECISION_CHOICES[kind]]
        hints = {
            "unit": off.unit,
            "ref_no": _("เช่น ตง ๕๒๒๐๑/๑๒๓ (เว้นว่างไว้เพื่อกรอกด้วยมือ)"),
            "date": _("วว/ดด/ปปปป พ.ศ. เช่น %(d)s") % {"d": be_text(today)},
            "subject": default_subject(kind, plan.fiscal_year, assessed),
            "to": off.executive_position,
            "body": _("เว้นว่างไว้ ระบบจะเขียนข้อความตามแบบบันทึกข้อความให้ (อ้างถึงเกณฑ์ ITA สรุปเอกสาร และข้อเสนอ)"),
            "preparer_name": _("ชื่อ-สกุลผู้จัดทำ"),
            "preparer_position": off.preparer_position,
            "checker_name": _("ถ้ามี เช่น ปลัดหรือผู้อำนวยการกอง"),
            "checker_position": _("ถ้ามี"),
            "executive_name": approver_name or _("ชื่อ-สกุลผู้บริหาร"),
            "executive_position": off.executive_position,
            "opinion": _("ความเห็นของผู้บริหาร (เว้นว่างไว้เพื่อเขียนด้วยมือ)"),
        }
        for name, hint in hints.items():
            field = self.fields[name]
            field.widget.attrs["placeholder"] = hint
            if isinstance(field, forms.CharField) and field.max_length:
                field.widget.attrs["maxlength"] = field.max_length
        self.fields["date"].help_text = _(
            "ปีเป็นพุทธศักราช (พ.ศ.) เช่น วันนี้คือ %(today)s เว้นว่างไว้ เอกสารจะเว้นที่ให้เขียนวันที่ด้วยมือ"
        ) % {"today": thai_date(today)}
        self.fields["body"].help_text = _("แบ่งย่อหน้าด้วยบรรทัดว่าง")

    def clean(self):
        data = super().clean()
        for name, value in list(data.items()):
            if isinstance(value, str):
                data[name] = value.replace("\r\n", "\n").strip()
        return data


class EmblemForm(forms.Form):
    emblem = forms.FileField(
        label=_("ตราครุฑ"), widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["emblem"].help_text = _(
            "ภาพ PNG หรือ JPEG ขนาดไม่เกิน %(mb)s MB และไม่เกิน %(px)s×%(px)s พิกเซล"
        ) % {"mb": EMBLEM_MAX_BYTES // 2**20, "px": EMBLEM_MAX_SIDE}

    def clean_emblem(self):
        upload = self.cleaned_data["emblem"]
        validate_emblem(upload)
        return upload


def approver_name(agency: Agency) -> str:
    """The agency's approver (ผู้บริหาร), when one account has that role: a hint for the memo."""
    from prongsai.web.agencies.models import Role

    m = agency.memberships.filter(role=Role.APPROVER).select_related("user").order_by("pk").first()
    return (m.user.get_full_name() or "") if m else ""
