"""What the citizen lived on when the course started (a dated code list) and the benefits
counselling they were given: what, when and by whom."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from cases.models import BenefitsCounselling, BenefitType, TimelineEvent
from cases.services import benefits_counselling_record, course_benefit_at_start_set
from tests.cases.conftest import days_ago
from tests.clients import StaffClient

pytestmark = pytest.mark.django_db


def test_the_standard_benefits_are_there_after_migrate_and_the_law_can_close_one():
    names = set(BenefitType.objects.values_list("name", flat=True))
    assert {"Kontanthjælp", "Sygedagpenge", "Ressourceforløbsydelse", "Førtidspension"} <= names
    revalidation = BenefitType.objects.get(code="revalidation_benefit")
    assert revalidation.valid_to == datetime.date(2026, 12, 31)
    assert not revalidation.is_valid_on(datetime.date(2027, 1, 1))
    assert (
        not BenefitType.objects.valid_on(datetime.date(2027, 1, 1))
        .filter(pk=revalidation.pk)
        .exists()
    )


def test_the_benefit_at_the_start_must_have_been_in_force_on_the_start_date(
    course, consultant_odense
):
    cash = BenefitType.objects.get(code="cash_benefit")
    newer = BenefitType.objects.create(
        code="ny-kontanthjaelp", name="Ny kontanthjælp", valid_from=days_ago(10)
    )
    with pytest.raises(ValidationError) as refused:
        course_benefit_at_start_set(course=course, benefit=newer, recorded_by=consultant_odense)
    assert refused.value.message_dict["benefit"][0].startswith("Ny kontanthjælp gjaldt ikke den ")
    course.refresh_from_db()
    assert course.benefit_at_start is None

    course_benefit_at_start_set(course=course, benefit=cash, recorded_by=consultant_odense)
    course.refresh_from_db()
    assert course.benefit_at_start == cash
    assert TimelineEvent.objects.get(kind="benefit_at_start").summary == "Kontanthjælp"
    # The same benefit again records nothing new.
    course_benefit_at_start_set(course=course, benefit=cash, recorded_by=consultant_odense)
    assert TimelineEvent.objects.filter(kind="benefit_at_start").count() == 1


def test_benefits_counselling_records_what_was_advised_and_bad_input_changes_nothing(
    course, consultant_odense
):
    def record(**changes):
        values = {
            "course": course,
            "counselled_on": days_ago(5),
            "advice": "15 timer om ugen modregnes i kontanthjælpen; send lønsedlen hver måned.",
            "given_by": "Ydelseskontoret",
            "recorded_by": consultant_odense,
        }
        return benefits_counselling_record(**(values | changes))

    for changes, field, message in [
        ({"advice": "  "}, "advice", "Skriv, hvad borgeren blev rådgivet om."),
        ({"counselled_on": days_ago(-1)}, "counselled_on", "Datoen kan ikke ligge i fremtiden."),
        ({"counselled_on": days_ago(41)}, "counselled_on", "Datoen kan ikke ligge før"),
    ]:
        with pytest.raises(ValidationError) as refused:
            record(**changes)
        assert refused.value.message_dict[field][0].startswith(message)
    assert not BenefitsCounselling.objects.exists()

    record()
    record(counselled_on=days_ago(1), advice="Fleksjob drøftet", given_by="")
    assert [c.given_by for c in course.benefits_counselling.all()] == ["Ydelseskontoret", ""]
    assert TimelineEvent.objects.filter(kind="benefits_counselling").count() == 2


def test_the_course_page_shows_the_benefit_and_the_counselling(course, consultant_odense):
    course_benefit_at_start_set(
        course=course,
        benefit=BenefitType.objects.get(code="sickness_benefit"),
        recorded_by=consultant_odense,
    )
    benefits_counselling_record(
        course=course,
        counselled_on=days_ago(3),
        advice="Sygedagpengene bevares ved gradvis tilbagevenden.",
        recorded_by=consultant_odense,
    )
    client = StaffClient()
    client.force_login(consultant_odense)
    page = client.get(f"/forloeb/{course.uuid}/").content.decode()
    assert "Sygedagpenge" in page
    assert "1 gang, senest den" in page
    assert "Sygedagpengene bevares ved gradvis tilbagevenden." in page


@pytest.mark.django_db(transaction=True)
def test_a_counselling_date_recorded_before_the_advice_was_kept_becomes_a_record(course):
    """The migration keeps each course's old "offered on" date as a record without advice."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = [("cases", "0011_target_group_changes")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        old_apps = executor.loader.project_state(before).apps
        old_apps.get_model("cases", "Course").objects.filter(pk=course.pk).update(
            benefits_counselling_offered_on=days_ago(30)
        )
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    (kept,) = BenefitsCounselling.objects.all()
    assert (kept.course_id, kept.counselled_on, kept.advice) == (course.pk, days_ago(30), "")
