"""The hot pages' queries are built once a day per process (ipsportal/core/querysets.py): a
process that built them yesterday still shows today's caseload and today's access, and a query
built for one user shows another user of the same organisations only what the database says
about them."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.selectors import FOLLOW_UPS_AHEAD_DAYS, caseload_for_consultant
from consent.models import Consent
from ipsportal.accounts.models import User
from ipsportal.accounts.services import staff_set_memberships
from ipsportal.citizens.models import Affiliation, AffiliationKind
from tests.clients import StaffClient
from tests.factories import CourseFactory, UserFactory

pytestmark = pytest.mark.django_db

NO_CONSENT = "Intet gældende samtykke"
CONSENT_EXPIRING = "Samtykket udløber inden for 30 dage"
EXPIRING_HEADING = "Samtykker, der udløber inden for 30 dage"
FOLLOW_UPS_HEADING = "Opfølgninger, der skal laves"


def _client(user) -> StaffClient:
    client = StaffClient()
    client.force_login(user)
    return client


def _the_next_day(monkeypatch) -> None:
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: tomorrow)


def test_the_start_page_shown_the_next_day_reads_that_day(
    monkeypatch, consultant_odense, jobcenter_odense
):
    course = CourseFactory(referral__to_organisation=jobcenter_odense, consultant=consultant_odense)
    # The consent the course was started under ends today; follow-ups are listed two weeks
    # ahead, so this one from tomorrow on.
    assert Consent.objects.filter(citizen=course.citizen).update(valid_until=timezone.localdate())
    course.follow_ups.update(
        due_on=timezone.localdate() + datetime.timedelta(days=FOLLOW_UPS_AHEAD_DAYS + 1)
    )
    client = _client(consultant_odense)
    today = client.get(reverse("start")).content.decode()
    assert CONSENT_EXPIRING in today
    assert NO_CONSENT not in today
    assert EXPIRING_HEADING in today
    assert FOLLOW_UPS_HEADING not in today

    _the_next_day(monkeypatch)

    tomorrow = client.get(reverse("start")).content.decode()
    assert NO_CONSENT in tomorrow
    assert CONSENT_EXPIRING not in tomorrow
    assert EXPIRING_HEADING not in tomorrow
    assert FOLLOW_UPS_HEADING in tomorrow


def test_a_citizen_whose_affiliation_ends_today_is_not_shown_the_next_day(
    monkeypatch, consultant_odense, shared_citizen, jobcenter_odense
):
    Affiliation.objects.filter(citizen=shared_citizen, organisation=jobcenter_odense).update(
        ended_on=timezone.localdate() + datetime.timedelta(days=1)
    )
    client = _client(consultant_odense)
    page = reverse("cases:citizen_detail", args=[shared_citizen.uuid])
    assert client.get(page).status_code == 200
    assert "Fatima Haddad" in client.get(reverse("cases:citizen_list")).content.decode()

    _the_next_day(monkeypatch)

    assert client.get(page).status_code == 404
    assert "Fatima Haddad" not in client.get(reverse("cases:citizen_list")).content.decode()


def test_a_colleague_of_the_same_organisations_sees_only_the_citizens_the_database_gives_them(
    consultant_odense, shared_citizen, jobcenter_odense, ips_team_odense
):
    colleague = UserFactory(memberships__units=[ips_team_odense], memberships__roles=["consultant"])
    page = reverse("cases:citizen_detail", args=[shared_citizen.uuid])
    assert _client(consultant_odense).get(page).status_code == 200

    # The query the consultant's page built is kept for the organisation; the affiliation
    # ending in the database is what the colleague's request must see.
    Affiliation.objects.filter(citizen=shared_citizen, organisation=jobcenter_odense).update(
        ended_on=timezone.localdate()
    )

    assert _client(colleague).get(page).status_code == 404
    assert _client(consultant_odense).get(page).status_code == 404


@pytest.fixture
def vejle_consultant(ips_team_vejle):
    return UserFactory(memberships__units=[ips_team_vejle], memberships__roles=["consultant"])


def _citizen_page_status(user, citizen) -> int:
    return _client(user).get(reverse("cases:citizen_detail", args=[citizen.uuid])).status_code


def test_a_citizen_referred_to_another_job_centre_is_seen_there_on_the_next_request(
    vejle_consultant, shared_citizen, jobcenter_vejle
):
    assert _citizen_page_status(vejle_consultant, shared_citizen) == 404

    Affiliation.objects.create(
        citizen=shared_citizen, organisation=jobcenter_vejle, kind=AffiliationKind.REFERRED
    )

    assert _citizen_page_status(vejle_consultant, shared_citizen) == 200


def test_a_user_who_joins_another_organisation_sees_its_citizens_on_the_next_request(
    vejle_consultant, shared_citizen, ips_team_odense, ips_team_vejle
):
    assert _citizen_page_status(vejle_consultant, shared_citizen) == 404

    staff_set_memberships(
        user=vejle_consultant, units=[ips_team_vejle, ips_team_odense], roles=["consultant"]
    )

    assert _citizen_page_status(vejle_consultant, shared_citizen) == 200


def _caseload_names(user) -> list[str]:
    page = _client(user).get(reverse("start"))
    return [row.citizen.full_name for row in page.context["caseload"]]


def test_consultants_of_one_job_centre_each_see_their_own_caseload(
    consultant_odense, second_consultant_odense, jobcenter_odense
):
    # One statement is compiled for the job centre's caseloads that day; the consultant is
    # what each request runs it with (ipsportal/core/statements.py).
    mine = CourseFactory(referral__to_organisation=jobcenter_odense, consultant=consultant_odense)
    theirs = CourseFactory(
        referral__to_organisation=jobcenter_odense, consultant=second_consultant_odense
    )

    assert _caseload_names(consultant_odense) == [mine.citizen.full_name]
    assert _caseload_names(second_consultant_odense) == [theirs.citizen.full_name]
    assert _caseload_names(consultant_odense) == [mine.citizen.full_name]


def test_a_reader_who_loses_the_case_role_gets_no_caseload_from_the_kept_statement(
    consultant_odense, jobcenter_odense, ips_team_odense
):
    CourseFactory(referral__to_organisation=jobcenter_odense, consultant=consultant_odense)
    lead = UserFactory(memberships__units=[ips_team_odense], memberships__roles=["team_lead"])
    assert len(caseload_for_consultant(consultant=consultant_odense, reader=lead)) == 1

    # Still in the same unit, so the statement kept for the organisation would still match.
    staff_set_memberships(user=lead, units=[ips_team_odense], roles=["manager"])
    lead = User.objects.get(pk=lead.pk)

    assert caseload_for_consultant(consultant=consultant_odense, reader=lead) == []
