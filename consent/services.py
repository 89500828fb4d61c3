"""Writes for consents. Each service is one transaction that also re-derives the citizen's
object-permission grants (consent/grants.py), so a withdrawal is effective on the next request."""

import contextlib
import datetime
from collections.abc import Iterable

from dateutil.relativedelta import relativedelta
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from consent import grants, reference
from consent.models import (
    Consent,
    ConsentDocument,
    ConsentMethod,
    ConsentText,
    InformationCategory,
)
from ipsportal.accounts.models import Organisation, Unit, User
from ipsportal.citizens.models import Citizen
from ipsportal.core.dates import day_text


def information_category_ensure(
    *, code: str, name: str, description: str = "", position: int = 0
) -> InformationCategory:
    """A category and the object permission that consents grant for it."""
    category, _created = InformationCategory.objects.get_or_create(
        code=code, defaults={"name": name, "description": description, "position": position}
    )
    Permission.objects.get_or_create(
        codename=category.permission_codename,
        content_type=ContentType.objects.get_for_model(Citizen),
        defaults={"name": f"Can view {code}"},
    )
    return category


@transaction.atomic
def consent_reference_data_ensure() -> None:
    for position, (code, name, description) in enumerate(reference.STANDARD_CATEGORIES):
        with translation.override("da"):
            danish_name = str(name)
        information_category_ensure(
            code=code, name=danish_name, description=description, position=position
        )
    for language, (title, body) in reference.CONSENT_TEXTS.items():
        ConsentText.objects.get_or_create(
            version=reference.CONSENT_TEXT_VERSION,
            language=language,
            defaults={
                "title": title,
                "body": body,
                "valid_from": reference.CONSENT_TEXT_VALID_FROM,
            },
        )


def consent_give(
    *,
    citizen: Citizen,
    recorded_by: User | None,
    recording_organisation: Organisation,
    organisations: Iterable[Organisation],
    categories: Iterable[InformationCategory],
    purpose: str,
    given_on: datetime.date,
    valid_from: datetime.date,
    valid_until: datetime.date,
    method: str,
    text: ConsentText,
    document_reference: str = "",
    given_by_citizen: bool = False,
) -> Consent:
    """Record a consent, by a staff member or given by the citizen on their own pages
    (``given_by_citizen``, no staff member). Raises ValidationError (field-keyed, translated);
    nothing is saved then."""
    if recorded_by is None and not given_by_citizen:
        raise ValueError("A consent is recorded by a staff member or given by the citizen.")
    named = {org.pk: org for org in organisations}
    named.setdefault(recording_organisation.pk, recording_organisation)
    categories = list(categories)
    today = timezone.localdate()
    errors: dict[str, str] = {}
    if len(named) < 2:
        errors["organisations"] = _(
            "Choose at least one organisation besides your own that may receive information."
        )
    if not categories:
        errors["categories"] = _("Choose at least one category of information.")
    if valid_until < valid_from:
        errors["valid_until"] = _("The consent cannot end before it starts.")
    if given_on > today:
        errors["given_on"] = _("The date the consent was given cannot be in the future.")
    elif given_on > valid_until and "valid_until" not in errors:
        # A wrong end date is one error, marked on the end date alone.
        errors["given_on"] = _("The consent must be given before it ends.")
    if text.valid_from > given_on and "given_on" not in errors:
        # The consent records the text the citizen agreed to: one not yet written on the day
        # the consent was given cannot be it.
        refusal = _(
            "This text came into use on %(in_use_from)s, after the consent was given: choose "
            "the text the citizen was shown."
        ) % {"in_use_from": day_text(text.valid_from)}
        # The form proposes today's text; a consent signed on paper some time ago was most
        # likely signed on the text in use then, so the refusal names it.
        with contextlib.suppress(ConsentText.DoesNotExist):
            text_then = consent_text_in_use(language=citizen.preferred_language, on=given_on)
            refusal += " " + _("The text in use on %(given_on)s: %(text)s.") % {
                "given_on": day_text(given_on),
                "text": text_then,
            }
        errors["text"] = refusal
    if errors:
        raise ValidationError(errors)
    consent = Consent(
        citizen=citizen,
        purpose=purpose,
        given_on=given_on,
        valid_from=valid_from,
        valid_until=valid_until,
        method=method,
        text=text,
        document_reference=document_reference.strip(),
        recorded_by=recorded_by,
        recorded_by_organisation=recording_organisation,
        given_by_citizen=given_by_citizen,
    )
    consent.full_clean()
    with transaction.atomic():
        consent.save()
        consent.organisations.set(named.values())
        consent.categories.set(categories)
        grants.consent_grants_sync(citizen_ids=[citizen.pk])
    return consent


