"""The shared plan, the coordinator and the relay log.

Every save of the plan is a new version with its full content, so nothing is ever overwritten
unseen: an edit names the version it was based on, and when somebody else saved in between,
the save is refused with what the other person changed (optimistic locking), under a row lock
so two saves cannot both pass the check.
"""

import datetime
import difflib
from typing import TypedDict

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from cases.events import kept, timeline_record
from cases.models import (
    ActionStatus,
    CitizenPlanEntry,
    CoordinatorAssignment,
    EventKind,
    PlanAction,
    PlanVersion,
    RelayLogEntry,
    SharedPlan,
)
from cases.services import notifications
from consent import access
from ipsportal.accounts.models import Organisation, User
from ipsportal.citizens.models import Citizen
from ipsportal.core.dates import day_text
from ipsportal.core.wording import Wording, label_of, worded

REVIEW_AT_LEAST_EVERY_MONTHS = 6


def review_limit(day: datetime.date) -> datetime.date:
    """The latest next review date allowed on ``day`` (the rule for coordinated plans)."""
    limit: datetime.date = day + relativedelta(months=REVIEW_AT_LEAST_EVERY_MONTHS)
    return limit


def _check_review_date(errors: dict[str, str], next_review_on: datetime.date) -> None:
    today = timezone.localdate()
    if next_review_on < today:
        errors["next_review_on"] = _("The next review cannot be in the past.")
    elif next_review_on > review_limit(today):
        errors["next_review_on"] = _(
            "The next review must be no more than %(months)d months ahead, at the latest %(day)s."
        ) % {"months": REVIEW_AT_LEAST_EVERY_MONTHS, "day": day_text(review_limit(today))}


class PlanActionContent(TypedDict):
    description: str
    responsible: str
    organisation: str
    deadline: str
    priority: int
    status: str
    drop_reason: str


class PlanContent(TypedDict):
    """A plan version's content (``PlanVersion.content``), dates as ISO text."""

    work_goal: str
    life_goals: str
    challenges: str
    next_review_on: str
    last_reviewed_on: str
    actions: list[PlanActionContent]


def plan_content(plan: SharedPlan) -> PlanContent:
    """The plan's content as stored in a version."""
    return {
        "work_goal": plan.work_goal,
        "life_goals": plan.life_goals,
        "challenges": plan.challenges,
        "last_reviewed_on": plan.last_reviewed_on.isoformat(),
        "next_review_on": plan.next_review_on.isoformat(),
        "actions": [
            {
                "description": action.description,
                "responsible": str(action.responsible),
                "organisation": str(action.responsible_organisation),
                "deadline": action.deadline.isoformat(),
                "priority": action.priority,
                "status": action.status,
                "drop_reason": action.drop_reason,
            }
            for action in plan.actions.select_related("responsible", "responsible_organisation")
        ],
    }


def plan_content_lines(content: PlanContent) -> list[str]:
    """A version's content as readable lines in the user's language, for comparisons."""
    labels = ActionStatus
    lines = [
        f"{_('Goal for work or education')}: {content['work_goal']}",
        f"{_('Other goals')}: {content['life_goals'] or '-'}",
        f"{_('Challenges right now')}: {content['challenges'] or '-'}",
        f"{_('Next review')}: {_day(content['next_review_on'])}",
    ]
    for action in content["actions"]:
        status = str(labels(action["status"]).label)
        if action["drop_reason"]:
            status = f"{status} ({action['drop_reason']})"
        lines.append(
            f"{_('Action')} {action['priority']}: {action['description']}; "
            f"{action['responsible']}, {action['organisation']}; "
            f"{_('deadline')} {_day(action['deadline'])}; {status}"
        )
    return lines


def _day(stored: str) -> str:
    return day_text(datetime.date.fromisoformat(stored))


def plan_versions_compare(older: PlanVersion, newer: PlanVersion) -> list[tuple[str, str]]:
    """The difference between two versions as (kind, line): kind is "removed", "added" or
    "same"."""
    diff = difflib.ndiff(plan_content_lines(older.content), plan_content_lines(newer.content))
    kinds = {"- ": "removed", "+ ": "added", "  ": "same"}
    return [(kinds[line[:2]], line[2:]) for line in diff if line[:2] in kinds]


class PlanConflict(ValidationError):
    """Somebody saved the plan after the version this edit was based on."""

    def __init__(self, *, plan: SharedPlan, based_on: int) -> None:
        current = plan.versions.select_related("changed_by").get(version=plan.version)
        self.changes = plan_versions_compare(plan.versions.get(version=based_on), current)
        super().__init__(
            _(
                "%(name)s saved the plan at %(time)s, after you opened it. Your changes are "
                "not saved. Here is what they changed; open the plan again and make your "
                "changes on top of theirs."
            )
            % {
                "name": current.changed_by,
                "time": timezone.localtime(current.created_at).strftime("%H:%M"),
            },
            code="plan_conflict",
        )


