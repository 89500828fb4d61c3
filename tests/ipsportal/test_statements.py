"""A statement compiled once (ipsportal/core/statements.py) runs with each caller's values and
keeps no rows; a build whose SQL a value would change otherwise than as a parameter is refused
before it runs."""

import uuid

import pytest
from django.db.models import Q, Value
from django.utils import translation
from django.utils.translation import gettext

from ipsportal.accounts.models import Organisation, OrganisationKind, Unit
from ipsportal.core.statements import (
    StatementNotKeepable,
    compiled_once,
    counted_once,
    prefetched_related_rows,
)
from tests.factories import OrganisationFactory, UnitFactory

pytestmark = pytest.mark.django_db

MUNICIPALITY = OrganisationKind.MUNICIPALITY


@compiled_once
def _organisations_named(kind: str, *, name: str):
    return Organisation.objects.filter(kind=kind, name=name)


def test_each_caller_gets_the_rows_for_its_own_values_as_they_are_when_it_runs(compiled_for):
    middelfart = OrganisationFactory(name="Jobcenter Middelfart")
    compiled_for.clear()

    assert _organisations_named(MUNICIPALITY, name="Jobcenter Middelfart") == [middelfart]
    compiled_for_the_first_caller = len(compiled_for)
    assert _organisations_named(MUNICIPALITY, name="Jobcenter Nyborg") == []
    nyborg = OrganisationFactory(name="Jobcenter Nyborg")
    compiled_for.clear()

    assert _organisations_named(MUNICIPALITY, name="Jobcenter Nyborg") == [nyborg]
    assert _organisations_named(MUNICIPALITY, name="Jobcenter Middelfart") == [middelfart]
    assert compiled_for_the_first_caller > 0
    assert compiled_for == []  # the later callers ran the SQL compiled for the first


def test_another_key_is_compiled_for_itself():
    OrganisationFactory(name="Jobcenter Assens")

    assert _organisations_named(OrganisationKind.PSYCHIATRY, name="Jobcenter Assens") == []
    assert [org.name for org in _organisations_named(MUNICIPALITY, name="Jobcenter Assens")] == [
        "Jobcenter Assens"
    ]


def test_the_language_is_part_of_what_a_statement_is_kept_for():
    @compiled_once
    def labelled(*, name: str):
        return Organisation.objects.annotate(label=Value(gettext("Yes"))).filter(name=name)

    OrganisationFactory(name="Jobcenter Faaborg")
    with translation.override("da"):
        [in_danish] = labelled(name="Jobcenter Faaborg")
    with translation.override("en"):
        [in_english] = labelled(name="Jobcenter Faaborg")

    assert (in_danish.label, in_english.label) == ("Ja", "Yes")


def test_a_value_made_into_a_pattern_is_refused():
    @compiled_once
    def named_like(*, name: str):
        return Organisation.objects.filter(name__icontains=name)

    with pytest.raises(StatementNotKeepable, match="changed on its way"):
        named_like(name="Odense")


def test_a_value_written_into_the_sql_text_is_refused():
    @compiled_once
    def first(*, how_many: int):
        return Organisation.objects.order_by("name")[:how_many]

    with pytest.raises(StatementNotKeepable, match="changes the SQL text"):
        first(how_many=3)


def test_a_value_that_never_reaches_the_sql_is_refused():
    @compiled_once
    def every(*, name: str):
        return Organisation.objects.all()

    with pytest.raises(StatementNotKeepable, match="never reach"):
        every(name="Jobcenter Odense")


@pytest.mark.parametrize("value", [None, True, 1.5, ["Jobcenter Odense"]])
def test_a_value_that_is_no_plain_parameter_is_refused(value):
    with pytest.raises(TypeError):
        _organisations_named(MUNICIPALITY, name=value)


def test_a_tuple_is_bound_element_by_element_and_kept_for_its_length(compiled_for):
    @compiled_once
    def named_any_of(*, names: tuple[str, ...]):
        return Organisation.objects.filter(name__in=names).order_by("name")

    assens, bogense, faaborg = (
        OrganisationFactory(name=f"Jobcenter {town}") for town in ("Assens", "Bogense", "Faaborg")
    )
    assert named_any_of(names=(assens.name, bogense.name)) == [assens, bogense]
    compiled_for.clear()

    assert named_any_of(names=(faaborg.name, "Jobcenter Ærø")) == [faaborg]
    assert named_any_of(names=(bogense.name, faaborg.name)) == [bogense, faaborg]
    assert compiled_for == []  # the same length: the SQL compiled for the first pair
    assert named_any_of(names=(assens.name,)) == [assens]
    assert named_any_of(names=()) == []


