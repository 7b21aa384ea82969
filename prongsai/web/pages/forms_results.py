"""Forms of the results pages: scores of one assessment by level, a new year, a score file upload,
an indicator's narrative. Every message is Thai; every score is checked 0–100 before anything is
stored; the arithmetic stays in the engine."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from prongsai.interchange.models import Assessment as RecordAssessment
from prongsai.ita.edition import Edition
from prongsai.ita.numbers import fmt, round2
from prongsai.thai.dates import fiscal_year_of
from prongsai.thai.digits import to_arabic_digits
from prongsai.web.pages.forms_limits import limited, over_limit_lines, too_long_lines
from prongsai.web.pages.results_common import TOOL_ORDER, edition_years, tool_label

SCORE_ERRORS = {
    "invalid": _("กรุณากรอกเป็นตัวเลข เช่น 93.96"),
    "min_value": _("คะแนนต้องไม่ต่ำกว่า 0"),
    "max_value": _("คะแนนต้องไม่เกิน 100"),
}


class ScoreField(forms.FloatField):
    """A score 0–100; Thai digits, spaces and a unicode minus accepted; blank means unknown."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", 100)
        kwargs.setdefault("error_messages", SCORE_ERRORS)
        kwargs.setdefault("localize", False)
        super().__init__(**kwargs)
        self.widget = forms.TextInput(attrs={"inputmode": "decimal", "size": 7, "class": "score"})

    def to_python(self, value):
        if isinstance(value, str):
            value = to_arabic_digits(value).strip().replace("\u2212", "-").replace(",", "")
        return super().to_python(value)


def _shown(value: float) -> str:
    """A stored score as printed (two decimals), unless that would hide digits it has."""
    return fmt(value) if round2(value) == value else repr(value)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class AssessmentForm(forms.Form):
    """Published scores of one fiscal year at every level the edition has, plus the auditor's
    suggestions and stakeholders' comments (one per line)."""

    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, edition: Edition, fiscal_year: int, level_labels: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.ed = edition
        self.fiscal_year = fiscal_year
        self.fields["edition"] = forms.TypedChoiceField(
            label=_("เกณฑ์การประเมินปี"),
            choices=[(y, str(y)) for y in edition_years()],
            coerce=int,
            initial=edition.edition,
        )
        self.fields["overall"] = ScoreField(label=_("คะแนนภาพรวม"))
        self.fields["level"] = forms.ChoiceField(
            label=_("ระดับผลการประเมิน"),
            required=False,
            choices=[("", _("— ให้ระบบคำนวณ —"))] + [(x, x) for x in level_labels],
        )
        for tool in TOOL_ORDER:
            if tool.startswith("EIT_") and tool not in edition.part_ids:
                continue
            self.fields[f"tool_{tool}"] = ScoreField(label=_("แบบวัด %(tool)s") % {"tool": tool_label(tool)})
        for ind in edition.indicators:
            self.fields[f"ind_{ind.id}"] = ScoreField(
                label=_("ตัวชี้วัดที่ %(n)s %(name)s") % {"n": ind.id, "name": ind.name_th}
            )
        for ind in edition.indicators:
            for item in edition.items_of_indicator[ind.id]:
                self.fields[f"item_{item.id}"] = ScoreField(label=f"{item.id} {item.name_th or ''}".strip())
        self.fields["auditor_suggestions"] = forms.CharField(
            label=_("ข้อเสนอแนะของผู้ตรวจประเมิน (ข้อละหนึ่งบรรทัด)"),
            required=False,
            widget=forms.Textarea(attrs={"rows": 4}),
        )
        self.fields["comments"] = forms.CharField(
            label=_("ความเห็นของผู้มีส่วนได้ส่วนเสีย (ข้อละหนึ่งบรรทัด)"),
            required=False,
            widget=forms.Textarea(attrs={"rows": 4}),
        )

    def clean(self):
        """A year is made of scores: a form with none (an accidental บันทึก) must not create or
        blank a year. Deleting a year is its own confirmed action."""
        cd = super().clean()
        # One item per line, each within its limit; said above the form, naming the field.
        for name, key in (
            ("auditor_suggestions", "assessment.auditor_suggestion"),
            ("comments", "assessment.comment"),
        ):
            bad = over_limit_lines(cd.get(name, ""), key)
            if bad:
                self.add_error(None, f"{self.fields[name].label}: {too_long_lines(bad, key).messages[0]}")
        if self.fiscal_year > current_fiscal_year():
            raise forms.ValidationError(not_yet_assessed(self.fiscal_year), code="future_year")
        scored = [n for n in self.fields if n == "overall" or n.startswith(("tool_", "ind_", "item_"))]
        if not self.errors and all(cd.get(n) is None for n in scored):
            raise forms.ValidationError(
                _(
                    "ยังไม่ได้กรอกคะแนน กรุณากรอกอย่างน้อยคะแนนภาพรวม คะแนนแบบวัด หรือคะแนนตัวชี้วัด "
                    "ก่อนบันทึก (ยังไม่ได้บันทึกข้อมูลใด)"
                ),
                code="no_scores",
            )
        return cd

    # ---- layout helpers for the template ------------------------------------------------------

    def tool_fields(self):
        return [self[n] for n in self.fields if n.startswith("tool_")]

    def indicator_groups(self):
        """Per indicator: its bound field, its Thai name, its tool and its items' bound fields."""
        out = []
        for ind in self.ed.indicators:
            items = [self[f"item_{i.id}"] for i in self.ed.items_of_indicator[ind.id]]
            out.append(
                {
                    "id": ind.id,
                    "name": ind.name_th,
                    "tool": ind.tool,
                    "field": self[f"ind_{ind.id}"],
                    "items": items,
                }
            )
        return out

    # ---- to the interchange record -------------------------------------------------------------

    def published_data(self, existing: dict | None = None) -> dict:
        """The assessment's published data: what the form says, over what it does not cover
        (stated changes, notes) kept from ``existing``."""
        cd = self.cleaned_data
        data = {k: v for k, v in (existing or {}).items() if k not in ("fiscal_year", "year_be")}
        for key in ("overall", "level", "tools", "indicators", "items", "auditor_suggestions", "edition"):
            data.pop(key, None)
        if cd["edition"] != self.fiscal_year:
            data["edition"] = cd["edition"]
        if cd.get("overall") is not None:
            data["overall"] = cd["overall"]
        if cd.get("level"):
            data["level"] = cd["level"]
        tools = {t: cd[f"tool_{t}"] for t in TOOL_ORDER if cd.get(f"tool_{t}") is not None}
        if tools:
            data["tools"] = tools
        inds = {str(i.id): cd[f"ind_{i.id}"] for i in self.ed.indicators if cd.get(f"ind_{i.id}") is not None}
        if inds:
            data["indicators"] = inds
        items = {i: cd[f"item_{i}"] for i in self.ed.item_by_id if cd.get(f"item_{i}") is not None}
        if items:
            data["items"] = items
        suggestions = _lines(cd.get("auditor_suggestions", ""))
        if suggestions:
            data["auditor_suggestions"] = suggestions
        return data

    def record(self, existing: dict | None = None) -> RecordAssessment:
        return RecordAssessment.model_validate(
            {"fiscal_year": self.fiscal_year, **self.published_data(existing)}
        )

    def comments(self) -> list[str]:
        return _lines(self.cleaned_data.get("comments", ""))

    @staticmethod
    def initial_from(published: dict, comments: list[str], version: int) -> dict:
        initial: dict = {"version": version}
        if published.get("overall") is not None:
            initial["overall"] = _shown(published["overall"])
        if published.get("level"):
            initial["level"] = published["level"]
        for t, v in (published.get("tools") or {}).items():
            initial[f"tool_{t}"] = _shown(v)
        for k, v in (published.get("indicators") or {}).items():
            initial[f"ind_{int(k)}"] = _shown(v)
        for k, v in (published.get("items") or {}).items():
            initial[f"item_{k}"] = _shown(v)
        initial["auditor_suggestions"] = "\n".join(published.get("auditor_suggestions") or [])
        initial["comments"] = "\n".join(str(c) for c in comments or [])
        return initial


