"""What a consultant records on a course, and the bad input that must change nothing."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases.models import CareerProfile, EmployerContact, Episode, EpisodeType, SupportContact
from cases.services import (
    career_profile_update,
    course_change_phase,
    course_end,
    employer_contact_record,
    episode_end,
    episode_record,
    support_contact_record,
)
from ipsportal.core.dates import day_text
from tests.cases.conftest import days_ago

pytestmark = pytest.mark.django_db


def _errors(call) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as refused:
        call()
    error = refused.value
    return error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}


def test_the_career_profile_keeps_dated_versions(course, consultant_odense):
    career_profile_update(
        course=course, written_by=consultant_odense, preferred_work="Køkken", hours_per_week=10
    )
    latest = career_profile_update(
        course=course,
        written_by=consultant_odense,
        preferred_work="Køkken eller kantine",
        hours_per_week=15,
        disclosure="partial",
    )
    assert latest.version == 2
    assert list(course.career_profiles.values_list("preferred_work", flat=True)) == [
        "Køkken eller kantine",
        "Køkken",
    ]
    # The same profile again is no new version, and the course's readers hear of no change.
    events = course.events.count()
    assert _errors(
        lambda: career_profile_update(
            course=course,
            written_by=consultant_odense,
            preferred_work="Køkken eller kantine ",
            hours_per_week=15,
            disclosure="partial",
        )
    ) == {"__all__": ["Karriereprofilen er, som den var. Ret det, der er nyt, og gem den så."]}
    assert (course.career_profiles.count(), course.events.count()) == (2, events)


def test_an_employer_contact_moves_the_course_into_job_search(course, consultant_odense):
    contact = employer_contact_record(
        course=course,
        recorded_by=consultant_odense,
        contacted_on=days_ago(2),
        employer_name="Dansk Cater A/S",
        cvr="13585628",
        face_to_face=True,
        outcome="interested",
    )
    course.refresh_from_db()
    assert contact.cvr == "13585628"
    assert course.phase == "job_search"
    assert list(course.events.values_list("kind", flat=True).order_by("pk"))[-2:] == [
        "employer_contact",
        "phase_changed",
    ]


@pytest.mark.parametrize(
    ("cvr", "field"),
    [("13585627", "cvr"), ("1234", "cvr"), ("ABCDEFGH", "cvr")],
)
def test_a_cvr_that_fails_validation_saves_nothing(course, consultant_odense, cvr, field):
    errors = _errors(
        lambda: employer_contact_record(
            course=course,
            recorded_by=consultant_odense,
            contacted_on=days_ago(1),
            employer_name="Netto",
            cvr=cvr,
            outcome="interested",
        )
    )
    assert errors[field] == [
        "CVR-nummeret er ikke gyldigt: et CVR-nummer har 8 cifre og et gyldigt kontrolciffer."
    ]
    assert not EmployerContact.objects.exists()


def test_an_employer_contact_before_the_start_or_in_the_future_is_refused(
    course, consultant_odense
):
    for day in (days_ago(41), timezone.localdate() + datetime.timedelta(days=1)):
        errors = _errors(
            lambda day=day: employer_contact_record(
                course=course,
                recorded_by=consultant_odense,
                contacted_on=day,
                employer_name="Netto",
                outcome="interested",
            )
        )
        assert "contacted_on" in errors
    assert not EmployerContact.objects.exists()


def test_a_job_start_moves_the_course_into_follow_along_support(course, consultant_odense):
    episode_record(
        course=course,
        recorded_by=consultant_odense,
        type_code="ordinary_employment",
        workplace="Netto",
        started_on=days_ago(5),
        hours_per_week=Decimal("12"),
    )
    course.refresh_from_db()
    assert course.phase == "in_work"
    contact = support_contact_record(
        course=course,
        recorded_by=consultant_odense,
        contacted_on=days_ago(1),
        with_whom="employer",
        mode="phone",
    )
    assert contact.follow_along is True


def test_two_jobs_at_once_are_allowed(course, consultant_odense):
    for workplace in ("Netto", "Bageriet"):
        episode_record(
            course=course,
            recorded_by=consultant_odense,
            type_code="ordinary_employment",
            workplace=workplace,
            started_on=days_ago(10),
            hours_per_week=Decimal("8"),
        )
    assert Episode.objects.filter(citizen=course.citizen, ended_on__isnull=True).count() == 2


def test_an_episode_ending_before_it_starts_saves_nothing(course, consultant_odense):
    errors = _errors(
        lambda: episode_record(
            course=course,
            recorded_by=consultant_odense,
            type_code="education",
            started_on=days_ago(5),
            ended_on=days_ago(6),
            end_reason="completed",
        )
    )
    assert errors["ended_on"] == [
        f"Forløbet kan ikke slutte, før det starter ({day_text(days_ago(5))})."
    ]
    assert not Episode.objects.exists()


def test_a_start_in_the_future_is_one_error_on_the_start_not_on_the_end(course, consultant_odense):
    errors = _errors(
        lambda: episode_record(
            course=course,
            recorded_by=consultant_odense,
            type_code="education",
            started_on=days_ago(-10),
            ended_on=days_ago(2),
            end_reason="completed",
        )
    )
    assert set(errors) == {"started_on"}
    assert not Episode.objects.exists()


def test_an_unknown_code_saves_nothing(course, consultant_odense):
    errors = _errors(
        lambda: episode_record(
            course=course,
            recorded_by=consultant_odense,
            type_code="job_af_en_art",
            started_on=days_ago(5),
        )
    )
    assert errors["type"] == ["Ukendt type job eller uddannelse: job_af_en_art."]
    assert not Episode.objects.exists()


def test_a_code_no_longer_valid_cannot_start_a_new_episode_but_old_ones_stay_readable(
    course, consultant_odense
):
    revalidation = EpisodeType.objects.get(code="revalidation")
    episode = episode_record(
        course=course,
        recorded_by=consultant_odense,
        type_code="revalidation",
        started_on=days_ago(20),
    )
    EpisodeType.objects.filter(pk=revalidation.pk).update(valid_to=days_ago(10))
    errors = _errors(
        lambda: episode_record(
            course=course,
            recorded_by=consultant_odense,
            type_code="revalidation",
            started_on=days_ago(3),
        )
    )
    assert "koden gælder ikke på den dato" in errors["type"][0]
    episode.refresh_from_db()
    assert episode.type.name == "Revalidering"


def test_ending_an_episode_checks_the_dates(course, consultant_odense):
    episode = episode_record(
        course=course,
        recorded_by=consultant_odense,
        type_code="ordinary_employment",
        started_on=days_ago(10),
    )
    errors = _errors(
        lambda: episode_end(
            episode=episode,
            ended_on=days_ago(11),
            end_reason="resigned",
            recorded_by=consultant_odense,
        )
    )
    assert "ended_on" in errors
    episode_end(
        episode=episode, ended_on=days_ago(1), end_reason="resigned", recorded_by=consultant_odense
    )
    episode.refresh_from_db()
    assert (episode.ended_on, episode.end_reason) == (days_ago(1), "resigned")


def test_a_contact_with_an_employer_before_any_job_is_an_employer_contact(
    course, consultant_odense
):
    errors = _errors(
        lambda: support_contact_record(
            course=course,
            recorded_by=consultant_odense,
            contacted_on=days_ago(1),
            with_whom="employer",
            mode="phone",
        )
    )
    assert "arbejdsgiverkontakter" in errors["with_whom"][0]
    assert not SupportContact.objects.exists()


def test_a_course_cannot_end_before_it_starts_and_nothing_changes(course, consultant_odense):
    errors = _errors(
        lambda: course_end(
            course=course, ended_on=days_ago(41), reason="moved", ended_by=consultant_odense
        )
    )
    assert "ended_on" in errors
    course.refresh_from_db()
    assert (course.ended_on, course.phase) == (None, "engagement")


def test_an_ended_course_takes_no_more_records(course, consultant_odense):
    course_end(course=course, ended_on=days_ago(1), reason="sustained", ended_by=consultant_odense)
    course.refresh_from_db()
    assert (course.phase, course.end_reason) == ("ended", "sustained")
    errors = _errors(
        lambda: career_profile_update(
            course=course, written_by=consultant_odense, preferred_work="Lager"
        )
    )
    assert "kan ikke længere ændres" in errors["__all__"][0]
    assert not CareerProfile.objects.exists()
    with pytest.raises(ValidationError):
        course_change_phase(course=course, phase="job_search", changed_by=consultant_odense)


def test_a_missed_appointment_is_kept_but_is_no_contact(course, consultant_odense):
    from cases.selectors import caseload_for_consultant

    assert _errors(
        lambda: support_contact_record(
            course=course,
            recorded_by=consultant_odense,
            contacted_on=days_ago(1),
            with_whom="citizen",
            mode="written",
            citizen_did_not_come=True,
        )
    ) == {
        "citizen_did_not_come": [
            "En skriftlig kontakt kan ikke udeblives; vælg, hvordan mødet skulle foregå."
        ]
    }
    assert not SupportContact.objects.exists()

    support_contact_record(
        course=course,
        recorded_by=consultant_odense,
        contacted_on=days_ago(20),
        with_whom="citizen",
        mode="in_person",
    )
    missed = support_contact_record(
        course=course,
        recorded_by=consultant_odense,
        contacted_on=days_ago(2),
        with_whom="citizen",
        mode="in_person",
        note="Ringede bagefter; ny tid aftalt.",
        citizen_did_not_come=True,
    )
    assert missed.citizen_did_not_come
    assert course.citizen.timeline.filter(summary__startswith="Borgeren mødte ikke op").exists()

    # The last contact is the one 20 days ago: the caseload flags the course.
    (row,) = caseload_for_consultant(consultant=consultant_odense)
    assert row.days_since_last_contact == 20
    assert "Ingen kontakt i mere end 14 dage" in row.flags
