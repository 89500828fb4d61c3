"""The managers' dashboard, the administrators' import page and the fidelity reviews."""

from dataclasses import replace
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from cases.services.imports import courses_import, episodes_import
from consent import access
from ipsportal.accounts.models import Organisation, OrganisationKind, User
from ipsportal.accounts.requests import StaffRequest
from ipsportal.core.exports import table_response
from ipsportal.core.forms import DATE_WIDGET
from ipsportal.core.http import submitted_data
from reporting import dashboard, fidelity, rules
from reporting.models import FidelityReview
from reporting.snapshots import recompute_soon

MAX_IMPORT_BYTES = 5 * 1024 * 1024


def _managers_only(user: User) -> None:
    if not access.capabilities_of(user).sees_results:
        raise Http404


ALL_ORGANISATIONS = "all"


def _filters(request: StaffRequest) -> tuple[dashboard.Filters, bool]:
    """The dashboard's filters, and whether the organisation is the reader's own by default: a
    manager's dashboard opens on their own organisation, the steering group's on them all."""
    may = access.capabilities_of(request.user)
    chosen = request.GET.get("organisation")
    own_by_default = chosen is None and may.names_own_consultants
    if own_by_default:
        chosen = str(request.user.primary_organisation_id() or "")
    elif chosen == ALL_ORGANISATIONS:
        chosen = ""
    filters = dashboard.Filters(
        organisation=(chosen or "")[:20],
        target_group=request.GET.get("target_group", "")[:60],
        quarter_from=request.GET.get("from", "")[:7],
        quarter_to=request.GET.get("to", "")[:7],
        reader_organisations=(
            tuple(sorted(str(pk) for pk in request.user.organisation_ids()))
            if may.names_own_consultants
            else ()
        ),
    )
    return filters, own_by_default


def _dashboard_for(request: StaffRequest) -> tuple[dashboard.Filters, dashboard.Dashboard]:
    filters, own_by_default = _filters(request)
    shown = dashboard.cached_dashboard(filters)
    if own_by_default and filters.organisation not in dict(shown.choices.get("organisations", [])):
        # The reader's organisation has no courses yet (an administration, a new job centre):
        # every organisation's figures say more than an empty page.
        filters = replace(filters, organisation="")
        shown = dashboard.cached_dashboard(filters)
    return filters, shown


CHART_LEFT = 210  # room for the group names
CHART_SCALE = 4  # pixels per percentage point


def _x(fraction: float | None) -> float | None:
    return None if fraction is None else round(CHART_LEFT + fraction * 100 * CHART_SCALE, 1)


def _chart(groups: list, *, field: str, benchmarks: list[tuple[str, float]]) -> dict[str, object]:
    """Geometry for a rate chart (bars with 95 % interval whiskers and benchmark lines),
    computed here so the template only places it."""
    rows = []
    for number, group in enumerate(groups):
        rate = getattr(group, field)
        rows.append(
            {
                "label": group.label,
                "y": 10 + number * 30,
                "text_y": 24 + number * 30,
                "whisker_y": 19 + number * 30,
                "rate": rate.rate,
                "bar_width": None if rate.rate is None else round(rate.rate * 100 * CHART_SCALE, 1),
                "low_x": _x(rate.ci_low),
                "high_x": _x(rate.ci_high),
                "eligible": rate.eligible,
            }
        )
    height = 20 + len(rows) * 30
    return {
        "rows": rows,
        "height": height,
        "left": CHART_LEFT,
        "right": CHART_LEFT + 100 * CHART_SCALE,
        "benchmarks": [
            {"label": label, "x": _x(value), "value": value} for label, value in benchmarks
        ],
    }


def outcome_dashboard(request: StaffRequest) -> HttpResponse:
    _managers_only(request.user)
    filters, shown = _dashboard_for(request)
    snapshot, figures = shown.snapshot, shown.figures
    context: dict[str, object] = {"snapshot": snapshot, "newer_coming": shown.newer_coming}
    if snapshot is not None and figures is not None:
        query = _query_of(filters, request)
        context.update(_figures_context(request, filters, shown, figures, query))
        context["figures_html"] = dashboard.rendered_once(
            shown,
            filters,
            query,
            lambda: render_to_string("reporting/dashboard.html#figures", context),
        )
    return render(request, "reporting/dashboard.html", context)


def _figures_context(
    request: StaffRequest,
    filters: dashboard.Filters,
    shown: dashboard.Dashboard,
    figures: dashboard.DashboardFigures,
    query: str,
) -> dict[str, object]:
    breakdown = next(
        (b for b in figures["breakdowns"] if b.dimension == request.GET.get("by")),
        figures["breakdowns"][0],
    )
    return {
        **figures,
        "snapshot": shown.snapshot,
        "filters": filters,
        "choices": shown.choices,
        "breakdown": breakdown,
        "breakdown_choices": [(b.dimension, b.title) for b in figures["breakdowns"]],
        "success_chart": _chart(
            [figures["overall"], *breakdown.groups],
            field="success",
            benchmarks=[
                (_("Projekt Inklusion, IPS"), rules.IPS_BENCHMARK),
                (_("Ordinary job-centre services"), rules.ORDINARY_SERVICES_BENCHMARK),
            ],
        ),
        "retention_chart": _chart(
            [figures["overall"], *breakdown.groups],
            field="retention",
            benchmarks=[(_("Aalborg's goal"), rules.RETENTION_GOAL)],
        ),
        "verdicts": dashboard.VERDICT_LABELS,
        "bands": dashboard.BAND_LABELS,
        "query": query,
        "all_organisations": ALL_ORGANISATIONS,
    }


# What the dashboard's address may say; anything else in it is left out of its links.
QUERY_PARAMETERS = ("organisation", "target_group", "from", "to", "by")


