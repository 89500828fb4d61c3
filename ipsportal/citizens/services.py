import datetime
import hashlib
import uuid
from collections.abc import Callable, Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ipsportal.accounts.models import Organisation, User
from ipsportal.citizens import cpr as cpr_module
from ipsportal.citizens.cpr_register import cpr_register_lookup
from ipsportal.citizens.models import (
    Affiliation,
    AffiliationKind,
    Citizen,
    CitizenChange,
    ContactDetails,
    NetworkMember,
    NetworkRelation,
    TargetGroup,
)

CONTACT_FIELDS = ("phone", "email", "address", "postal_code", "city")


def affiliation_open(
    *,
    citizen: Citizen,
    organisation: Organisation,
    kind: str = AffiliationKind.REGISTERED,
    started_on: datetime.date | None = None,
) -> Affiliation:
    """The organisation has the citizen from ``started_on`` (today): the open affiliation, or a
    new period where none is open; an ended period is left as it ended, and a new period starts
    no earlier than the day the last one ended (a back-dated referral does not reach into it).
    Registering makes a citizen referred under consent the organisation's own patient or
    client; a referral does not change an open affiliation."""
    affiliation = Affiliation.objects.open_one(citizen=citizen, organisation=organisation)
    if affiliation is None:
        last_ended_on = Affiliation.objects.filter(
            citizen=citizen, organisation=organisation
        ).aggregate(last=Max("ended_on"))["last"]
        return Affiliation.objects.create(
            citizen=citizen,
            organisation=organisation,
            kind=kind,
            started_on=max(started_on or timezone.localdate(), last_ended_on or datetime.date.min),
        )
    if kind == AffiliationKind.REGISTERED and affiliation.kind != kind:
        affiliation.kind = kind
        affiliation.save(update_fields=["kind"])
    return affiliation


def contact_details_save(
    *, citizen: Citizen, organisation: Organisation, **fields: str
) -> ContactDetails | None:
    """The organisation's own contact details for the citizen, replaced by ``fields``; none are
    kept when every field is empty."""
    details = ContactDetails.objects.filter(citizen=citizen, organisation=organisation).first()
    details = details or ContactDetails(citizen=citizen, organisation=organisation)
    kept = {name: getattr(details, name) for name in CONTACT_FIELDS}
    for name in CONTACT_FIELDS:
        setattr(details, name, fields.get(name, "").strip())
    details.full_clean(exclude=["citizen", "organisation"])
    if details.is_empty():
        if details.pk:
            details.delete()
        return None
    if details.pk is None or any(getattr(details, name) != kept[name] for name in CONTACT_FIELDS):
        details.save()
    return details


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
    """Register a citizen as the organisation's own patient or client: register-or-link.

    A CPR number the portal does not know becomes a new citizen; the name and address come from
    the CPR register where one is connected (cpr_register.py), otherwise from what was typed.
    A CPR number the portal knows links the organisation to that citizen: the organisation gets
    its own affiliation and its own contact details, and nothing another organisation recorded
    is changed or shown to it. The caller cannot tell the two apart (docs/identity.md).

    Raises ValidationError (field-keyed, translated) for a bad CPR number or a missing field;
    nothing is saved then.
    """
    try:
        valid_cpr = cpr_module.cpr_validate(cpr)
    except ValidationError as error:
        raise ValidationError({"cpr": error.messages}) from error
    register = cpr_register_lookup(valid_cpr)
    if register is not None:
        given_name, family_name = register.given_name, register.family_name
        if not (address or postal_code or city):
            address, postal_code, city = register.address, register.postal_code, register.city
    contact = {
        "phone": phone,
        "email": email,
        "address": address,
        "postal_code": postal_code,
        "city": city,
    }
    candidate = _citizen_candidate(
        organisation=organisation,
        cpr=valid_cpr,
        given_name=given_name,
        family_name=family_name,
        preferred_language=preferred_language,
        needs_interpreter=needs_interpreter,
    )
    # Everything typed is checked whether or not the CPR number is known, so the answer to a
    # known number is the answer to an unknown one.
    ContactDetails(citizen=candidate, organisation=organisation, **contact).full_clean(
        exclude=["citizen", "organisation"]
    )

    def link(citizen: Citizen) -> None:
        citizen.target_groups.add(*target_groups)
        affiliation_open(citizen=citizen, organisation=organisation)
        contact_details_save(citizen=citizen, organisation=organisation, **contact)

    return _register_or_link(candidate, cpr=valid_cpr, link=link)