def current_fiscal_year() -> int:
    return fiscal_year_of(timezone.localdate())


def not_yet_assessed(year: int) -> str:
    return _("ยังไม่มีผลการประเมิน ITA ปี %(year)s: ปีงบประมาณปัจจุบันคือ %(now)s") % {
        "year": year,
        "now": current_fiscal_year(),
    }


class NewYearForm(forms.Form):
    fiscal_year = forms.IntegerField(
        label=_("ปีงบประมาณที่ประเมิน (พ.ศ.)"),
        min_value=2500,
        max_value=2700,
        error_messages={
            "invalid": _("กรุณากรอกปี พ.ศ. เป็นตัวเลข เช่น 2568"),
            "min_value": _("ปีต้องเป็นปี พ.ศ. (ตั้งแต่ 2500)"),
            "max_value": _("ปีต้องเป็นปี พ.ศ. (ไม่เกิน 2700)"),
            "required": _("กรุณากรอกปีงบประมาณ"),
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 6}),
    )
    edition = forms.TypedChoiceField(label=_("เกณฑ์การประเมินปี"), coerce=int, choices=())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["edition"].choices = [(y, str(y)) for y in edition_years()]

    def clean_fiscal_year(self):
        year = self.cleaned_data["fiscal_year"]
        if year > current_fiscal_year():
            raise forms.ValidationError(not_yet_assessed(year))
        return year

    def full_clean(self):
        if self.data and "fiscal_year" in self.data:
            data = self.data.copy()
            data["fiscal_year"] = to_arabic_digits(str(data["fiscal_year"])).strip()
            self.data = data
        super().full_clean()


MAX_IMPORT_BYTES = 5 * 1024 * 1024


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("ไฟล์คะแนน (CSV หรือ XLSX)"),
        error_messages={"required": _("กรุณาเลือกไฟล์"), "empty": _("ไฟล์ว่างเปล่า")},
    )

    def clean_file(self):
        f = self.cleaned_data["file"]
        if f.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("ไฟล์ใหญ่เกิน 5 MB"))
        return f


class NarrativeForm(forms.Form):
    indicator = forms.IntegerField(min_value=1, max_value=10, widget=forms.HiddenInput)
    text = limited(
        "assessment.narrative", label=_("คำอธิบายผล"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