@pytest.mark.parametrize("value", [(1, "Jobcenter Odense"), (None,), ((1,),)])
def test_a_tuple_of_anything_but_plain_parameters_of_one_kind_is_refused(value):
    with pytest.raises(TypeError):
        _organisations_named(MUNICIPALITY, name=value)


def test_a_uuid_is_bound_as_it_is():
    @compiled_once
    def with_uuid(*, key: uuid.UUID):
        return Organisation.objects.filter(uuid=key)

    svendborg = OrganisationFactory(name="Jobcenter Svendborg")

    assert with_uuid(key=svendborg.uuid) == [svendborg]
    assert with_uuid(key=uuid.uuid4()) == []


def test_a_statement_that_matches_nothing_for_its_key_runs_no_sql(django_assert_num_queries):
    @compiled_once
    def in_none_of(organisation_ids: frozenset[int], *, name: str):
        return Organisation.objects.filter(pk__in=sorted(organisation_ids), name=name)

    OrganisationFactory(name="Jobcenter Kerteminde")
    with django_assert_num_queries(0):
        assert in_none_of(frozenset(), name="Jobcenter Kerteminde") == []


def test_a_value_the_sql_names_twice_is_bound_in_both_places():
    @compiled_once
    def named_or_in(*, word: str):
        return Organisation.objects.filter(Q(name=word) | Q(municipality=word))

    by_name = OrganisationFactory(name="Jobcenter Nordfyn", municipality="Nordfyn")
    by_municipality = OrganisationFactory(name="Jobcenter Langeland", municipality="Tranekær")

    assert named_or_in(word="Jobcenter Nordfyn") == [by_name]
    assert named_or_in(word="Tranekær") == [by_municipality]
    assert named_or_in(word="Nordfyn") == [by_name]


def test_rows_kept_on_their_parent_answer_the_relation_without_another_query(
    django_assert_num_queries,
):
    """The course page reads a course's rows once and counts them again further on: kept on
    the parent, as prefetch_related keeps them, the count asks the database nothing."""
    odense, nyborg = OrganisationFactory(), OrganisationFactory()
    units = [UnitFactory(organisation=odense, name=name) for name in ("Team Syd", "Team Nord")]
    UnitFactory(organisation=nyborg, name="Team Øst")
    odense = Organisation.objects.get(pk=odense.pk)

    with django_assert_num_queries(1):
        rows = prefetched_related_rows(odense, "units")
        assert odense.units.count() == 2
        assert list(odense.units.all()) == rows
    assert sorted(rows, key=lambda unit: unit.pk) == units
    assert all(unit.organisation is odense for unit in rows)


@counted_once()
def _units_counted(organisation_name: str):
    return Unit.objects.filter(organisation__name=organisation_name)


@counted_once(distinct="organisation")
def _organisations_with_units_counted(*, kind: str):
    return Unit.objects.filter(organisation__kind=kind)


def test_a_number_counted_once_is_counted_afresh_on_every_call(compiled_for):
    odense = OrganisationFactory(name="Jobcenter Odense", kind=MUNICIPALITY)
    UnitFactory(organisation=odense, name="Team Syd")
    assert _units_counted("Jobcenter Odense") == 1
    assert _organisations_with_units_counted(kind=MUNICIPALITY.value) == 1
    UnitFactory(organisation=odense, name="Team Nord")
    UnitFactory(organisation=OrganisationFactory(kind=MUNICIPALITY), name="Team Øst")
    compiled_for.clear()

    assert _units_counted("Jobcenter Odense") == 2
    assert _organisations_with_units_counted(kind=MUNICIPALITY.value) == 2  # two organisations
    assert compiled_for == []
    assert _units_counted("Jobcenter Nyborg") == 0
    assert compiled_for != []  # another key, compiled for itself


def test_a_number_counted_over_nothing_is_zero():
    assert _organisations_with_units_counted(kind=OrganisationKind.PSYCHIATRY.value) == 0
