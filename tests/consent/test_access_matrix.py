"""The permission matrix: every role, every page that shows citizen data, every situation.
The expected answers are written out here, not computed by the code under test."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from consent.models import Consent
from consent.services import consent_withdraw
from ipsportal.audit.models import AccessLogEntry
from tests.clients import StaffClient
from tests.conftest import PHONE, SUMMARY_TEXT
from tests.factories import UnitFactory, UserFactory

ROLES = ["consultant", "team_lead", "clinician", "coordinator", "manager", "administrator"]

# Pages about one citizen, for a user whose organisation has the citizen as its client.
#                  detail reveal report consent summary  (HTTP status)
EXPECTED_STATUS = {
    "consultant":    (200,  200,   200,   200,    404),
    "team_lead":     (200,  200,   200,   200,    404),
    "clinician":     (200,  200,   200,   200,    200),
    "coordinator":   (200,  200,   200,   200,    404),
    "manager":       (404,  404,   404,   404,    404),
    "administrator": (404,  404,   404,   404,    404),
}  # fmt: skip


def _pages(citizen) -> list[tuple[str, str]]:
    return [
        ("get", reverse("cases:citizen_detail", args=[citizen.uuid])),
        ("post", reverse("cases:citizen_reveal_cpr", args=[citizen.uuid])),
        ("get", reverse("consent:access_report", args=[citizen.uuid])),
        ("get", reverse("consent:create", args=[citizen.uuid])),
        ("get", reverse("cases:treatment_summary_create", args=[citizen.uuid])),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_each_role_in_the_citizens_own_organisation(role, shared_citizen, ips_team_odense):
    user = UserFactory(memberships__units=[ips_team_odense], memberships__roles=[role])
    client = StaffClient()
    client.force_login(user)
    statuses = tuple(
        getattr(client, method)(url).status_code for method, url in _pages(shared_citizen)
    )
    assert statuses == EXPECTED_STATUS[role]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_each_role_in_an_organisation_without_the_citizen_gets_404_everywhere(
    role, shared_citizen, ips_team_vejle, give_consent
):
    give_consent(shared_citizen, ["treatment_summary", "contact_details", "shared_plan"])
    user = UserFactory(memberships__units=[ips_team_vejle], memberships__roles=[role])
    client = StaffClient()
    client.force_login(user)
    statuses = [getattr(client, method)(url).status_code for method, url in _pages(shared_citizen)]
    assert statuses == [404, 404, 404, 404, 404]
    list_page = client.get(reverse("cases:citizen_list")).content.decode()
    search = client.post(reverse("cases:citizen_list"), {"query": "0101651236"}).content.decode()
    assert "Fatima" not in list_page + search


@pytest.mark.django_db
def test_a_superuser_sees_no_citizen_data(shared_citizen):
    root = UserFactory(is_superuser=True, is_staff=True)
    client = StaffClient()
    client.force_login(root)
    assert (
        client.get(reverse("cases:citizen_detail", args=[shared_citizen.uuid])).status_code == 404
    )
    assert "Fatima" not in client.get(reverse("cases:citizen_list")).content.decode()


# What the job centre's consultant sees of ATT's records, in each consent situation.
#                          treatment summary, contact details
EXPECTED_CROSS_SECTOR = {
    "no_consent":           (False, False),
    "consent_covering":     (True,  True),
    "consent_not_covering": (False, False),
    "withdrawn":            (False, False),
    "expired":              (False, False),
    "not_yet_valid":        (False, False),
}  # fmt: skip


def _arrange(situation: str, citizen, give_consent, clinician_att) -> Consent | None:
    today = timezone.localdate()
    covering = ["treatment_summary", "contact_details"]
    if situation == "no_consent":
        return None
    if situation == "consent_covering":
        return give_consent(citizen, covering)
    if situation == "consent_not_covering":
        return give_consent(citizen, ["shared_plan", "meeting_minutes"])
    if situation == "withdrawn":
        consent = give_consent(citizen, covering)
        return consent_withdraw(consent=consent, withdrawn_by=clinician_att)
    if situation == "expired":
        return give_consent(
            citizen,
            covering,
            valid_from=today - datetime.timedelta(days=400),
            valid_until=today - datetime.timedelta(days=1),
        )
    if situation == "not_yet_valid":
        return give_consent(
            citizen,
            covering,
            valid_from=today + datetime.timedelta(days=1),
            valid_until=today + datetime.timedelta(days=200),
        )
    raise AssertionError(situation)


@pytest.mark.django_db
@pytest.mark.parametrize("situation", EXPECTED_CROSS_SECTOR)
def test_the_job_centre_sees_psychiatrys_records_only_under_a_covering_consent(
    situation, shared_citizen, give_consent, clinician_att, consultant_odense
):
    consent = _arrange(situation, shared_citizen, give_consent, clinician_att)
    client = StaffClient()
    client.force_login(consultant_odense)
    page = client.get(reverse("cases:citizen_detail", args=[shared_citizen.uuid]))
    assert page.status_code == 200
    text = page.content.decode()
    assert (SUMMARY_TEXT in text, PHONE in text) == EXPECTED_CROSS_SECTOR[situation]
    consent_reads = AccessLogEntry.objects.filter(
        user=consultant_odense, basis="consent", category="treatment_summary"
    )
    if EXPECTED_CROSS_SECTOR[situation][0]:
        assert list(consent_reads.values_list("consent_id", flat=True)) == [consent.pk]
    else:
        assert not consent_reads.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("situation", EXPECTED_CROSS_SECTOR)
def test_psychiatry_always_sees_its_own_records(
    situation, shared_citizen, give_consent, clinician_att
):
    _arrange(situation, shared_citizen, give_consent, clinician_att)
    client = StaffClient()
    client.force_login(clinician_att)
    text = client.get(reverse("cases:citizen_detail", args=[shared_citizen.uuid])).content.decode()
    assert SUMMARY_TEXT in text
    assert PHONE in text


@pytest.mark.django_db
def test_a_consent_past_its_end_date_shares_nothing_even_before_the_nightly_job(
    shared_citizen, give_consent, consultant_odense
):
    consent = give_consent(shared_citizen, ["treatment_summary"])
    # The end date passes; the nightly job has not run, so the derived grants are still there.
    Consent.objects.filter(pk=consent.pk).update(
        valid_until=timezone.localdate() - datetime.timedelta(days=1)
    )
    client = StaffClient()
    client.force_login(consultant_odense)
    text = client.get(reverse("cases:citizen_detail", args=[shared_citizen.uuid])).content.decode()
    assert SUMMARY_TEXT not in text


@pytest.mark.django_db
def test_a_consent_without_the_other_organisation_shares_nothing(
    shared_citizen, give_consent, consultant_odense, att, jobcenter_vejle
):
    give_consent(shared_citizen, ["treatment_summary"], organisations=[att, jobcenter_vejle])
    client = StaffClient()
    client.force_login(consultant_odense)
    text = client.get(reverse("cases:citizen_detail", args=[shared_citizen.uuid])).content.decode()
    assert SUMMARY_TEXT not in text


@pytest.mark.django_db
def test_a_unit_added_later_is_covered_after_the_nightly_job(
    shared_citizen, give_consent, jobcenter_odense
):
    give_consent(shared_citizen, ["treatment_summary"])
    youth_team = UnitFactory(organisation=jobcenter_odense, name="Ungeteamet")
    colleague = UserFactory(memberships__units=[youth_team], memberships__roles=["consultant"])
    client = StaffClient()
    client.force_login(colleague)
    url = reverse("cases:citizen_detail", args=[shared_citizen.uuid])
    assert SUMMARY_TEXT not in client.get(url).content.decode()
    from consent.services import consents_expire

    consents_expire()
    assert SUMMARY_TEXT in client.get(url).content.decode()
