"""The links a list writes for each row lead where Django's reverse() leads
(ipsportal/core/links.py), under the portal's own paths and behind a script prefix."""

import uuid

import pytest
from django.template import engines
from django.urls import NoReverseMatch, resolve, reverse, set_script_prefix

from cases.models import Course
from ipsportal.citizens.models import Citizen
from ipsportal.core.links import path_to

ROUTES = [
    ("cases:citizen_detail", ["citizen_uuid"]),
    ("cases:course_detail", ["course_uuid"]),
    ("cases:plan", ["citizen_uuid"]),
    ("cases:network_member_remove", ["citizen_uuid", "member_uuid"]),
    ("meetings:case", ["occurrence_uuid", "case_uuid"]),
]


@pytest.mark.parametrize(("viewname", "names"), ROUTES)
@pytest.mark.parametrize("script_prefix", ["/", "/ips/"])
def test_a_rows_link_is_the_path_reverse_gives(viewname, names, script_prefix):
    try:
        set_script_prefix(script_prefix)
        for _ in range(3):  # the route's pieces are kept after the first
            values = {name: uuid.uuid4() for name in names}
            path = path_to(viewname, **values)
            assert path == reverse(viewname, kwargs=values)
            assert path.startswith(script_prefix)
            assert resolve(path.removeprefix(script_prefix[:-1])).kwargs == values
    finally:
        set_script_prefix("/")


def test_a_value_that_is_no_uuid_is_checked_as_reverse_checks_it():
    course = uuid.uuid4()
    assert path_to("cases:course_detail", course_uuid=str(course)) == f"/forloeb/{course}/"
    with pytest.raises(NoReverseMatch):
        path_to("cases:course_detail", course_uuid="../admin/")


def test_a_record_links_to_its_own_page():
    course, citizen = Course(), Citizen()
    assert resolve(course.get_absolute_url()).kwargs == {"course_uuid": course.uuid}
    assert resolve(citizen.get_absolute_url()).url_name == "citizen_detail"
    assert resolve(citizen.get_plan_url()).url_name == "plan"


def _rendered(source: str, **context: object) -> str:
    return engines["django"].from_string(source).render(context)


@pytest.mark.parametrize("script_prefix", ["/", "/ips/"])
def test_every_templates_url_tag_writes_the_path_reverse_gives(script_prefix):
    citizen, member = uuid.uuid4(), uuid.uuid4()
    try:
        set_script_prefix(script_prefix)
        for _ in range(2):  # the route's path is kept after the first
            assert _rendered("{% url 'cases:citizen_list' %}") == reverse("cases:citizen_list")
            assert _rendered("{% url name %}", name="start") == reverse("start")
            assert _rendered(
                "{% url 'cases:network_member_remove' citizen_uuid=c member_uuid=m %}",
                c=citizen,
                m=member,
            ) == reverse(
                "cases:network_member_remove",
                kwargs={"citizen_uuid": citizen, "member_uuid": member},
            )
            assert _rendered("{% url 'cases:course_detail' c %}", c=citizen) == reverse(
                "cases:course_detail", args=[citizen]
            )
            assert (
                _rendered(
                    "{% url 'cases:course_detail' course_uuid=c as link %}[{{ link }}]",
                    c=str(citizen),
                )
                == f"[{reverse('cases:course_detail', args=[citizen])}]"
            )
    finally:
        set_script_prefix("/")


def test_a_url_tag_for_no_route_fails_as_djangos_does_unless_kept_in_a_variable():
    with pytest.raises(NoReverseMatch):
        _rendered("{% url 'cases:course_detail' course_uuid=c %}", c="../admin/")
    with pytest.raises(NoReverseMatch):
        _rendered("{% url 'no-such-page' %}")
    assert _rendered("{% url 'no-such-page' as link %}[{{ link }}]") == "[]"
