"""Assigning a consultant: the one place the caseload cap is enforced.

The consultant's row is locked (SELECT ... FOR UPDATE) before their load is counted, so two
assignments to the same consultant at the same moment are serialised by the database and
cannot together exceed the cap. On SQLite (the embedded demo) every write transaction is
IMMEDIATE, which serialises them the same way.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cases.caseload import caseload_capacity, caseload_load
from cases.models import ConsultantAssignment, Course
from cases.selectors import consultants_with_room
from ipsportal.accounts.models import User


def _no_room_message(consultant: User, *, load: int, capacity: int) -> str:
    message = _("%(name)s has no room: %(load)d of %(capacity)d places are taken.") % {
        "name": consultant,
        "load": load,
        "capacity": capacity,
    }
    organisation = consultant.primary_organisation()
    others = (
        [
            entry
            for entry in consultants_with_room(organisation=organisation)
            if entry.user != consultant
        ]
        if organisation
        else []
    )
    if others:
        names = ", ".join(
            ngettext(
                "%(name)s (%(free)d free place)", "%(name)s (%(free)d free places)", entry.free
            )
            % {"name": entry.user, "free": entry.free}
            for entry in others
        )
        # xgettext does not read inside f-strings: each text is its own _() call.
        with_room = _("Consultants in the team with room:")
        return f"{message} {with_room} {names}."
    nobody = _("No other consultant in the team has room right now.")
    return f"{message} {nobody}"


def consultant_lock_with_room(consultant: User) -> User:
    """Lock the consultant's row and check there is room for one more course; raise a
    ValidationError naming colleagues with room when there is not. Call inside a transaction."""
    locked = User.objects.select_for_update().get(pk=consultant.pk)
    load, capacity = caseload_load(locked), caseload_capacity(locked)
    if load >= capacity:
        raise ValidationError(
            {"consultant": _no_room_message(locked, load=load, capacity=capacity)},
            code="caseload_full",
        )
    return locked


def consultant_assign(
    *, course: Course, consultant: User, assigned_by: User, reason: str = ""
) -> ConsultantAssignment:
    consultant_lock_with_room(consultant)
    course.consultant = consultant
    course.save(update_fields=["consultant", "updated_at"])
    return ConsultantAssignment.objects.create(
        course=course, consultant=consultant, assigned_by=assigned_by, reason=reason
    )
