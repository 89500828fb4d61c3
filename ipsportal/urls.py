from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path, register_converter
from django.views.i18n import set_language

from ipsportal.accounts.middleware import second_factor_not_required
from ipsportal.accounts.views import recovery_codes, two_factor_setup, two_factor_verify
from ipsportal.core.exports import ExportFormat
from ipsportal.core.views import healthz
from reporting.views import start_page

register_converter(ExportFormat, "export_format")

handler400 = "ipsportal.core.views.bad_request"
handler500 = "ipsportal.core.views.server_error"

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
    path("log-ind/to-faktor/", two_factor_verify, name="two_factor_verify"),
    path("log-ind/to-faktor/opsaet/", two_factor_setup, name="two_factor_setup"),
    path("gendannelseskoder/", recovery_codes, name="recovery_codes"),
    path("log-ud/", second_factor_not_required(auth_views.LogoutView.as_view()), name="logout"),
    path("sprog/", login_not_required(set_language), name="set_language"),
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
]
