"""Which other organisations' records a consent lets the reader see is worked out once per
request and citizen (issue 18), and never outlives a change to the consents."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import TreatmentSummary
from cases.services import treatment_summary_write
from consent import access
from consent.access.records import consented_reads_remembered
from consent.services import consent_withdraw
from ipsportal.audit.models import AccessLogEntry
from ipsportal.citizens.models import Affiliation, AffiliationKind
from tests.clients import StaffClient
from tests.conftest import PHONE, SUMMARY_TEXT
from tests.factories import (
    CitizenFactory,
    ConsentFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _summaries_visible(user, citizen) -> bool:
    return access.records_visible_exist(
        user=user,
        citizen=citizen,
        category=access.TREATMENT_SUMMARY,
        records=TreatmentSummary.objects.filter(citizen=citizen),
    )


def test_a_consent_withdrawn_during_a_request_shares_nothing_more_in_that_request(
    shared_citizen, give_consent, clinician_att, consultant_odense
):
    consent = give_consent(shared_citizen, ["treatment_summary"])
    with consented_reads_remembered():
        assert _summaries_visible(consultant_odense, shared_citizen)

        consent_withdraw(consent=consent, withdrawn_by=clinician_att)

        assert not _summaries_visible(consultant_odense, shared_citizen)


def test_a_consent_given_during_a_request_shares_at_once_in_that_request(
    shared_citizen, give_consent, consultant_odense
):
    with consented_reads_remembered():
        assert not _summaries_visible(consultant_odense, shared_citizen)

        give_consent(shared_citizen, ["treatment_summary"])

        assert _summaries_visible(consultant_odense, shared_citizen)


def test_the_citizen_page_asks_for_the_consents_grants_once_for_all_its_categories(
    shared_citizen, give_consent, consultant_odense
):
    give_consent(shared_citizen, ["treatment_summary", "contact_details", "shared_plan"])
    client = StaffClient()
    client.force_login(consultant_odense)

    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("cases:citizen_detail", args=[shared_citizen.uuid]))

    assert SUMMARY_TEXT in page.content.decode()
    assert PHONE in page.content.decode()
    grant_reads = [
        query
        for query in queries.captured_queries
        if 'FROM "consent_citizengroupobjectpermission"' in query["sql"]
    ]
    assert len(grant_reads) == 1


def test_each_citizen_is_shared_by_their_own_consent_whoever_was_read_before(
    shared_citizen, give_consent, consultant_odense, att, jobcenter_odense, clinician_att
):
    # The consented reads for one citizen are a statement compiled once for the reader's
    # organisations and groups (ipsportal/core/statements.py); the citizen is its parameter.
    other = CitizenFactory(registered_by=att)
    Affiliation.objects.create(
        citizen=other, organisation=jobcenter_odense, kind=AffiliationKind.REFERRED
    )
    treatment_summary_write(
        citizen=other, author=clinician_att, organisation=att, text="Et andet resumé."
    )
    give_consent(shared_citizen, ["treatment_summary"])

    assert _summaries_visible(consultant_odense, shared_citizen)
    assert not _summaries_visible(consultant_odense, other)

    give_consent(other, ["treatment_summary"])

    assert _summaries_visible(consultant_odense, other)
    assert _summaries_visible(consultant_odense, shared_citizen)


def test_the_owners_a_consent_shares_are_bound_so_the_next_citizen_compiles_nothing(
    shared_citizen, give_consent, consultant_odense, att, jobcenter_odense, compiled_for
):
    # Fatima: ATT shares her treatment summaries with Jobcenter Odense. Omar: another
    # psychiatry shares his, and ATT's summary of him is not shared. The job centre reads one
    # organisation's summaries besides its own for each, a different one.
    other_psychiatry = OrganisationFactory(name="Psykiatrien Syd")
    omar = CitizenFactory(registered_by=other_psychiatry, given_name="Omar")
    Affiliation.objects.create(citizen=omar, organisation=att, kind=AffiliationKind.REGISTERED)
    Affiliation.objects.create(
        citizen=omar, organisation=jobcenter_odense, kind=AffiliationKind.REFERRED
    )
    clinician_syd = UserFactory()
    for organisation, text in [(att, "ATT's resumé om Omar."), (other_psychiatry, "Syds resumé.")]:
        treatment_summary_write(
            citizen=omar, author=clinician_syd, organisation=organisation, text=text
        )
    give_consent(shared_citizen, ["treatment_summary"])
    ConsentFactory(
        citizen=omar, recorded_by=clinician_syd, organisations=[other_psychiatry, jobcenter_odense]
    )
    client = StaffClient()
    client.force_login(consultant_odense)

    fatima_page = client.get(reverse("cases:citizen_detail", args=[shared_citizen.uuid]))
    assert SUMMARY_TEXT in fatima_page.content.decode()
    compiled_for.clear()
    omar_page = client.get(reverse("cases:citizen_detail", args=[omar.uuid])).content.decode()

    assert "Syds resumé." in omar_page
    assert "ATT's resumé om Omar." not in omar_page
    assert TreatmentSummary not in compiled_for
    assert AccessLogEntry.objects.filter(
        citizen=omar, category=access.TREATMENT_SUMMARY, organisation=jobcenter_odense
    ).exists()
