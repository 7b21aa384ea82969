"""The cycle's records in the site admin, each with its change history (who, when, before, after)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from prongsai.web.cycle.models import (
    Approval,
    Assessment,
    Evidence,
    Measure,
    Memo,
    Plan,
    ProgressEntry,
)


@admin.register(Assessment)
class AssessmentAdmin(SimpleHistoryAdmin):
    list_display = ("agency", "fiscal_year", "overall", "level", "passed")
    list_filter = ("fiscal_year",)
    search_fields = ("agency__name",)


@admin.register(Plan)
class PlanAdmin(SimpleHistoryAdmin):
    list_display = ("agency", "fiscal_year", "status", "content_version", "approved_version")
    list_filter = ("status", "fiscal_year")
    search_fields = ("agency__name",)


@admin.register(Measure)
class MeasureAdmin(SimpleHistoryAdmin):
    list_display = ("title", "plan", "status", "version")
    list_filter = ("status",)
    search_fields = ("title", "plan__agency__name")


@admin.register(ProgressEntry)
class ProgressEntryAdmin(SimpleHistoryAdmin):
    list_display = ("measure", "as_of", "status", "author")


@admin.register(Evidence)
class EvidenceAdmin(SimpleHistoryAdmin):
    list_display = ("measure", "kind", "caption", "owner", "added_on")


@admin.register(Memo)
class MemoAdmin(SimpleHistoryAdmin):
    list_display = ("plan", "kind", "ref_no", "date", "decision", "updated")
    list_filter = ("kind", "decision")
    search_fields = ("plan__agency__name", "subject", "ref_no")


@admin.register(Approval)
class ApprovalAdmin(admin.ModelAdmin):
    """Approvals are records of a decision: read-only, never edited."""

    list_display = ("plan", "version", "decision", "approver_name", "decided_at")

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
