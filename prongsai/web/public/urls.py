"""Public pages, no login, included at /p/ (outside the language prefix: the links are stable)."""

from django.urls import path

from prongsai.documents.fonts import FILES
from prongsai.web.public import views

# One fixed path per font file (no keyword: the URL walker of the isolation test fills only the
# project's keyword names).
_fonts = [
    path(f"fonts/{name}", views.font, {"name": name}, name=f"public_font_{weight}_{style}")
    for (weight, style), name in FILES.items()
]

urlpatterns = [
    *_fonts,
    path("", views.directory, name="public_directory"),
    path("<slug:agency>/", views.agency, name="public_agency"),
    path("<slug:agency>/<year:year>/", views.year, name="public_year"),
    path("<slug:agency>/<year:year>/documents/<str:kind>.<str:fmt>", views.document, name="public_document"),
    path("<slug:agency>/<year:year>/evidence/<id:evidence>/", views.evidence, name="public_evidence"),
]
