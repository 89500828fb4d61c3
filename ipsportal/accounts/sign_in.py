"""What a verified sign-in at an organisation's identity provider becomes: a staff member with
the organisation's units and the roles the provider gives them, or a refusal that says why.

The provider's claims are the truth about the person at every sign-in: name, e-mail, units and
roles are set from them each time (docs/sign-in.md has the mapping). A refusal creates and
changes nothing.
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ipsportal.accounts.models import (
    IdentityProvider,
    Organisation,
    ProviderIdentity,
    ProviderSecondFactor,
    RoleCode,
    Unit,
    User,
)
from ipsportal.accounts.services import staff_set_memberships

ORGANISATION_CLAIM = "organisation"
ROLES_CLAIM = "roles"
UNITS_CLAIM = "units"

# An identity provider may give these roles. Administrators keep local accounts: the admin is
# where providers are configured, so it must not depend on one.
ROLES_A_PROVIDER_MAY_GIVE = frozenset(RoleCode.values) - {RoleCode.ADMINISTRATOR}

# RFC 8176: "mfa" says the person used more than one factor.
AMR_MULTIPLE_FACTORS = "mfa"


class SignInRefused(Exception):
    """The provider vouched for the person, but the portal cannot let them in. ``message`` is
    for the person (translated); ``code`` for the log."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(code)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class StaffSignIn:
    user: User
    second_factor: ProviderSecondFactor | None


def _listed(value: object) -> list[str]:
    """A claim that may be one string or a list of them."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, Sequence):
        return [str(item) for item in value]
    return []


def _organisation_for(provider: IdentityProvider, claims: Mapping[str, object]) -> Organisation:
    key = claims.get(ORGANISATION_CLAIM)
    organisation = (
        Organisation.objects.filter(identity_provider=provider, identity_provider_key=key).first()
        if isinstance(key, str) and key
        else None
    )
    if organisation is None:
        raise SignInRefused(
            "unknown_organisation",
            str(
                _(
                    "Your organisation's login is not set up for IPS Portal. Ask your "
                    "organisation's IPS Portal administrator to connect your organisation."
                )
            ),
        )
    return organisation


def _roles_from(claims: Mapping[str, object]) -> list[str]:
    roles = sorted(set(_listed(claims.get(ROLES_CLAIM))) & ROLES_A_PROVIDER_MAY_GIVE)
    if not roles:
        raise SignInRefused(
            "no_role",
            str(
                _(
                    "Your organisation's login does not give you a role in IPS Portal, so you "
                    "cannot sign in. Ask your manager to give you a role (for example IPS "
                    "consultant or clinician) in your organisation's user administration."
                )
            ),
        )
    return roles


def _units_from(organisation: Organisation, claims: Mapping[str, object]) -> list[Unit]:
    named = set(_listed(claims.get(UNITS_CLAIM)))
    units = list(organisation.units.filter(name__in=named)) if named else []
    if not units:
        raise SignInRefused(
            "no_unit",
            str(
                _(
                    "Your organisation's login does not place you in a team or unit that IPS "
                    "Portal knows, so you cannot sign in. Ask your manager to check your unit."
                )
            ),
        )
    return units


def _second_factor_asserted(provider: IdentityProvider, claims: Mapping[str, object]) -> bool:
    if AMR_MULTIPLE_FACTORS in _listed(claims.get("amr")):
        return True
    acr = claims.get("acr")
    return isinstance(acr, str) and acr in provider.acr_values_with_second_factor()


def _new_username(provider: IdentityProvider, claims: Mapping[str, object]) -> str:
    wanted = str(claims.get("preferred_username") or claims.get("email") or claims["sub"])
    base = f"{provider.slug}.{re.sub(r'[^\w.@+-]', '-', wanted)}"[:140]
    username, number = base, 1
    while User.objects.filter(username=username).exists():
        number += 1
        username = f"{base}-{number}"
    return username


def _text_claim(claims: Mapping[str, object], name: str, limit: int) -> str:
    value = claims.get(name)
    return value.strip()[:limit] if isinstance(value, str) else ""


@transaction.atomic
def staff_sign_in(*, provider: IdentityProvider, claims: Mapping[str, object]) -> StaffSignIn:
    """The staff member the provider's (already verified) claims describe, made or brought up
    to date; raises SignInRefused, having changed nothing, when the portal cannot let them in.
    """
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject:
        raise SignInRefused("no_subject", str(_("The login did not say who you are.")))
    organisation = _organisation_for(provider, claims)
    roles = _roles_from(claims)
    units = _units_from(organisation, claims)

    identity = (
        ProviderIdentity.objects.select_for_update()
        .select_related("user")
        .filter(provider=provider, subject=subject)
        .first()
    )
    if identity is not None and not identity.user.is_active:
        raise SignInRefused(
            "deactivated",
            str(_("Your IPS Portal account has been closed. Ask your manager if this is wrong.")),
        )
    if identity is None:
        user = User(username=_new_username(provider, claims))
        user.set_unusable_password()
        user.save()
        identity = ProviderIdentity.objects.create(provider=provider, subject=subject, user=user)
    user = identity.user
    user.first_name = _text_claim(claims, "given_name", 150)
    user.last_name = _text_claim(claims, "family_name", 150)
    user.email = _text_claim(claims, "email", 254)
    user.save(update_fields=["first_name", "last_name", "email"])
    staff_set_memberships(user=user, units=units, roles=roles)
    identity.last_signed_in_at = timezone.now()
    identity.save(update_fields=["last_signed_in_at"])

    second_factor = None
    if _second_factor_asserted(provider, claims):
        second_factor, _created = ProviderSecondFactor.objects.get_or_create(
            user=user, provider=provider, defaults={"name": provider.name, "confirmed": True}
        )
    return StaffSignIn(user=user, second_factor=second_factor)
