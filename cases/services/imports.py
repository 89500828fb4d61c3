"""Importing the projects' spreadsheets of courses and episodes (CSV, UTF-8, comma-separated,
header row, ISO dates, empty cell = no value). Every row is checked first; one bad row and
nothing from the file is saved. Importing a file again changes nothing that is already there,
and imported courses are ordinary courses afterwards."""

import csv
import datetime
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, Value
from django.db.models.functions import Concat, Lower
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from cases.events import timeline_record
from cases.models import Course, CourseEndReason, CoursePhase, Episode, EpisodeType, EventKind
from cases.services.follow_up import follow_ups_schedule
from ipsportal.accounts.models import OrganisationKind, RoleCode, User
from ipsportal.accounts.services import organisation_ensure
from ipsportal.citizens import cpr as cpr_module
from ipsportal.citizens.models import Citizen, TargetGroup
from ipsportal.citizens.services import citizen_register_from_records, target_group_ensure
from ipsportal.core.wording import worded

COURSE_COLUMNS = [
    "cpr",
    "given_name",
    "family_name",
    "municipality",
    "psychiatry_unit",
    "consultant",
    "referral_date",
    "start_date",
    "end_date",
    "target_group",
]
EPISODE_COLUMNS = ["cpr", "type", "start_date", "end_date"]
OPTIONAL_COURSE_COLUMNS = {"consultant", "end_date", "target_group"}
IMPORT_NOTE = "Imported"


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


class RowError(Exception):
    pass


