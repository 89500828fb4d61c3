"""The demo's identity providers: a local OpenID Provider (idp/server.mjs, npm's oidc-provider)
with a staff issuer, which Region Syddanmark's psychiatry and Vejle Kommune sign their staff in
through, and a citizens' issuer standing in for the MitID broker.

``identity_provider_config`` is the one place that writes the provider's configuration file;
the demo and the tests both call it.
"""

import datetime
import os
import secrets
import urllib.parse
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q
from django.utils import timezone

from demo import data
from ipsportal.accounts.models import IdentityProvider, Organisation, RoleCode
from ipsportal.citizens.cpr import cpr_decrypt, cpr_make
from ipsportal.citizens.models import Citizen
from ipsportal.signin.adapter import CITIZEN_PROVIDER_ID, staff_provider_id

STAFF_SCOPES = {"ips": ["organisation", "roles", "units"]}
CITIZEN_SCOPES = {"cpr": ["cpr"]}
# RFC 8176 values: a password and a second factor, or a password alone.
TWO_FACTORS = ["pwd", "mfa"]
PASSWORD_ONLY = ["pwd"]


@dataclass
class IssuerConfig:
    port: int
    title: str
    scopes: dict[str, list[str]]
    clients: list[dict[str, object]] = field(default_factory=list)
    accounts: dict[str, dict[str, object]] = field(default_factory=dict)
    faults: dict[str, str] = field(default_factory=dict)

    @property
    def issuer(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def callback_urls(portal_urls: list[str], provider_id: str) -> list[str]:
    return [f"{url.rstrip('/')}/oidc/{provider_id}/login/callback/" for url in portal_urls]


def staff_client(provider: IdentityProvider, portal_urls: list[str]) -> dict[str, Any]:
    return {
        "client_id": provider.client_id,
        "client_secret": provider.client_secret,
        "redirect_uris": callback_urls(portal_urls, staff_provider_id(provider)),
    }


def citizen_client(portal_urls: list[str]) -> dict[str, Any]:
    return {
        "client_id": settings.CITIZEN_OIDC_CLIENT_ID,
        "client_secret": settings.CITIZEN_OIDC_CLIENT_SECRET,
        "redirect_uris": callback_urls(portal_urls, CITIZEN_PROVIDER_ID),
    }


def staff_account(
    *,
    label: str,
    given_name: str,
    family_name: str,
    organisation: Organisation,
    roles: list[str],
    units: list[str],
    amr: list[str],
) -> dict[str, Any]:
    claims: dict[str, object] = {
        "given_name": given_name,
        "family_name": family_name,
        "name": f"{given_name} {family_name}",
        "email": f"{given_name.lower()}.{family_name.lower()}@demo.ipsportal.dk",
        "organisation": organisation.identity_provider_key,
        "units": units,
    }
    if roles:
        claims["roles"] = roles
    return {"label": label, "claims": claims, "amr": amr}


def citizen_account(*, cpr: str, given_name: str, family_name: str) -> dict[str, Any]:
    return {
        "label": f"{given_name} {family_name}",
        "claims": {
            "cpr": cpr,
            "given_name": given_name,
            "family_name": family_name,
            "name": f"{given_name} {family_name}",
        },
        "amr": ["hwk"],
    }


def identity_provider_config(issuers: dict[str, IssuerConfig]) -> dict[str, Any]:
    """The configuration file idp/server.mjs reads."""
    return {
        "issuers": {
            name: {
                "port": issuer.port,
                "title": issuer.title,
                "scopes": issuer.scopes,
                "clients": issuer.clients,
                "accounts": issuer.accounts,
                "faults": issuer.faults,
            }
            for name, issuer in issuers.items()
        }
    }


# --- The demo ---------------------------------------------------------------------------------

STAFF_PORT = int(os.environ.get("IDP_STAFF_PORT", "8010"))

# (slug, name, the organisations it serves with their claim values)
DEMO_PROVIDERS = [
    (
        "region-syddanmark",
        "Region Syddanmarks login (demo)",
        [(data.ATT, "att"), (data.LOCAL_PSYCHIATRY_VEJLE, "lokalpsykiatri-vejle")],
    ),
    (
        "vejle-kommune",
        "Vejle Kommunes login (demo)",
        [
            ("Jobcenter Vejle", "jobcenter-vejle"),
            (data.SOCIAL_PSYCHIATRY_VEJLE, "socialpsyk-vejle"),
        ],
    ),
]


def _demo_providers(staff_issuer: str) -> list[IdentityProvider]:
    providers = []
    for slug, name, served in DEMO_PROVIDERS:
        provider = IdentityProvider.objects.filter(slug=slug).first()
        if provider is None:
            provider = IdentityProvider.objects.create(
                slug=slug,
                name=name,
                issuer=staff_issuer,
                client_id=f"ips-portal-{slug}",
                client_secret=secrets.token_urlsafe(32),
            )
        for organisation_name, key in served:
            Organisation.objects.filter(name=organisation_name, identity_provider=None).update(
                identity_provider=provider, identity_provider_key=key
            )
        providers.append(provider)
    return providers


def _demo_staff_accounts() -> dict[str, dict[str, object]]:
    att = Organisation.objects.get(name=data.ATT)
    vejle = Organisation.objects.get(name="Jobcenter Vejle")
    return {
        "sara.att": staff_account(
            label="Behandler på ATT; MitID Erhverv med to faktorer",
            given_name="Sara",
            family_name="Lund",
            organisation=att,
            roles=[RoleCode.CLINICIAN],
            units=["Behandlerteamet"],
            amr=TWO_FACTORS,
        ),
        "jonas.vejle": staff_account(
            label="IPS-konsulent i Jobcenter Vejle; kun adgangskode, så portalens anden faktor",
            given_name="Jonas",
            family_name="Holm",
            organisation=vejle,
            roles=[RoleCode.CONSULTANT],
            units=["IPS-teamet"],
            amr=PASSWORD_ONLY,
        ),
        "uden.rolle": staff_account(
            label="Ansat på ATT uden en rolle i IPS Portal (afvises)",
            given_name="Peter",
            family_name="Berg",
            organisation=att,
            roles=[],
            units=["Behandlerteamet"],
            amr=TWO_FACTORS,
        ),
    }


def _demo_citizen_accounts(count: int = 3) -> dict[str, dict[str, object]]:
    """Citizens with an open course and a shared plan, first those who were discussed at a
    Fælles Team meeting and received its minutes (among them first those whose pages open in
    Danish, then those on the coming meeting's agenda), so that the citizen's pages show
    meetings and letters; and one person the portal does not know."""
    from cases.models import Course
    from meetings.models import CaseDiscussion, DigitalPostLetter

    citizen_ids = list(
        Course.objects.filter(ended_on__isnull=True, citizen__plan__isnull=False)
        .annotate(
            received_minutes=Exists(
                DigitalPostLetter.objects.filter(citizen=OuterRef("citizen"), sent_at__isnull=False)
            ),
            on_a_coming_agenda=Exists(
                CaseDiscussion.objects.filter(
                    citizen=OuterRef("citizen"), occurrence__ends_at__gt=timezone.now()
                )
            ),
            # The first ones' pages open in Danish, as a newcomer to the demo reads them.
            opens_in_danish=ExpressionWrapper(
                ~Q(citizen__preferred_language__in=["ar", "en"]), output_field=BooleanField()
            ),
        )
        .order_by(
            "-received_minutes", "-opens_in_danish", "-on_a_coming_agenda", "start_date", "pk"
        )
        .values_list("citizen_id", flat=True)[:count]
    )
    accounts = {}
    citizens = Citizen.objects.in_bulk(citizen_ids)
    for number, citizen in enumerate((citizens[pk] for pk in citizen_ids), start=1):
        accounts[f"borger{number}"] = citizen_account(
            cpr=cpr_decrypt(citizen.cpr_ciphertext),
            given_name=citizen.given_name,
            family_name=citizen.family_name,
        )
    accounts["ukendt.borger"] = citizen_account(
        cpr=cpr_make(datetime.date(1990, 5, 17), serial=999),
        given_name="Ukendt",
        family_name="Borger",
    )
    return accounts


def _citizen_port() -> int:
    return int(settings.CITIZEN_OIDC_ISSUER.rsplit(":", 1)[-1].strip("/"))


def portal_port_taken(portal_urls: list[str]) -> str | None:
    """Why the portal cannot run at one of ``portal_urls`` beside the local providers (the
    port is one of theirs), or None. Found before seeding: otherwise the web process stops
    with "That port is already in use" after everything else has started."""
    providers = {STAFF_PORT: "the organisation login", _citizen_port(): "the MitID stand-in"}
    for url in portal_urls:
        port = urllib.parse.urlsplit(url).port
        if port in providers:
            return (
                f"The portal cannot run on port {port}: {providers[port]} of the demo runs there. "
                f"Choose another port, e.g. make demo PORT=8000."
            )
    return None


def demo_identity_seed(*, portal_urls: list[str], staff_port: int = STAFF_PORT) -> dict[str, Any]:
    """The demo's identity providers in the database, and the local provider's configuration."""
    staff = IssuerConfig(port=staff_port, title="Organisationens login (demo)", scopes=STAFF_SCOPES)
    providers = _demo_providers(staff.issuer)
    staff.clients = [staff_client(provider, portal_urls) for provider in providers]
    staff.accounts = _demo_staff_accounts()
    citizen = IssuerConfig(
        port=_citizen_port(),
        title="MitID (demo)",
        scopes=CITIZEN_SCOPES,
        clients=[citizen_client(portal_urls)],
        accounts=_demo_citizen_accounts(),
    )
    return identity_provider_config({"staff": staff, "citizen": citizen})
