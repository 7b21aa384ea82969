"""The plan of a fiscal year: editor, progress and evidence, approval, documents (under a/<agency>/)."""

from django.urls import path

from prongsai.web.pages import approvals, downloads, memos, plans, progress

urlpatterns = [
    path("plans/<year:year>/", plans.plan_detail, name="plan_detail"),
    path("plans/<year:year>/create/", plans.plan_create, name="plan_create"),
    path("plans/<year:year>/next/", plans.plan_next_year, name="plan_next_year"),
    path("plans/<year:year>/measures/add/", plans.measure_add, name="measure_add"),
    path("plans/<year:year>/submit/", approvals.plan_submit, name="plan_submit"),
    path("plans/<year:year>/decide/", approvals.plan_decide, name="plan_decide"),
    path(
        "plans/<year:year>/documents/<str:kind>.<str:fmt>",
        downloads.document_download,
        name="document_download",
    ),
    path("plans/<year:year>/memos/<str:kind>/", memos.memo_edit, name="memo_edit"),
    path("plans/<year:year>/memos/<str:kind>.<str:fmt>", memos.memo_download, name="memo_download"),
    path("measures/<id:measure>/edit/", plans.measure_edit, name="measure_edit"),
    path("measures/<id:measure>/delete/", plans.measure_delete, name="measure_delete"),
    path("measures/<id:measure>/move/", plans.measure_move, name="measure_move"),
    path("measures/<id:measure>/progress/", progress.measure_progress, name="measure_progress"),
    path("measures/<id:measure>/progress/edit/", progress.progress_edit, name="progress_edit"),
    path("measures/<id:measure>/progress/delete/", progress.progress_delete, name="progress_delete"),
    path("measures/<id:measure>/evidence/add/", progress.evidence_add, name="evidence_add"),
    path("evidence/<id:evidence>/file/", progress.evidence_file, name="evidence_file"),
    path("evidence/<id:evidence>/delete/", progress.evidence_delete, name="evidence_delete"),
]
