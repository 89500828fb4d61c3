"""A citizen on the agenda: adding them, the case template (revisions, conflicts and merging),
agreements and turning one into a plan action."""

import datetime
import uuid
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import services as case_services
from cases.events import timeline_record
from cases.models import Course, EventKind, PlanAction, SharedPlan, TimelineEvent
from ipsportal.accounts.models import User
from ipsportal.citizens.models import Citizen
from meetings import selectors
from meetings.models import (
    Agreement,
    CaseDiscussion,
    MeetingKind,
    Occurrence,
)
from meetings.services.shared import _organisation_of


@transaction.atomic
def agenda_citizen_add(
    *, occurrence: Occurrence, citizen: Citizen, added_by: User
) -> CaseDiscussion:
    """The citizen's coordinator puts the citizen on the agenda; at the weekly IPS conference
    also the citizen's consultant or clinician (``selectors.citizens_to_put_on_agenda``)."""
    if not selectors.citizens_to_put_on_agenda(added_by, occurrence).filter(pk=citizen.pk).exists():
        if occurrence.series.kind == MeetingKind.CONFERENCE:
            raise ValidationError(
                _(
                    "At the conference you can put on the agenda the citizens you coordinate, "
                    "your own caseload or your own patients."
                )
            )
        raise ValidationError(_("Only the citizen's coordinator can put the citizen on an agenda."))
    if occurrence.ends_at < timezone.now():
        raise ValidationError(_("The meeting is over; choose a coming meeting."))
    position = occurrence.cases.count() + 1
    try:
        with transaction.atomic():
            return CaseDiscussion.objects.create(
                occurrence=occurrence,
                citizen=citizen,
                organisation=occurrence.series.organisation,
                added_by=added_by,
                position=position,
            )
    except IntegrityError as error:
        raise ValidationError(_("The citizen is already on this agenda.")) from error


TEMPLATE_FIELDS = ("situation", "wishes", "next_steps", "citizen_took_part")


@transaction.atomic
def case_template_save(
    *,
    case: CaseDiscussion,
    by: User,
    based_on_revision: int,
    situation: str,
    wishes: str,
    next_steps: str,
    citizen_took_part: str = "",
    page: uuid.UUID | None = None,
    merge_onto: int | None = None,
) -> CaseDiscussion:
    """Save the case template. A save based on an older revision is refused (code "conflict"),
    so two writers, or two tabs of one writer, never overwrite each other silently; the writer
    is shown the other version and saves again with ``merge_onto`` naming the revision they have
    seen and merged. The same page's own autosaves are no conflict."""
    case = CaseDiscussion.objects.select_for_update().get(pk=case.pk)
    written = {
        "situation": situation,
        "wishes": wishes,
        "next_steps": next_steps,
        "citizen_took_part": citizen_took_part,
    }
    if all(getattr(case, name) == written[name] for name in TEMPLATE_FIELDS):
        # The writer holds what is saved: no conflict, and no new revision that would make
        # another writer's next save look like a conflict.
        return case
    own_earlier_save = page is not None and case.last_saved_by_page == page
    seen_and_merged = merge_onto is not None and merge_onto == case.revision
    if case.revision != based_on_revision and not (own_earlier_save or seen_and_merged):
        raise ValidationError(
            _("Somebody else saved the template while you wrote; your text is kept."),
            code="conflict",
        )
    for name in TEMPLATE_FIELDS:
        setattr(case, name, written[name])
    case.last_saved_by_page = page
    case.last_saved_by = by
    case.revision += 1
    case.save()
    return case


def template_differences(*, case: CaseDiscussion, mine: Mapping[str, str]) -> list[dict[str, str]]:
    """The fields where the saved template differs from the writer's unsaved text, with both
    versions, so a conflict can be merged by hand."""
    labels = {
        name: str(getattr(CaseDiscussion._meta.get_field(name), "verbose_name", name))
        for name in TEMPLATE_FIELDS
    }
    differences = []
    for name in TEMPLATE_FIELDS:
        theirs = getattr(case, name)
        if (mine.get(name) or "") != theirs:
            shown = case.get_citizen_took_part_display() if name == "citizen_took_part" else theirs
            differences.append({"name": name, "label": str(labels[name]), "theirs": shown})
    return differences


