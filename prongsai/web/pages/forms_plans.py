"""Forms of the plan editor, progress tracking and approval. Thai labels first (English through the
locale catalogue); the choices of indicators come from the engine's edition data; dates are typed
and shown in the Buddhist era (``widgets.BEDateField``)."""

from __future__ import annotations

import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from prongsai.interchange.limits import LIMITS
from prongsai.ita.edition import nearest_edition
from prongsai.web.agencies.models import Agency, Unit
from prongsai.web.cycle.models import Measure, MeasureStatus
from prongsai.web.pages.forms_limits import TOO_LONG, limited
from prongsai.web.pages.widgets import BEDateField

ITEM_RE = re.compile(r"^[ieo][1-9][0-9]?$")


def indicator_choices(fiscal_year: int) -> list[tuple[int, str]]:
    """The 10 indicators with their names (the names every edition shares)."""
    edition = nearest_edition(fiscal_year)
    return [(i.id, f"{i.id}. {i.name_th}") for i in sorted(edition.indicators, key=lambda i: i.id)]


class MeasureForm(forms.Form):
    """A measure's content. ``version`` is the version the form was opened on (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    title = limited(
        "measure.title", label=_("มาตรการ / โครงการ / กิจกรรม"), widget=forms.Textarea(attrs={"rows": 2})
    )
    analysis = limited(
        "measure.analysis",
        label=_("ผลการวิเคราะห์ที่สอดคล้อง"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    indicators = forms.TypedMultipleChoiceField(
        label=_("ตัวชี้วัด"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    items = forms.CharField(
        label=_("ข้อคำถาม"),
        required=False,
        help_text=_("รหัสข้อคำถาม คั่นด้วยจุลภาค เช่น i1, e3, o16"),
    )
    steps = limited(
        "measure.steps",
        label=_("ขั้นตอนหรือวิธีการดำเนินการ"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    period = limited("measure.period", label=_("ระยะเวลาดำเนินการ"), required=False)
    period_end = BEDateField(label=_("กำหนดแล้วเสร็จ"), required=False)
    units = forms.ModelMultipleChoiceField(
        label=_("ผู้รับผิดชอบ"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    responsible_text = limited(
        "measure.responsible",
        label=_("ผู้รับผิดชอบ (ข้อความตามเอกสาร)"),
        required=False,
        help_text=_("ใช้เมื่อไม่ได้เลือกส่วนราชการ"),
    )
    budget = forms.DecimalField(
        label=_("งบประมาณ (บาท)"), required=False, max_digits=14, decimal_places=2, min_value=0
    )
    monitoring = limited(
        "measure.monitoring",
        label=_("การกำกับติดตาม"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    # Fields written to the Measure row (units is a relation, set separately).
    MODEL_FIELDS = (
        "title",
        "analysis",
        "indicators",
        "items",
        "steps",
        "period",
        "period_end",
        "responsible_text",
        "budget",
        "monitoring",
    )

    def __init__(self, *args, agency: Agency, fiscal_year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = agency.units.filter(active=True).order_by("name")  # not deactivated
        self.fields["indicators"].choices = indicator_choices(fiscal_year)

    @classmethod
    def initial_for(cls, measure: Measure) -> dict:
        return {
            "version": measure.version,
            **{f: getattr(measure, f) for f in cls.MODEL_FIELDS if f != "items"},
            "items": ", ".join(measure.items),
            "units": list(measure.units.all()),
        }

    def clean_title(self) -> str:
        title = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError(_("กรุณาระบุชื่อมาตรการ"))
        return title

    def clean_items(self) -> list[str]:
        raw = self.cleaned_data.get("items") or ""
        items = [s.strip().lower() for s in re.split(r"[,\s]+", raw) if s.strip()]
        bad = [s for s in items if not ITEM_RE.match(s)]
        if bad:
            raise forms.ValidationError(
                _("รหัสข้อคำถามไม่ถูกต้อง: %(bad)s (ใช้รูปแบบ i1, e3, o16)") % {"bad": ", ".join(bad)}
            )
        return list(dict.fromkeys(items))

    def clean_indicators(self) -> list[int]:
        return sorted(set(self.cleaned_data.get("indicators") or []))

    def apply(self, measure: Measure) -> list[str]:
        """Copy the cleaned values onto ``measure``; the names of the fields written."""
        for f in self.MODEL_FIELDS:
            setattr(measure, f, self.cleaned_data[f])
        return list(self.MODEL_FIELDS)


class CreatePlanForm(forms.Form):
    SOURCES = [
        ("engine", _("ร่างจากผลการวิเคราะห์ (ครอบคลุมทั้ง 10 ตัวชี้วัด จากคลังมาตรการ)")),
        ("empty", _("แผนว่าง (เพิ่มมาตรการเอง)")),
    ]
    source = forms.ChoiceField(label=_("เริ่มจาก"), choices=SOURCES, widget=forms.RadioSelect, initial="engine")


class ProgressForm(forms.Form):
    as_of = BEDateField(label=_("ข้อมูล ณ วันที่"), initial=timezone.localdate)
    status = forms.ChoiceField(label=_("สถานะ"), choices=MeasureStatus.choices)
    result = limited(
        "progress.result", label=_("ผลการดำเนินงาน"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    outcome = limited(
        "progress.outcome", label=_("ผลลัพธ์"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    suggestion = limited(
        "progress.suggestion", label=_("ข้อเสนอแนะ"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    # A day in the future, or an entry reporting nothing, is refused by the action itself
    # (prongsai.web.cycle.actions: record_progress, edit_progress), for the API too.


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("ไฟล์หรือภาพถ่าย"), required=False)
    url = forms.URLField(
        label=_("หรือลิงก์"),
        required=False,
        max_length=LIMITS["evidence.url"],
        assume_scheme="https",
        error_messages={"max_length": TOO_LONG},
    )
    caption = limited("evidence.caption", label=_("คำอธิบาย"), required=False)
    added_on = BEDateField(label=_("วันที่"), initial=timezone.localdate)

    def clean(self):
        data = super().clean()
        if data.get("file") and data.get("url"):
            raise forms.ValidationError(_("เลือกอย่างใดอย่างหนึ่ง: อัปโหลดไฟล์ หรือ ใส่ลิงก์"))
        if not data.get("file") and not data.get("url"):
            raise forms.ValidationError(_("กรุณาอัปโหลดไฟล์หรือภาพถ่าย หรือใส่ลิงก์ของหลักฐาน"))
        return data


class DecisionForm(forms.Form):
    DECISIONS = [("approved", _("อนุมัติ")), ("returned", _("ส่งกลับแก้ไข"))]
    decision = forms.ChoiceField(label=_("ผลการพิจารณา"), choices=DECISIONS, widget=forms.RadioSelect)
    comment = limited(
        "approval.comment", label=_("ความเห็น"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
    digest = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def clean(self):
        data = super().clean()
        if data.get("decision") == "returned" and not (data.get("comment") or "").strip():
            self.add_error("comment", _("กรุณาระบุเหตุผลหรือสิ่งที่ต้องแก้ไขเมื่อส่งกลับ"))
        return data
