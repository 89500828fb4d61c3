import pytest
from django.test import Client

from meetings import services as meeting_services
from tests.clients import citizen_signed_in
from tests.factories import CitizenFactory
from tests.meetings.conftest import (  # noqa: F401 - fixtures shared with the meetings tests
    fatima_coordinated,
    joint_team,
    minutes_after_the_meeting,
    minutes_ready,
    next_meeting,
    outbox,
)

# ruff: noqa: F811 - the fixtures above are requested by name below


@pytest.fixture
def fatima_client(plan_of_fatima) -> Client:
    """Fatima signed in on her own pages (her course, her plan, her consent)."""
    return citizen_signed_in(Client(), plan_of_fatima.citizen)


@pytest.fixture
def minutes_sent(minutes_after_the_meeting, outbox, consultant_odense):
    letter = meeting_services.letter_queue(
        case=minutes_after_the_meeting, kind="minutes", by=consultant_odense
    )
    return meeting_services.letter_send(letter_id=letter.pk)


@pytest.fixture
def someone_else(att):
    """Another citizen at ATT, with records of his own."""
    return CitizenFactory(registered_by=att, given_name="Yonas", family_name="Haile")
