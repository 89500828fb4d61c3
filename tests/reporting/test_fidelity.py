import datetime

import pytest
from django.utils import timezone

from cases.services import employer_contact_record, episode_record
from reporting.fidelity import fidelity_band, suggestions

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("total", "band"), [(125, "good"), (100, "good"), (99, "fair"), (74, "fair"), (73, "not_ips")]
)
def test_the_bands(total, band):
    assert fidelity_band(total) == band


def test_the_data_suggests_scores_for_the_items_it_can_answer(course_of_fatima, consultant_odense):
    today = timezone.localdate()
    employer_contact_record(
        course=course_of_fatima,
        recorded_by=consultant_odense,
        contacted_on=today,
        employer_name="Dansk Cater A/S",
        face_to_face=True,
        outcome="job_offer",
    )
    episode_record(
        course=course_of_fatima,
        recorded_by=consultant_odense,
        type_code="ordinary_employment",
        workplace="Dansk Cater A/S",
        started_on=today,
    )
    found = suggestions(course_of_fatima.organisation, today + datetime.timedelta(days=1))
    assert (found[1].value, found[1].score) == ("1.0", 5)  # one course per full-time consultant
    assert (found[15].value, found[15].score) == ("0", 5)  # first employer contact on day 0
    assert found[17].score == 1  # one face-to-face contact a year is far from 6 a week
    assert (found[21].value, found[21].score) == ("100%", 5)
    assert found[22].score == 1  # no follow-along contact after the job start yet
    assert 2 not in found  # the reviewers score the rest
