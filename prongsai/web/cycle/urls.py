"""The cycle's pages under a/<slug:agency>/: the evidence link checker."""

from django.urls import path

from prongsai.web.cycle import views

urlpatterns = [
    path("plans/<year:year>/linkcheck/", views.linkcheck_start, name="linkcheck_start"),
    path("linkchecks/<id:check>/", views.linkcheck_status, name="linkcheck_status"),
]
