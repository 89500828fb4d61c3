import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.events import timeline_record
from cases.models import Course, DeclineReason, EventKind, Referral, ReferralStatus
from cases.services import notifications
from cases.services.assignment import consultant_assign
from cases.services.follow_up import follow_ups_schedule
from consent import access
from ipsportal.accounts.models import Organisation, OrganisationKind, RoleCode, User
from ipsportal.citizens.models import Affiliation, AffiliationKind, Citizen, TargetGroup
from ipsportal.citizens.services import affiliation_open
from ipsportal.core.dates import day_text


def _target_group_checked(
    errors: dict[str, str], *, citizen: Citizen, target_group: TargetGroup | None
) -> TargetGroup | None:
    """The target group a course counts under: one of the citizen's groups, chosen at the
    referral (or at the start, without one). A citizen with target groups needs one chosen;
    with exactly one, it is that one (docs/domain.md, rule 14)."""
    groups = list(citizen.target_groups.all())
    if target_group is None and len(groups) == 1:
        return groups[0]
    if target_group is None and groups:
        errors["target_group"] = _("Choose the target group the course counts under.")
    elif target_group is not None and target_group not in groups:
        errors["target_group"] = _("Choose one of the citizen's own target groups.")
    return target_group


def _already_waiting_error(to_organisation: Organisation) -> ValidationError:
    return ValidationError(
        _("The citizen already has a referral waiting at %(organisation)s.")
        % {"organisation": to_organisation},
        code="referral_waiting",
    )


def _is_consultant_at(user: User, organisation: Organisation) -> bool:
    return user.has_role(RoleCode.CONSULTANT) and organisation.pk in user.organisation_ids()


def _consultant_error(organisation: Organisation) -> str:
    return _("Choose an IPS consultant at %(organisation)s.") % {"organisation": organisation}


def referral_create(
    *,
    citizen: Citizen,
    referred_by: User,
    from_organisation: Organisation,
    to_organisation: Organisation,
    wishes: str,
    considerations: str = "",
    referred_on: datetime.date | None = None,
    target_group: TargetGroup | None = None,
) -> Referral:
    """Refer a citizen to a job centre's IPS team. Needs a consent in force that names both
    organisations; refused with a message that says what is missing otherwise. ``referred_on``
    (today by default) records a referral made earlier, on paper."""
    today = timezone.localdate()
    referred_on = referred_on or today
    errors: dict[str, str] = {}
    if referred_on > today:
        errors["referred_on"] = _("The referral date cannot be in the future.")
    if to_organisation.kind != OrganisationKind.MUNICIPALITY:
        errors["to_organisation"] = _("Refer to a municipal job centre.")
    if not wishes.strip():
        errors["wishes"] = _("Write the citizen's own wishes for work or education.")
    target_group = _target_group_checked(errors, citizen=citizen, target_group=target_group)
    if errors:
        raise ValidationError(errors)
    consent = access.consent_in_force_between(
        citizen=citizen, organisations=[from_organisation, to_organisation]
    )
    if consent is None:
        raise ValidationError(
            _(
                "%(name)s has no consent in force that covers both %(from)s and %(to)s. "
                "Record the citizen's consent to exchange information with the job centre "
                "first, then refer."
            )
            % {"name": citizen.full_name, "from": from_organisation, "to": to_organisation},
            code="no_consent",
        )
    if Course.objects.active().filter(citizen=citizen, organisation=to_organisation).exists():
        raise ValidationError(
            _("The citizen is already in an IPS course at %(organisation)s.")
            % {"organisation": to_organisation},
            code="course_open",
        )
    if Referral.objects.filter(
        citizen=citizen, to_organisation=to_organisation, status=ReferralStatus.WAITING
    ).exists():
        raise _already_waiting_error(to_organisation)
    referral = Referral(
        citizen=citizen,
        from_organisation=from_organisation,
        to_organisation=to_organisation,
        referred_by=referred_by,
        consent=consent,
        referred_on=referred_on,
        wishes=wishes.strip(),
        considerations=considerations.strip(),
        target_group=target_group,
    )
    referral.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            referral.save()
            # Referred under consent: the job centre now knows who the citizen is.
            affiliation_open(
                citizen=citizen,
                organisation=to_organisation,
                kind=AffiliationKind.REFERRED,
                started_on=referred_on,
            )
            timeline_record(
                citizen=citizen,
                organisation=from_organisation,
                kind=EventKind.REFERRED,
                occurred_on=referred_on,
                actor=referred_by,
                summary=f"{from_organisation} → {to_organisation}",
            )
    except IntegrityError as error:
        # Two submissions at the same moment: the unique waiting referral decides.
        raise _already_waiting_error(to_organisation) from error
    notifications.referral_made(referral)
    return referral


