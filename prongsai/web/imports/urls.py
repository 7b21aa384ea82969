"""Import of past reports, under a/<slug:agency>/ (the URL keyword of a job's id is ``job``)."""

from django.urls import path

from prongsai.web.imports import views

urlpatterns = [
    path("imports/", views.import_upload, name="import_upload"),
    path("imports/<id:job>/", views.import_review, name="import_review"),
    path("imports/<id:job>/accept/", views.import_accept, name="import_accept"),
    path("imports/<id:job>/compare/", views.import_compare, name="import_compare"),
    path("imports/<id:job>/undo/", views.import_undo, name="import_undo"),
]
