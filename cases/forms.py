import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import (
    ActionStatus,
    BenefitType,
    ContactMode,
    ContactWith,
    CourseEndReason,
    CoursePhase,
    DeclineReason,
    Disclosure,
    EmployerContactOutcome,
    EpisodeEndReason,
    EpisodeType,
    FollowUp,
    ReferralStatus,
)
from ipsportal.accounts.models import Organisation, OrganisationKind, Unit, User
from ipsportal.citizens.cpr import cpr_validate
from ipsportal.citizens.models import (
    AffiliationEndReason,
    Citizen,
    Language,
    NetworkRelation,
    TargetGroup,
)
from ipsportal.citizens.services import CONTACT_FIELDS
from ipsportal.core.forms import OnceOnlyForm, choice_field, date_field, model_choice_field
from ipsportal.core.statements import compiled_once


class CitizenSearchForm(forms.Form):
    query = forms.CharField(
        label=_("Name or CPR number"),
        max_length=100,
        help_text=_("A CPR number finds exactly one citizen; a name finds every match."),
        # Not remembered by the browser: a CPR number searched for is not offered again.
        widget=forms.SearchInput(attrs={"autocomplete": "off"}),
    )


class CitizenFilterForm(forms.Form):
    """The list of the organisation's citizens, narrowed to one target group (by its code, in
    the URL). The list page is among the most visited: its groups are read by a statement
    compiled once, where a model choice field would compile its query on every page."""

    maalgruppe = forms.ChoiceField(label=_("Target group"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.target_groups = {group.code: group for group in _target_groups()}
        choice_field(self, "maalgruppe").choices = [
            ("", _("All target groups")),
            *((code, group.name) for code, group in self.target_groups.items()),
        ]

    def clean_maalgruppe(self) -> TargetGroup | None:
        return self.target_groups.get(self.cleaned_data["maalgruppe"])


@compiled_once
def _target_groups() -> QuerySet[TargetGroup]:
    return TargetGroup.objects.order_by("name")


class ReferralStatusFilterForm(forms.Form):
    """The referrals the organisation sent, narrowed to one status."""

    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("All statuses")), *ReferralStatus.choices],
        required=False,
    )


class CitizenDetailsFields(forms.Form):
    """The citizen's name, language and the organisation's own contact details: registered
    once, corrected later."""

    given_name = forms.CharField(label=_("Given name"), max_length=150)
    family_name = forms.CharField(label=_("Family name"), max_length=150)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    postal_code = forms.RegexField(
        label=_("Postal code"),
        regex=r"^\d{4}$",
        required=False,
        error_messages={"invalid": _("A Danish postal code has 4 digits.")},
    )
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"), choices=Language.choices, initial=Language.DANISH
    )
    needs_interpreter = forms.BooleanField(label=_("Needs an interpreter"), required=False)

    def contact(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in CONTACT_FIELDS}


