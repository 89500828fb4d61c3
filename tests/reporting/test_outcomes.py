"""The outcome engine on an imported cohort with known answers: outcome_report, the snapshot
computed by a real worker, and the dashboard showing the same numbers."""

import csv
import datetime
import io
import json
import re
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.formats import date_format

from cases.services import course_end, course_evaluation_give
from cases.services.imports import COURSE_COLUMNS, courses_import, episodes_import
from reporting.models import OutcomeSnapshot
from reporting.snapshots import snapshot_compute
from tests.clients import StaffClient
from tests.factories import UserFactory
from tests.meetings.conftest import meeting_held

AS_OF = datetime.date(2026, 6, 30)
HEADER = ",".join(COURSE_COLUMNS) + "\n"


def _cpr(number: int) -> str:
    from ipsportal.citizens.cpr import cpr_make

    return cpr_make(datetime.date(1980, 1, 1) + datetime.timedelta(days=number), number)


def _cohort() -> None:
    """Odense: 25 eligible courses, 20 with ordinary work in the window (80 %: above 59.9 %).
    Vejle: 10 eligible, 3 succeeded (too few). Plus 5 provisional courses in Vejle, one of which
    has a flexjob only; two Odense courses ended in work: one still in work 4 months on."""
    courses, episodes = [HEADER], ["cpr,type,start_date,end_date\n"]
    for number in range(25):
        cpr = _cpr(number)
        end = "2024-03-31" if number < 2 else ""
        courses.append(
            f"{cpr},Borger,{number},Jobcenter Odense,ATT,,2023-12-01,2024-01-02,{end},"
            "flygtning-ptsd\n"
        )
        if number < 20:
            episodes.append(
                f"{cpr},ordinary_employment,2024-02-01,{'2024-06-01' if number == 1 else ''}\n"
            )
    for number in range(25, 35):
        cpr = _cpr(number)
        courses.append(
            f"{cpr},Borger,{number},Jobcenter Vejle,Lokalpsykiatri Vejle,,2023-10-01,2023-11-15,,"
            + "ung-18-29\n"
        )
        if number < 28:
            episodes.append(f"{cpr},education,2024-08-15,\n")
        else:
            episodes.append(f"{cpr},flexjob,2024-03-01,\n")
    for number in range(35, 40):
        cpr = _cpr(number)
        courses.append(
            f"{cpr},Borger,{number},Jobcenter Vejle,Lokalpsykiatri Vejle,,2025-11-01,2026-01-05,,\n"
        )
    episodes.append(f"{_cpr(35)},flexjob,2026-02-01,\n")
    assert courses_import("".join(courses)).ok
    assert episodes_import("".join(episodes)).ok


