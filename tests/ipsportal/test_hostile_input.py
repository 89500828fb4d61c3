"""Arbitrary input to the forms and endpoints that write: never a server error, nothing saved
when validation fails, markup always escaped, oversized input refused (Hypothesis)."""

import uuid
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.test import Client
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db

HOSTILE = st.one_of(
    st.text(max_size=300),
    st.sampled_from(
        [
            "",
            " ",
            "<script>alert('x')</script>",
            "\x00",
            "a\x00b",
            "x" * 100_000,
            "2026-13-45",
            "-1",
            "0",
            "99999999999999999999",
            "'; DROP TABLE cases_course; --",
            "010165-1236",
            "../../etc/passwd",
        ]
    ),
)
SCRIPT = "<script>alert('x')</script>"
TRIES = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _row_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in {"cases", "meetings", "citizens", "consent", "reporting"}
    }


def _post(client: Client, url: str, data: dict[str, str]) -> None:
    before = _row_counts()
    response = client.post(url, data)
    assert response.status_code < 500
    if response.status_code == 200:  # the form came back: refused, so nothing may have changed
        assert _row_counts() == before
        assert SCRIPT not in response.content.decode()


def _token() -> str:
    return str(uuid.uuid4())


@given(values=st.lists(HOSTILE, min_size=6, max_size=6))
@example(values=["a\x00b"] * 6)
@TRIES
def test_registering_a_citizen(client, clinician_att, values):
    client.force_login(clinician_att)
    cpr, given_name, family_name, postal_code, email, language = values
    _post(
        client,
        "/borgere/opret/",
        {
            "cpr": cpr,
            "given_name": given_name,
            "family_name": family_name,
            "postal_code": postal_code,
            "email": email,
            "preferred_language": language,
        },
    )


@given(values=st.lists(HOSTILE, min_size=4, max_size=4))
@example(values=["a\x00b", "a\x00b", "a\x00b", "a\x00b"])
@TRIES
def test_plan_actions_and_relay_entries(client, plan_of_fatima, consultant_odense, values):
    client.force_login(consultant_odense)
    citizen = plan_of_fatima.citizen
    description, responsible, deadline, priority = values
    _post(
        client,
        f"/borgere/{citizen.uuid}/plan/handlinger/ny/",
        {
            "submission_token": _token(),
            "description": description,
            "responsible": responsible,
            "deadline": deadline,
            "priority": priority,
        },
    )
    _post(
        client,
        f"/borgere/{citizen.uuid}/stafetlog/ny/",
        {"submission_token": _token(), "occurred_on": deadline, "did": description},
    )


@given(values=st.lists(HOSTILE, min_size=6, max_size=6))
@example(values=["a\x00b"] * 6)
@TRIES
def test_meeting_series(client, consultant_odense, values):
    client.force_login(consultant_odense)
    title, first, last, interval, unit, place = values
    _post(
        client,
        "/moeder/serier/ny/",
        {
            "submission_token": _token(),
            "kind": "joint_team",
            "title": title,
            "lead": str(consultant_odense.pk),
            "first_date": first,
            "last_date": last,
            "start_time": "13:00",
            "duration_minutes": "120",
            "interval": interval,
            "unit": unit,
            "place": place,
        },
    )


@given(theme=HOSTILE)
@example(theme="a\x00b")
@example(theme="x" * 201)
@TRIES
def test_the_years_themes(client, next_meeting_for_input, consultant_odense, theme):
    client.force_login(consultant_odense)
    occurrence = next_meeting_for_input
    occurrence.refresh_from_db()
    before = occurrence.theme
    response = client.post(
        f"/moeder/serier/{occurrence.series.uuid}/", {f"theme_{occurrence.pk}": theme}
    )
    occurrence.refresh_from_db()
    if "\x00" in theme or len(theme.strip()) > 200:
        assert response.status_code == 200
        assert occurrence.theme == before
    else:
        assert response.status_code == 302


@pytest.fixture
def case_on_agenda(next_meeting_for_input, fatima_for_input, consultant_odense):
    from meetings.services import agenda_citizen_add

    return agenda_citizen_add(
        occurrence=next_meeting_for_input, citizen=fatima_for_input, added_by=consultant_odense
    )


@pytest.fixture
def next_meeting_for_input(jobcenter_odense, consultant_odense):
    import datetime

    from django.utils import timezone

    from meetings.services import series_create

    first = timezone.localdate() + datetime.timedelta(days=7)
    series = series_create(
        kind="joint_team",
        title="Fælles Team",
        organisation=jobcenter_odense,
        lead=consultant_odense,
        first_date=first,
        last_date=first,
        start_time=datetime.time(13, 0),
        interval=4,
        unit="weeks",
        place="Rådhuset",
    )
    return series.occurrences.get()


@pytest.fixture
def fatima_for_input(course_of_fatima, consultant_odense):
    from cases.services import coordinator_assign

    coordinator_assign(
        citizen=course_of_fatima.citizen,
        coordinator=consultant_odense,
        assigned_by=consultant_odense,
    )
    return course_of_fatima.citizen


