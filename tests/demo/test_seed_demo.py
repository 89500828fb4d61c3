import json
import os
import re
import subprocess
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
import requests
from django.core.management import CommandError, call_command
from django.db.models import F
from django.test import Client
from django.utils import timezone

from cases.models import (
    CareerProfile,
    Course,
    Referral,
    ReferralStatus,
    SharedPlan,
    TimelineEvent,
    TreatmentPeriod,
)
from consent.models import Consent
from demo.courses import UNREAD_KEPT, WAITING_AT_EVERY_JOB_CENTRE, WAITING_AT_MOST_DAYS
from demo.history import historic_csv_files
from demo.identity import demo_identity_seed
from ipsportal.accounts.models import Organisation, RoleCode, User
from ipsportal.citizens.models import Citizen
from ipsportal.notifications.models import Notification
from meetings.models import DigitalPostLetter, MeetingSeries
from tests.clients import StaffClient
from tests.idp import free_port, running_identity_provider
from tests.signin.flow import callback_url_after_sign_in, finish

BASE_DIR = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
class TestSeedDemo:
    def test_it_creates_the_seeds_organisations_staff_for_every_role_and_citizens(self, tmp_path):
        logins_file = tmp_path / "logins.json"
        call_command("seed_demo", "--citizens", "40", "--json", str(logins_file))

        names = set(Organisation.objects.values_list("name", flat=True))
        for town in ["Odense", "Kolding", "Vejle", "Fredericia", "Varde"]:
            assert f"Jobcenter {town}" in names
        assert "Afdeling for Traume- og Torturoverlevende (ATT)" in names
        assert "Lokalpsykiatri Vejle" in names
        historic = {row.split(",")[0] for row in historic_csv_files()[0].splitlines()[1:]}
        assert Citizen.objects.count() == 40 + len(historic)  # and the imported earlier courses

        logins = json.loads(logins_file.read_text())
        assert {"username", "password", "role", "organisation"} <= set(logins[0])
        roles = {role for login in logins for role in login["role"].split(", ")}
        assert roles == set(RoleCode.values)
        # Each login is a person of their own: an access report names them apart.
        people = [
            user.get_full_name()
            for user in User.objects.filter(username__in=[login["username"] for login in logins])
        ]
        assert len(set(people)) == len(people) == len(logins)

    def test_every_demo_login_works_with_the_code_the_demo_shows(self, settings, tmp_path):
        settings.DEMO_SHOW_SECOND_FACTOR = True  # as make demo runs it
        logins_file = tmp_path / "logins.json"
        call_command("seed_demo", "--citizens", "5", "--json", str(logins_file))
        for login in json.loads(logins_file.read_text()):
            client = Client()
            response = client.post(
                "/log-ind/", {"username": login["username"], "password": login["password"]}
            )
            assert response.status_code == 302, login["username"]
            verify_page = client.get(response["Location"], follow=True)
            shown = re.search(r'id="demo-code">[^0-9]*(\d{6})', verify_page.text)
            assert shown, login["username"]
            response = client.post("/log-ind/to-faktor/", {"code": shown.group(1)})
            assert response.status_code == 302, login["username"]
            assert client.get("/").status_code == 200

    def test_demo_coordinators_find_plans_that_need_attention_and_their_meetings(
        self, settings, tmp_path
    ):
        settings.DIGITAL_POST_OUTBOX = tmp_path
        call_command("seed_demo")
        client = StaffClient()
        client.force_login(User.objects.get(username="tovholder.att"))
        start_page = client.get("/")
        coordinated = start_page.context["coordinated"]
        assert len(coordinated) >= 5
        assert any(row.overdue_actions or row.review_overdue for row in coordinated)

        plan_page = client.get(f"/borgere/{coordinated[0].citizen.uuid}/plan/")
        assert plan_page.context["plan"] is not None
        assert plan_page.context["actions"]
        assert plan_page.context["relay_log"]

        meetings = client.get("/moeder/")
        coming = meetings.context["upcoming"][0]
        assert coming.series.title == "Fælles Team ATT og jobcentrene"
        agenda = client.get(f"/moeder/{coming.uuid}/").context["agenda"]
        assert len(agenda) == 3 and all(entry.visible for entry in agenda)
        # The meetings already held sent their minutes to the citizens' digital mailboxes.
        assert len(list(tmp_path.glob("*.pdf"))) >= 4

        # The manager's results open on their own job centre.
        client.force_login(User.objects.get(username="leder.odense"))
        results = client.get("/rapporter/")
        assert results.status_code == 200
        odense = Organisation.objects.get(name="Jobcenter Odense")
        assert results.context["filters"].organisation == str(odense.pk)
        assert results.context["overall"].counts["courses"] > 0
        # Its meetings held: the Fælles Team meetings ATT leads and its consultant goes to, and
        # its own supervision.
        kinds = results.context["measures"]["meeting_kinds"]
        held = {
            kind: sum(
                row["by_kind"][kinds.index(kind)]
                for row in results.context["measures"]["meetings_held"]
            )
            for kind in ("Fælles Team-møde", "Supervision")
        }
        assert held["Fælles Team-møde"] >= 3 and held["Supervision"] >= 1
        # The steering group reads every organisation's results, nobody by name: the plans and
        # the evaluations the demo made.
        client.force_login(User.objects.get(username="styregruppe"))
        region = client.get("/rapporter/?by=consultant")
        assert region.context["measures"]["experience"]["involved"].eligible >= 3
        # Psychiatry recorded the treatment the demo's courses run beside.
        assert region.context["measures"]["treatment"]["courses_with_treatment"] > 0
        assert [group.label for group in region.context["breakdown"].groups] == [
            "Alle konsulenter, i alt"
        ]

    def test_the_demo_reads_as_months_of_work_not_as_the_day_it_was_seeded(self):
        call_command("seed_demo", "--citizens", "40")
        today = timezone.localdate()

        after_the_end = TimelineEvent.objects.filter(
            course__ended_on__isnull=False, occurred_on__gt=F("course__ended_on")
        )
        assert list(after_the_end.values_list("kind", "occurred_on")) == []
        for course in Course.objects.filter(referral__isnull=False):
            assert course.assignments.order_by("pk")[0].assigned_at.date() == course.start_date
        profiles = CareerProfile.objects.select_related("course")
        assert profiles.exists()
        for profile in profiles:
            assert profile.created_at.date() <= profile.course.start_date + timedelta(days=10)
        plans = SharedPlan.objects.all()
        first_versions = [plan.versions.order_by("version")[0] for plan in plans]
        made_before_today = [v for v in first_versions if v.created_at.date() < today]
        assert len(made_before_today) >= len(first_versions) / 2 > 0
        for plan in plans:
            dates = [v.created_at for v in plan.versions.order_by("version")]
            assert dates == sorted(dates)
            assert plan.last_reviewed_on >= plan.versions.order_by("version")[0].created_at.date()
        # A citizen was the psychiatry unit's patient, and the job centre's client, before
        # anything was recorded about them, not registered on the day the demo was seeded.
        citizens = Citizen.objects.prefetch_related(
            "affiliations", "consents", "referrals", "courses"
        )
        for citizen in citizens:
            first_recorded = min(
                [consent.given_on for consent in citizen.consents.all()]
                + [referral.referred_on for referral in citizen.referrals.all()]
                + [course.start_date for course in citizen.courses.all()],
                default=today,
            )
            starts = {a.organisation_id: a.started_on for a in citizen.affiliations.all()}
            assert starts[citizen.registered_by_id] < first_recorded
            assert max(starts.values()) <= first_recorded
            assert timezone.localdate(citizen.created_at) == starts[citizen.registered_by_id]
        # A treatment still to end goes on; none ends on the day the demo was seeded.
        periods = TreatmentPeriod.objects.all()
        assert periods.filter(ended_on__isnull=True).exists()
        assert periods.filter(ended_on__lt=today).exists()
        assert not periods.filter(ended_on__gte=today).exists()
        # The minutes went to the citizen when the meeting was over.
        minutes = DigitalPostLetter.objects.filter(kind="minutes").select_related(
            "case__occurrence"
        )
        assert minutes.exists()
        for letter in minutes:
            held_on = timezone.localdate(letter.case.occurrence.starts_at)
            assert timezone.localdate(letter.sent_at) == held_on < today
        # Staff have read their notifications as they came, all but the newest few.
        unread = Counter(
            Notification.objects.filter(read_at__isnull=True).values_list("recipient", flat=True)
        )
        assert unread and max(unread.values()) == UNREAD_KEPT

    def test_a_full_teams_waiting_list_is_weeks_long_not_a_year(self, settings):
        settings.IPS_CASELOAD_PER_FTE = 3  # every demo team fills up
        call_command("seed_demo", "--citizens", "40")
        today = timezone.localdate()

        waiting = Referral.objects.filter(status=ReferralStatus.WAITING)
        assert Course.objects.filter(ended_on__isnull=True).exists()
        assert waiting.count() > WAITING_AT_EVERY_JOB_CENTRE
        days_waited = [(today - referral.referred_on).days for referral in waiting]
        assert max(days_waited) <= WAITING_AT_MOST_DAYS

    def test_running_it_twice_creates_nothing_twice(self):
        """make demo again, after Ctrl-C: the same demo, not more referrals and courses."""

        def counts() -> dict[str, int]:
            models = [User, Organisation, Citizen, Consent, Referral, Course, MeetingSeries]
            return {model.__name__: model.objects.count() for model in models}

        call_command("seed_demo", "--citizens", "20")
        first = counts()
        call_command("seed_demo", "--citizens", "20")
        assert counts() == first

    @pytest.mark.parametrize(
        ("portal_url", "provider"),
        [
            ("http://127.0.0.1:8011", "the MitID stand-in"),
            ("http://localhost:8010/", "the organisation login"),
        ],
    )
    def test_a_portal_port_the_demos_providers_use_is_refused_before_anything_is_seeded(
        self, tmp_path, portal_url, provider
    ):
        idp_config = tmp_path / "idp.json"
        with pytest.raises(CommandError) as refused:
            call_command("seed_demo", "--idp-config", str(idp_config), "--portal-url", portal_url)
        port = portal_url.rstrip("/").rsplit(":", 1)[1]
        assert f"port {port}: {provider} of the demo runs there" in str(refused.value)
        assert "make demo PORT=8000" in str(refused.value)
        assert not Organisation.objects.exists()
        assert not idp_config.exists()


