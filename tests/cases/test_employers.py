"""Employers as the job centre's records: found or made when a contact is recorded, a page for
each with the people there, what the contacts led to and the consultants who know them."""

import pytest
from django.utils import timezone

from cases.models import Employer, EmployerContactPerson
from cases.services import employer_contact_record
from tests.clients import StaffClient
from tests.factories import CourseFactory

pytestmark = pytest.mark.django_db


def _contact(course, name, *, cvr="", outcome="interested", face_to_face=True):
    return employer_contact_record(
        course=course,
        recorded_by=course.consultant,
        contacted_on=timezone.localdate(),
        employer_name=name,
        cvr=cvr,
        outcome=outcome,
        face_to_face=face_to_face,
    )


def test_contacts_find_the_same_employer_by_cvr_or_name_within_the_job_centre(
    course_of_fatima, jobcenter_vejle, stranger
):
    first = _contact(course_of_fatima, "Dansk Cater")
    again = _contact(course_of_fatima, "dansk cater ")
    assert first.employer == again.employer
    # The CVR number given later is kept on the employer, and the spelling follows it.
    with_cvr = _contact(course_of_fatima, "Dansk Cater", cvr="13 58 56 28")
    assert with_cvr.employer == first.employer
    assert Employer.objects.get(pk=first.employer.pk).cvr == "13585628"
    by_cvr = _contact(course_of_fatima, "Dansk Cater A/S (Odense)", cvr="13585628")
    assert by_cvr.employer == first.employer and by_cvr.employer_name == "Dansk Cater"
    # Another job centre keeps its own record of the same employer.
    vejle = _contact(
        CourseFactory(referral__to_organisation=jobcenter_vejle, consultant=stranger),
        "Dansk Cater",
        cvr="13585628",
    )
    assert vejle.employer != first.employer
    assert Employer.objects.count() == 2


def test_the_employer_page_shows_people_outcomes_and_consultants_and_no_citizen(
    course_of_fatima, consultant_odense, clinician_att, manager_odense, stranger
):
    from cases.services import episode_record

    _contact(course_of_fatima, "Dansk Cater", outcome="job_offer")
    _contact(course_of_fatima, "Dansk Cater", outcome="interview", face_to_face=False)
    employer = Employer.objects.get()
    # The job started there points at the employer record.
    job = episode_record(
        course=course_of_fatima,
        recorded_by=consultant_odense,
        type_code="ordinary_employment",
        workplace="DANSK CATER",
        started_on=timezone.localdate(),
        hours_per_week=15,
    )
    assert job.employer == employer
    client = StaffClient()
    client.force_login(consultant_odense)

    listing = client.get("/arbejdsgivere/").content.decode()
    assert "Dansk Cater" in listing
    page = client.get(f"/arbejdsgivere/{employer.uuid}/")
    text = page.content.decode()
    assert "2 kontakter, 1 ansigt til ansigt" in text
    assert "Mette Sørensen: 2 kontakter, senest den" in text
    assert dict(page.context["outcomes"])["Job eller uddannelsesplads tilbudt"] == 1
    assert "Ordinær beskæftigelse: " in text and "(15,0 timer om ugen)" in text
    assert course_of_fatima.citizen.family_name not in text

    # Bad input changes nothing; a good person is added.
    url = f"/arbejdsgivere/{employer.uuid}/kontaktpersoner/ny/"
    form = client.get(url).context["form"]
    token = form["submission_token"].value()
    bad = client.post(
        url, {"name": "Lars Holm", "email": "ikke-en-adresse", "submission_token": token}
    )
    assert bad.status_code == 200 and not EmployerContactPerson.objects.exists()
    client.post(url, {"name": "Lars Holm", "title": "Køkkenchef", "submission_token": token})
    assert EmployerContactPerson.objects.get().title == "Køkkenchef"

    # Not the job centre's IPS staff: as if the employer did not exist.
    for user in (clinician_att, manager_odense, stranger):
        other = StaffClient()
        other.force_login(user)
        assert other.get(f"/arbejdsgivere/{employer.uuid}/").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_the_contacts_recorded_before_employers_existed_become_employers(course_of_fatima):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    _contact(course_of_fatima, "Netto")
    _contact(course_of_fatima, "NETTO")
    _contact(course_of_fatima, "Dansk Cater", cvr="13585628")
    before = [("cases", "0014_conference_decision_event_kind")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    employers = sorted(Employer.objects.values_list("name", "cvr"))
    assert employers == [("Dansk Cater", "13585628"), ("Netto", "")]
    assert not course_of_fatima.employer_contacts.filter(employer__isnull=True).exists()
