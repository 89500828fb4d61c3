"""Employers as the job centre's records: found or created when a consultant records a contact,
and the people the team talks to there."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from cases.models import Employer, EmployerContactPerson
from ipsportal.accounts.models import Organisation


def employer_known(*, organisation: Organisation, name: str) -> Employer | None:
    """The job centre's employer of this name, if it has one (a job or place started there)."""
    name = name.strip()
    if not name:
        return None
    return (
        Employer.objects.filter(organisation=organisation, name__iexact=name).order_by("pk").first()
    )


def employer_ensure(*, organisation: Organisation, name: str, cvr: str = "") -> Employer:
    """The job centre's employer with this CVR number (or, without one, this name), created
    when it is new. ``cvr`` is clean already (``cvr_clean``)."""
    name = name.strip()
    known = Employer.objects.filter(organisation=organisation)
    found = (
        known.filter(cvr=cvr).first()
        if cvr
        else employer_known(organisation=organisation, name=name)
    )
    if found is not None:
        if cvr and not found.cvr:
            found.cvr = cvr
            found.save(update_fields=["cvr"])
        return found
    if cvr:
        # A contact recorded without a CVR number may have made the employer already.
        by_name = known.filter(name__iexact=name, cvr="").order_by("pk").first()
        if by_name is not None:
            by_name.cvr = cvr
            by_name.save(update_fields=["cvr"])
            return by_name
    try:
        with transaction.atomic():
            return Employer.objects.create(organisation=organisation, name=name, cvr=cvr)
    except IntegrityError:
        # Another consultant recorded the same CVR number a moment ago.
        return Employer.objects.get(organisation=organisation, cvr=cvr)


@transaction.atomic
def employer_contact_person_add(
    *, employer: Employer, name: str, title: str = "", phone: str = "", email: str = ""
) -> EmployerContactPerson:
    if not name.strip():
        raise ValidationError({"name": _("Write the person's name.")})
    person = EmployerContactPerson(
        employer=employer,
        name=name.strip(),
        title=title.strip(),
        phone=phone.strip(),
        email=email.strip(),
    )
    person.full_clean(exclude=["employer"])
    person.save()
    return person
