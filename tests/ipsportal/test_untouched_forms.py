"""A form that records something must not record it from its defaults alone: pressing its
button without filling it in (a slip of the hand, or a page opened to read) gets the form back
with what is missing, and nothing is saved. A preselected first option is how an untouched form
would hand a citizen to the wrong coordinator, end an organisation's affiliation for a reason
nobody chose, or record an ordinary job that counts towards the success rate."""

import datetime
import html
import re
from collections import Counter

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.http import HttpResponse, HttpResponseNotFound
from django.utils import timezone

from ipsportal.accounts.models import User
from meetings.models import Occurrence
from tests.clients import StaffClient
from tests.crawl import pages_reached
from tests.html import untouched_form

ROLES = ["konsulent.odense", "tovholder.att", "teamleder.odense"]
ID = re.compile(r"[0-9a-f]{8}-[0-9a-f-]{27}")
SKIPPED = re.compile(
    r"\.(csv|xlsx|pdf|ics|json)$|/log-ud/|/admin/|/sprog/|/static/|/notifikationer/\d"
)
POST_FORM = re.compile(r"<form\b[^>]*method=\"post\"[^>]*>.*?</form>", re.S)
# A control the user fills in: anything but hidden fields and buttons.
FILLED_IN = re.compile(r"<(?:textarea|select)\b|<input\b(?![^>]*type=\"(?:hidden|submit)\")")

# Forms whose defaults are the action itself, each with why: the address the form is sent to,
# and a field that tells the form from another sent to the same address.
UNTOUCHED_IS_THE_ACTION = [
    # The page exists to confirm a withdrawal, and withdrawing must be as easy as consenting.
    (re.compile(r"/samtykker/[^/]+/tilbagekald/$"), "note"),
    # Accepting a referral, and starting a course without one, are what these forms are for;
    # the consultant with the most room is proposed on purpose, and the team lead sees whom.
    (re.compile(r"^/henvisninger/[^/]+/$"), "accept-consultant"),
    (re.compile(r"/borgere/[^/]+/ips-forloeb/nyt/$"), "consultant"),
]


def _untouched_is_the_action(target: str, fields: dict[str, str]) -> bool:
    return any(
        address.search(target) and (field is None or field in fields)
        for address, field in UNTOUCHED_IS_THE_ACTION
    )


def _each_kind_of_page_five_times(client: StaffClient):
    """GET, but only the first five pages of a kind (paths alike but for their ids): the crawl
    then reaches every kind of page without reading every citizen's."""
    seen: Counter[str] = Counter()

    def get(path: str) -> HttpResponse:
        seen[ID.sub("<id>", path)] += 1
        if seen[ID.sub("<id>", path)] > 5:
            return HttpResponseNotFound()
        return client.get(path)

    return get


# What reading and sending a form writes whatever it holds: the access log, the form's one-time
# token, the session and the sign-in's own records.
NOT_RECORDS = ("audit_", "core_formsubmission", "django_session", "axes_", "otp_")


def _records() -> dict[str, str]:
    """A fingerprint of every table the portal keeps records in."""
    tables = sorted(
        model._meta.db_table
        for model in apps.get_models()
        if model._meta.managed and not model._meta.db_table.startswith(NOT_RECORDS)
    )
    with connection.cursor() as cursor:
        return {
            table: cursor.execute(
                "SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) "
                f"FROM {connection.ops.quote_name(table)} t"
            ).fetchone()[0]
            for table in tables
        }


def _forms_on(page: str) -> list[tuple[str | None, str]]:
    """Each POST form with something to fill in: its action (None: the page itself) and HTML."""
    forms = []
    for form in POST_FORM.findall(page):
        if not FILLED_IN.search(form):
            continue
        action = re.search(r'action="([^"]*)"', form.split(">", 1)[0])
        forms.append((html.unescape(action.group(1)) if action else None, form))
    return forms


def _a_meeting_under_way() -> None:
    """The coordinator's next Fælles Team meeting, begun an hour ago with nothing recorded:
    the forms for who came and the evaluations show from then on, and the demo's earlier
    meetings have theirs filled in already."""
    coming = (
        Occurrence.objects.filter(series__lead__username="tovholder.att", held=False)
        .order_by("starts_at")
        .first()
    )
    assert coming is not None
    began = (timezone.now() - datetime.timedelta(hours=1)).replace(second=0, microsecond=0)
    Occurrence.objects.filter(pk=coming.pk).update(
        starts_at=began, ends_at=began + datetime.timedelta(hours=2)
    )


@pytest.mark.django_db
def test_no_form_records_anything_from_its_defaults_alone(tmp_path, settings):
    settings.DIGITAL_POST_OUTBOX = tmp_path
    # 30 citizens give the consultant open courses to write on.
    call_command("seed_demo", "--citizens", "30")
    _a_meeting_under_way()
    saved_untouched, tried = [], set()
    for username in ROLES:
        client = StaffClient()
        client.force_login(User.objects.get(username=username))
        get = _each_kind_of_page_five_times(client)
        for path, page in pages_reached(get, "/", skipped=SKIPPED):
            for action, form in _forms_on(page):
                target = action or path
                fields = untouched_form(form, field="csrfmiddlewaretoken")
                if _untouched_is_the_action(target, fields):
                    continue
                tried.add(ID.sub("<id>", target))
                before = _records()
                client.post(target, fields)
                after = _records()
                changed = sorted(table for table in before if before[table] != after[table])
                if changed:
                    saved_untouched.append(f"{username}: {target} changed {changed}")
    # The crawl must reach the forms this test was written for.
    for expected in (
        "/forloeb/<id>/job-og-uddannelse/nyt/",
        "/forloeb/<id>/kontakt/ny/",
        "/borgere/<id>/afslut-tilknytning/",
        "/borgere/<id>/tovholder/",
        "/moeder/<id>/dagsorden/",
        "/moeder/<id>/fremmoede/",
        "/moeder/<id>/evaluering/",
    ):
        assert expected in tried, "\n".join(sorted(tried))
    assert saved_untouched == [], "\n".join(saved_untouched)
