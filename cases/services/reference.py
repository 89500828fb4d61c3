"""The dated code lists (docs/domain.md, "Job and education types" and "Benefits": the
labour-market categories and the benefits are law and change with it)."""

import datetime

from django.db import transaction

from cases.models import BenefitType, EpisodeKind, EpisodeType

LONG_AGO = datetime.date(2000, 1, 1)
# Lov nr. 1750 af 29. december 2025 abolishes revalidering and ressourceforløb for new cases
# during 2026; this is the last day a new case can start at the latest. Administrators set the
# exact date in the admin when it is known; old episodes keep their code either way.
REFORM_2026_LAST_DAY = datetime.date(2026, 12, 31)

# code, Danish name, kind, counts as ordinary, valid to
STANDARD_EPISODE_TYPES = [
    ("ordinary_employment", "Ordinær beskæftigelse", EpisodeKind.EMPLOYMENT, True, None),
    ("education", "Ordinær uddannelse", EpisodeKind.EDUCATION, True, None),
    ("flexjob", "Fleksjob", EpisodeKind.GRADED, False, None),
    ("wage_subsidy", "Løntilskud", EpisodeKind.GRADED, False, None),
    ("company_internship", "Virksomhedspraktik", EpisodeKind.GRADED, False, None),
    ("revalidation", "Revalidering", EpisodeKind.GRADED, False, REFORM_2026_LAST_DAY),
    ("resource_course", "Ressourceforløb", EpisodeKind.GRADED, False, REFORM_2026_LAST_DAY),
    ("other", "Andet", EpisodeKind.OTHER, False, None),
]


@transaction.atomic
def episode_types_ensure() -> None:
    """Create the standard codes that are missing; an administrator's changes are kept."""
    for position, (code, name, kind, ordinary, valid_to) in enumerate(STANDARD_EPISODE_TYPES):
        EpisodeType.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "kind": kind,
                "counts_as_ordinary": ordinary,
                "valid_from": LONG_AGO,
                "valid_to": valid_to,
                "position": position,
            },
        )


# code, Danish name, public support, valid to. Administrators close a code in the admin when the
# law closes it (its valid-to date) and add its successor; courses keep the code they had.
STANDARD_BENEFIT_TYPES = [
    ("cash_benefit", "Kontanthjælp", True, None),
    ("education_benefit", "Uddannelseshjælp", True, None),
    ("self_support_benefit", "Selvforsørgelses- og hjemrejseydelse", True, None),
    ("transition_benefit", "Overgangsydelse", True, None),
    ("sickness_benefit", "Sygedagpenge", True, None),
    ("unemployment_benefit", "Arbejdsløshedsdagpenge", True, None),
    ("flexjob_unemployment_benefit", "Ledighedsydelse", True, None),
    ("resource_course_benefit", "Ressourceforløbsydelse", True, None),
    ("revalidation_benefit", "Revalideringsydelse", True, REFORM_2026_LAST_DAY),
    ("disability_pension", "Førtidspension", True, None),
    ("student_grant", "SU (Statens Uddannelsesstøtte)", False, None),
    ("self_supporting", "Selvforsørgende (løn eller egne midler)", False, None),
    ("other_benefit", "Anden ydelse", True, None),
]


@transaction.atomic
def benefit_types_ensure() -> None:
    """Create the standard codes that are missing; an administrator's changes are kept."""
    for position, (code, name, public_support, valid_to) in enumerate(STANDARD_BENEFIT_TYPES):
        BenefitType.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "public_support": public_support,
                "valid_from": LONG_AGO,
                "valid_to": valid_to,
                "position": position,
            },
        )


def code_lists_ensure() -> None:
    episode_types_ensure()
    benefit_types_ensure()