def citizen_register_from_records(
    *,
    cpr: str,
    given_name: str,
    family_name: str,
    registered_by: Organisation,
    organisations: Iterable[Organisation],
) -> Citizen:
    """The citizen another system's records name (an imported spreadsheet of courses): the
    citizen the portal knows by the CPR number, or a new one with the names in the records.

    Each of ``organisations`` that has never had the citizen gets an affiliation; one whose
    affiliation ended is not opened again, because a record of the past does not make the
    citizen its patient or client today. Nothing the portal holds about a known citizen (names,
    contact details) is changed. Raises ValidationError for a bad CPR number or name.
    """
    try:
        valid_cpr = cpr_module.cpr_validate(cpr)
    except ValidationError as error:
        raise ValidationError({"cpr": error.messages}) from error
    candidate = _citizen_candidate(
        organisation=registered_by, cpr=valid_cpr, given_name=given_name, family_name=family_name
    )

    def link(citizen: Citizen) -> None:
        for organisation in organisations:
            if not Affiliation.objects.filter(citizen=citizen, organisation=organisation).exists():
                Affiliation.objects.create(
                    citizen=citizen, organisation=organisation, kind=AffiliationKind.REGISTERED
                )

    return _register_or_link(candidate, cpr=valid_cpr, link=link)


def _citizen_candidate(
    *,
    organisation: Organisation,
    cpr: str,
    given_name: str,
    family_name: str,
    preferred_language: str = "da",
    needs_interpreter: bool = False,
) -> Citizen:
    """A new citizen with a valid CPR number, checked and not yet saved."""
    candidate = Citizen(
        given_name=given_name.strip(),
        family_name=family_name.strip(),
        cpr_ciphertext=cpr_module.cpr_encrypt(cpr),
        cpr_digest=cpr_module.cpr_digest(cpr),
        birth_date=cpr_module.cpr_birth_date(cpr),
        preferred_language=preferred_language,
        needs_interpreter=needs_interpreter,
        registered_by=organisation,
    )
    candidate.full_clean(exclude=["cpr_digest"])
    return candidate


def _register_or_link(candidate: Citizen, *, cpr: str, link: Callable[[Citizen], None]) -> Citizen:
    """The citizen with this CPR number, or ``candidate`` saved as new; then ``link`` ties the
    caller's organisation to them, in the same transaction."""
    for attempt in range(2):
        try:
            with transaction.atomic():
                citizen = Citizen.objects.select_for_update().with_cpr(cpr).first()
                if citizen is None:
                    citizen = candidate
                    citizen.save()
                link(citizen)
                return citizen
        except IntegrityError:
            # Two registrations of one new CPR at the same moment: the unique digest lets one
            # create the citizen; the other links to it.
            candidate.pk = None
            if attempt:
                raise
    raise AssertionError("unreachable")


def target_group_ensure(name: str) -> TargetGroup:
    """The target group with this code or name; a new name (projects name their groups their
    own way) becomes a group with a code made from it."""
    group = TargetGroup.objects.filter(Q(code__iexact=name) | Q(name__iexact=name)).first()
    if group is not None:
        return group
    code = slugify(name)[:50]
    if not code:
        raise ValidationError(
            _("A target group's name must contain letters or digits: %(value)s") % {"value": name}
        )
    group, _created = TargetGroup.objects.get_or_create(code=code, defaults={"name": name[:200]})
    return group


IDENTITY_FIELDS = ("given_name", "family_name", "preferred_language", "needs_interpreter")


def _recorded_changes(
    *,
    before: object,
    after: object,
    fields: Iterable[str],
    citizen: Citizen,
    changed_by: User,
    organisation: Organisation,
    contact_details_of: Organisation | None = None,
) -> list[CitizenChange]:
    changes = [
        CitizenChange(
            citizen=citizen,
            changed_by=changed_by,
            organisation=organisation,
            contact_details_of=contact_details_of,
            field=name,
            old_value=str(getattr(before, name))[:200],
            new_value=str(getattr(after, name))[:200],
        )
        for name in fields
        if getattr(before, name) != getattr(after, name)
    ]
    CitizenChange.objects.bulk_create(changes)
    return changes


