"""Overseer dashboards, read-only, included at /oversight/."""

from django.urls import path

from prongsai.web.oversight import views

urlpatterns = [
    path("", views.home, name="oversight_home"),
    path("export.csv", views.export_csv, name="oversight_export_csv"),
    path("export.xlsx", views.export_xlsx, name="oversight_export_xlsx"),
    path("agency/<slug:agency>/", views.agency, name="oversight_agency"),
    path("<str:province>/<year:year>/", views.province, name="oversight_province"),
]
