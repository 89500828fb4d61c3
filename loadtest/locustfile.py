"""The portal's real journeys under load (issue 8): consultants, clinicians, coordinators and
managers, each signing in once and then working. Run by bin/load-test against gunicorn on
loopback; the usernames come from the load database (LOAD_USERS_FILE)."""

import hashlib
import hmac
import itertools
import json
import os
import random
import re
import struct
import time

from locust import HttpUser, between, task

USERS = json.loads(open(os.environ["LOAD_USERS_FILE"], encoding="utf-8").read())  # noqa: SIM115
PASSWORD = os.environ.get("LOAD_PASSWORD", "IPS-load-2026!")
COURSE_LINK = re.compile(r'href="(/forloeb/[0-9a-f-]{36}/)"')
CITIZEN_LINK = re.compile(r'href="(/borgere/[0-9a-f-]{36}/)"')
PLAN_LINK = re.compile(r'href="(/borgere/[0-9a-f-]{36}/plan/)"')
MEETING_LINK = re.compile(r'href="(/moeder/[0-9a-f-]{36}/)"')
# Each simulated user takes the next account of its role: an authenticator code cannot sign in
# two browsers in the same 30 seconds.
NEXT_ACCOUNT = {role: itertools.count() for role in USERS}


def totp(hex_key: str) -> str:
    """RFC 6238 with django-otp's defaults (SHA-1, 30 seconds, 6 digits): what the phone shows."""
    counter = struct.pack(">Q", int(time.time()) // 30)
    digest = hmac.new(bytes.fromhex(hex_key), counter, hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
    return f"{code:06d}"


NAMES = ["Hansen", "Jensen", "Nielsen", "Ahmad", "Haddad", "Pedersen", "Karimi", "Andersen"]


class Staff(HttpUser):
    abstract = True
    role = ""
    wait_time = between(1, 3)

    def on_start(self) -> None:
        accounts = USERS[self.role]
        account = accounts[next(NEXT_ACCOUNT[self.role]) % len(accounts)]
        username = account["username"]
        self.client.get("/log-ind/", name="/log-ind/")
        if self._sign_in_step("/log-ind/", {"username": username, "password": PASSWORD}):
            self._sign_in_step("/log-ind/to-faktor/", {"code": totp(account["totp_key"])})

    def _sign_in_step(self, path: str, data: dict[str, str]) -> bool:
        """Post one sign-in form; anything but the redirect onwards is a failure."""
        token = self.client.cookies.get("csrftoken", "")  # Django rotates it at sign-in
        with self.client.post(
            path,
            {**data, "csrfmiddlewaretoken": token},
            headers={"Referer": self.host + path},
            name=f"{path} (POST)",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"{path} refused the sign-in: {response.status_code}")
                return False
            response.success()
            return True

    def _follow(self, page_text: str, pattern: re.Pattern[str], name: str) -> None:
        links = pattern.findall(page_text)
        if links:
            self.client.get(random.choice(links), name=name)  # noqa: S311

    def _search(self) -> None:
        token = self.client.cookies.get("csrftoken", "")
        self.client.post(
            "/borgere/",
            {"query": random.choice(NAMES), "csrfmiddlewaretoken": token},  # noqa: S311
            headers={"Referer": self.host + "/borgere/"},
            name="/borgere/ (search)",
        )


class Consultant(Staff):
    role = "consultant"
    weight = 5

    @task(4)
    def caseload_and_a_course(self) -> None:
        start = self.client.get("/", name="/ (caseload)")
        self._follow(start.text, COURSE_LINK, "/forloeb/<id>/")

    @task(1)
    def search(self) -> None:
        self._search()

    @task(2)
    def coordinate(self) -> None:
        """The coordinator's journey: the citizens I coordinate, then one shared plan."""
        start = self.client.get("/", name="/ (caseload)")
        self._follow(start.text, PLAN_LINK, "/borgere/<id>/plan/")


class Clinician(Staff):
    role = "clinician"
    weight = 3

    @task(3)
    def patients(self) -> None:
        listing = self.client.get("/borgere/", name="/borgere/")
        self._follow(listing.text, CITIZEN_LINK, "/borgere/<id>/")

    @task(1)
    def search(self) -> None:
        self._search()


class TeamLead(Staff):
    role = "team_lead"
    weight = 1

    @task
    def team(self) -> None:
        self.client.get("/henvisninger/", name="/henvisninger/")
        self.client.get("/team/sagsstammer/", name="/team/sagsstammer/")

    @task
    def fælles_team(self) -> None:
        """The meeting lead's journey: the meetings, then the next Fælles Team's agenda."""
        meetings = self.client.get("/moeder/", name="/moeder/")
        self._follow(meetings.text, MEETING_LINK, "/moeder/<id>/")


class Manager(Staff):
    role = "manager"
    weight = 1

    @task
    def dashboard(self) -> None:
        self.client.get("/rapporter/", name="/rapporter/")
        self.client.get("/rapporter/?by=consultant", name="/rapporter/?by=")
