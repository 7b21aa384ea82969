"""The agency's own pages. URL keyword names are shared by every module (and by the isolation
test that walks all URLs): agency (slug), year (B.E.), measure, evidence, check (ids)."""

from django.urls import include, path

from prongsai.web.pages import agency_settings, views, year

urlpatterns = [
    path("", views.home, name="home"),
    path("a/<slug:agency>/years/", year.years_list, name="years"),
    path("a/<slug:agency>/years/<year:year>/", year.year_page, name="year"),
    path("a/<slug:agency>/settings/", agency_settings.agency_settings, name="agency_settings"),
    path("a/<slug:agency>/settings/emblem/", agency_settings.agency_emblem_file, name="agency_emblem"),
    path("a/<slug:agency>/", include("prongsai.web.pages.urls_results")),
    path("a/<slug:agency>/", include("prongsai.web.pages.urls_plans")),
    path("a/<slug:agency>/", include("prongsai.web.cycle.urls")),
    path("a/<slug:agency>/", include("prongsai.web.imports.urls")),
    path("", include("prongsai.web.pages.urls_team")),
]
