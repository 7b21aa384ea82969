"""A person's notifications (under notifications/)."""

from django.urls import path

from prongsai.web.notify import views

urlpatterns = [
    path("", views.notification_list, name="notifications"),
    path("read/", views.notification_read, name="notification_read"),
    path("settings/", views.notification_settings, name="notification_settings"),
]