@transaction.atomic
def agreement_add(
    *,
    case: CaseDiscussion,
    description: str,
    responsible: User | None,
    deadline: datetime.date | None,
    for_citizen: bool = False,
) -> Agreement:
    """Who does what by when: a staff member the citizen's consent lets read the minutes, or
    the citizen."""
    errors: dict[str, str] = {}
    if not description.strip():
        errors["description"] = _("Write what was agreed.")
    if for_citizen == (responsible is not None):
        errors["responsible"] = _("Choose who does it.")
    elif responsible is not None and responsible not in selectors.agreement_people(case):
        errors["responsible"] = _(
            "The citizen's consent does not cover this person's organisation; choose another."
        )
    if deadline is None:
        errors["deadline"] = _("Give a date it is done by.")
    elif deadline < timezone.localdate():
        errors["deadline"] = _("The date cannot be in the past.")
    if errors or deadline is None:
        raise ValidationError(errors)
    # The template's revision guards its text fields only: an agreement never makes a writer's
    # next save a conflict.
    return Agreement.objects.create(
        case=case,
        description=description.strip(),
        responsible=responsible,
        for_citizen=for_citizen,
        deadline=deadline,
    )


@transaction.atomic
def agreement_to_plan_action(*, agreement: Agreement, by: User) -> PlanAction:
    """One click: the agreement becomes an action in the citizen's shared plan."""
    agreement = Agreement.objects.select_for_update().select_related("case").get(pk=agreement.pk)
    if agreement.plan_action_id:
        raise ValidationError(_("The agreement is already in the shared plan."))
    if agreement.for_citizen:
        raise ValidationError(
            _("The citizen's own agreements stay in the minutes; the plan's actions are staff's.")
        )
    plan = SharedPlan.objects.filter(citizen_id=agreement.case.citizen_id).first()
    if plan is None:
        raise ValidationError(_("The citizen has no shared plan yet; start it first."))
    organisation = _organisation_of(by)
    if organisation is None:
        raise ValidationError(_("You belong to no organisation, so you cannot add to the plan."))
    action = case_services.plan_action_add(
        plan=plan,
        added_by=by,
        organisation=organisation,
        description=agreement.description,
        responsible=agreement.responsible,
        deadline=agreement.deadline,
        priority=plan.actions.count() + 1,
    )
    agreement.plan_action = action
    agreement.save(update_fields=["plan_action"])
    return action


@transaction.atomic
def conference_decision_to_course(*, case: CaseDiscussion, by: User) -> TimelineEvent:
    """The weekly IPS conference decides the citizen's goal for work or education together:
    the decision is written on the citizen's open IPS course, once."""
    case = (
        CaseDiscussion.objects.select_for_update()
        .select_related("occurrence__series")
        .get(pk=case.pk)
    )
    if case.occurrence.series.kind != MeetingKind.CONFERENCE:
        raise ValidationError(_("Only the IPS conference records its decisions on the course."))
    if case.decision_event_id:
        raise ValidationError(_("The decision is on the course already."))
    if not case.next_steps.strip():
        raise ValidationError(_("Write the decision in the template first."))
    course = Course.objects.filter(citizen_id=case.citizen_id, ended_on__isnull=True).first()
    if course is None:
        raise ValidationError(_("The citizen has no open IPS course to record the decision on."))
    goal = case.wishes.strip()
    event = timeline_record(
        citizen=course.citizen,
        course=course,
        organisation=course.organisation,
        kind=EventKind.CONFERENCE_DECISION,
        occurred_on=timezone.localdate(case.occurrence.starts_at),
        actor=by,
        summary=(f"{goal}: " if goal else "") + case.next_steps.strip(),
    )
    case.decision_event = event
    case.save(update_fields=["decision_event"])
    return event
