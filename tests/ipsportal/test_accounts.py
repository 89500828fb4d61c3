import pytest
from django.urls import reverse

from ipsportal.accounts.models import Role, RoleCode
from tests.factories import UnitFactory, UserFactory


@pytest.mark.django_db
class TestRoles:
    def test_every_role_exists_as_a_group(self):
        assert set(Role.objects.values_list("code", flat=True)) == set(RoleCode.values)
        assert Role.objects.get(code="consultant").group.name == "Rolle: IPS-konsulent"

    def test_a_staff_member_holds_roles_and_units_through_groups(self, ips_team_odense):
        user = UserFactory(
            memberships__units=[ips_team_odense], memberships__roles=["consultant", "coordinator"]
        )
        assert user.role_codes() == {"consultant", "coordinator"}
        assert [unit.name for unit in user.units()] == ["IPS-teamet"]
        assert user.primary_organisation().name == "Jobcenter Odense"

    def test_a_unit_gets_its_own_group(self, jobcenter_odense):
        unit = UnitFactory(organisation=jobcenter_odense, name="Ungeteamet")
        assert unit.group.name == "Enhed: Jobcenter Odense / Ungeteamet"


@pytest.mark.django_db
class TestAdministration:
    def test_an_administrator_manages_organisations_units_and_staff(self, client, administrator):
        client.force_login(administrator)
        for name in ["organisation", "unit", "user"]:
            assert client.get(reverse(f"admin:accounts_{name}_add")).status_code == 200
        assert client.get(reverse("admin:audit_accesslogentry_changelist")).status_code == 200

    def test_a_consultant_cannot_use_the_admin(self, client, consultant_odense):
        client.force_login(consultant_odense)
        response = client.get(reverse("admin:index"))
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]

    def test_the_administrator_adds_a_staff_member_with_unit_and_role(
        self, client, administrator, ips_team_odense
    ):
        client.force_login(administrator)
        response = client.post(
            reverse("admin:accounts_user_add"),
            {
                "username": "ny.konsulent",
                "password1": "Langt-og-sikkert-2026",
                "password2": "Langt-og-sikkert-2026",
                "usable_password": "true",
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        from ipsportal.accounts.models import User

        user = User.objects.get(username="ny.konsulent")
        response = client.post(
            reverse("admin:accounts_user_change", args=[user.pk]),
            {
                "username": "ny.konsulent",
                "first_name": "Ny",
                "last_name": "Konsulent",
                "email": "",
                "title": "IPS-konsulent",
                "fte": "0.50",
                "units": [ips_team_odense.pk],
                "roles": [Role.objects.get(code="consultant").pk],
                "is_active": "on",
            },
        )
        assert response.status_code == 302, response.content.decode()[:3000]
        user = User.objects.get(username="ny.konsulent")
        assert user.role_codes() == {"consultant"}
        assert str(user.fte) == "0.50"
        assert user.units() == [ips_team_odense]


@pytest.mark.django_db
class TestConsentReferenceDataInAdmin:
    def test_a_category_added_by_an_administrator_gets_its_object_permission(
        self, client, administrator
    ):
        from django.contrib.auth.models import Permission

        client.force_login(administrator)
        response = client.post(
            reverse("admin:consent_informationcategory_add"),
            {
                "code": "rusmiddel",
                "name": "Rusmiddelbehandling",
                "description": "",
                "active": "on",
                "position": "9",
            },
        )
        assert response.status_code == 302
        assert Permission.objects.filter(
            codename="view_rusmiddel", content_type__app_label="citizens"
        ).exists()

    def test_a_consent_text_cannot_be_edited_once_saved(self, client, administrator):
        from consent.models import ConsentText

        text = ConsentText.objects.get(version="2026-1", language="da")
        client.force_login(administrator)
        page = client.get(reverse("admin:consent_consenttext_change", args=[text.pk]))
        assert page.status_code == 200
        assert 'name="body"' not in page.content.decode()