CITIZEN_RENEWAL_MONTHS = 12


def consent_text_current(*, language: str) -> ConsentText:
    """The consent text in use today, in the language asked for where there is one."""
    return consent_text_in_use(language=language, on=timezone.localdate())


def consent_text_in_use(*, language: str, on: datetime.date) -> ConsentText:
    """The consent text in use on the day, in the language asked for where there is one."""
    texts = ConsentText.objects.filter(valid_from__lte=on).order_by("-valid_from", "-pk")
    text = texts.filter(language=language).first() or texts.filter(language="da").first()
    if text is None:
        raise ConsentText.DoesNotExist(f"No consent text was in use on {on} (the admin adds one).")
    return text


def consent_renew_by_citizen(
    *, earlier: Consent, categories: Iterable[InformationCategory] | None = None
) -> Consent:
    """The citizen gives a consent between the same organisations as an earlier one, for the
    kinds of information they choose (the earlier ones by default), from today, on the current
    consent text, signed in with MitID."""
    today = timezone.localdate()
    citizen = earlier.citizen
    return consent_give(
        citizen=citizen,
        recorded_by=None,
        given_by_citizen=True,
        recording_organisation=earlier.recorded_by_organisation,
        organisations=earlier.organisations.all(),
        categories=earlier.categories.filter(active=True) if categories is None else categories,
        purpose=earlier.purpose,
        given_on=today,
        valid_from=today,
        valid_until=today + relativedelta(months=CITIZEN_RENEWAL_MONTHS),
        method=ConsentMethod.DIGITAL,
        text=consent_text_current(language=citizen.preferred_language),
        document_reference=str(_("Given by the citizen with MitID on their own pages")),
    )


def consent_withdraw(
    *, consent: Consent, withdrawn_by: User | None, note: str = "", by_citizen: bool = False
) -> Consent:
    """Withdraw at once, recorded by a staff member or by the citizen on their own pages
    (``by_citizen``, no staff member). Withdrawing twice (two people at the same moment)
    records one withdrawal and is not an error."""
    if withdrawn_by is None and not by_citizen:
        raise ValueError("A withdrawal is recorded by a staff member or by the citizen.")
    with transaction.atomic():
        locked = Consent.objects.select_for_update().get(pk=consent.pk)
        if locked.withdrawn_at is None:
            locked.withdrawn_at = timezone.now()
            locked.withdrawn_by = withdrawn_by
            locked.withdrawn_by_citizen = by_citizen
            locked.withdrawal_note = note.strip()[:500]
            locked.save(
                update_fields=[
                    "withdrawn_at",
                    "withdrawn_by",
                    "withdrawn_by_citizen",
                    "withdrawal_note",
                ]
            )
            grants.consent_grants_sync(citizen_ids=[locked.citizen_id])
    return locked


def consents_expire(*, today: datetime.date | None = None) -> int:
    """Record the expiry of consents whose end date has passed, and re-derive the grants of the
    citizens whose consents expired or began since yesterday, or that name an organisation that
    got a new unit since yesterday (its staff are covered from then on). Idempotent."""
    today = today or timezone.localdate()
    with transaction.atomic():
        expiring = Consent.objects.select_for_update().filter(
            withdrawn_at__isnull=True, expired_at__isnull=True, valid_until__lt=today
        )
        citizen_ids = set(expiring.values_list("citizen_id", flat=True))
        count = expiring.update(expired_at=timezone.now())
        starting = Consent.objects.filter(
            withdrawn_at__isnull=True,
            valid_from__gt=today - datetime.timedelta(days=2),
            valid_from__lte=today,
        )
        citizen_ids |= set(starting.values_list("citizen_id", flat=True))
        new_units = Unit.objects.filter(
            created_at__gte=timezone.now() - datetime.timedelta(days=2)
        ).values("organisation_id")
        citizen_ids |= set(
            Consent.objects.active_on(today)
            .filter(organisations__in=new_units)
            .values_list("citizen_id", flat=True)
        )
        if citizen_ids:
            grants.consent_grants_sync(citizen_ids=sorted(citizen_ids), today=today)
    return count


@transaction.atomic
def consent_documents_remove(*, citizen: Citizen) -> None:
    """The signed forms name the citizen: their files and rows go (the consents stay)."""
    for document in ConsentDocument.objects.filter(consent__citizen=citizen):
        document.file.delete(save=False)
        document.delete()
