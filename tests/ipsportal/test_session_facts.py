"""A staff session keeps the user's roles, organisations and verified second factor between
requests, and a change to any of them takes effect on the user's next request."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from ipsportal.accounts.models import RoleCode
from ipsportal.accounts.services import staff_set_memberships
from tests.clients import sign_in

pytestmark = pytest.mark.django_db
PASSWORD = "Korrekt-hest-batteri-42"


def _tables_read(client, path: str) -> str:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return " ".join(query["sql"] for query in queries.captured_queries)


def test_roles_units_and_the_device_are_read_once_per_session_not_per_page(
    client, consultant_odense
):
    sign_in(client, consultant_odense, PASSWORD)
    first = _tables_read(client, "/borgere/")
    assert '"accounts_role"' in first or '"accounts_unit"' in first
    for page in ("/borgere/", "/"):  # the start page names the user's units
        later = _tables_read(client, page)
        assert '"accounts_role"' not in later
        assert '"accounts_unit"' not in later
        assert '"otp_totp_totpdevice"' not in later


def test_a_renamed_organisation_is_named_so_on_the_next_request(
    client, consultant_odense, jobcenter_odense
):
    sign_in(client, consultant_odense, PASSWORD)
    assert "Jobcenter Odense / IPS-teamet" in client.get("/").content.decode()

    jobcenter_odense.name = "Jobcenter Odense Kommune"
    jobcenter_odense.save()

    assert "Jobcenter Odense Kommune / IPS-teamet" in client.get("/").content.decode()


def test_a_withdrawn_role_takes_effect_on_the_next_request(
    client, consultant_odense, ips_team_odense
):
    sign_in(client, consultant_odense, PASSWORD)
    caseload_export = reverse("cases:caseload_export", args=["csv"])
    assert client.get(caseload_export).status_code == 200
    assert client.get(caseload_export).status_code == 200  # from the session's copy

    staff_set_memberships(user=consultant_odense, units=[ips_team_odense], roles=["clinician"])

    assert client.get(caseload_export).status_code == 404


def test_a_withdrawn_unit_hides_its_citizens_on_the_next_request(
    client, consultant_odense, shared_citizen, ips_team_odense
):
    sign_in(client, consultant_odense, PASSWORD)
    page = reverse("cases:citizen_detail", args=[shared_citizen.uuid])
    assert client.get(page).status_code == 200
    assert client.get(page).status_code == 200

    ips_team_odense.group.user_set.remove(consultant_odense)

    assert client.get(page).status_code == 404


def test_a_removed_authenticator_asks_for_the_second_factor_again(client, consultant_odense):
    sign_in(client, consultant_odense, PASSWORD)
    assert client.get("/borgere/").status_code == 200
    assert client.get("/borgere/").status_code == 200

    TOTPDevice.objects.filter(user=consultant_odense).delete()

    response = client.get("/borgere/")
    assert response.status_code == 302
    assert response["Location"].startswith("/log-ind/")


def test_a_new_role_is_offered_on_the_next_request(client, consultant_odense, ips_team_odense):
    sign_in(client, consultant_odense, PASSWORD)
    assert reverse("cases:team_caseloads") not in client.get("/borgere/").content.decode()

    staff_set_memberships(
        user=consultant_odense,
        units=[ips_team_odense],
        roles=[RoleCode.CONSULTANT, RoleCode.TEAM_LEAD],
    )

    assert reverse("cases:team_caseloads") in client.get("/borgere/").content.decode()


def test_saving_an_older_copy_of_the_user_does_not_undo_a_change_of_roles(
    consultant_odense, ips_team_odense
):
    from ipsportal.accounts.models import User

    older_copy = User.objects.get(pk=consultant_odense.pk)
    staff_set_memberships(user=consultant_odense, units=[ips_team_odense], roles=["clinician"])
    raised = User.objects.get(pk=consultant_odense.pk).access_version
    assert raised > older_copy.access_version

    older_copy.title = "IPS-konsulent"
    older_copy.save()

    saved = User.objects.get(pk=consultant_odense.pk)
    assert (saved.title, saved.access_version) == ("IPS-konsulent", raised)
