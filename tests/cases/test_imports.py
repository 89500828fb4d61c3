"""Importing the projects' spreadsheets: every bad row reported by line, nothing saved then,
no duplicates on a second import, and imported courses are ordinary courses."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cases.models import Course, Episode, FollowUp
from cases.services.imports import COURSE_COLUMNS, courses_import, episodes_import
from ipsportal.accounts.models import Organisation
from ipsportal.citizens.models import Citizen

pytestmark = pytest.mark.django_db

COURSES = (
    ",".join(COURSE_COLUMNS)
    + "\n010165-1236,Fatima,Haddad,Jobcenter Odense,"
    + "Afdeling for Traume- og Torturoverlevende (ATT),,2023-08-01,2023-08-31,2024-06-30,"
    + "flygtning-ptsd\n"
    + "0202901235,Omar,Saleh,Jobcenter Vejle,Lokalpsykiatri Vejle,Ida Holm,"
    + "2024-02-01,2024-02-29,,ung-18-29\n"
)

EPISODES = """cpr,type,start_date,end_date
0101651236,ordinary_employment,2024-03-01,
0202901235,flexjob,2024-05-01,2024-12-31
"""


def test_courses_and_episodes_import_as_ordinary_courses(tmp_path):
    result = courses_import(COURSES)
    assert (result.created, result.errors) == (2, [])
    fatima = Citizen.objects.with_cpr("0101651236").get()
    course = Course.objects.get(citizen=fatima)
    assert course.organisation.name == "Jobcenter Odense"
    assert course.referring_organisation.kind == "psychiatry"
    assert (str(course.start_date), str(course.ended_on), course.phase) == (
        "2023-08-31",
        "2024-06-30",
        "ended",
    )
    assert course.target_group.code == "flygtning-ptsd"
    assert set(course.follow_ups.values_list("kind", flat=True)) == {"m6", "m12", "m18", "end4"}
    omar_course = Course.objects.get(citizen__given_name="Omar")
    assert omar_course.consultant is None and omar_course.consultant_name == "Ida Holm"
    assert Organisation.objects.filter(name="Jobcenter Vejle", kind="municipality").exists()

    assert episodes_import(EPISODES).created == 2
    assert Episode.objects.get(citizen=fatima).course == course


def test_importing_the_same_files_twice_creates_no_duplicates():
    courses_import(COURSES)
    episodes_import(EPISODES)
    counts = (
        Citizen.objects.count(),
        Course.objects.count(),
        Episode.objects.count(),
        FollowUp.objects.count(),
    )
    again = courses_import(COURSES)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert episodes_import(EPISODES).unchanged == 2
    assert (
        Citizen.objects.count(),
        Course.objects.count(),
        Episode.objects.count(),
        FollowUp.objects.count(),
    ) == counts
    # A later export with an end date updates the course instead of adding one.
    ended = COURSES.replace("2024-02-29,,ung-18-29", "2024-02-29,2025-01-31,ung-18-29")
    assert courses_import(ended).updated == 1
    assert Course.objects.get(citizen__given_name="Omar").phase == "ended"


def test_a_projects_own_target_group_is_added_to_the_list():
    own = COURSES.replace(",ung-18-29", ",Unge med angst")
    assert courses_import(own).ok
    course = Course.objects.get(citizen__given_name="Omar")
    assert (course.target_group.code, course.target_group.name) == (
        "unge-med-angst",
        "Unge med angst",
    )
    assert courses_import(own).unchanged == 2


def test_every_bad_row_is_reported_with_its_line_and_nothing_is_saved():
    bad = (
        COURSES
        + "1234,Ali,Hassan,Jobcenter Odense,ATT,,2024-01-01,2024-01-10,,\n"
        + "0303851233,Sara,Nielsen,Jobcenter Odense,ATT,,2024-01-10,2024-01-01,,\n"
        + "0303851233,Sara,Nielsen,Jobcenter Odense,ATT,,2024-01-01,2024-13-01,,\n"
        + "0404751234,,Berg,Jobcenter Odense,ATT,,2024-01-01,2024-01-05,,\n"
        + "010165-1236,Fatima,Haddad,Jobcenter Odense,ATT,,2023-08-01,2023-08-31,,\n"
    )
    result = courses_import(bad)
    assert [line for line, _message in result.errors] == [4, 5, 6, 7, 8]
    messages = dict(result.errors)
    assert "10 cifre" in messages[4]
    assert "start_date" in messages[5] and "referral_date" in messages[5]
    assert "YYYY-MM-DD" in messages[6]
    assert "given_name er tom" in messages[7]
    assert "linje 2" in messages[8]
    assert not Citizen.objects.exists() and not Course.objects.exists()
    assert not Organisation.objects.filter(name="Jobcenter Vejle").exists()


def test_a_missing_column_or_an_unknown_citizen_or_type_is_refused():
    assert courses_import("cpr,given_name\n0101651236,Fatima\n").errors[0][0] == 1
    result = episodes_import(
        "cpr,type,start_date,end_date\n0101651236,ordinary_employment,2024-01-01,\n"
    )
    assert "importér forløbene først" in result.errors[0][1]
    courses_import(COURSES)
    result = episodes_import(
        "cpr,type,start_date,end_date\n"
        "0101651236,lottery,2024-01-01,\n"
        "0101651236,revalidation,2027-03-01,\n"
    )
    assert [line for line, _m in result.errors] == [2, 3]
    assert not Episode.objects.exists()


def test_the_commands_check_with_dry_run_and_fail_on_bad_rows(tmp_path, capsys):
    courses = tmp_path / "courses.csv"
    courses.write_text(COURSES, encoding="utf-8")
    call_command("import_courses", str(courses), "--dry-run")
    assert not Course.objects.exists()
    call_command("import_courses", str(courses))
    assert Course.objects.count() == 2
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "cpr,type,start_date,end_date\n0101651236,ordinary_employment,01-02-2024,\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match="nothing from"):
        call_command("import_episodes", str(bad))
    assert "line 2:" in capsys.readouterr().err


def test_a_known_citizen_is_linked_not_changed_and_an_ended_link_stays_ended():
    from ipsportal.citizens.models import Affiliation, ContactDetails
    from ipsportal.citizens.services import citizen_register

    odense = Organisation.objects.create(
        name="Jobcenter Odense", kind="municipality", municipality="Odense"
    )
    known = citizen_register(
        organisation=odense,
        cpr="0101651236",
        given_name="Fatima",
        family_name="Haddad-Nielsen",
        phone="20304050",
    )
    Affiliation.objects.filter(citizen=known, organisation=odense).update(
        started_on="2024-01-01", ended_on="2025-01-31", end_reason="other"
    )

    assert courses_import(COURSES).created == 2

    known.refresh_from_db()
    assert (Citizen.objects.with_cpr("0101651236").get(), known.family_name) == (
        known,
        "Haddad-Nielsen",
    )
    assert ContactDetails.objects.get(citizen=known, organisation=odense).phone == "20304050"
    ended = Affiliation.objects.get(citizen=known, organisation=odense)
    assert str(ended.ended_on) == "2025-01-31"
    psychiatry = Affiliation.objects.get(citizen=known, organisation__kind="psychiatry")
    assert psychiatry.ended_on is None
