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
    # Quality of employer contact from the employer records: met once, never again (yet).
    assert (found[18].value, found[18].score) == ("0%", 1)
    employer_contact_record(
        course=course_of_fatima,
        recorded_by=consultant_odense,
        contacted_on=today,
        employer_name="DANSK CATER A/S",
        face_to_face=True,
        outcome="interview",
    )
    found = suggestions(course_of_fatima.organisation, today + datetime.timedelta(days=1))
    assert (found[18].value, found[18].score) == ("100%", 5)
    assert (found[1].value, found[1].score) == ("1.0", 5)  # one course per full-time consultant
    assert (found[15].value, found[15].score) == ("0", 5)  # first employer contact on day 0
    assert found[17].score == 1  # one face-to-face contact a year is far from 6 a week
    assert (found[21].value, found[21].score) == ("100%", 5)
    assert found[22].score == 1  # no follow-along contact after the job start yet
    assert 2 not in found  # the reviewers score the rest


@pytest.mark.django_db
def test_the_service_records_a_review_and_refuses_what_is_wrong(
    course_of_fatima, jobcenter_odense, att, manager_odense
):
    from django.core.exceptions import ValidationError

    from reporting.fidelity import ITEMS, fidelity_review_record
    from reporting.models import FidelityReview

    scores = {number: 3 for number in range(1, len(ITEMS) + 1)}
    with pytest.raises(ValidationError) as refused:
        fidelity_review_record(
            organisation=att,
            reviewed_on=timezone.localdate() + datetime.timedelta(days=1),
            reviewers=" ",
            scores={**scores, 7: 6},
            notes={},
            recorded_by=manager_odense,
        )
    assert set(refused.value.message_dict) == {
        "organisation",
        "reviewed_on",
        "reviewers",
        "__all__",
    }
    assert not FidelityReview.objects.exists()

    review = fidelity_review_record(
        organisation=jobcenter_odense,
        reviewed_on=timezone.localdate(),
        reviewers="Lars Nielsen, ekstern konsulent",
        scores=scores,
        notes={1: "Sagsstammer under 20"},
        recorded_by=manager_odense,
    )
    assert review.total == 3 * len(ITEMS)
    assert review.items.get(number=1).note == "Sagsstammer under 20"
    # Item 1 (caseload size) is answered from the data on the review date.
    assert review.items.get(number=1).computed_value != ""
