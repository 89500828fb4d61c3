"""A query built once (ipsportal/core/querysets.py) keeps the query, never the rows."""

import pytest

from ipsportal.accounts.models import Organisation
from ipsportal.core.querysets import built_once
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@built_once
def _organisations_named(name: str):
    return Organisation.objects.filter(name=name)


def test_a_query_built_once_gives_each_caller_the_rows_there_are_when_it_runs():
    assert list(_organisations_named("Jobcenter Middelfart")) == []

    middelfart = OrganisationFactory(name="Jobcenter Middelfart")

    assert list(_organisations_named("Jobcenter Middelfart")) == [middelfart]
    assert list(_organisations_named("Jobcenter Nyborg")) == []
