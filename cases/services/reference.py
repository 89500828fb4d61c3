"""The dated code list of job and education types (docs/domain.md, "Job and education types":
the labour-market categories are law and change with it)."""

import datetime

from django.db import transaction

from cases.models import EpisodeKind, EpisodeType

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
