"""Treatment beside IPS: psychiatry's periods of treatment, the share of a course's days in
treatment on the course page (under consent only) and on the dashboard."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases.models import Course, TreatmentPeriod
from cases.services import treatment_period_end, treatment_period_start
from cases.treatment import days_in_treatment
from ipsportal.audit.models import AccessLogEntry
from reporting.snapshots import snapshot_compute
from tests.cases.conftest import days_ago
from tests.clients import StaffClient
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def test_days_in_treatment_counts_each_day_of_the_course_once():
    start, end = D(2026, 3, 1), D(2026, 3, 31)
    assert days_in_treatment([], start=start, end=end) == 0
    assert days_in_treatment([(D(2026, 3, 10), D(2026, 3, 19))], start=start, end=end) == 10
    # Clipped to the course, an open period runs to its end.
    assert days_in_treatment([(D(2026, 2, 1), None)], start=start, end=end) == 31
    assert days_in_treatment([(D(2026, 2, 1), D(2026, 3, 1))], start=start, end=end) == 1
    assert days_in_treatment([(D(2026, 4, 1), None)], start=start, end=end) == 0
    # Two units at once (two organisations) count a shared day once.
    overlapping = [(D(2026, 3, 1), D(2026, 3, 10)), (D(2026, 3, 5), D(2026, 3, 20))]
    assert days_in_treatment(overlapping, start=start, end=end) == 20
    inside = [(D(2026, 3, 1), D(2026, 3, 20)), (D(2026, 3, 5), D(2026, 3, 6))]
    assert days_in_treatment(inside, start=start, end=end) == 20


def test_a_clinician_records_periods_and_bad_input_changes_nothing(
    citizen_of_att, clinician_att, treatment_team_att, jobcenter_odense
):
    def start(**changes):
        values = {
            "citizen": citizen_of_att,
            "unit": treatment_team_att,
            "started_on": days_ago(60),
            "recorded_by": clinician_att,
        }
        return treatment_period_start(**(values | changes))

    job_centre_unit = UnitFactory(organisation=jobcenter_odense, name="IPS")
    for changes, field, message in [
        ({"unit": job_centre_unit}, "unit", "Borgeren er ikke patient i Jobcenter Odense."),
        ({"started_on": days_ago(-1)}, "started_on", "Datoen kan ikke ligge i fremtiden."),
        (
            {"ended_on": days_ago(61)},
            "ended_on",
            "Behandlingen kan ikke slutte, før den startede",
        ),
    ]:
        with pytest.raises(ValidationError) as refused:
            start(**changes)
        assert refused.value.message_dict[field][0].startswith(message)
    assert not TreatmentPeriod.objects.exists()

    earlier = start(started_on=days_ago(200), ended_on=days_ago(150))
    current = start()
    with pytest.raises(ValidationError) as refused:
        start(started_on=days_ago(10))
    assert refused.value.message_dict["started_on"][0].startswith(
        "Perioden overlapper behandlingen i Behandlerteamet fra "
    )
    with pytest.raises(ValidationError) as refused:
        treatment_period_end(period=earlier, ended_on=days_ago(1))
    assert refused.value.message_dict["ended_on"][0].startswith("Behandlingen sluttede allerede")
    treatment_period_end(period=current, ended_on=days_ago(5))
    current.refresh_from_db()
    assert current.ended_on == days_ago(5)
    assert TreatmentPeriod.objects.count() == 2


def test_the_course_shows_the_share_in_treatment_only_under_a_consent_covering_it(
    course_of_fatima, clinician_att, treatment_team_att, consultant_odense, give_consent
):
    Course.objects.filter(pk=course_of_fatima.pk).update(start_date=days_ago(99))
    treatment_period_start(
        citizen=course_of_fatima.citizen,
        unit=treatment_team_att,
        started_on=days_ago(200),
        ended_on=days_ago(50),
        recorded_by=clinician_att,
    )
    client = StaffClient()
    client.force_login(consultant_odense)
    url = f"/forloeb/{course_of_fatima.uuid}/"

    # The referral's consent covers the course, not the treatment.
    page = client.get(url)
    assert page.context["treatment_periods"] == []
    assert "Ingen behandlingsperioder, du må læse" in page.content.decode()

    give_consent(course_of_fatima.citizen, ["treatment_summary"])
    page = client.get(url)
    # Days 99 ago to 50 ago of the 100 days the course has run: 50 %.
    assert page.context["treatment_share"] == 0.5
    text = page.content.decode()
    assert "50,0 % af forløbets dage" in text and "Behandlerteamet" in text
    assert AccessLogEntry.objects.filter(
        user=consultant_odense, category="treatment_summary", basis="consent"
    ).exists()


def test_the_dashboard_reports_the_share_of_course_days_in_treatment(
    course_of_fatima, clinician_att, treatment_team_att, manager_odense
):
    Course.objects.filter(pk=course_of_fatima.pk).update(start_date=days_ago(99))
    treatment_period_start(
        citizen=course_of_fatima.citizen,
        unit=treatment_team_att,
        started_on=days_ago(24),
        recorded_by=clinician_att,
    )
    snapshot_compute(timezone.localdate())
    client = StaffClient()
    client.force_login(manager_odense)
    page = client.get("/rapporter/")
    treatment = page.context["measures"]["treatment"]
    assert treatment == {"courses": 1, "courses_with_treatment": 1.0, "share_of_days": 0.25}
    assert "Andel af forløbenes dage i psykiatrisk behandling" in page.content.decode()


def test_only_the_psychiatrys_clinicians_record_and_end_its_periods(
    course_of_fatima, clinician_att, treatment_team_att, consultant_odense, give_consent
):
    give_consent(course_of_fatima.citizen, ["treatment_summary"])
    period = treatment_period_start(
        citizen=course_of_fatima.citizen,
        unit=treatment_team_att,
        started_on=days_ago(20),
        recorded_by=clinician_att,
    )
    citizen_url = f"/borgere/{course_of_fatima.citizen.uuid}/behandling/"
    consultant = StaffClient()
    consultant.force_login(consultant_odense)
    # The job centre reads the period under the consent but does not record or end it.
    assert consultant.get(citizen_url + "ny/").status_code == 404
    assert consultant.get(f"{citizen_url}{period.uuid}/afslut/").status_code == 404
    clinician = StaffClient()
    clinician.force_login(clinician_att)
    assert clinician.get(citizen_url + "ny/").status_code == 200
    page = clinician.get(f"/borgere/{course_of_fatima.citizen.uuid}/")
    assert 'Afslut<span class="visually-hidden"> behandlingen i Behandlerteamet' in (
        page.content.decode()
    )