def _query_of(filters: dashboard.Filters, request: StaffRequest) -> str:
    """The page's query string with the organisation it shows spelled out, so the export and
    the breakdown links show what the page shows."""
    query = QueryDict(mutable=True)
    for name in QUERY_PARAMETERS:
        if name in request.GET:
            query[name] = request.GET[name]
    query["organisation"] = filters.organisation or ALL_ORGANISATIONS
    return query.urlencode()


def outcome_export(request: StaffRequest, fmt: str) -> HttpResponse:
    _managers_only(request.user)
    _filters_used, shown = _dashboard_for(request)
    snapshot, figures = shown.snapshot, shown.figures
    if snapshot is None or figures is None:
        raise Http404
    header, rows = dashboard.export_rows(figures)
    return table_response(
        filename=f"ips-resultater-{snapshot.as_of.isoformat()}", fmt=fmt, header=header, rows=rows
    )


@require_POST
def outcome_recompute(request: StaffRequest) -> HttpResponse:
    _managers_only(request.user)
    with transaction.atomic():
        recompute_soon()
    messages.success(
        request, _("The figures are being recomputed. Reload the page in a minute to see them.")
    )
    return redirect("reporting:dashboard")


# --- Import ---------------------------------------------------------------------------------------


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("What the file holds"),
        choices=[
            ("courses", gettext_lazy("Courses")),
            ("episodes", gettext_lazy("Jobs and education (episodes)")),
        ],
        widget=forms.RadioSelect,
    )
    file = forms.FileField(
        label=gettext_lazy("CSV file"),
        help_text=gettext_lazy("UTF-8, comma-separated, a header row, dates as YYYY-MM-DD."),
    )
    dry_run = forms.BooleanField(label=gettext_lazy("Only check the file"), required=False)

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError(_("Choose a .csv file."))
        try:
            return upload.read().decode("utf-8")
        except UnicodeDecodeError as error:
            raise forms.ValidationError(_("The file is not UTF-8 text.")) from error


@require_http_methods(["GET", "POST"])
def import_page(request: StaffRequest) -> HttpResponse:
    if not access.capabilities_of(request.user).imports_data:
        raise Http404
    form = ImportForm(submitted_data(request), request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        run = courses_import if form.cleaned_data["kind"] == "courses" else episodes_import
        result = run(
            form.cleaned_data["file"], dry_run=form.cleaned_data["dry_run"], by=request.user
        )
        if result.ok and not result.dry_run:
            with transaction.atomic():
                recompute_soon()
    return render(request, "reporting/import.html", {"form": form, "result": result})


# --- Fidelity reviews ----------------------------------------------------------------------------


class FidelityReviewForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Job centre"),
        queryset=Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY),
    )
    reviewed_on = forms.DateField(label=gettext_lazy("Review date"), widget=DATE_WIDGET)
    reviewers = forms.CharField(label=gettext_lazy("Reviewers"), max_length=300)

    def __init__(self, *args: Any, suggested: dict[int, fidelity.Suggestion], **kwargs: Any):
        super().__init__(*args, **kwargs)
        for number, title in enumerate(fidelity.ITEMS, 1):
            suggestion = suggested.get(number)
            help_text = (
                _("Computed from the data: %(value)s, suggested score %(score)d.")
                % {"value": suggestion.value, "score": suggestion.score}
                if suggestion
                else ""
            )
            self.fields[f"score_{number}"] = forms.TypedChoiceField(
                label=f"{number}. {title}",
                choices=[(score, str(score)) for score in range(1, 6)],
                coerce=int,
                initial=suggestion.score if suggestion else None,
                help_text=help_text,
            )
            self.fields[f"note_{number}"] = forms.CharField(
                label=_("Note on item %(number)d") % {"number": number},
                required=False,
                max_length=1000,
            )


def fidelity_reviews(request: StaffRequest) -> HttpResponse:
    _managers_only(request.user)
    reviews = FidelityReview.objects.select_related("organisation").prefetch_related("items")
    return render(
        request,
        "reporting/fidelity_list.html",
        {
            "reviews": reviews,
            "may_record": access.capabilities_of(request.user).records_fidelity_reviews,
        },
    )


@require_http_methods(["GET", "POST"])
def fidelity_review_create(request: StaffRequest) -> HttpResponse:
    if not access.capabilities_of(request.user).records_fidelity_reviews:
        raise Http404
    organisation_id = request.POST.get("organisation") or request.GET.get("organisation") or ""
    job_centres = Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY)
    organisation = (
        job_centres.filter(pk=organisation_id).first()
        if organisation_id.isdigit()
        else job_centres.filter(pk__in=request.user.organisation_ids()).first()
    )
    today = timezone.localdate()
    suggested = fidelity.suggestions(organisation, today) if organisation else {}
    form = FidelityReviewForm(
        submitted_data(request),
        suggested=suggested,
        initial={"organisation": organisation, "reviewed_on": today},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        numbers = range(1, len(fidelity.ITEMS) + 1)
        try:
            review = fidelity.fidelity_review_record(
                organisation=data["organisation"],
                reviewed_on=data["reviewed_on"],
                reviewers=data["reviewers"],
                scores={number: data[f"score_{number}"] for number in numbers},
                notes={number: data[f"note_{number}"] for number in numbers},
                recorded_by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("The review is saved: %(total)d points, %(band)s.")
                % {"total": review.total, "band": fidelity.BAND_LABELS[review.band]},
            )
            return redirect("reporting:fidelity")
    return render(
        request,
        "reporting/fidelity_form.html",
        {
            "form": form,
            "organisation": organisation,
            "job_centres": list(job_centres),
            "scale_version": fidelity.SCALE_VERSION,
        },
    )
