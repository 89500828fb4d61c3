"""A real OpenID Provider (idp/server.mjs) with a staff issuer and a citizens' (MitID) issuer,
and the portal's live server signing in through it."""

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from demo.identity import (
    CITIZEN_SCOPES,
    PASSWORD_ONLY,
    STAFF_SCOPES,
    TWO_FACTORS,
    IssuerConfig,
    citizen_account,
    citizen_client,
    identity_provider_config,
    staff_account,
    staff_client,
)
from ipsportal.accounts.models import IdentityProvider, Organisation, RoleCode
from ipsportal.accounts.services import unit_create
from tests.idp import free_port, running_identity_provider

UNKNOWN_CPR = "1705901999"  # valid, and nobody in these tests has it
FATIMA_CPR = "0101651236"


@dataclass(frozen=True)
class Providers:
    staff_issuer: str
    citizen_issuer: str


# The portal's clients at the staff issuer: one that behaves, and two whose ID tokens the
# provider spoils on purpose (server.mjs "faults").
CLIENTS = {
    "region": ("region-syddanmark", "ips-portal-region", None),
    "wrong-audience": ("forkert-publikum", "ips-portal-wrong-aud", "wrong_audience"),
    "expired": ("udloebet", "ips-portal-expired", "expired"),
}
SECRET = "test-client-secret-0123456789-abcdefghij"


def _provider_rows(staff_issuer: str) -> dict[str, IdentityProvider]:
    return {
        key: IdentityProvider(
            slug=slug,
            name=f"Login {slug}",
            issuer=staff_issuer,
            client_id=client_id,
            client_secret=SECRET,
        )
        for key, (slug, client_id, _fault) in CLIENTS.items()
    }


def _staff_accounts() -> dict[str, dict[str, object]]:
    att = Organisation(name="ATT", identity_provider_key="att")
    unknown = Organisation(name="Ukendt", identity_provider_key="ukendt-hospital")
    return {
        "sara": staff_account(
            label="",
            given_name="Sara",
            family_name="Lund",
            organisation=att,
            roles=[RoleCode.CLINICIAN],
            units=["Behandlerteamet"],
            amr=TWO_FACTORS,
        ),
        "jonas": staff_account(
            label="",
            given_name="Jonas",
            family_name="Holm",
            organisation=att,
            roles=[RoleCode.CLINICIAN, "superbruger"],
            units=["Behandlerteamet"],
            amr=PASSWORD_ONLY,
        ),
        "uden.rolle": staff_account(
            label="",
            given_name="Peter",
            family_name="Berg",
            organisation=att,
            roles=[],
            units=["Behandlerteamet"],
            amr=TWO_FACTORS,
        ),
        "kun.administrator": staff_account(
            label="",
            given_name="Ida",
            family_name="Dam",
            organisation=att,
            roles=[RoleCode.ADMINISTRATOR],
            units=["Behandlerteamet"],
            amr=TWO_FACTORS,
        ),
        "fremmed": staff_account(
            label="",
            given_name="Eva",
            family_name="Krog",
            organisation=unknown,
            roles=[RoleCode.CLINICIAN],
            units=["Behandlerteamet"],
            amr=TWO_FACTORS,
        ),
    }


@pytest.fixture(scope="session")
def identity_providers(live_server) -> Iterator[Providers]:
    staff = IssuerConfig(port=free_port(), title="Regionens login (test)", scopes=STAFF_SCOPES)
    citizen = IssuerConfig(port=free_port(), title="MitID (test)", scopes=CITIZEN_SCOPES)
    portal_urls = [live_server.url]
    staff.clients = [
        staff_client(provider, portal_urls) for provider in _provider_rows(staff.issuer).values()
    ]
    staff.faults = {client_id: fault for _slug, client_id, fault in CLIENTS.values() if fault}
    staff.accounts = _staff_accounts()
    citizen.clients = [citizen_client(portal_urls)]
    citizen.accounts = {
        "fatima": citizen_account(cpr=FATIMA_CPR, given_name="Fatima", family_name="Haddad"),
        "ukendt": citizen_account(cpr=UNKNOWN_CPR, given_name="Ukendt", family_name="Person"),
        "forkert.cpr": citizen_account(cpr="3213650000", given_name="Ikke", family_name="Gyldig"),
    }
    with running_identity_provider(identity_provider_config({"staff": staff, "citizen": citizen})):
        yield Providers(staff_issuer=staff.issuer, citizen_issuer=citizen.issuer)


@pytest.fixture
def oidc(identity_providers, settings, att, treatment_team_att) -> dict[str, IdentityProvider]:
    """The providers as the portal knows them: ATT signs its staff in through the region's."""
    settings.CITIZEN_OIDC_ISSUER = identity_providers.citizen_issuer
    rows = _provider_rows(identity_providers.staff_issuer)
    for row in rows.values():
        row.save()
    att.identity_provider = rows["region"]
    att.identity_provider_key = "att"
    att.save()
    for key in ("wrong-audience", "expired"):
        # The spoiled clients serve an organisation of their own, with the same claim value.
        organisation = Organisation.objects.create(
            name=f"ATT via {key}",
            kind=att.kind,
            identity_provider=rows[key],
            identity_provider_key="att",
        )
        unit_create(organisation=organisation, name="Behandlerteamet")
    return rows
