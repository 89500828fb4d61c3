"""The start page's and the team page's numbers follow the data from one request to the next
(each is counted by a statement compiled once per process: ipsportal/core/statements.py)."""

import re

import pytest
from django.utils import timezone

from ipsportal.citizens.models import Affiliation
from tests.factories import AffiliationFactory, CitizenFactory, ReferralFactory

pytestmark = pytest.mark.django_db


def _waiting_on_start_page(client) -> int:
    page = client.get("/").content.decode()
    return int(re.search(r"Henvisninger \((\d+) venter\)", page).group(1))


def _waiting_on_team_page(client) -> int:
    page = client.get("/team/sagsstammer/").content.decode()
    return int(re.search(r"(\d+) henvisning(?:er)? venter", page).group(1))


def _citizens_seen(client) -> int:
    page = client.get("/").content.decode()
    return int(re.search(r"Borgere, du har adgang til</dt>\s*<dd>(\d+)</dd>", page).group(1))


def test_the_referrals_waiting_at_the_job_centre_are_counted_afresh(
    client, team_lead_odense, jobcenter_odense, jobcenter_vejle, citizen_of_att
):
    client.force_login(team_lead_odense)
    assert (_waiting_on_start_page(client), _waiting_on_team_page(client)) == (0, 0)

    ReferralFactory(citizen=citizen_of_att, to_organisation=jobcenter_odense)
    ReferralFactory(citizen=CitizenFactory(), to_organisation=jobcenter_vejle)  # not theirs
    assert (_waiting_on_start_page(client), _waiting_on_team_page(client)) == (1, 1)

    ReferralFactory(citizen=CitizenFactory(), to_organisation=jobcenter_odense)
    assert (_waiting_on_start_page(client), _waiting_on_team_page(client)) == (2, 2)


def test_the_citizens_a_consultant_may_see_are_counted_afresh(
    client, consultant_odense, jobcenter_odense, jobcenter_vejle
):
    client.force_login(consultant_odense)
    seen = _citizens_seen(client)
    client_of_odense = AffiliationFactory(organisation=jobcenter_odense).citizen
    AffiliationFactory(organisation=jobcenter_vejle)  # another job centre's client
    assert _citizens_seen(client) == seen + 1

    Affiliation.objects.filter(citizen=client_of_odense).update(ended_on=timezone.localdate())
    assert _citizens_seen(client) == seen
