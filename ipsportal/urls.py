from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path, register_converter
from django.views.i18n import set_language

from ipsportal.core.exports import ExportFormat
from ipsportal.core.views import healthz
from reporting.views import start_page

register_converter(ExportFormat, "export_format")

urlpatterns = [
    path("", start_page, name="start"),
    path("", include("cases.urls")),
    path("", include("consent.urls")),
    path("", include("meetings.urls")),
    path("", include("reporting.urls")),
    path(
        "log-ind/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("log-ud/", auth_views.LogoutView.as_view(), name="logout"),
    path("sprog/", login_not_required(set_language), name="set_language"),
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
]