def _decision_day(referral: Referral, decided_on: datetime.date | None) -> datetime.date:
    today = timezone.localdate()
    decided_on = decided_on or today
    if decided_on > today or decided_on < referral.referred_on:
        raise ValidationError(
            {
                "decided_on": _(
                    "The decision date must be between the referral (%(day)s) and today."
                )
                % {"day": day_text(referral.referred_on)}
            }
        )
    return decided_on


def _lock_waiting(referral: Referral) -> Referral:
    locked = Referral.objects.select_for_update().get(pk=referral.pk)
    if locked.status != ReferralStatus.WAITING:
        raise ValidationError(
            _("The referral was already %(status)s on %(day)s.")
            % {
                "status": locked.get_status_display().lower(),
                "day": day_text(locked.decided_on) if locked.decided_on else "",
            },
            code="referral_decided",
        )
    return locked


@transaction.atomic
def referral_accept(
    *,
    referral: Referral,
    decided_by: User,
    consultant: User,
    start_date: datetime.date,
    decided_on: datetime.date | None = None,
) -> Course:
    """Accept the referral, open the course and assign the consultant (under the caseload cap).
    The start date is the date of the first meeting with the consultant."""
    referral = _lock_waiting(referral)
    decided_on = _decision_day(referral, decided_on)
    errors: dict[str, str] = {}
    if not _is_consultant_at(consultant, referral.to_organisation):
        errors["consultant"] = _consultant_error(referral.to_organisation)
    if start_date < referral.referred_on:
        errors["start_date"] = _("The first meeting cannot be before the referral (%(day)s).") % {
            "day": day_text(referral.referred_on)
        }
    if errors:
        raise ValidationError(errors)
    course = Course(
        citizen=referral.citizen,
        organisation=referral.to_organisation,
        referral=referral,
        referring_organisation=referral.from_organisation,
        referred_on=referral.referred_on,
        target_group=referral.target_group
        or _target_group_checked({}, citizen=referral.citizen, target_group=None),
        start_date=start_date,
    )
    course.full_clean(validate_constraints=False)
    course.save()
    consultant_assign(course=course, consultant=consultant, assigned_by=decided_by)
    follow_ups_schedule(course)
    referral.status = ReferralStatus.ACCEPTED
    referral.decided_by = decided_by
    referral.decided_on = decided_on
    referral.save(update_fields=["status", "decided_by", "decided_on", "updated_at"])
    timeline_record(
        citizen=course.citizen,
        course=course,
        organisation=course.organisation,
        kind=EventKind.COURSE_STARTED,
        occurred_on=start_date,
        actor=decided_by,
        summary=str(consultant),
    )
    notifications.referral_decided(referral)
    return course


