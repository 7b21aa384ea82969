"""Site administration. Every model keeps its full history (django-simple-history): the admin's
"History" page of a record lists who changed what, when, and the values before and after.
Accounts, API tokens, link checks and the cleanup are in the audit trail's own list
(``AuditEvent``, "บันทึกการตรวจสอบ"), read-only."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from prongsai.thai.dates import local_day, thai_date
from prongsai.web.agencies.audit import link_check_result
from prongsai.web.agencies.models import (
    Agency,
    ApiToken,
    AuditEvent,
    Invitation,
    Membership,
    OverseerGrant,
    Unit,
)


@admin.register(Agency)
class AgencyAdmin(SimpleHistoryAdmin):
    list_display = ("name", "type", "district", "province")
    list_filter = ("type", "province")
    search_fields = ("name", "slug", "province")


@admin.register(Unit)
class UnitAdmin(SimpleHistoryAdmin):
    list_display = ("name", "agency", "active")
    search_fields = ("name", "agency__name")


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ("user", "agency", "role", "unit")
    list_filter = ("role",)
    search_fields = ("user__username", "agency__name")


@admin.register(OverseerGrant)
class OverseerGrantAdmin(SimpleHistoryAdmin):
    list_display = ("user", "province")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are issued with ``manage.py api_token issue`` (the raw value is shown once);
    here they are listed, and revoked by deleting them."""

    list_display = ("name", "user", "created", "expires_be", "last_used")
    readonly_fields = ("user", "name", "digest", "created", "expires", "expires_be", "last_used")
    search_fields = ("name", "user__username")

    @admin.display(description=_("หมดอายุ (พ.ศ.)"), ordering="expires")
    def expires_be(self, obj: ApiToken) -> str:
        if obj.expires is None:
            return ""
        text = thai_date(local_day(obj.expires))
        return f"{text} ({_('หมดอายุแล้ว')})" if obj.expired else text

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("at", "actor_name", "action", "agency_name", "target", "summary")
    list_filter = ("action",)
    search_fields = ("actor_name", "target", "agency_name")
    date_hierarchy = "at"
    # Names, not the related rows: an entry outlives the account or agency it names.
    fields = readonly_fields = (
        "at",
        "actor_name",
        "action",
        "agency_name",
        "target",
        "target_id",
        "detail",
        "result",
    )

    @admin.display(description=_("รายละเอียด"))
    def summary(self, obj: AuditEvent) -> str:
        result = link_check_result(obj)
        if result is not None:
            return self.result(obj)
        return ", ".join(f"{k}: {v}" for k, v in (obj.detail or {}).items())[:300]

    @admin.display(description=_("ผล"))
    def result(self, obj: AuditEvent) -> str:
        result = link_check_result(obj)
        if result is None:
            return ""
        if result["finished"] is None:
            return _("กำลังตรวจ %(done)s/%(total)s") % result
        return _("ตรวจ %(total)s ลิงก์ ใช้ไม่ได้ %(failures)s ลิงก์") % result

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Invitation)
class InvitationAdmin(SimpleHistoryAdmin):
    list_display = ("email", "agency", "role", "unit", "sent", "accepted")
    list_filter = ("role",)
    search_fields = ("email", "agency__name")
    readonly_fields = ("nonce", "sent", "accepted", "accepted_by", "invited_by")
