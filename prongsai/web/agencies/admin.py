"""Site administration. Every model keeps its full history (django-simple-history): the admin's
"History" page of a record lists who changed what, when, and the values before and after."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from prongsai.web.agencies.models import Agency, ApiToken, Invitation, Membership, OverseerGrant, Unit


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
    list_display = ("name", "user", "created", "last_used")
    readonly_fields = ("digest", "created", "last_used")


@admin.register(Invitation)
class InvitationAdmin(SimpleHistoryAdmin):
    list_display = ("email", "agency", "role", "unit", "sent", "accepted")
    list_filter = ("role",)
    search_fields = ("email", "agency__name")
    readonly_fields = ("nonce", "sent", "accepted", "accepted_by", "invited_by")