@transaction.atomic
def citizen_details_update(
    *,
    citizen: Citizen,
    changed_by: User,
    organisation: Organisation,
    given_name: str,
    family_name: str,
    preferred_language: str,
    needs_interpreter: bool,
    contact: dict[str, str],
) -> list[CitizenChange]:
    """Correct the citizen's shared details and the organisation's own contact details. Each
    changed field is kept in the history (who, when, before and after); nothing another
    organisation recorded is touched. Raises ValidationError, saving nothing, for bad input."""
    locked = Citizen.objects.select_for_update().get(pk=citizen.pk)
    updated = Citizen.objects.get(pk=citizen.pk)
    updated.given_name = given_name.strip()
    updated.family_name = family_name.strip()
    updated.preferred_language = preferred_language
    updated.needs_interpreter = needs_interpreter
    updated.full_clean(exclude=["cpr_digest", "cpr_ciphertext"])

    before = ContactDetails.objects.filter(citizen=citizen, organisation=organisation).first()
    before = before or ContactDetails(citizen=citizen, organisation=organisation)
    after = contact_details_save(citizen=citizen, organisation=organisation, **contact)
    after = after or ContactDetails(citizen=citizen, organisation=organisation)

    if any(getattr(updated, name) != getattr(locked, name) for name in IDENTITY_FIELDS):
        updated.save(update_fields=[*IDENTITY_FIELDS, "updated_at"])
    changes = _recorded_changes(
        before=locked,
        after=updated,
        fields=IDENTITY_FIELDS,
        citizen=citizen,
        changed_by=changed_by,
        organisation=organisation,
    ) + _recorded_changes(
        before=before,
        after=after,
        fields=CONTACT_FIELDS,
        citizen=citizen,
        changed_by=changed_by,
        organisation=organisation,
        contact_details_of=organisation,
    )
    for name in IDENTITY_FIELDS:
        setattr(citizen, name, getattr(updated, name))
    return changes


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


# What anonymised free text reads, in every app (reporting/retention.py decides when).
ANONYMISED_TEXT = "Anonymiseret"


@transaction.atomic
def citizen_anonymise(*, citizen: Citizen, today: datetime.date) -> None:
    """Name, CPR and contact details go; the birth year stays for the reports. No CPR number
    finds the citizen afterwards."""
    Citizen.objects.filter(pk=citizen.pk).update(
        given_name=ANONYMISED_TEXT,
        family_name=str(citizen.pk),
        cpr_ciphertext=b"",
        # A random digest: unique, and no CPR number finds the citizen any more.
        cpr_digest=hashlib.sha256(uuid.uuid4().bytes).hexdigest(),
        birth_date=citizen.birth_date.replace(month=1, day=1),
        anonymised_on=today,
    )
    ContactDetails.objects.filter(citizen=citizen).delete()


@transaction.atomic
def network_member_add(
    *,
    citizen: Citizen,
    organisation: Organisation,
    recorded_by: User,
    name: str,
    relation: str,
    citizen_agrees: bool,
    phone: str = "",
    email: str = "",
    involvement: str = "",
) -> NetworkMember:
    """A relative or network member the citizen wants involved, recorded by the organisation
    with the citizen's agreement (they are the citizen's people, not the staff's)."""
    errors: dict[str, str] = {}
    if not citizen_agrees:
        errors["citizen_agrees"] = _(
            "Record a relative or network member only when the citizen wants them involved."
        )
    if not name.strip():
        errors["name"] = _("Write the person's name.")
    if relation not in NetworkRelation.values:
        errors["relation"] = _("Choose how the person is related to the citizen.")
    if errors:
        raise ValidationError(errors)
    member = NetworkMember(
        citizen=citizen,
        organisation=organisation,
        recorded_by=recorded_by,
        name=name.strip(),
        relation=relation,
        phone=phone.strip(),
        email=email.strip(),
        involvement=involvement.strip(),
    )
    member.full_clean(exclude=["citizen", "organisation", "recorded_by"])
    member.save()
    return member


@transaction.atomic
def network_member_remove(*, member: NetworkMember, removed_by: User) -> NetworkMember:
    """The citizen no longer wants the person involved: kept with who removed it and when, so
    the record of who knew what stays, but no longer shown as part of the network."""
    member = NetworkMember.objects.select_for_update().get(pk=member.pk)
    if member.removed_at is None:
        member.removed_at = timezone.now()
        member.removed_by = removed_by
        member.save(update_fields=["removed_at", "removed_by"])
    return member