@transaction.atomic
def referral_decline(
    *,
    referral: Referral,
    decided_by: User,
    code: str,
    reason: str,
    decided_on: datetime.date | None = None,
) -> Referral:
    """IPS excludes nobody for diagnosis, symptoms or substance use: a decline needs a reason,
    coded (the managers count the codes) and in words (for the organisation's case staff)."""
    errors = {}
    if code not in DeclineReason.values:
        errors["code"] = _("Choose why the referral is declined.")
    if not reason.strip():
        errors["reason"] = _(
            "Write why the referral is declined. IPS excludes nobody for "
            "diagnosis, symptoms or substance use."
        )
    if errors:
        raise ValidationError(errors)
    referral = _lock_waiting(referral)
    decided_on = _decision_day(referral, decided_on)
    referral.status = ReferralStatus.DECLINED
    referral.decided_by = decided_by
    referral.decided_on = decided_on
    referral.decline_code = code
    referral.decline_reason = reason.strip()
    referral.save(
        update_fields=[
            "status",
            "decided_by",
            "decided_on",
            "decline_code",
            "decline_reason",
            "updated_at",
        ]
    )
    timeline_record(
        citizen=referral.citizen,
        organisation=referral.to_organisation,
        kind=EventKind.REFERRAL_DECLINED,
        occurred_on=referral.decided_on,
        actor=decided_by,
        summary=referral.decline_reason,
    )
    notifications.referral_decided(referral)
    return referral


@transaction.atomic
def course_start_at_job_centre(
    *,
    citizen: Citizen,
    organisation: Organisation,
    started_by: User,
    consultant: User,
    start_date: datetime.date,
    psychiatry_unit: Organisation | None = None,
    target_group: TargetGroup | None = None,
) -> Course:
    """A job centre starts an IPS course for its own client without a clinician's referral (the
    Aalborg model). Psychiatry is invited by naming the unit, which needs a consent in force
    between the two: the unit then sees the course as far as the consent's categories reach.
    The consultant is assigned under the caseload cap, as after a referral."""
    if organisation.kind != OrganisationKind.MUNICIPALITY:
        raise ValidationError(_("Only a job centre starts an IPS course."))
    if (
        not Affiliation.objects.open_on(timezone.localdate())
        .filter(citizen=citizen, organisation=organisation)
        .exists()
    ):
        raise ValidationError(
            _("%(name)s is not a client of %(organisation)s.")
            % {"name": citizen.full_name, "organisation": organisation}
        )
    errors: dict[str, str] = {}
    if not _is_consultant_at(consultant, organisation):
        errors["consultant"] = _consultant_error(organisation)
    if psychiatry_unit is not None and psychiatry_unit.kind != OrganisationKind.PSYCHIATRY:
        errors["psychiatry_unit"] = _("Choose a psychiatry unit.")
    target_group = _target_group_checked(errors, citizen=citizen, target_group=target_group)
    if errors:
        raise ValidationError(errors)
    if psychiatry_unit is not None and (
        access.consent_in_force_between(
            citizen=citizen, organisations=[organisation, psychiatry_unit]
        )
        is None
    ):
        raise ValidationError(
            {
                "psychiatry_unit": _(
                    "%(name)s has no consent in force that covers both %(job_centre)s and "
                    "%(unit)s. Record the citizen's consent first, or start the course without "
                    "psychiatry and invite it later."
                )
                % {"name": citizen.full_name, "job_centre": organisation, "unit": psychiatry_unit}
            }
        )
    if Course.objects.active().filter(citizen=citizen, organisation=organisation).exists():
        raise ValidationError(
            _("%(name)s already has an open IPS course at %(organisation)s.")
            % {"name": citizen.full_name, "organisation": organisation},
            code="course_open",
        )
    course = Course(
        citizen=citizen,
        organisation=organisation,
        referring_organisation=psychiatry_unit,
        target_group=target_group,
        start_date=start_date,
    )
    course.full_clean(validate_constraints=False)
    course.save()
    consultant_assign(course=course, consultant=consultant, assigned_by=started_by)
    follow_ups_schedule(course)
    timeline_record(
        citizen=citizen,
        course=course,
        organisation=organisation,
        kind=EventKind.COURSE_STARTED,
        occurred_on=start_date,
        actor=started_by,
        summary=str(consultant),
    )
    return course
