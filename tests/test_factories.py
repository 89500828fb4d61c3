import pytest
from django.utils import timezone

from tests import factories


@pytest.mark.django_db
def test_every_factory_makes_a_valid_object_through_the_services():
    consent = factories.ConsentFactory()
    assert consent.status_on(timezone.localdate()) == "active"
    assert consent.organisations.count() == 2
    summary = factories.TreatmentSummaryFactory(citizen=consent.citizen)
    assert summary.organisation == consent.citizen.registered_by
    category = factories.InformationCategoryFactory(code="bolig", name="Bolig")
    assert category.permission_codename == "view_bolig"
    assert factories.ConsentTextFactory().language == "ar"
    assert factories.AffiliationFactory().kind == "registered"
    assert factories.TargetGroupFactory().active
    assert factories.RoleFactory(code="manager").group.name == "Rolle: Leder"
