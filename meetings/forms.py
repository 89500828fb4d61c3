from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ipsportal.accounts.models import User
from ipsportal.core.choices import scale_field
from ipsportal.core.forms import DATE_WIDGET, OnceOnlyForm, choice_field
from meetings.models import CadenceUnit, CaseDiscussion, MeetingKind, Occurrence, Participant

TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def _people_choices(people: list[User]) -> list[tuple[int, str]]:
    return [(person.pk, f"{person}, {person.primary_organisation() or '-'}") for person in people]


if TYPE_CHECKING:
    from meetings.selectors import AgendaEntry


class SeriesForm(OnceOnlyForm):
    kind = forms.ChoiceField(label=_("Kind of meeting"), choices=MeetingKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    lead = forms.TypedChoiceField(label=_("Meeting lead"), coerce=int)
    first_date = forms.DateField(label=_("First meeting"), widget=DATE_WIDGET)
    last_date = forms.DateField(
        label=_("Last meeting"),
        widget=DATE_WIDGET,
        help_text=_("Meetings are planned up to this date, at most two years ahead."),
    )
    start_time = forms.TimeField(label=_("Time"), widget=TIME_WIDGET)
    duration_minutes = forms.IntegerField(label=_("Duration in minutes"), initial=120)
    interval = forms.IntegerField(
        label=_("Every"),
        initial=4,
        help_text=_("Fælles Team: every 4 weeks. Conference: every week."),
    )
    unit = forms.ChoiceField(label=_("Weeks or months"), choices=CadenceUnit.choices)
    interval_after_first_year = forms.IntegerField(
        label=_("After the first year, every"),
        required=False,
        help_text=_("Supervision: monthly the first year, then every second month."),
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    video_link = forms.URLField(label=_("Video link"), required=False, assume_scheme="https")
    participants = forms.TypedMultipleChoiceField(
        label=_("Fixed participants"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    occasional_participants = forms.TypedMultipleChoiceField(
        label=_("Take part now and then"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Supervision: the clinicians join about every fourth time."),
    )
    occasional_every = forms.IntegerField(
        label=_("They take part in every ... meeting"),
        initial=4,
        required=False,
        help_text=_("Invited to the first meeting, then to every fourth (or the number given)."),
    )
    themes = forms.CharField(
        label=_("Themes for the year (årshjul)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One theme per line, in the order of the meetings. You can change them later."),
    )

    def __init__(self, *args: Any, people: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people = {person.pk: person for person in people}
        choices = _people_choices(people)
        choice_field(self, "lead").choices = choices
        choice_field(self, "participants").choices = choices
        choice_field(self, "occasional_participants").choices = choices

    def clean_lead(self) -> User:
        return self.people[self.cleaned_data["lead"]]

    def clean_participants(self) -> list[User]:
        return [self.people[pk] for pk in self.cleaned_data["participants"]]

    def clean_occasional_participants(self) -> list[User]:
        return [self.people[pk] for pk in self.cleaned_data["occasional_participants"]]


class ThemesForm(forms.Form):
    """The year's theme plan (årshjul): a theme field per meeting, named by the meeting."""

    def __init__(self, *args: Any, occurrences: Sequence[Occurrence], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for occurrence in occurrences:
            self.fields[self.field_name(occurrence)] = forms.CharField(
                label=_("Theme"),
                max_length=200,
                required=False,
                initial=occurrence.theme,
                # Each field sits in the meeting's row and is named by the meeting's date there.
                widget=forms.TextInput(attrs={"aria-labelledby": f"meeting-{occurrence.pk}"}),
            )
        self.occurrences = occurrences

    @staticmethod
    def field_name(occurrence: Occurrence) -> str:
        return f"theme_{occurrence.pk}"

    def rows(self) -> list[tuple[Occurrence, forms.BoundField]]:
        return [(occurrence, self[self.field_name(occurrence)]) for occurrence in self.occurrences]

    def themes(self) -> dict[int, str]:
        """The themes sent, by meeting: a meeting added to the series after the form was
        opened has no field in it, and keeps its theme."""
        return {
            occurrence.pk: self.cleaned_data[self.field_name(occurrence)]
            for occurrence in self.occurrences
            if self.field_name(occurrence) in self.data
        }


class RescheduleForm(OnceOnlyForm):
    day = forms.DateField(label=_("New date"), widget=DATE_WIDGET)
    start_time = forms.TimeField(label=_("Time"), widget=TIME_WIDGET)


class ParticipantForm(OnceOnlyForm):
    user = forms.TypedChoiceField(
        label=_("A colleague in the portal"), coerce=int, required=False, empty_value=None
    )
    name = forms.CharField(label=_("Or: name"), max_length=200, required=False)
    organisation_name = forms.CharField(
        label=_("Their organisation or relation to the citizen"), max_length=200, required=False
    )
    role = forms.CharField(label=_("Role at the meeting"), max_length=120, required=False)

    def __init__(self, *args: Any, people: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people = {person.pk: person for person in people}
        choice_field(self, "user").choices = [("", ""), *_people_choices(people)]

    def clean_user(self) -> User | None:
        pk = self.cleaned_data["user"]
        return self.people[pk] if pk else None


class AgendaCitizenForm(OnceOnlyForm):
    citizen = forms.TypedChoiceField(label=_("Citizen"), coerce=int)

    def __init__(self, *args: Any, citizens: list, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.citizens = {citizen.pk: citizen for citizen in citizens}
        # The masked CPR beside the name: two of a coordinator's citizens can share a name.
        # Nobody is chosen in advance: sent untouched, the form would put whoever comes first
        # on the agenda, and the meeting's participants would read about them.
        choice_field(self, "citizen").choices = [
            ("", _("Choose the citizen")),
            *((c.pk, f"{c.full_name} ({c.cpr_masked})") for c in citizens),
        ]

    def clean_citizen(self):
        return self.citizens[self.cleaned_data["citizen"]]


class CaseTemplateForm(OnceOnlyForm):
    based_on_revision = forms.IntegerField(widget=forms.HiddenInput)
    situation = forms.CharField(
        label=_("The situation now"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    wishes = forms.CharField(
        label=_("The citizen's wishes"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    next_steps = forms.CharField(
        label=_("Next steps"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    citizen_took_part = forms.ChoiceField(
        label=_("The citizen took part"),
        choices=CaseDiscussion.CitizenTookPart.choices,
        required=False,
    )
    # Sent only by the merge button a conflict shows (never a field left on the page): the
    # revision whose text the writer has seen and merged into their own.
    merge_onto = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, kind: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if kind == MeetingKind.CONFERENCE:
            # The conference's short template: the goal and the decision. The other fields
            # travel unchanged, so autosave and merging work as for every meeting.
            self.fields["wishes"].label = _("The citizen's goal for work or education")
            self.fields["next_steps"].label = _("The decision, and who does what")
            self.fields["situation"].widget = forms.HiddenInput()
            self.fields["citizen_took_part"].widget = forms.HiddenInput()

    def hidden_fields(self) -> list[forms.BoundField]:
        return [field for field in super().hidden_fields() if field.name != "merge_onto"]


class AgreementForm(OnceOnlyForm):
    CITIZEN = "citizen"

    description = forms.CharField(label=_("What was agreed"), max_length=300)
    responsible = forms.ChoiceField(
        label=_("Who does it"),
        help_text=_("The citizen, or staff whose organisation the citizen's consent covers."),
    )
    deadline = forms.DateField(label=_("By when"), widget=DATE_WIDGET)

    def __init__(self, *args: Any, people: list[User], citizen_name: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people = {str(person.pk): person for person in people}
        choice_field(self, "responsible").choices = [
            ("", ""),
            (self.CITIZEN, _("%(name)s (the citizen)") % {"name": citizen_name}),
            *[(str(pk), label) for pk, label in _people_choices(people)],
        ]

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        choice = data.get("responsible")
        data["for_citizen"] = choice == self.CITIZEN
        data["responsible"] = self.people.get(str(choice)) if choice else None
        return data


class CitizenEvaluationForm(OnceOnlyForm):
    involved = scale_field(_("Did you feel involved?"))
    ownership = scale_field(_("Do you feel you own your course?"))
    coherent = scale_field(_("Does your course feel coherent?"))
    comment = forms.CharField(
        label=_("In your own words"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ParticipantEvaluationForm(OnceOnlyForm):
    more_coherent = scale_field(_("Did this meeting make the courses more coherent?"))
    learned = forms.CharField(
        label=_("What did we learn?"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class AttendanceForm(OnceOnlyForm):
    """One choice per participant and per citizen on the agenda, built from the meeting."""

    def __init__(
        self,
        *args: Any,
        participants: list[Participant],
        agenda: list["AgendaEntry"],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        for participant in participants:
            self.fields[f"participant_{participant.pk}"] = forms.ChoiceField(
                label=str(participant),
                choices=Participant.Attendance.choices,
                required=False,
                initial=participant.attendance,
            )
        for entry in agenda:
            self.fields[f"case_{entry.case.pk}"] = forms.ChoiceField(
                label=entry.label,
                choices=CaseDiscussion.CitizenTookPart.choices,
                required=False,
                initial=entry.case.citizen_took_part,
            )

    def attendance(self) -> tuple[dict[int, str], dict[int, str]]:
        people: dict[int, str] = {}
        citizens: dict[int, str] = {}
        for name, value in self.cleaned_data.items():
            if name.startswith("participant_"):
                people[int(name.removeprefix("participant_"))] = value
            elif name.startswith("case_"):
                citizens[int(name.removeprefix("case_"))] = value
        return people, citizens