def _report(as_of: datetime.date = AS_OF) -> dict:
    from io import StringIO

    out = StringIO()
    call_command("outcome_report", "--as-of", as_of.isoformat(), "--format", "json", stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.django_db
def test_outcome_report_gives_rates_intervals_and_verdicts_for_a_known_cohort():
    _cohort()
    report = _report()
    assert report["as_of"] == "2026-06-30"
    odense = report["by_municipality"]["Jobcenter Odense"]
    assert (odense["eligible"], odense["succeeded"], odense["verdict"]) == (25, 20, "above")
    assert odense["rate"] == pytest.approx(0.8)
    assert odense["ci_low"] == pytest.approx(0.6087, abs=1e-4)
    assert odense["ci_high"] == pytest.approx(0.9114, abs=1e-4)
    vejle = report["by_municipality"]["Jobcenter Vejle"]
    assert (vejle["eligible"], vejle["succeeded"], vejle["verdict"]) == (10, 3, "too_few")
    overall = report["overall"]
    assert (overall["eligible"], overall["succeeded"], overall["verdict"]) == (35, 23, "on_par")
    assert report["provisional_overall"] == {"courses": 5, "succeeded_so_far": 0}
    assert report["graded_attachment_overall"]["graded"] == 7
    # Two Odense courses ended in work; one citizen's job ended 2024-06-01, before 4 months on.
    assert report["retention_4m"]["Jobcenter Odense"] == {
        "eligible": 2,
        "succeeded": 1,
        "rate": 0.5,
        "ci_low": pytest.approx(0.0945, abs=1e-4),
        "ci_high": pytest.approx(0.9055, abs=1e-4),
        "verdict": "too_few",
    }
    assert report["retention_4m_overall"]["eligible"] == 2
    assert report["eligible_without_follow_up_answer"] == 35


@pytest.mark.django_db
def test_the_report_as_csv_and_table(capsys):
    _cohort()
    call_command("outcome_report", "--as-of", AS_OF.isoformat(), "--format", "csv")
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "measure,group,eligible,succeeded,rate,ci_low,ci_high,verdict"
    assert lines[1].startswith("success,overall,35,23,")
    call_command("outcome_report", "--as-of", AS_OF.isoformat(), "--format", "table")
    assert "Jobcenter Odense" in capsys.readouterr().out


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_computes_the_snapshot_the_dashboard_shows():
    from ipsportal.celery import app
    from reporting.tasks import outcomes_recompute_task

    _cohort()
    with app.connection_for_write() as broker:
        broker.default_channel.queue_purge("heavy")
    with start_worker(
        app, perform_ping_check=False, pool="solo", shutdown_timeout=10, queues=["heavy"]
    ):
        outcomes_recompute_task.delay(AS_OF.isoformat())
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not OutcomeSnapshot.objects.exists():
            time.sleep(0.2)
    snapshot = OutcomeSnapshot.objects.get()
    assert snapshot.as_of == AS_OF

    manager = UserFactory(memberships__roles=["manager"])
    client = StaffClient()
    client.force_login(manager)
    page = client.get("/rapporter/?by=municipality")
    shown = {group.label: group.success.as_dict() for group in page.context["breakdown"].groups}
    assert shown == _report()["by_municipality"]
    assert page.context["overall"].success.as_dict() == _report()["overall"]
    # Recomputing the same date replaces the snapshot; it never adds one.
    snapshot_compute(AS_OF)
    assert OutcomeSnapshot.objects.count() == 1


@pytest.mark.django_db
def test_the_dashboard_filters_exports_and_uses_a_fixed_number_of_queries():
    _cohort()
    snapshot_compute(AS_OF)
    client = StaffClient()
    client.force_login(UserFactory(memberships__roles=["manager"]))
    vejle = client.get("/rapporter/").context["choices"]["organisations"]
    vejle_key = next(key for key, name in vejle if name == "Jobcenter Vejle")
    filtered = client.get(f"/rapporter/?organisation={vejle_key}").context["overall"]
    assert (filtered.success.eligible, filtered.success.succeeded) == (10, 3)
    young = client.get("/rapporter/?target_group=ung-18-29").context["overall"]
    assert young.success.eligible == 10
    # The other measures follow the filters too.
    everyone = client.get("/rapporter/").context["measures"]
    assert everyone["competitive_employment"][-1] | {"band": None} == {
        "quarter": "2026-Q2",
        "served": 38,
        "worked": 18,
        "rate": 18 / 38,
        "band": None,
    }
    in_vejle = client.get(f"/rapporter/?organisation={vejle_key}").context["measures"]
    assert (
        in_vejle["competitive_employment"][-1]["served"],
        in_vejle["competitive_employment"][-1]["worked"],
    ) == (15, 0)
    assert in_vejle["referral_to_start_days"] == {"courses": 15, "mean": 51.7}
    assert everyone["referral_to_start_days"]["courses"] == 40
    export = client.get(f"/rapporter/eksport.csv?organisation={vejle_key}")
    text = export.content.decode("utf-8-sig")
    assert "Jobcenter Vejle" in text and "Jobcenter Odense" not in text
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    rate_column = rows[0].index("Andel")
    assert all(re.fullmatch(r"\d+,\d%|", row[rate_column]) for row in rows[1:])
    # A course without a psychiatry unit or target group is "not recorded", never "'-".
    assert not any(cell.startswith("'") for row in rows for cell in row)

    cache.clear()  # measure the computing path, not a cache hit
    with CaptureQueriesContext(connection) as small:
        client.get("/rapporter/")
    _more_courses()
    snapshot_compute(AS_OF)
    cache.clear()
    with CaptureQueriesContext(connection) as large:
        client.get("/rapporter/")
    assert len(large) == len(small)
    with CaptureQueriesContext(connection) as cached:
        assert client.get("/rapporter/").context["overall"].success.eligible == 75
    assert len(cached) == len(large) - 1  # the cells are not read again


@pytest.mark.django_db(transaction=True)
def test_after_a_recomputation_the_dashboard_shows_the_earlier_figures_until_a_worker_has_summed():
    """Summing a region's snapshot takes about a second, so no page request does it while the
    view has figures: it shows the earlier ones, says newer are coming, and a worker sums."""
    from ipsportal.celery import app

    _cohort()
    snapshot_compute(AS_OF)
    cache.clear()
    client = StaffClient()
    client.force_login(UserFactory(memberships__roles=["manager"]))
    first = client.get("/rapporter/")  # nothing earlier to show: the request sums
    assert first.context["overall"].success.eligible == 35
    assert not first.context["newer_coming"]

    _more_courses()
    snapshot_compute(AS_OF)
    with app.connection_for_write() as broker:
        broker.default_channel.queue_purge("heavy")
    with CaptureQueriesContext(connection) as queries:
        waiting = client.get("/rapporter/")
    assert waiting.context["overall"].success.eligible == 35
    assert "af 35 forløb, hvis 18 måneder er gået" in waiting.content.decode()
    assert waiting.context["newer_coming"]
    assert "Nyere tal bliver beregnet" in waiting.content.decode()
    assert not any('"cells"' in query["sql"] for query in queries.captured_queries)
    assert client.get("/rapporter/").context["newer_coming"]  # asked once; still waiting

    with start_worker(
        app, perform_ping_check=False, pool="solo", shutdown_timeout=10, queues=["heavy"]
    ):
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and client.get("/rapporter/").context["newer_coming"]:
            time.sleep(0.2)
    summed = client.get("/rapporter/")
    assert not summed.context["newer_coming"]
    assert summed.context["overall"].success.eligible == 75
    # The page's figures, kept as written for the earlier snapshot, are written again for this.
    assert "af 75 forløb, hvis 18 måneder er gået" in summed.content.decode()


@pytest.mark.django_db
def test_the_figures_are_written_once_for_each_language_filters_and_query():
    _cohort()
    snapshot_compute(AS_OF)
    manager = UserFactory(memberships__roles=["manager"])
    first, second = StaffClient(), StaffClient()
    first.force_login(manager)
    second.force_login(UserFactory(memberships__roles=["manager"]))

    def figures_written(response) -> bool:
        return "figures" in [template.name for template in response.templates]  # the partial

    page = first.get("/rapporter/")
    assert figures_written(page) and "af 35 forløb, hvis 18 måneder er gået" in page.text
    again = second.get("/rapporter/")  # another reader of the same figures
    assert not figures_written(again) and "af 35 forløb, hvis 18 måneder er gået" in again.text

    vejle = next(k for k, name in page.context["choices"]["organisations"] if "Vejle" in name)
    filtered = first.get(f"/rapporter/?organisation={vejle}")
    assert figures_written(filtered) and "af 10 forløb, hvis 18 måneder er gået" in filtered.text
    first.post("/sprog/", {"language": "en", "next": "/rapporter/"})
    english = first.get("/rapporter/")
    assert figures_written(english)
    assert "of 35 courses whose 18 months have passed" in english.text

    # Whatever else the address says is left out of the page's links, and of what is kept.
    noise = first.get("/rapporter/?utm_source=nyhedsbrev")
    assert not figures_written(noise) and not re.search(r'href="[^"]*utm_source', noise.text)


@pytest.mark.django_db
def test_without_a_shared_cache_the_page_sums_the_new_snapshot_itself(settings):
    """The demo's cache lives in each process: figures a worker summed would never reach the
    page, so the page sums them."""
    settings.DASHBOARD_SUMMED_BY_WORKER = False
    _cohort()
    snapshot_compute(AS_OF)
    client = StaffClient()
    client.force_login(UserFactory(memberships__roles=["manager"]))
    assert client.get("/rapporter/").context["overall"].success.eligible == 35
    _more_courses()
    snapshot_compute(AS_OF)
    page = client.get("/rapporter/")
    assert page.context["overall"].success.eligible == 75
    assert not page.context["newer_coming"]


def _more_courses() -> None:
    rows = [HEADER] + [
        f"{_cpr(n)},Borger,{n},Jobcenter Kolding,ATT,,2023-01-01,2023-02-01,,\n"
        for n in range(50, 90)
    ]
    assert courses_import("".join(rows)).ok


@pytest.mark.django_db
def test_citizens_and_staff_without_a_manager_role_do_not_see_the_dashboard(consultant_odense):
    client = StaffClient()
    client.force_login(consultant_odense)
    assert client.get("/rapporter/").status_code == 404
    assert client.get("/rapporter/eksport.csv").status_code == 404


def _course_ended_and_answered(citizen, *, ended_by) -> None:
    """The citizen's course ends today, and the citizen answers its evaluation: involved and
    coherent 'mostly' or more, in charge not."""
    course = citizen.courses.get()
    course_end(
        course=course, ended_on=timezone.localdate(), reason="sustained", note="", ended_by=ended_by
    )
    course.refresh_from_db()
    course_evaluation_give(course=course, involved=4, ownership=3, coherent=5, comment="Godt")


@pytest.mark.django_db
def test_the_dashboard_shows_plans_and_the_citizens_evaluations(
    plan_of_fatima, consultant_odense, manager_odense
):
    """The continuity and experience measures are summed over organisations and quarters."""
    import datetime as dt

    from django.utils import timezone

    from cases.services import coordinator_assign
    from meetings import services as meeting_services

    coordinator_assign(
        citizen=plan_of_fatima.citizen, coordinator=consultant_odense, assigned_by=consultant_odense
    )
    series = meeting_services.series_create(
        kind="joint_team",
        title="Fælles Team",
        organisation=plan_of_fatima.organisation,
        lead=consultant_odense,
        first_date=timezone.localdate() + dt.timedelta(days=1),
        last_date=timezone.localdate() + dt.timedelta(days=1),
        start_time=dt.time(9, 0),
        interval=4,
        unit="weeks",
        place="Jobcentret",
    )
    case = meeting_services.agenda_citizen_add(
        occurrence=series.occurrences.get(),
        citizen=plan_of_fatima.citizen,
        added_by=consultant_odense,
    )
    meeting_held(case.occurrence)
    meeting_services.citizen_evaluation_record(
        case=case, involved=5, ownership=4, coherent=2, comment="", by=consultant_odense
    )
    # And at the end of the course, on the citizen's own pages: it counts too.
    _course_ended_and_answered(plan_of_fatima.citizen, ended_by=consultant_odense)
    snapshot_compute()
    client = StaffClient()
    client.force_login(manager_odense)
    page = client.get("/rapporter/")
    assert page.status_code == 200
    experience = page.context["measures"]["experience"]
    assert experience["involved"].eligible == 2 and experience["involved"].succeeded == 2
    assert experience["ownership"].succeeded == 1
    assert experience["coherent"].succeeded == 1


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_the_dashboard_reads_its_snapshot_from_the_read_replica_when_there_is_one(
    settings, manager_odense
):
    from django.db import connections

    _cohort()
    snapshot_compute(AS_OF)
    settings.DASHBOARD_DATABASE = "replica"
    cache.clear()
    client = StaffClient()
    client.force_login(manager_odense)
    with (
        CaptureQueriesContext(connections["replica"]) as replica,
        CaptureQueriesContext(connections["default"]) as primary,
    ):
        page = client.get("/rapporter/?organisation=all")
    assert page.status_code == 200
    assert page.context["overall"].success.as_dict() == _report()["overall"]
    assert any("reporting_outcomesnapshot" in query["sql"] for query in replica.captured_queries)
    assert not any("reporting_outcomesnapshot" in q["sql"] for q in primary.captured_queries)


@pytest.mark.django_db
def test_the_share_in_work_or_education_on_the_chosen_day_beside_the_18_month_rate(capsys):
    """Aalborg's goal: of the citizens in a course on the day, 60 % in job or education. On
    30 June 2026 the cohort has 38 open courses (two Odense courses ended in 2024); 18 Odense
    citizens are in ordinary employment and 3 Vejle citizens in education that day; a flexjob
    is not ordinary work."""
    _cohort()
    call_command("outcome_report", "--as-of", AS_OF.isoformat(), "--format", "json")
    report = json.loads(capsys.readouterr().out)
    assert report["in_work_on_the_day"] | {"ci_low": None, "ci_high": None} == {
        "eligible": 38,
        "succeeded": 21,
        "rate": 21 / 38,
        "ci_low": None,
        "ci_high": None,
        "verdict": "on_par",
    }
    # The day before any of it: nobody was in a course yet.
    call_command("outcome_report", "--as-of", "2023-01-01", "--format", "json")
    assert json.loads(capsys.readouterr().out)["in_work_on_the_day"]["eligible"] == 0

    snapshot_compute(AS_OF)
    client = StaffClient()
    client.force_login(UserFactory(memberships__roles=["manager"]))
    page = client.get("/rapporter/")
    on_the_day = page.context["measures"]["point_in_time"]
    assert (on_the_day.eligible, on_the_day.succeeded) == (38, 21)
    text = page.content.decode()
    assert "I ordinært job eller uddannelse den 30. juni 2026" in text
    assert "55,3 %" in text


@pytest.mark.django_db
def test_a_manager_sees_other_organisations_consultants_only_as_one_total(
    consultant_odense, stranger, manager_odense, jobcenter_odense, jobcenter_vejle
):
    from tests.factories import CourseFactory

    CourseFactory(referral__to_organisation=jobcenter_odense, consultant=consultant_odense)
    CourseFactory(referral__to_organisation=jobcenter_vejle, consultant=stranger)
    snapshot_compute(timezone.localdate())
    client = StaffClient()
    client.force_login(manager_odense)

    page = client.get("/rapporter/?by=consultant&organisation=all")
    labels = [group.label for group in page.context["breakdown"].groups]
    assert labels == ["Andre organisationers konsulenter, i alt", str(consultant_odense)]
    uses = [row["consultant"] for row in page.context["measures"]["caseload_use"]]
    assert uses == [str(consultant_odense), "Andre organisationers konsulenter, i alt"]
    text = page.content.decode()
    assert str(consultant_odense) in text
    assert "Jonas Poulsen" not in text
    export = client.get("/rapporter/eksport.csv?organisation=all").content.decode("utf-8-sig")
    assert "Jonas Poulsen" not in export and str(consultant_odense) in export


@pytest.mark.django_db
def test_a_managers_dashboard_opens_on_their_own_organisation_and_all_is_one_choice_away(
    consultant_odense, stranger, manager_odense, jobcenter_odense, jobcenter_vejle
):
    from tests.factories import CourseFactory

    CourseFactory(referral__to_organisation=jobcenter_odense, consultant=consultant_odense)
    CourseFactory.create_batch(2, referral__to_organisation=jobcenter_vejle, consultant=stranger)
    snapshot_compute(timezone.localdate())
    client = StaffClient()
    client.force_login(manager_odense)

    opened = client.get("/rapporter/")
    assert opened.context["filters"].organisation == str(jobcenter_odense.pk)
    assert opened.context["overall"].counts["courses"] == 1
    text = opened.content.decode()
    assert f'<option value="{jobcenter_odense.pk}" selected>Jobcenter Odense</option>' in text
    # The export link exports what the page shows.
    assert f"eksport.csv?organisation={jobcenter_odense.pk}" in text
    export = client.get(f"/rapporter/eksport.csv?organisation={jobcenter_odense.pk}")
    assert "Jobcenter Vejle" not in export.content.decode("utf-8-sig")

    everyone = client.get("/rapporter/?organisation=all")
    assert everyone.context["overall"].counts["courses"] == 3
    assert everyone.context["filters"].organisation == ""


@pytest.mark.django_db
def test_a_manager_whose_organisation_has_no_courses_opens_on_every_organisation(
    consultant_odense, jobcenter_odense, administrator
):
    from tests.factories import CourseFactory

    CourseFactory(referral__to_organisation=jobcenter_odense, consultant=consultant_odense)
    snapshot_compute(timezone.localdate())
    client = StaffClient()
    client.force_login(administrator)
    page = client.get("/rapporter/")
    assert page.context["filters"].organisation == ""
    assert page.context["overall"].counts["courses"] == 1


@pytest.mark.django_db
def test_the_steering_group_sees_every_organisation_and_no_consultant_by_name(
    consultant_odense, stranger, steering_group_member, jobcenter_odense, jobcenter_vejle
):
    from tests.factories import CourseFactory

    course = CourseFactory(referral__to_organisation=jobcenter_odense, consultant=consultant_odense)
    CourseFactory(referral__to_organisation=jobcenter_vejle, consultant=stranger)
    snapshot_compute(timezone.localdate())
    client = StaffClient()
    client.force_login(steering_group_member)

    page = client.get("/rapporter/?by=consultant")
    assert page.context["overall"].counts["courses"] == 2
    labels = [group.label for group in page.context["breakdown"].groups]
    assert labels == ["Alle konsulenter, i alt"]
    uses = [row["consultant"] for row in page.context["measures"]["caseload_use"]]
    assert uses == ["Alle konsulenter, i alt"]
    by_job_centre = client.get("/rapporter/?by=municipality").context["breakdown"].groups
    assert {group.label for group in by_job_centre} == {"Jobcenter Odense", "Jobcenter Vejle"}
    for shown in (
        page.content.decode(),
        client.get("/rapporter/eksport.csv").content.decode("utf-8-sig"),
    ):
        assert str(consultant_odense) not in shown and "Jonas Poulsen" not in shown

    # The fidelity reviews are read, not recorded; citizens are not theirs to see.
    reviews = client.get("/rapporter/fidelitet/")
    assert reviews.status_code == 200 and "Ny vurdering" not in reviews.content.decode()
    assert client.get("/rapporter/fidelitet/ny/").status_code == 404
    listing = client.get("/borgere/")
    assert list(listing.context["page"].object_list) == []
    assert course.citizen.full_name not in listing.content.decode()
    assert client.get(f"/borgere/{course.citizen.uuid}/").status_code == 404


@pytest.mark.django_db
def test_meetings_held_count_for_every_organisation_that_took_part_and_once_in_all(
    att,
    clinician_att,
    consultant_odense,
    stranger,
    manager_odense,
    jobcenter_odense,
    jobcenter_vejle,
):
    """A Fælles Team meeting that ATT leads is one of Jobcenter Odense's meetings held when
    its consultant came, not Jobcenter Vejle's when theirs stayed away."""
    from meetings.services import attendance_record, series_create
    from tests.factories import CourseFactory

    CourseFactory(referral__to_organisation=jobcenter_odense, consultant=consultant_odense)
    CourseFactory(referral__to_organisation=jobcenter_vejle, consultant=stranger)
    day = timezone.localdate() - datetime.timedelta(days=14)

    def held_meeting(*, kind, organisation, lead, came, stayed_away=()):
        series = series_create(
            kind=kind,
            title=f"{kind} i {organisation}",
            organisation=organisation,
            lead=lead,
            first_date=day,
            last_date=day,
            start_time=datetime.time(10, 0),
            interval=4,
            unit="weeks",
            participants=[(user, "Deltager") for user in [*came, *stayed_away]],
            place="Mødelokale 2",
        )
        occurrence = series.occurrences.get()
        attendance = {
            participant.pk: "absent" if participant.user in stayed_away else "in_person"
            for participant in occurrence.participants.all()
        }
        attendance_record(occurrence=occurrence, attendance=attendance, citizens={})
        return f"{timezone.localdate(occurrence.starts_at):%Y-%m}"

    month = held_meeting(
        kind="joint_team",
        organisation=att,
        lead=clinician_att,
        came=[clinician_att, consultant_odense],
        stayed_away=[stranger],
    )
    held_meeting(kind="supervision", organisation=jobcenter_vejle, lead=stranger, came=[stranger])
    snapshot_compute()
    client = StaffClient()
    client.force_login(manager_odense)

    def held_in(organisation: str) -> dict[str, object]:
        page = client.get(f"/rapporter/?organisation={organisation}")
        kinds = page.context["measures"]["meeting_kinds"]
        row = next(r for r in page.context["measures"]["meetings_held"] if r["month"] == month)
        return {"total": row["total"], **dict(zip(kinds, row["by_kind"], strict=True))}

    assert held_in(str(jobcenter_odense.pk)) == {
        "total": 1,
        "Fælles Team-møde": 1,
        "Ugentlig IPS-konference": 0,
        "Supervision": 0,
        "Netværksmøde": 0,
    }
    vejle = held_in(str(jobcenter_vejle.pk))
    assert (vejle["total"], vejle["Fælles Team-møde"], vejle["Supervision"]) == (1, 0, 1)
    assert held_in("all")["total"] == 2  # the Fælles Team meeting once, not once per organisation
    page = client.get(f"/rapporter/?organisation={jobcenter_odense.pk}").content.decode()
    assert "Møder holdt pr. måned, talt for hver organisation, der deltog" in page
    with translation.override("da"):
        month_in_danish = date_format(datetime.date.fromisoformat(f"{month}-01"), "F Y")
    assert f'<th scope="row">{month_in_danish}</th>' in page  # "december 2026", not "2026-12"


@pytest.mark.django_db
def test_the_citizens_answers_count_for_every_organisation_that_took_part_and_once_in_all(
    att,
    plan_of_fatima,
    clinician_att,
    consultant_odense,
    stranger,
    manager_odense,
    jobcenter_odense,
    jobcenter_vejle,
    settings,
):
    """Fatima's answers after a Fælles Team meeting that ATT leads count for Jobcenter Odense,
    whose consultant came, not for Jobcenter Vejle, whose consultant stayed away; her answers at
    the end of her course count for the job centre and for ATT, which referred her."""
    from cases.services import coordinator_assign
    from meetings.services import (
        agenda_citizen_add,
        attendance_record,
        citizen_evaluation_record,
        series_create,
    )

    coordinator_assign(
        citizen=plan_of_fatima.citizen, coordinator=clinician_att, assigned_by=clinician_att
    )
    day = timezone.localdate() + datetime.timedelta(days=1)
    series = series_create(
        kind="joint_team",
        title="Fælles Team ATT",
        organisation=att,
        lead=clinician_att,
        first_date=day,
        last_date=day,
        start_time=datetime.time(10, 0),
        interval=4,
        unit="weeks",
        participants=[(user, "Deltager") for user in (clinician_att, consultant_odense, stranger)],
        place="Mødelokale 2",
    )
    occurrence = series.occurrences.get()
    case = agenda_citizen_add(
        occurrence=occurrence, citizen=plan_of_fatima.citizen, added_by=clinician_att
    )
    meeting_held(occurrence)
    attendance_record(
        occurrence=occurrence,
        attendance={
            participant.pk: "absent" if participant.user == stranger else "in_person"
            for participant in occurrence.participants.all()
        },
        citizens={},
    )
    citizen_evaluation_record(
        case=case, involved=5, ownership=5, coherent=4, comment="", by=None, by_citizen=True
    )
    # Each page sums the newest snapshot itself, rather than showing the earlier figures while
    # a worker sums them.
    settings.DASHBOARD_SUMMED_BY_WORKER = False
    snapshot_compute()
    client = StaffClient()
    client.force_login(manager_odense)

    def answers_for(organisation: str) -> int:
        page = client.get(f"/rapporter/?organisation={organisation}")
        return page.context["measures"]["experience"]["coherent"].eligible

    assert answers_for(str(jobcenter_odense.pk)) == 1
    assert answers_for(str(att.pk)) == 1
    assert answers_for(str(jobcenter_vejle.pk)) == 0
    assert answers_for("all") == 1

    _course_ended_and_answered(plan_of_fatima.citizen, ended_by=consultant_odense)
    snapshot_compute()
    assert answers_for(str(jobcenter_odense.pk)) == 2
    assert answers_for(str(att.pk)) == 2
    assert answers_for(str(jobcenter_vejle.pk)) == 0
    assert answers_for("all") == 2
    page = client.get(f"/rapporter/?organisation={att.pk}").content.decode()
    assert "2 svar efter møder og forløb" in page