def _lock(plan: SharedPlan, *, based_on_version: int | None) -> SharedPlan:
    locked = SharedPlan.objects.select_for_update().select_related("citizen").get(pk=plan.pk)
    if based_on_version is not None and based_on_version != locked.version:
        raise PlanConflict(plan=locked, based_on=based_on_version)
    return locked


def _new_version(
    plan: SharedPlan, *, changed_by: User, organisation: Organisation, change: Wording
) -> PlanVersion:
    text, wording = kept(change, max_length=200)
    version = PlanVersion.objects.create(
        plan=plan,
        version=plan.version,
        changed_by=changed_by,
        organisation=organisation,
        change=text,
        change_wording=wording,
        content=plan_content(plan),
    )
    timeline_record(
        citizen=plan.citizen,
        organisation=organisation,
        kind=EventKind.PLAN_CHANGED,
        occurred_on=timezone.localdate(),
        actor=changed_by,
        summary=change,
        category=access.SHARED_PLAN,
    )
    notifications.plan_changed(plan=plan, organisation=organisation, by=changed_by)
    return version


def _bump(plan: SharedPlan, *, changed_by: User) -> None:
    plan.version += 1
    plan.updated_by = changed_by
    plan.save()


def shared_plan_create(
    *,
    citizen: Citizen,
    created_by: User,
    organisation: Organisation,
    work_goal: str,
    next_review_on: datetime.date,
    life_goals: str = "",
    challenges: str = "",
) -> SharedPlan:
    errors: dict[str, str] = {}
    if not work_goal.strip():
        errors["work_goal"] = _("Write the citizen's goal for work or education.")
    _check_review_date(errors, next_review_on)
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            plan = SharedPlan.objects.create(
                citizen=citizen,
                organisation=organisation,
                work_goal=work_goal.strip(),
                life_goals=life_goals.strip(),
                challenges=challenges.strip(),
                last_reviewed_on=timezone.localdate(),
                next_review_on=next_review_on,
                updated_by=created_by,
            )
            _new_version(
                plan,
                changed_by=created_by,
                organisation=organisation,
                change=worded(gettext_noop("Plan started")),
            )
    except IntegrityError as error:
        raise ValidationError(
            _("The citizen already has a plan; there is one plan per citizen."),
            code="plan_exists",
        ) from error
    return plan


@transaction.atomic
def shared_plan_update(
    *,
    plan: SharedPlan,
    based_on_version: int,
    changed_by: User,
    organisation: Organisation,
    work_goal: str,
    next_review_on: datetime.date,
    life_goals: str = "",
    challenges: str = "",
    reviewed: bool = False,
) -> SharedPlan:
    """Change the goals, the assessment or the review date; ``reviewed`` records that the plan
    was reviewed together today."""
    errors: dict[str, str] = {}
    if not work_goal.strip():
        errors["work_goal"] = _("Write the citizen's goal for work or education.")
    _check_review_date(errors, next_review_on)
    if errors:
        raise ValidationError(errors)
    plan = _lock(plan, based_on_version=based_on_version)
    plan.work_goal = work_goal.strip()
    plan.life_goals = life_goals.strip()
    plan.challenges = challenges.strip()
    plan.next_review_on = next_review_on
    if reviewed:
        plan.last_reviewed_on = timezone.localdate()
    _bump(plan, changed_by=changed_by)
    _new_version(
        plan,
        changed_by=changed_by,
        organisation=organisation,
        change=worded(
            gettext_noop("Plan reviewed")
            if reviewed
            else gettext_noop("Goals and assessment changed")
        ),
    )
    return plan


@transaction.atomic
def plan_action_add(
    *,
    plan: SharedPlan,
    added_by: User,
    organisation: Organisation,
    description: str,
    responsible: User | None,
    deadline: datetime.date | None,
    priority: int = 1,
) -> PlanAction:
    """A new action never overwrites anybody's work, so it needs no version check."""
    errors: dict[str, str] = {}
    if not description.strip():
        errors["description"] = _("Describe the action.")
    responsible_organisation = (
        responsible.primary_organisation() if responsible is not None else None
    )
    if responsible is None:
        errors["responsible"] = _("Choose the one person responsible for the action.")
    elif responsible_organisation is None:
        errors["responsible"] = _("The responsible person must belong to an organisation.")
    if deadline is None:
        errors["deadline"] = _("Give the action a deadline.")
    elif deadline < timezone.localdate():
        errors["deadline"] = _("A new action cannot have a deadline in the past.")
    if errors or responsible is None or responsible_organisation is None or deadline is None:
        raise ValidationError(errors)
    plan = _lock(plan, based_on_version=None)
    action = PlanAction.objects.create(
        plan=plan,
        description=description.strip(),
        responsible=responsible,
        responsible_organisation=responsible_organisation,
        deadline=deadline,
        priority=priority,
    )
    _bump(plan, changed_by=added_by)
    _new_version(
        plan,
        changed_by=added_by,
        organisation=organisation,
        change=worded(gettext_noop("Action added: %(action)s"), action=action.description),
    )
    notifications.action_given(action=action, by=added_by)
    return action