class CitizenRegistrationForm(CitizenDetailsFields):
    organisation = forms.ModelChoiceField(
        label=_("Registered by"), queryset=Organisation.objects.none(), empty_label=None
    )
    cpr = forms.CharField(
        label=_("CPR number"),
        max_length=11,
        help_text=_("10 digits, written as DDMMYY-SSSS."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    target_groups = forms.ModelMultipleChoiceField(
        label=_("Target groups"),
        queryset=TargetGroup.objects.filter(active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    field_order = ["organisation", "cpr", "given_name", "family_name"]

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = model_choice_field(self, "organisation")
        field.queryset = Organisation.objects.filter(pk__in=[org.pk for org in organisations])
        if len(organisations) == 1:
            field.initial = organisations[0].pk
            field.widget = forms.HiddenInput()

    def clean_cpr(self) -> str:
        # The same validation the service applies, so every field's error shows at once.
        return cpr_validate(self.cleaned_data["cpr"])


class CitizenEditForm(OnceOnlyForm, CitizenDetailsFields):
    """Correct the shared details and the user's organisation's own contact details."""


class AffiliationEndForm(OnceOnlyForm):
    # No reason is chosen in advance: ending the affiliation hides the citizen from the whole
    # organisation, and the reason is recorded with it.
    reason = forms.ChoiceField(
        label=_("Why the citizen is no longer your organisation's patient or client"),
        choices=[("", _("Choose the reason")), *AffiliationEndReason.choices],
        error_messages={"required": _("Choose why the affiliation ends.")},
    )
    ended_on = forms.DateField(
        label=_("Ended on"),
        help_text=_("From this day your organisation no longer sees the citizen."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        initial=timezone.localdate,
    )


class TreatmentSummaryForm(forms.Form):
    text = forms.CharField(
        label=_("Summary for employment purposes"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Write what the job centre needs for the employment effort, in plain language. "
            "It is shared only under the citizen's consent."
        ),
    )


def target_group_field_for(form: forms.Form, citizen: Citizen) -> None:
    """The course's target group, from the citizen's own groups: asked for only when the
    citizen has more than one (with one, the course counts under it)."""
    groups = citizen.target_groups.order_by("name")
    if groups.count() > 1:
        form.fields["target_group"] = forms.ModelChoiceField(
            label=_("Target group the course counts under"),
            queryset=groups,
            widget=forms.RadioSelect,
            help_text=_("The citizen belongs to more than one; the results are counted by it."),
        )


class ReferralForm(OnceOnlyForm):
    to_organisation = forms.ModelChoiceField(
        label=_("Job centre"),
        queryset=Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY),
        empty_label=_("Choose the job centre"),
        error_messages={"required": _("Choose the job centre the citizen is referred to.")},
        help_text=_("The IPS team of the citizen's municipality."),
    )
    wishes = forms.CharField(
        label=_("The citizen's own wishes for work or education"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("In the citizen's own words, as far as possible."),
    )
    considerations = forms.CharField(
        label=_("Relevant considerations"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "What the IPS consultant should know to start well, for example an interpreter, "
            "times of day, or what the citizen finds hard."
        ),
    )

    def __init__(self, *args: Any, citizen: Citizen, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        target_group_field_for(self, citizen)


def consultant_choices(loads: list) -> list[tuple[int, str]]:
    return [
        (
            entry.user.pk,
            (
                _("%(name)s (%(load)d of %(capacity)d, full)")
                if entry.is_full
                else _("%(name)s (%(load)d of %(capacity)d)")
            )
            % {"name": entry.user, "load": entry.load, "capacity": entry.capacity},
        )
        for entry in loads
    ]


class ConsultantSelect(forms.Select):
    """A consultant without room is shown, marked full, and cannot be chosen: the team lead
    sees it before submitting (the service still refuses, for two leads at the same moment)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.full: set[str] = set()

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if str(value) in self.full:
            option["attrs"]["disabled"] = True
        return option


class ConsultantChoiceField(forms.TypedChoiceField):
    widget = ConsultantSelect

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(coerce=int, **kwargs)


class ReferralAcceptForm(OnceOnlyForm):
    consultant = ConsultantChoiceField(
        label=_("IPS consultant"),
        help_text=_(
            "Current caseload against capacity in brackets; a full consultant cannot be chosen."
        ),
    )
    start_date = date_field(
        _("First meeting with the consultant"), help_text=_("The course starts on this date.")
    )

    def __init__(self, *args: Any, loads: list, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "consultant").choices = consultant_choices(loads)
        self.fields["consultant"].widget.full = {str(e.user.pk) for e in loads if e.is_full}
        # With someone free, the first free consultant is chosen, never a full one.
        free = [entry.user.pk for entry in loads if not entry.is_full]
        if free:
            self.fields["consultant"].initial = free[0]
        self.fields["start_date"].initial = timezone.localdate()
        self.users = {entry.user.pk: entry.user for entry in loads}
        self.nobody_has_room = bool(loads) and not free

    def clean_consultant(self) -> User:
        return self.users[self.cleaned_data["consultant"]]


class CourseStartForm(ReferralAcceptForm):
    """A job centre starts a course for its own client (no referral): the consultant, the
    first meeting, and the psychiatry unit to invite under the citizen's consent."""

    psychiatry_unit = forms.ModelChoiceField(
        label=_("Invite psychiatry"),
        queryset=Organisation.objects.filter(kind=OrganisationKind.PSYCHIATRY),
        required=False,
        empty_label=_("No psychiatry unit yet"),
        help_text=_(
            "The unit that treats the citizen. It needs the citizen's consent to share "
            "information between the unit and the job centre."
        ),
    )

    def __init__(self, *args: Any, citizen: Citizen, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        target_group_field_for(self, citizen)


class ReferralDeclineForm(OnceOnlyForm):
    code = forms.ChoiceField(
        label=_("Why is the referral declined?"),
        choices=DeclineReason.choices,
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("The reason in your own words"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("IPS excludes nobody for diagnosis, symptoms or substance use."),
    )


class ReassignForm(OnceOnlyForm):
    consultant = ConsultantChoiceField(label=_("New IPS consultant"))
    reason = forms.CharField(label=_("Why the course changes consultant"), max_length=500)

    def __init__(self, *args: Any, loads: list, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "consultant").choices = consultant_choices(loads)
        self.users = {entry.user.pk: entry.user for entry in loads}

    def clean_consultant(self) -> User:
        return self.users[self.cleaned_data["consultant"]]


class TargetGroupChangeForm(OnceOnlyForm):
    target_group = forms.ModelChoiceField(
        label=_("The target group the course counts under from now"),
        queryset=TargetGroup.objects.filter(active=True),
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Why the course counts under another target group"), max_length=500
    )


class PhaseForm(OnceOnlyForm):
    phase = forms.ChoiceField(
        label=_("Phase"),
        choices=[
            (value, label) for value, label in CoursePhase.choices if value != CoursePhase.ENDED
        ],
        widget=forms.RadioSelect,
    )


class CareerProfileForm(OnceOnlyForm):
    preferred_work = forms.CharField(
        label=_("Kinds of work or education the citizen wants"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    hours_per_week = forms.IntegerField(
        label=_("Preferred hours per week"), min_value=1, max_value=60, required=False
    )
    conditions = forms.CharField(
        label=_("Conditions and wishes"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example times of day, transport, surroundings."),
    )
    strengths = forms.CharField(
        label=_("Strengths and experience"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    support_needs = forms.CharField(
        label=_("Support needs"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    disclosure = forms.ChoiceField(
        label=_("Telling employers about the illness"),
        choices=Disclosure.choices,
        widget=forms.RadioSelect,
        initial=Disclosure.UNDECIDED,
    )


class BenefitsCounsellingForm(OnceOnlyForm):
    counselled_on = date_field(_("Date"))
    advice = forms.CharField(
        label=_("What the citizen was advised"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "For example how a job of 15 hours a week changes the benefit, or what happens to "
            "the benefit during an internship."
        ),
    )
    given_by = forms.CharField(
        label=_("Given by (optional)"),
        max_length=200,
        required=False,
        help_text=_("For example the job centre's benefits office."),
    )


class BenefitAtStartForm(OnceOnlyForm):
    benefit = forms.ModelChoiceField(
        label=_("What the citizen lived on when the course started"),
        queryset=BenefitType.objects.none(),
    )

    def __init__(self, *args: Any, start_date: datetime.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "benefit").queryset = BenefitType.objects.valid_on(start_date)


class EmployerContactForm(OnceOnlyForm):
    contacted_on = date_field(_("Date"))
    employer_name = forms.CharField(label=_("Employer"), max_length=200)
    cvr = forms.CharField(
        label=_("CVR number (optional)"),
        max_length=12,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    face_to_face = forms.BooleanField(label=_("Met face to face"), required=False)
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=EmployerContactOutcome.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contacted_on"].initial = timezone.localdate()


class EpisodeForm(OnceOnlyForm):
    type_code = forms.ChoiceField(
        label=_("Type"),
        error_messages={"required": _("Choose the type of job or education.")},
    )
    workplace = forms.CharField(
        label=_("Employer or institution"),
        max_length=200,
        error_messages={"required": _("Write the employer or the place of education.")},
    )
    started_on = date_field(_("Start"))
    hours_per_week = forms.DecimalField(
        label=_("Hours per week"), max_digits=4, decimal_places=1, required=False
    )
    ended_on = date_field(_("End (if it has ended)"), required=False)
    end_reason = forms.ChoiceField(
        label=_("Reason for ending"),
        choices=[("", _("Not ended")), *EpisodeEndReason.choices],
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        # The codes valid today are offered; the service checks the code against the start.
        # No type is chosen in advance: a form sent untouched must not record an ordinary job,
        # which counts towards the success rate.
        choice_field(self, "type_code").choices = [
            ("", _("Choose the type")),
            *(
                (episode_type.code, episode_type.name)
                for episode_type in EpisodeType.objects.valid_on(today)
            ),
        ]
        self.fields["started_on"].initial = today


class EpisodeEndForm(OnceOnlyForm):
    ended_on = date_field(_("End"))
    end_reason = forms.ChoiceField(label=_("Reason for ending"), choices=EpisodeEndReason.choices)


class SupportContactForm(OnceOnlyForm):
    contacted_on = date_field(_("Date"))
    with_whom = forms.ChoiceField(
        label=_("Contact with"),
        choices=ContactWith.choices,
        widget=forms.RadioSelect,
        initial=ContactWith.CITIZEN,
    )
    # No way is chosen in advance: a form sent untouched must not record a contact that hides
    # the caseload's "no contact" flag.
    mode = forms.ChoiceField(
        label=_("How"),
        choices=[("", _("Choose how")), *ContactMode.choices],
        error_messages={"required": _("Choose how the contact took place.")},
    )
    citizen_did_not_come = forms.BooleanField(
        label=_("The citizen did not come"),
        required=False,
        help_text=_("An agreed meeting or call the citizen missed: kept, not counted as contact."),
    )
    note = forms.CharField(
        label=_("What happened"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    next_step = forms.CharField(label=_("Next step"), max_length=300, required=False)
    next_step_on = date_field(_("Next step by"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contacted_on"].initial = timezone.localdate()


class CourseEndForm(OnceOnlyForm):
    ended_on = date_field(_("End date"))
    reason = forms.ChoiceField(
        label=_("Reason"), choices=CourseEndReason.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ended_on"].initial = timezone.localdate()


class FollowUpForm(OnceOnlyForm):
    answer = forms.ChoiceField(
        label=_("What the follow-up found"),
        choices=FollowUp.Answer.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Record any job or education the citizen has had first, with its dates; then "
            "confirm here."
        ),
    )


def days_ago(day: datetime.date) -> int:
    return (timezone.localdate() - day).days


class SharedPlanForm(OnceOnlyForm):
    based_on_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    work_goal = forms.CharField(
        label=_("The citizen's goal for work or education, in their own words"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    life_goals = forms.CharField(
        label=_("Other goals in life"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example housing, health, family, leisure."),
    )
    challenges = forms.CharField(
        label=_("The main challenges right now (our joint assessment)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    next_review_on = date_field(_("Next review"), help_text=_("At the latest 6 months from today."))
    reviewed = forms.BooleanField(label=_("We reviewed the plan together today"), required=False)


class PlanActionForm(OnceOnlyForm):
    description = forms.CharField(label=_("Action"), max_length=300)
    responsible = forms.TypedChoiceField(
        label=_("Responsible"),
        coerce=int,
        help_text=_("One person, in any organisation on the plan."),
    )
    deadline = date_field(_("Deadline"))
    priority = forms.IntegerField(
        label=_("Priority"),
        min_value=1,
        max_value=99,
        initial=1,
        help_text=_("1 is the most important."),
    )

    def __init__(self, *args: Any, people: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people = {person.pk: person for person in people}
        choice_field(self, "responsible").choices = [("", "")] + [
            (person.pk, f"{person}, {person.primary_organisation()}") for person in people
        ]

    def clean_responsible(self) -> User:
        return self.people[self.cleaned_data["responsible"]]


class PlanActionStatusForm(OnceOnlyForm):
    based_on_version = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(
        label=_("Status"), choices=ActionStatus.choices, widget=forms.RadioSelect
    )
    drop_reason = forms.CharField(
        label=_("Reason for dropping"),
        max_length=300,
        required=False,
        help_text=_("Only when the action is dropped."),
    )


class CoordinatorForm(OnceOnlyForm):
    coordinator = forms.TypedChoiceField(
        label=_("New coordinator"),
        coerce=int,
        error_messages={"required": _("Choose the new coordinator.")},
    )
    handover_note = forms.CharField(
        label=_("Note for the next coordinator"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "What the next coordinator needs to know: agreements, what is under way, who to call."
        ),
    )

    def __init__(self, *args: Any, people: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people = {person.pk: person for person in people}
        # Nobody is chosen in advance: sent untouched, the form would hand the citizen to
        # whoever comes first in the list.
        choice_field(self, "coordinator").choices = [
            ("", _("Choose the new coordinator")),
            *((person.pk, f"{person}, {person.primary_organisation()}") for person in people),
        ]

    def clean_coordinator(self) -> User:
        return self.people[self.cleaned_data["coordinator"]]


class RelayEntryForm(OnceOnlyForm):
    occurred_on = date_field(_("Date"))
    did = forms.CharField(label=_("What I did"), max_length=500)
    agreed = forms.CharField(label=_("What I agreed"), max_length=500, required=False)
    next_step = forms.CharField(label=_("What happens next"), max_length=500, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["occurred_on"].initial = timezone.localdate()


class TreatmentPeriodForm(OnceOnlyForm):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    started_on = date_field(_("Treatment started"))
    ended_on = date_field(
        _("Treatment ended"),
        required=False,
        help_text=_("Leave it empty while the treatment runs."),
    )

    def __init__(self, *args: Any, units: "QuerySet[Unit]", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = model_choice_field(self, "unit")
        field.queryset = units
        if len(units) == 1:
            field.initial = units[0].pk


class TreatmentPeriodEndForm(OnceOnlyForm):
    ended_on = date_field(_("Treatment ended"))


class NetworkMemberForm(OnceOnlyForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    relation = forms.ChoiceField(
        label=_("Relation to the citizen"), choices=[("", "---------"), *NetworkRelation.choices]
    )
    phone = forms.CharField(label=_("Phone (optional)"), max_length=30, required=False)
    email = forms.EmailField(label=_("Email (optional)"), required=False)
    involvement = forms.CharField(
        label=_("What the citizen wants them involved in (optional)"),
        max_length=500,
        required=False,
        help_text=_("For example: comes along to the Fælles Team meetings."),
    )
    citizen_agrees = forms.BooleanField(
        label=_("The citizen wants this person involved and agrees that we record them"),
    )


class ConfirmForm(OnceOnlyForm):
    """A deliberate step with nothing to fill in."""
