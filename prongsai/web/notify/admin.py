from django.contrib import admin

from prongsai.web.notify.models import Notification, Preference


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("created", "recipient", "agency", "kind", "read", "emailed")
    list_filter = ("kind",)
    search_fields = ("recipient__username", "text")
    readonly_fields = ("created", "emailed")


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "email", "last_digest")