def _rows(text: str, columns: list[str]) -> Iterable[tuple[int, dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [name.strip() for name in (reader.fieldnames or [])]
    missing = [name for name in columns if name not in header]
    if missing:
        raise RowError(
            _("The header row lacks the columns: %(columns)s.") % {"columns": ", ".join(missing)}
        )
    reader.fieldnames = header
    for row in reader:
        # The header is line 1; csv counts lines, so a quoted line break keeps numbers right.
        yield reader.line_num, {key: (value or "").strip() for key, value in row.items() if key}


def _date(row: dict[str, str], column: str) -> datetime.date | None:
    value = row.get(column, "")
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise RowError(
            _("%(column)s is not a date written as YYYY-MM-DD: %(value)s")
            % {"column": column, "value": value}
        ) from error


def _date_required(row: dict[str, str], column: str) -> datetime.date:
    day = _date(row, column)
    if day is None:
        raise RowError(_("%(column)s is empty.") % {"column": column})
    return day


def _required(row: dict[str, str], column: str) -> str:
    if not row.get(column):
        raise RowError(_("%(column)s is empty.") % {"column": column})
    return row[column]


def _cpr(row: dict[str, str]) -> str:
    try:
        return cpr_module.cpr_validate(_required(row, "cpr"))
    except ValidationError as error:
        raise RowError(" ".join(error.messages)) from error


def _run[Row](
    text: str,
    columns: list[str],
    check: Callable[[int, dict[str, str]], Row],
    save: Callable[[Row], str],
    *,
    dry_run: bool,
) -> ImportResult:
    """Check every row; save them all in one transaction only when none failed."""
    result = ImportResult(dry_run=dry_run)
    checked: list[tuple[int, Row]] = []
    try:
        for line, row in _rows(text, columns):
            try:
                checked.append((line, check(line, row)))
            except RowError as error:
                result.errors.append((line, str(error)))
    except RowError as error:
        result.errors.append((1, str(error)))
    except (csv.Error, UnicodeDecodeError) as error:
        result.errors.append(
            (0, _("The file is not a readable CSV file: %(error)s") % {"error": error})
        )
    if result.errors or dry_run:
        return result
    line = 0
    try:
        with transaction.atomic():
            for line_saving, item in checked:
                line = line_saving
                outcome = save(item)
                setattr(result, outcome, getattr(result, outcome) + 1)
    except (IntegrityError, ValidationError) as error:
        messages = error.messages if isinstance(error, ValidationError) else [str(error)]
        result = ImportResult(errors=[(line, " ".join(messages))])
    return result


# --- Courses ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CourseRow:
    line_key: tuple[str, str, datetime.date]
    cpr: str
    given_name: str
    family_name: str
    municipality: str
    psychiatry_unit: str
    consultant: User | None
    consultant_name: str
    referral_date: datetime.date
    start_date: datetime.date
    end_date: datetime.date | None
    target_group: str | None


def _consultant(name: str) -> User | None:
    if not name:
        return None
    consultants = User.objects.filter(groups__role__code=RoleCode.CONSULTANT).annotate(
        full_name=Lower(Concat("first_name", Value(" "), "last_name"))
    )
    return (
        consultants.filter(Q(username__iexact=name) | Q(full_name=name.lower())).distinct().first()
    )


def _target_group(value: str) -> str | None:
    """The group's name as written; an unknown name becomes a new group when the file is saved
    (``target_group_ensure``), so it must make a code."""
    known = TargetGroup.objects.filter(Q(code__iexact=value) | Q(name__iexact=value)).exists()
    if value and not known and not slugify(value):
        raise RowError(
            _("target_group must contain letters or digits: %(value)s") % {"value": value}
        )
    return value or None


def courses_import(text: str, *, dry_run: bool = False, by: User | None = None) -> ImportResult:
    seen: dict[tuple[str, str, datetime.date], int] = {}

    def check(line: int, row: dict[str, str]) -> CourseRow:
        cpr = _cpr(row)
        given, family = _required(row, "given_name"), _required(row, "family_name")
        municipality, psychiatry = _required(row, "municipality"), _required(row, "psychiatry_unit")
        referral_date = _date_required(row, "referral_date")
        start_date = _date_required(row, "start_date")
        end_date = _date(row, "end_date")
        if start_date < referral_date:
            raise RowError(_("start_date is before referral_date."))
        if end_date and end_date < start_date:
            raise RowError(_("end_date is before start_date."))
        if start_date > timezone.localdate():
            raise RowError(_("start_date is in the future."))
        key = (cpr, municipality.lower(), start_date)
        if key in seen:
            raise RowError(_("The same course as on line %(line)d.") % {"line": seen[key]})
        seen[key] = line
        consultant_name = row.get("consultant", "")
        return CourseRow(
            line_key=key,
            cpr=cpr,
            given_name=given,
            family_name=family,
            municipality=municipality,
            psychiatry_unit=psychiatry,
            consultant=_consultant(consultant_name),
            consultant_name=consultant_name,
            referral_date=referral_date,
            start_date=start_date,
            end_date=end_date,
            target_group=_target_group(row.get("target_group", "")),
        )

    def save(row: CourseRow) -> str:
        municipality = organisation_ensure(
            name=row.municipality, kind=OrganisationKind.MUNICIPALITY
        )
        psychiatry = organisation_ensure(name=row.psychiatry_unit, kind=OrganisationKind.PSYCHIATRY)
        citizen = citizen_register_from_records(
            cpr=row.cpr,
            given_name=row.given_name,
            family_name=row.family_name,
            registered_by=psychiatry,
            organisations=[municipality, psychiatry],
        )
        fields = {
            "referring_organisation": psychiatry,
            "referred_on": row.referral_date,
            "consultant": row.consultant,
            "consultant_name": "" if row.consultant else row.consultant_name,
            "target_group": target_group_ensure(row.target_group) if row.target_group else None,
            "ended_on": row.end_date,
            "end_reason": CourseEndReason.OTHER if row.end_date else "",
            "end_note": IMPORT_NOTE if row.end_date else "",
            "phase": CoursePhase.ENDED if row.end_date else CoursePhase.ENGAGEMENT,
        }
        course = Course.objects.filter(
            citizen=citizen, organisation=municipality, start_date=row.start_date
        ).first()
        if course is not None:
            if row.end_date is None:
                # The portal may know more than the spreadsheet: keep its phase and any ending.
                for name in ("ended_on", "end_reason", "end_note", "phase"):
                    fields[name] = getattr(course, name)
            elif course.ended_on == row.end_date:
                fields["end_reason"], fields["end_note"] = course.end_reason, course.end_note
            if not row.consultant_name:
                fields["consultant"], fields["consultant_name"] = (
                    course.consultant,
                    course.consultant_name,
                )
            changed = {
                name: value for name, value in fields.items() if getattr(course, name) != value
            }
            if not changed:
                return "unchanged"
            for name, value in changed.items():
                setattr(course, name, value)
            course.full_clean()
            course.save()
            follow_ups_schedule(course)
            return "updated"
        try:
            with transaction.atomic():
                course = Course(
                    citizen=citizen, organisation=municipality, start_date=row.start_date, **fields
                )
                course.full_clean(validate_constraints=False)
                course.save()
        except IntegrityError as error:
            raise ValidationError(
                _("%(name)s already has an open course at %(organisation)s.")
                % {"name": citizen.full_name, "organisation": municipality.name}
            ) from error
        follow_ups_schedule(course)
        timeline_record(
            citizen=citizen,
            course=course,
            organisation=municipality,
            kind=EventKind.COURSE_STARTED,
            occurred_on=row.start_date,
            actor=by,
            summary=worded(gettext_noop("Imported")),
        )
        if row.end_date:
            timeline_record(
                citizen=citizen,
                course=course,
                organisation=municipality,
                kind=EventKind.COURSE_ENDED,
                occurred_on=row.end_date,
                actor=by,
                summary=worded(gettext_noop("Imported")),
            )
        return "created"

    return _run(text, COURSE_COLUMNS, check, save, dry_run=dry_run)


# --- Episodes -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class EpisodeRow:
    citizen: Citizen
    type: EpisodeType
    start_date: datetime.date
    end_date: datetime.date | None


def episodes_import(text: str, *, dry_run: bool = False, by: User | None = None) -> ImportResult:
    types = {episode_type.code: episode_type for episode_type in EpisodeType.objects.all()}
    seen: dict[tuple[int, str, datetime.date], int] = {}

    def check(line: int, row: dict[str, str]) -> EpisodeRow:
        cpr = _cpr(row)
        citizen = Citizen.objects.with_cpr(cpr).first()
        if citizen is None:
            raise RowError(_("No citizen has this CPR number; import the courses first."))
        code = _required(row, "type")
        episode_type = types.get(code)
        if episode_type is None:
            raise RowError(
                _("Unknown type %(value)s; use one of: %(known)s.")
                % {"value": code, "known": ", ".join(types)}
            )
        start_date = _date_required(row, "start_date")
        end_date = _date(row, "end_date")
        if end_date and end_date < start_date:
            raise RowError(_("end_date is before start_date."))
        if not (episode_type.is_valid_on(start_date)):
            raise RowError(
                _("%(type)s cannot start on %(day)s: the code is valid %(start)s to %(end)s.")
                % {
                    "type": code,
                    "day": start_date.isoformat(),
                    "start": episode_type.valid_from.isoformat(),
                    "end": episode_type.valid_to.isoformat() if episode_type.valid_to else "",
                }
            )
        key = (citizen.pk, code, start_date)
        if key in seen:
            raise RowError(_("The same episode as on line %(line)d.") % {"line": seen[key]})
        seen[key] = line
        return EpisodeRow(
            citizen=citizen, type=episode_type, start_date=start_date, end_date=end_date
        )

    def save(row: EpisodeRow) -> str:
        episode = Episode.objects.filter(
            citizen=row.citizen, type=row.type, started_on=row.start_date
        ).first()
        if episode is not None:
            if episode.ended_on == row.end_date:
                return "unchanged"
            episode.ended_on = row.end_date
            episode.full_clean(exclude=["recorded_by"])
            episode.save(update_fields=["ended_on", "updated_at"])
            return "updated"
        course = (
            Course.objects.filter(citizen=row.citizen, start_date__lte=row.start_date)
            .order_by("-start_date")
            .first()
            or Course.objects.filter(citizen=row.citizen).order_by("start_date").first()
        )
        episode = Episode(
            citizen=row.citizen,
            course=course,
            organisation=course.organisation if course else row.citizen.registered_by,
            recorded_by=by,
            type=row.type,
            started_on=row.start_date,
            ended_on=row.end_date,
        )
        # An imported episode was recorded by the file, not by a person.
        episode.full_clean(exclude=["recorded_by"])
        episode.save()
        return "created"

    return _run(text, EPISODE_COLUMNS, check, save, dry_run=dry_run)
