"""Results pages of one agency (included under a/<slug:agency>/)."""

from django.urls import path

from prongsai.web.pages import results_views as v

urlpatterns = [
    path("", v.dashboard, name="agency_dashboard"),
    path("scores/", v.scores_new, name="scores_new"),
    path("scores/import/", v.scores_import, name="scores_import"),
    path("scores/import/status/", v.scores_import_status, name="scores_import_status"),
    path("scores/<year:year>/", v.scores_edit, name="scores_edit"),
    path("scores/<year:year>/check/", v.scores_check, name="scores_check"),
    path("scores/<year:year>/delete/", v.scores_delete, name="scores_delete"),
    path("analysis/<year:year>/", v.analysis, name="analysis"),
    path("analysis/<year:year>.<str:fmt>", v.analysis_download, name="analysis_download"),
]
