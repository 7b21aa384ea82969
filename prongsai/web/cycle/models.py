"""The yearly ITA cycle of one agency: assessment, plan of measures, progress, evidence, approval.

The numbers are the engine's: an assessment stores what was published (as the interchange
format has it) and, beside it, what the engine computed, refreshed on every save
(``Assessment.refresh``). Nothing here does ITA arithmetic.
"""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from prongsai.interchange.limits import LIMITS
from prongsai.thai.periods import due_date
from prongsai.web.agencies.models import Agency, Unit


class Assessment(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="assessments")
    fiscal_year = models.PositiveSmallIntegerField(_("ปีงบประมาณที่ประเมิน (พ.ศ.)"))
    edition = models.PositiveSmallIntegerField(_("เกณฑ์ปี"), null=True, blank=True)
    # The interchange Assessment as published (tools, indicators, items, stated changes, auditor
    # suggestions); see docs/interchange.md.
    published = models.JSONField(default=dict)
    comments = models.JSONField(_("ความเห็นของผู้มีส่วนได้ส่วนเสีย"), default=list, blank=True)
    narratives = models.JSONField(_("คำอธิบายผลรายตัวชี้วัด"), default=dict, blank=True)
    # The engine's view, kept for dashboards and lists (refresh()).
    overall = models.FloatField(_("คะแนนภาพรวม"), null=True, blank=True)
    level = models.CharField(_("ระดับ"), max_length=LIMITS["assessment.level"], blank=True)
    passed = models.BooleanField(_("ผ่านเกณฑ์"), null=True)
    findings = models.JSONField(default=list, blank=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ผลการประเมิน")
        verbose_name_plural = _("ผลการประเมิน")
        ordering = ["agency", "-fiscal_year"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "fiscal_year"], name="one_assessment_per_year"),
        ]
        indexes = [models.Index(fields=["fiscal_year", "overall"])]

    def __str__(self) -> str:
        return f"{self.agency} {self.fiscal_year}"