def _embedded_env(var_dir: Path) -> dict[str, str]:
    """The environment of a newcomer's shell: no DATABASE_URL, no REDIS_URL."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env["IPSPORTAL_VAR_DIR"] = str(var_dir)
    return env


def test_the_embedded_default_sets_up_on_sqlite_without_any_server(tmp_path):
    """The first README command's set-up half."""
    env = _embedded_env(tmp_path)
    manage = [sys.executable, str(BASE_DIR / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, cwd=BASE_DIR)
    seeded = subprocess.run(
        [*manage, "seed_demo", "--citizens", "10", "--json", str(tmp_path / "logins.json")],
        env=env,
        check=True,
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
    )
    assert "konsulent.odense" in seeded.stdout
    assert (tmp_path / "ipsportal.sqlite3").exists()
    assert (tmp_path / "celery" / "out").is_dir()

    def rows_verified() -> int:
        verified = subprocess.run(
            [*manage, "verify_access_log"], env=env, cwd=BASE_DIR, capture_output=True, text=True
        )
        assert verified.returncode == 0, verified.stderr
        return int(re.search(r"intact: (\d+) rows", verified.stdout).group(1))

    # The access log's chain is written the SQLite way (no row lock, an INSERT and an UPDATE):
    # by the demo's staff reads, then by three more appends.
    seeded_rows = rows_verified()
    for citizens in ("[None, None]", "[None]"):
        subprocess.run(
            [
                *manage,
                "shell",
                "-c",
                "from ipsportal.audit.services import access_log_record_many as record; "
                f"record(user=None, citizens={citizens}, action='read', category='identity')",
            ],
            env=env,
            check=True,
            cwd=BASE_DIR,
        )
    assert rows_verified() == seeded_rows + 3
    # The append-only rule holds on SQLite too.
    refused = subprocess.run(
        [
            *manage,
            "shell",
            "-c",
            "from ipsportal.audit.models import AccessLogEntry as A; "
            "from django.db import connection; c = connection.cursor(); "
            'c.execute("INSERT INTO audit_accesslogentry (occurred_at, role, action, category, '
            "basis, request_id, detail, previous_hash, row_hash) "
            "VALUES ('2026-01-01', '', 'read', 'x', 'none', '', '', '', '')\"); "
            "A.objects.update(category='y')",
        ],
        env=env,
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
    )
    assert refused.returncode != 0
    assert "append-only" in refused.stderr


def test_the_embedded_default_runs_tasks_on_a_separate_worker_process(tmp_path):
    """A task sent by one process is run by a real `celery worker` process over the
    file-system broker: no eager mode, no server."""
    env = _embedded_env(tmp_path)
    manage = [sys.executable, str(BASE_DIR / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, cwd=BASE_DIR)
    celery = str(Path(sys.executable).with_name("celery"))
    log_file = tmp_path / "worker.log"
    with log_file.open("w") as log:
        worker = subprocess.Popen(
            [celery, "-A", "ipsportal", "worker", "--pool=solo", "--loglevel=INFO"],
            env=env,
            cwd=BASE_DIR,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        subprocess.run(
            [
                *manage,
                "shell",
                "-c",
                "from consent.tasks import consents_expire_task; consents_expire_task.delay()",
            ],
            env=env,
            check=True,
            cwd=BASE_DIR,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and "succeeded" not in log_file.read_text():
            time.sleep(0.5)
    finally:
        worker.terminate()
        worker.wait(timeout=20)
    output = log_file.read_text()
    assert "filesystem://" in output
    assert "consent.tasks.consents_expire_task" in output
    assert "succeeded" in output


@pytest.mark.django_db(transaction=True)
def test_the_demos_organisation_logins_and_mitid_citizens_sign_in(live_server, settings):
    """make demo's identity providers, as seed_demo configures them, against the real provider."""
    settings.CITIZEN_OIDC_ISSUER = f"http://127.0.0.1:{free_port()}"
    call_command("seed_demo", "--citizens", "40")
    config = demo_identity_seed(portal_urls=[live_server.url], staff_port=free_port())
    citizens = config["issuers"]["citizen"]["accounts"]
    assert {"borger1", "borger2", "borger3", "ukendt.borger"} <= set(citizens)

    def sign_in(provider_id: str, login: str, start: str):
        session = requests.Session()
        callback = callback_url_after_sign_in(
            session,
            portal=live_server.url,
            provider_id=provider_id,
            login=login,
            start_page=start,
        )
        return session, finish(session, callback)

    with running_identity_provider(config):
        session, response = sign_in("staff-region-syddanmark", "sara.att", "/log-ind/")
        assert response.headers["Location"] == "/"
        assert "Sara Lund" in session.get(f"{live_server.url}/").text

        session, response = sign_in("staff-vejle-kommune", "jonas.vejle", "/log-ind/")
        assert response.headers["Location"].startswith("/log-ind/to-faktor/")

        _, response = sign_in("staff-region-syddanmark", "uden.rolle", "/log-ind/")
        assert response.status_code == 403

        session, response = sign_in("mitid", "borger1", "/borger/log-ind/")
        assert response.headers["Location"] == "/borger/"
        home = session.get(f"{live_server.url}/borger/").text
        assert citizens["borger1"]["claims"]["given_name"] in home
        # The pages open in the citizen's own language; read them in Danish.
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', home)[1]
        session.post(
            f"{live_server.url}/sprog/",
            {"csrfmiddlewaretoken": token, "language": "da", "next": "/borger/"},
        )
        # Who looked: the consultant and the coordinator who opened the course and the plan.
        report = session.get(f"{live_server.url}/borger/hvem-har-set/").text
        assert "IPS-konsulent" in report
        assert "Forløbshændelser og beskæftigelsesstatus" in report
        assert "Den fælles plan" in report
        # The first demo citizen was at a Fælles Team meeting and got the minutes (written in
        # the citizen's own language).
        meetings = session.get(f"{live_server.url}/borger/moeder/").text
        assert "Ingen breve endnu" not in meetings
        assert 'href="/borger/breve/' in meetings

        _, response = sign_in("mitid", "ukendt.borger", "/borger/log-ind/")
        assert response.status_code == 403
