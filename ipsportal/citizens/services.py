from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ipsportal.accounts.models import Organisation
from ipsportal.citizens import cpr as cpr_module
from ipsportal.citizens.models import Affiliation, AffiliationKind, Citizen, TargetGroup


def _duplicate_cpr_error() -> ValidationError:
    return ValidationError(
        {"cpr": _("A citizen with this CPR number is already registered in the portal.")},
        code="cpr_duplicate",
    )


def citizen_register(
    *,
    organisation: Organisation,
    cpr: str,
    given_name: str,
    family_name: str,
    phone: str = "",
    email: str = "",
    address: str = "",
    postal_code: str = "",
    city: str = "",
    preferred_language: str = "da",
    needs_interpreter: bool = False,
    target_groups: Iterable[TargetGroup] = (),
) -> Citizen:
    """Register a citizen as the organisation's own patient or client.

    Raises ValidationError (field-keyed, translated) for a bad or already registered CPR number
    or a missing field; nothing is saved then.
    """
    try:
        valid_cpr = cpr_module.cpr_validate(cpr)
    except ValidationError as error:
        raise ValidationError({"cpr": error.messages}) from error
    citizen = Citizen(
        given_name=given_name.strip(),
        family_name=family_name.strip(),
        cpr_ciphertext=cpr_module.cpr_encrypt(valid_cpr),
        cpr_digest=cpr_module.cpr_digest(valid_cpr),
        birth_date=cpr_module.cpr_birth_date(valid_cpr),
        phone=phone.strip(),
        email=email.strip(),
        address=address.strip(),
        postal_code=postal_code.strip(),
        city=city.strip(),
        preferred_language=preferred_language,
        needs_interpreter=needs_interpreter,
        registered_by=organisation,
    )
    if Citizen.objects.with_cpr(valid_cpr).exists():
        raise _duplicate_cpr_error()
    citizen.full_clean(exclude=["cpr_digest"])
    try:
        with transaction.atomic():
            citizen.save()
            citizen.target_groups.set(target_groups)
            Affiliation.objects.create(
                citizen=citizen, organisation=organisation, kind=AffiliationKind.REGISTERED
            )
    except IntegrityError as error:
        # Two registrations of one CPR at the same moment: the unique digest decides.
        if Citizen.objects.with_cpr(valid_cpr).exists():
            raise _duplicate_cpr_error() from error
        raise
    return citizen


# The seeds' target groups. The list is editable in the admin; these are ensured after every
# migrate (and after the flushes tests do) so a new installation starts with them.
STANDARD_TARGET_GROUPS = [
    ("flygtning-ptsd", "Flygtning med PTSD (ATT)"),
    ("ung-18-29", "Ung 18-29 år"),
    ("dobbeltdiagnose", "Dobbeltdiagnose (psykisk lidelse og rusmiddelbrug)"),
]


def target_groups_ensure() -> None:
    for code, name in STANDARD_TARGET_GROUPS:
        TargetGroup.objects.get_or_create(code=code, defaults={"name": name})