@transaction.atomic
def plan_action_set_status(
    *,
    action: PlanAction,
    based_on_version: int,
    status: str,
    changed_by: User,
    organisation: Organisation,
    drop_reason: str = "",
) -> PlanAction:
    if status not in ActionStatus.values:
        raise ValidationError({"status": _("Choose a status.")})
    if status == ActionStatus.DROPPED and not drop_reason.strip():
        raise ValidationError({"drop_reason": _("Write why the action is dropped.")})
    plan = _lock(action.plan, based_on_version=based_on_version)
    action = PlanAction.objects.get(pk=action.pk, plan=plan)
    if status == action.status and (
        status != ActionStatus.DROPPED or drop_reason.strip() == action.drop_reason
    ):
        # Saving the status it has would date a done action again and tell the plan's readers
        # of a change that was none.
        raise ValidationError(
            {
                "status": _("The action already has the status %(status)s.")
                % {"status": action.get_status_display()}
            }
        )
    action.status = status
    action.completed_on = timezone.localdate() if status == ActionStatus.DONE else None
    action.drop_reason = drop_reason.strip() if status == ActionStatus.DROPPED else ""
    action.save()
    _bump(plan, changed_by=changed_by)
    _new_version(
        plan,
        changed_by=changed_by,
        organisation=organisation,
        change=worded(
            "%(action)s: %(status)s", action=action.description, status=label_of(action, "status")
        ),
    )
    return action


@transaction.atomic
def coordinator_assign(
    *, citizen: Citizen, coordinator: User, assigned_by: User, handover_note: str = ""
) -> CoordinatorAssignment:
    """Make ``coordinator`` the citizen's one coordinator from today. The outgoing coordinator's
    note for the next one is kept on the handover."""
    organisation = coordinator.primary_organisation()
    if (
        organisation is None
        or not access.citizens_visible_to(coordinator).filter(pk=citizen.pk).exists()
    ):
        raise ValidationError(
            {"coordinator": _("The coordinator must be somebody who works with the citizen.")}
        )
    today = timezone.localdate()
    current = (
        CoordinatorAssignment.objects.select_for_update()
        .filter(citizen=citizen, ended_on__isnull=True)
        .first()
    )
    if current is not None:
        if current.coordinator_id == coordinator.pk:
            raise ValidationError(
                {"coordinator": _("%(name)s is already the coordinator.") % {"name": coordinator}}
            )
        current.ended_on = today
        current.handover_note = handover_note.strip()
        current.save(update_fields=["ended_on", "handover_note"])
    assignment = CoordinatorAssignment.objects.create(
        citizen=citizen,
        coordinator=coordinator,
        organisation=organisation,
        started_on=today,
        assigned_by=assigned_by,
    )
    timeline_record(
        citizen=citizen,
        organisation=assignment.organisation,
        kind=EventKind.COORDINATOR_CHANGED,
        occurred_on=today,
        actor=assigned_by,
        summary=f"{coordinator}, {assignment.organisation}",
        category=access.SHARED_PLAN,
    )
    return assignment


@transaction.atomic
def relay_entry_add(
    *,
    citizen: Citizen,
    author: User,
    organisation: Organisation,
    occurred_on: datetime.date,
    did: str,
    agreed: str = "",
    next_step: str = "",
) -> RelayLogEntry:
    errors: dict[str, str] = {}
    if not did.strip():
        errors["did"] = _("Write what you did.")
    if occurred_on > timezone.localdate():
        errors["occurred_on"] = _("The date cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    entry = RelayLogEntry.objects.create(
        citizen=citizen,
        organisation=organisation,
        author=author,
        occurred_on=occurred_on,
        did=did.strip(),
        agreed=agreed.strip(),
        next=next_step.strip(),
    )
    summary: str | Wording = entry.did
    if entry.agreed:
        summary = worded(
            gettext_noop("%(did)s; agreed: %(agreed)s"), did=summary, agreed=entry.agreed
        )
    if entry.next:
        summary = worded(gettext_noop("%(did)s; next: %(next)s"), did=summary, next=entry.next)
    timeline_record(
        citizen=citizen,
        organisation=organisation,
        kind=EventKind.RELAY,
        occurred_on=occurred_on,
        actor=author,
        summary=summary,
    )
    return entry


@transaction.atomic
def citizen_plan_entry_save(
    *,
    plan: SharedPlan,
    kind: str,
    text: str,
    entry: CitizenPlanEntry | None = None,
) -> CitizenPlanEntry:
    """The citizen writes a goal or a comment in their own plan, or changes one they wrote.
    Stored as the citizen's; staff see it on the plan page and never change it."""
    if entry is not None and entry.plan_id != plan.pk:
        raise ValidationError(_("This is not your entry."))
    entry = entry or CitizenPlanEntry(plan=plan)
    entry.kind = kind
    entry.text = text.strip()
    if not entry.text:
        raise ValidationError({"text": _("Write what you want to add.")})
    entry.full_clean(exclude=["plan"])
    entry.save()
    return entry