@given(values=st.lists(HOSTILE, min_size=4, max_size=4))
@example(values=["a\x00b", "", "", "0"])
@example(values=["x" * 100_000, SCRIPT, "in_person", "0"])
@TRIES
def test_the_meeting_templates_autosave(client, case_on_agenda, consultant_odense, values):
    client.force_login(consultant_odense)
    situation, wishes, took_part, revision = values
    case_on_agenda.refresh_from_db()
    response = client.post(
        f"/moeder/{case_on_agenda.occurrence.uuid}/borgere/{case_on_agenda.uuid}/autogem/",
        {
            "submission_token": _token(),
            "situation": situation,
            "wishes": wishes,
            "next_steps": "",
            "citizen_took_part": took_part,
            "based_on_revision": revision,
        },
    )
    assert response.status_code < 500
    assert SCRIPT not in response.content.decode()


@given(text=HOSTILE)
@example(text="cpr,given_name\n0101651236,a\x00b\n")
@TRIES
def test_the_csv_import_takes_any_bytes(client, administrator, text):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(administrator)
    before = _row_counts()
    upload = SimpleUploadedFile("data.csv", text.encode("utf-8", "surrogatepass"))
    response = client.post("/rapporter/import/", {"kind": "courses", "file": upload, "dry_run": ""})
    assert response.status_code == 200
    assert SCRIPT not in response.content.decode()
    if "Importeret" not in response.content.decode():
        assert _row_counts() == before


# --- Every form a member of staff can reach ----------------------------------------------------


class _Forms(HTMLParser):
    """The POST forms on a page: action and fields (name -> the values a select or radio offers,
    or [] for free text), and the page's links."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, dict[str, list[str]]]] = []
        self.links: set[str] = set()
        self._form: dict[str, list[str]] | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {key: value or "" for key, value in attrs}
        if tag == "a" and attr.get("href", "").startswith("/"):
            self.links.add(attr["href"].split("#")[0])
        elif tag == "form" and attr.get("method", "get").lower() == "post":
            self._form = {}
            self.forms.append((attr.get("action", ""), self._form))
        elif self._form is not None and tag in {"input", "textarea", "select"}:
            name = attr.get("name", "")
            if not name or name == "csrfmiddlewaretoken":
                return
            options = self._form.setdefault(name, [])
            if tag == "select":
                self._select = name
            elif attr.get("type") in {"radio", "checkbox", "hidden"} and attr.get("value"):
                options.append(attr["value"])
        elif tag == "option" and self._form is not None and self._select:
            self._form[self._select].append(attr.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


# Links the crawl does not follow (downloads, and pages that only change the session).
NOT_FOLLOWED = ("/log-ud/", "/sprog/", "eksport", ".ics", "/pdf/", "/admin/", "/skaerm/")
# Forms that end the session or only switch the language: posting them ends the crawl's login.
NOT_POSTED = ("/log-ud/", "/sprog/")


def _reachable_forms(client, start: list[str], limit: int = 60) -> dict[str, dict[str, list]]:
    """Every POST form on the pages reachable from ``start``, keyed by where it posts."""
    forms: dict[str, dict[str, list[str]]] = {}
    seen, queue = set(), list(start)
    while queue and len(seen) < limit:
        url = queue.pop(0)
        if url in seen or any(part in url for part in NOT_FOLLOWED):
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response["Content-Type"]:
            continue
        parser = _Forms()
        parser.feed(response.content.decode())
        for action, fields in parser.forms:
            target = action or url
            if not any(part in target for part in NOT_POSTED):
                forms.setdefault(target, fields)
        queue.extend(sorted(parser.links - seen))
    return forms


def _value_for(draw, options: list[str]):
    if options:
        return draw(st.one_of(st.sampled_from(options), HOSTILE))
    return draw(HOSTILE)


@pytest.fixture
def everything_of_fatima(plan_of_fatima, case_on_agenda):
    """Fatima with a course, a plan, a coordinator and a place on the next meeting's agenda:
    the pages behind most forms exist."""
    return plan_of_fatima.citizen


@pytest.mark.parametrize(
    ("role", "least"),
    [
        ("consultant_odense", 25),
        ("clinician_att", 12),
        ("team_lead_odense", 25),
        ("manager_odense", 2),
    ],
)
@given(data=st.data())
@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_reachable_form_takes_any_input(
    request, client, everything_of_fatima, role, least, data
):
    user = request.getfixturevalue(role)
    client.force_login(user)
    if not hasattr(request.node, "reachable_forms"):  # crawled once, for the first example
        request.node.reachable_forms = _reachable_forms(
            client, ["/", f"/borgere/{everything_of_fatima.uuid}/", "/rapporter/fidelitet/ny/"]
        )
    forms = request.node.reachable_forms
    assert len(forms) >= least, sorted(forms)  # the crawl found the forms, or proved nothing
    for action, fields in sorted(forms.items()):
        values = {name: _value_for(data.draw, options) for name, options in fields.items()}
        if "submission_token" in values and data.draw(st.booleans()):
            values["submission_token"] = _token()
        before = _row_counts()
        response = client.post(action, values)
        assert response.status_code < 500, (action, values)
        page = response.content.decode(errors="replace")
        assert SCRIPT not in page, action
        if response.status_code == 200 and ("error-summary" in page or "errorlist" in page):
            assert _row_counts() == before, (action, values)  # refused: nothing changed
        if response.status_code == 302:
            assert SCRIPT not in client.get(response["Location"]).content.decode(errors="replace")
        client.force_login(user)  # a form may have ended the session (the second factor's)
