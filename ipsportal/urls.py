from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path, register_converter
from django.views.i18n import set_language

from ipsportal.accounts.middleware import second_factor_not_required
from ipsportal.accounts.views import recovery_codes, two_factor_setup, two_factor_verify
from ipsportal.citizens.middleware import citizen_page
from ipsportal.core.exports import ExportFormat
from ipsportal.core.views import favicon, healthz
from ipsportal.signin import views as signin_views
from ipsportal.signin.sessions import session_keep_alive
from reporting.views import start_page

register_converter(ExportFormat, "export_format")

handler400 = "ipsportal.core.views.bad_request"
handler404 = "ipsportal.core.views.page_not_found"
handler500 = "ipsportal.core.views.server_error"

urlpatterns = [
    path("", start_page, name="start"),
    path("", include("cases.urls")),
    path("", include("consent.urls")),
    path("", include("meetings.urls")),
    path("", include("reporting.urls")),
    path("", include("ipsportal.notifications.urls")),
    path("log-ind/", signin_views.StaffLoginView.as_view(), name="login"),
    # OpenID Connect (names as allauth reverses them): staff providers and the MitID broker.
    path("oidc/<provider_id>/login/", signin_views.oidc_login, name="openid_connect_login"),
    path(
        "oidc/<provider_id>/login/callback/",
        signin_views.oidc_callback,
        name="openid_connect_callback",
    ),
    path("borger/log-ind/", signin_views.citizen_login, name="citizen_login"),
    path("borger/log-ud/", signin_views.citizen_logout, name="citizen_logout"),
    path("borger/", include("selfservice.urls")),
    path("log-ind/to-faktor/", two_factor_verify, name="two_factor_verify"),
    path("log-ind/to-faktor/opsaet/", two_factor_setup, name="two_factor_setup"),
    path("gendannelseskoder/", recovery_codes, name="recovery_codes"),
    path("log-ud/", second_factor_not_required(auth_views.LogoutView.as_view()), name="logout"),
    path("sprog/", citizen_page(login_not_required(set_language)), name="set_language"),
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", citizen_page(favicon)),
    path("session/forlaeng/", session_keep_alive, name="session_keep_alive"),
    path("admin/", admin.site.urls),
]
