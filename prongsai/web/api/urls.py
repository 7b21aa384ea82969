"""/api/…: the django-ninja API and the files of its docs page (no CDN). Namespace "api"."""

from django.urls import path

from prongsai.web.api import docs
from prongsai.web.api.endpoints import api

app_name = "api"
urlpatterns = [
    path("docs/assets/<str:name>", docs.asset, name="docs-asset"),
    *api.urls[0],
]
