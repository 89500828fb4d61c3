"""Writes for organisations, units and staff. Each runs in one transaction."""

from decimal import Decimal

from django.contrib.auth.models import Group
from django.db import transaction

from ipsportal.accounts.models import Organisation, OrganisationKind, Role, RoleCode, Unit, User


def unit_group_name(organisation: Organisation, unit_name: str) -> str:
    return f"Enhed: {organisation.name} / {unit_name}"[:150]


@transaction.atomic
def unit_create(*, organisation: Organisation, name: str) -> Unit:
    group = Group.objects.create(name=unit_group_name(organisation, name))
    unit = Unit(organisation=organisation, name=name, group=group)
    unit.full_clean()
    unit.save()
    return unit


def role_group(code: str) -> Group:
    return Role.objects.select_related("group").get(code=code).group


@transaction.atomic
def staff_create(
    *,
    username: str,
    first_name: str,
    last_name: str,
    password: str,
    units: list[Unit],
    roles: list[str],
    email: str = "",
    title: str = "",
    fte: Decimal = Decimal("1.00"),
) -> User:
    user = User(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        title=title,
        fte=fte,
        is_staff=RoleCode.ADMINISTRATOR in roles,
    )
    user.set_password(password)
    user.full_clean()
    user.save()
    staff_set_memberships(user=user, units=units, roles=roles)
    return user


@transaction.atomic
def staff_set_memberships(*, user: User, units: list[Unit], roles: list[str]) -> None:
    groups = [unit.group for unit in units] + [role_group(code) for code in roles]
    user.groups.set(groups)
    user.is_staff = RoleCode.ADMINISTRATOR in roles
    user.save(update_fields=["is_staff"])
    user.forget_memberships()


# What the administrator role may do in the Django admin. Citizen data is deliberately absent:
# nobody gets model-wide permissions on citizens (README: Architecture, Access).
ADMINISTRATOR_MODEL_PERMISSIONS: dict[str, dict[str, tuple[str, ...]]] = {
    "accounts": {
        "organisation": ("view", "add", "change"),
        "unit": ("view", "add", "change"),
        "user": ("view", "add", "change"),
        "role": ("view",),
        "identityprovider": ("view", "add", "change"),
    },
    "audit": {"accesslogentry": ("view",)},
    "citizens": {"targetgroup": ("view", "add", "change")},
    "cases": {"episodetype": ("view", "add", "change"), "benefittype": ("view", "add", "change")},
    "consent": {"informationcategory": ("view", "add", "change"), "consenttext": ("view", "add")},
}

ROLE_GROUP_NAMES = {
    RoleCode.CONSULTANT: "Rolle: IPS-konsulent",
    RoleCode.TEAM_LEAD: "Rolle: Teamleder",
    RoleCode.CLINICIAN: "Rolle: Behandler",
    RoleCode.COORDINATOR: "Rolle: Tovholder",
    RoleCode.MANAGER: "Rolle: Leder",
    RoleCode.STEERING_GROUP: "Rolle: Styregruppe",
    RoleCode.ADMINISTRATOR: "Rolle: Administrator",
}


@transaction.atomic
def roles_ensure() -> None:
    """Create the role groups and the administrator's admin permissions; safe to run again."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Permission

    # post_migrate reaches this app before the apps after it have their permissions made.
    for app_label in ADMINISTRATOR_MODEL_PERMISSIONS:
        create_permissions(apps.get_app_config(app_label), verbosity=0)
    for code, group_name in ROLE_GROUP_NAMES.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        Role.objects.get_or_create(code=code, defaults={"group": group})
    admin_group = Role.objects.get(code=RoleCode.ADMINISTRATOR).group
    codenames = [
        (app_label, f"{action}_{model}")
        for app_label, models in ADMINISTRATOR_MODEL_PERMISSIONS.items()
        for model, actions in models.items()
        for action in actions
    ]
    for app_label, codename in codenames:
        permission = Permission.objects.get(content_type__app_label=app_label, codename=codename)
        admin_group.permissions.add(permission)


def organisation_ensure(*, name: str, kind: str) -> Organisation:
    """The organisation with this name (any case), or a new one of ``kind``: an imported
    spreadsheet names the municipalities and psychiatry units in its own words."""
    organisation = Organisation.objects.filter(name__iexact=name.strip()).first()
    if organisation is not None:
        return organisation
    organisation = Organisation(
        name=name.strip(),
        kind=kind,
        municipality=name.strip() if kind == OrganisationKind.MUNICIPALITY else "",
    )
    organisation.full_clean()
    organisation.save()
    return organisation