class IndicatorScore(models.Model):
    """One indicator's score of one assessment (published, else computed): the overseer views
    aggregate these across thousands of agencies."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="indicator_scores")
    fiscal_year = models.PositiveSmallIntegerField()  # copied for the province/year aggregates
    indicator = models.PositiveSmallIntegerField()
    score = models.FloatField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "indicator"], name="one_score_per_indicator")
        ]
        indexes = [models.Index(fields=["fiscal_year", "indicator"])]


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("ร่าง")
    SUBMITTED = "submitted", _("เสนออนุมัติ")
    APPROVED = "approved", _("อนุมัติแล้ว")
    RETURNED = "returned", _("ส่งกลับแก้ไข")


class Plan(models.Model):
    """The measures of one fiscal year and their progress; approved as a whole, by version."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="plans")
    fiscal_year = models.PositiveSmallIntegerField(_("ปีงบประมาณที่ดำเนินการ (พ.ศ.)"))
    assessment = models.ForeignKey(
        Assessment, on_delete=models.SET_NULL, null=True, blank=True, related_name="plans"
    )
    status = models.CharField(max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    # Every change to the plan or its measures bumps this; an approval names the version it
    # approved, so a later edit visibly needs a new approval. Progress and evidence are not edits
    # of the plan and leave it (issue 12: it climbed with every upload).
    content_version = models.PositiveIntegerField(default=1)
    approved_version = models.PositiveIntegerField(null=True, blank=True)
    return_comment = models.TextField(blank=True, max_length=LIMITS["plan.return_comment"])
    created = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("แผนมาตรการ")
        verbose_name_plural = _("แผนมาตรการ")
        ordering = ["agency", "-fiscal_year"]
        constraints = [models.UniqueConstraint(fields=["agency", "fiscal_year"], name="one_plan_per_year")]

    def __str__(self) -> str:
        return f"{self.agency} {self.fiscal_year}"

    def overdue_measures(self) -> list[Measure]:
        """The measures past their due date and not done, the most overdue first."""
        late = [m for m in self.measures.all() if m.overdue]
        return sorted(late, key=lambda m: (m.due, m.position, m.pk))

    @property
    def approval_current(self) -> bool:
        return self.status == PlanStatus.APPROVED and self.approved_version == self.content_version


class MeasureStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("ยังไม่ดำเนินการ")
    IN_PROGRESS = "in_progress", _("อยู่ระหว่างดำเนินการ")
    DONE = "done", _("ดำเนินการเสร็จเรียบร้อยแล้ว")


class Measure(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="measures")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.TextField(_("มาตรการ / โครงการ / กิจกรรม"), max_length=LIMITS["measure.title"])
    analysis = models.TextField(_("ผลการวิเคราะห์ที่สอดคล้อง"), max_length=LIMITS["measure.analysis"], blank=True)
    steps = models.TextField(_("ขั้นตอนหรือวิธีการดำเนินการ"), max_length=LIMITS["measure.steps"], blank=True)
    period = models.CharField(_("ระยะเวลาดำเนินการ"), max_length=LIMITS["measure.period"], blank=True)
    period_end = models.DateField(_("กำหนดแล้วเสร็จ"), null=True, blank=True)
    indicators = models.JSONField(_("ตัวชี้วัด"), default=list, blank=True)
    items = models.JSONField(_("ข้อคำถาม"), default=list, blank=True)
    units = models.ManyToManyField(Unit, blank=True, related_name="measures", verbose_name=_("ผู้รับผิดชอบ"))
    responsible_text = models.CharField(
        _("ผู้รับผิดชอบ (ตามเอกสาร)"), max_length=LIMITS["measure.responsible"], blank=True
    )
    monitoring = models.TextField(_("การกำกับติดตาม"), max_length=LIMITS["measure.monitoring"], blank=True)
    budget = models.DecimalField(_("งบประมาณ (บาท)"), max_digits=14, decimal_places=2, null=True, blank=True)
    status = models.CharField(
        _("สถานะ"), max_length=20, choices=MeasureStatus.choices, default=MeasureStatus.NOT_STARTED
    )
    library_id = models.CharField(max_length=40, blank=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(m2m_fields=[units])

    class Meta:
        verbose_name = _("มาตรการ")
        verbose_name_plural = _("มาตรการ")
        ordering = ["plan", "position", "pk"]

    def __str__(self) -> str:
        return self.title[:60]

    @property
    def due(self) -> date | None:
        """The completion date set on the measure, else the last day its written period names
        ('ไตรมาส 1-2', 'ต.ค. 68 – มี.ค. 69', 'ตลอดปีงบประมาณ': ``prongsai.thai.periods``)."""
        if self.period_end is not None:
            return self.period_end
        return due_date(self.period, self.plan.fiscal_year) if self.period else None

    @property
    def overdue(self) -> bool:
        due = self.due
        return due is not None and self.status != MeasureStatus.DONE and due < timezone.localdate()


class ProgressEntry(models.Model):
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="progress")
    as_of = models.DateField(_("ข้อมูล ณ วันที่"))
    status = models.CharField(_("สถานะ"), max_length=20, choices=MeasureStatus.choices)
    result = models.TextField(_("ผลการดำเนินงาน"), max_length=LIMITS["progress.result"], blank=True)
    outcome = models.TextField(_("ผลลัพธ์"), max_length=LIMITS["progress.outcome"], blank=True)
    suggestion = models.TextField(_("ข้อเสนอแนะ"), max_length=LIMITS["progress.suggestion"], blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    created = models.DateTimeField(auto_now_add=True)
    # Set when the entry is corrected after it was recorded ("แก้ไขเมื่อ …"); who and what it was
    # before are in the history.
    edited = models.DateTimeField(_("แก้ไขเมื่อ"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ความก้าวหน้า")
        verbose_name_plural = _("ความก้าวหน้า")
        ordering = ["measure", "-as_of", "-pk"]


class EvidenceKind(models.TextChoices):
    FILE = "file", _("ไฟล์")
    PHOTO = "photo", _("ภาพถ่าย")
    LINK = "link", _("ลิงก์")
    NOTE = "note", _("หมายเหตุ")


def evidence_path(instance: Evidence, filename: str) -> str:
    """Where an evidence file is stored: a random name with the checked extension. The person's
    own name (Thai vowels and tone marks, which storage back ends and Django's
    ``get_valid_filename`` strip) is kept in ``Evidence.original_name`` and given back on
    download."""
    ext = PurePath(filename).suffix.lower()
    day = timezone.localdate()
    return f"evidence/{day:%Y/%m}/{uuid.uuid4().hex}{ext if ext.isascii() else ''}"


class Evidence(models.Model):
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("ประเภท"), max_length=10, choices=EvidenceKind.choices)
    file = models.FileField(_("ไฟล์"), upload_to=evidence_path, blank=True)
    original_name = models.CharField(_("ชื่อไฟล์"), max_length=255, blank=True)
    url = models.URLField(_("ลิงก์"), max_length=LIMITS["evidence.url"], blank=True)
    caption = models.CharField(_("คำอธิบาย"), max_length=LIMITS["evidence.caption"], blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    added_on = models.DateField(_("วันที่"), default=timezone.localdate)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("หลักฐาน")
        verbose_name_plural = _("หลักฐาน")
        ordering = ["measure", "added_on", "pk"]

    @property
    def file_name(self) -> str:
        """The file's name as the person uploaded it (files stored before names were kept: the
        stored name)."""
        if not self.file:
            return ""
        return self.original_name or PurePath(self.file.name).name


class Decision(models.TextChoices):
    APPROVED = "approved", _("อนุมัติ")
    RETURNED = "returned", _("ส่งกลับแก้ไข")


class Approval(models.Model):
    """The executive's decision on one version of a plan, with what exactly was decided on."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="approvals")
    version = models.PositiveIntegerField()
    decision = models.CharField(max_length=10, choices=Decision.choices)
    comment = models.TextField(blank=True, max_length=LIMITS["approval.comment"])
    approver = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    approver_name = models.CharField(max_length=200)  # kept if the account is removed
    approver_position = models.CharField(max_length=200, blank=True)
    decided_at = models.DateTimeField(default=timezone.now)
    snapshot = models.JSONField()  # the interchange document as approved

    class Meta:
        verbose_name = _("การอนุมัติ")
        verbose_name_plural = _("การอนุมัติ")
        ordering = ["plan", "-decided_at"]


class LinkCheck(models.Model):
    """A background check that every evidence link and public URL of a plan answers."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="link_checks")
    started = models.DateTimeField(default=timezone.now)
    finished = models.DateTimeField(null=True, blank=True)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    results = models.JSONField(default=list)  # [{"url", "ok", "status", "error", "measure"}]

    class Meta:
        ordering = ["plan", "-started"]

    @property
    def failures(self) -> list[dict]:
        return [r for r in self.results if not r.get("ok")]


class MemoKind(models.TextChoices):
    """The report a บันทึกข้อความ wraps."""

    ANALYSIS = "analysis", _("รายงานผลการวิเคราะห์")
    PLAN = "plan", _("มาตรการส่งเสริมคุณธรรมและความโปร่งใส")
    PROGRESS = "progress", _("รายงานความก้าวหน้า")


class MemoDecision(models.TextChoices):
    APPROVED = "approved", _("อนุมัติ")
    ACKNOWLEDGED = "acknowledged", _("ทราบ")
    NOT_APPROVED = "not_approved", _("ไม่อนุมัติ")


class Memo(models.Model):
    """The บันทึกข้อความ of one plan year that wraps one report for the executive. A blank field
    is left to the document's default (the builder's), shown as the form's placeholder."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="memos")
    kind = models.CharField(_("เอกสารที่เสนอ"), max_length=10, choices=MemoKind.choices)
    unit = models.CharField(_("ส่วนราชการ"), max_length=LIMITS["memo.unit"], blank=True)
    ref_no = models.CharField(_("ที่"), max_length=LIMITS["memo.ref_no"], blank=True)
    date = models.DateField(_("วันที่"), null=True, blank=True)
    subject = models.CharField(_("เรื่อง"), max_length=LIMITS["memo.subject"], blank=True)
    to = models.CharField(_("เรียน"), max_length=LIMITS["memo.to"], blank=True)
    body = models.TextField(_("ข้อความ"), max_length=LIMITS["memo.body"], blank=True)
    preparer_name = models.CharField(_("ชื่อผู้จัดทำ"), max_length=LIMITS["memo.signer_name"], blank=True)
    preparer_position = models.CharField(
        _("ตำแหน่งผู้จัดทำ"), max_length=LIMITS["memo.signer_position"], blank=True
    )
    checker_name = models.CharField(
        _("ชื่อผู้ตรวจสอบ / ผู้เสนอ"), max_length=LIMITS["memo.signer_name"], blank=True
    )
    checker_position = models.CharField(
        _("ตำแหน่งผู้ตรวจสอบ / ผู้เสนอ"), max_length=LIMITS["memo.signer_position"], blank=True
    )
    executive_name = models.CharField(_("ชื่อผู้บริหาร"), max_length=LIMITS["memo.signer_name"], blank=True)
    executive_position = models.CharField(
        _("ตำแหน่งผู้บริหาร"), max_length=LIMITS["memo.signer_position"], blank=True
    )
    opinion = models.TextField(_("ความเห็นของผู้บริหาร"), max_length=LIMITS["memo.opinion"], blank=True)
    decision = models.CharField(_("ผลการพิจารณา"), max_length=20, choices=MemoDecision.choices, blank=True)
    updated = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    # Filled from an imported report without overwriting what an officer wrote.
    IMPORTED_FIELDS = ("unit", "ref_no", "date", "subject", "to")
    SIGNER_FIELDS = (
        ("preparer_name", "preparer_position"),
        ("checker_name", "checker_position"),
        ("executive_name", "executive_position"),
    )

    class Meta:
        verbose_name = _("บันทึกข้อความ")
        verbose_name_plural = _("บันทึกข้อความ")
        ordering = ["plan", "kind"]
        constraints = [models.UniqueConstraint(fields=["plan", "kind"], name="one_memo_per_plan_kind")]

    def __str__(self) -> str:
        return f"{self.plan} {self.kind}"

    def signers(self) -> list[dict[str, str | None]]:
        """Preparer(s) first, the executive last; a signer with neither name nor position is left
        out, except the executive, who is always last (the builder fills the default position)."""
        if not any(getattr(self, f) for pair in self.SIGNER_FIELDS for f in pair):
            return []
        out = []
        for name_f, pos_f in self.SIGNER_FIELDS[:2]:
            name, pos = getattr(self, name_f), getattr(self, pos_f)
            if name or pos:
                out.append({"name": name or None, "position": pos or None})
        if not out:
            out.append({"name": None, "position": None})
        out.append({"name": self.executive_name or None, "position": self.executive_position or None})
        return out
