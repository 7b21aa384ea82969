"""The overseer's summary: one precomputed row per agency and fiscal year (``summary.refresh``),
kept current by tasks after every change to the cycle (``signals``) and rebuilt whole by
``manage.py oversight_rebuild``. The national dashboard reads these rows only.

A row stores facts, never "today": whether an agency is behind is decided when the page is read
(``summary.behind_q``) from the stored dates, so a row does not go stale overnight. The one
figure that moves with the calendar, the count of overdue measures, is exact as of
``computed_at``; ``next_due`` says when it next changes (a daily ``oversight_rebuild --stale``
and the pages themselves refresh such rows)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from prongsai.web.agencies.models import Agency

INDICATORS = range(1, 11)


class AgencyYear(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="oversight_rows")
    fiscal_year = models.PositiveSmallIntegerField(_("ปีงบประมาณ"))
    # Copied from the agency for filters and sorts without a join (refreshed when it changes).
    name = models.CharField(_("ชื่อหน่วยงาน"), max_length=200)
    slug = models.CharField(max_length=80)
    agency_type = models.CharField(_("ประเภท"), max_length=40, blank=True)
    district = models.CharField(_("อำเภอ"), max_length=80, blank=True)
    province = models.CharField(_("จังหวัด"), max_length=80)
    # Published result of the year, the previous year's, and the difference.
    overall = models.FloatField(null=True)
    level = models.CharField(max_length=40, blank=True)
    passed = models.BooleanField(null=True)
    previous_overall = models.FloatField(null=True)
    trend = models.FloatField(null=True)
    i1 = models.FloatField(null=True)
    i2 = models.FloatField(null=True)
    i3 = models.FloatField(null=True)
    i4 = models.FloatField(null=True)
    i5 = models.FloatField(null=True)
    i6 = models.FloatField(null=True)
    i7 = models.FloatField(null=True)
    i8 = models.FloatField(null=True)
    i9 = models.FloatField(null=True)
    i10 = models.FloatField(null=True)
    # The plan of the year ('' when there is none) and its measures.
    plan_status = models.CharField(max_length=20, blank=True)
    measures = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    open = models.PositiveIntegerField(default=0)
    done_share = models.FloatField(null=True)  # percent; None without measures
    overdue = models.PositiveIntegerField(default=0)  # as of computed_at (Plan.overdue_measures)
    next_due = models.DateField(null=True)  # first due day of an open measure not yet overdue
    first_progress = models.DateField(null=True)
    last_progress = models.DateField(null=True)
    quiet_since = models.DateField(null=True)  # last progress, else the fiscal year's first day
    last_approved = models.DateTimeField(null=True)
    measures_published = models.BooleanField(default=False)
    progress_published = models.BooleanField(default=False)
    publish_deadline = models.DateField()
    computed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("สรุปรายหน่วยงานรายปี")
        verbose_name_plural = _("สรุปรายหน่วยงานรายปี")
        constraints = [
            models.UniqueConstraint(fields=["agency", "fiscal_year"], name="one_oversight_row_per_year")
        ]
        indexes = [
            models.Index(fields=["fiscal_year", "province", "name"]),
            models.Index(fields=["fiscal_year", "next_due"]),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.fiscal_year}"
