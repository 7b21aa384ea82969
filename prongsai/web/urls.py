"""Root URLs. Each area owns its own module; the agency pages are scoped by agency slug."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from prongsai.web import converters  # noqa: F401  (registers <year:…> and <id:…> before the includes)

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("prongsai.web.api.urls")),
    path("p/", include("prongsai.web.public.urls")),  # stable public links: no language prefix
    path("admin/", admin.site.urls),
]
urlpatterns += i18n_patterns(
    path("login/", auth_views.LoginView.as_view(template_name="pages/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Forgot-password (Thai templates in templates/registration/) and the person's notifications.
    path("password/reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"
    ),
    path("notifications/", include("prongsai.web.notify.urls")),
    path("account/", include("prongsai.web.agencies.urls")),  # the person's API tokens
    path("oversight/", include("prongsai.web.oversight.urls")),
    path("", include("prongsai.web.pages.urls")),
    prefix_default_language=False,
)
# Uploaded files (evidence, emblems) are never served from MEDIA_URL, in any mode: each is
# reached through a view that checks who may see it (cycle.views, pages.progress, public.views).
