"""The standard information categories and the first versions of the consent text."""

import datetime

from django.utils.translation import gettext_lazy as _

# Each name is stored in Danish when the category is created, and shown in the reader's
# language (the citizen reads what they consented to in their own): InformationCategory.label.
STANDARD_CATEGORIES = [
    ("shared_plan", _("The shared plan"), "Borgerens mål, handlinger, ansvarlige og frister."),
    (
        "course_events",
        _("Course events and employment status"),
        "IPS-forløbets faser, arbejdsgiverkontakter, job og uddannelse.",
    ),
    (
        "meeting_minutes",
        _("Meeting minutes"),
        "Referater fra Fælles Team-møder og konferencer om borgeren.",
    ),
    (
        "treatment_summary",
        _("Treatment summary for employment purposes"),
        "Et resumé skrevet af behandleren til brug i beskæftigelsesindsatsen, og hvornår "
        "borgeren er i behandling.",
    ),
    ("contact_details", _("Contact details"), "Telefon, e-mail og adresse."),
    (
        "network",
        _("Relatives and network"),
        "Navne og kontaktoplysninger på de pårørende og andre i netværket, som borgeren vil "
        "have med i forløbet.",
    ),
]

CONSENT_TEXT_VERSION = "2026-1"
CONSENT_TEXT_VALID_FROM = datetime.date(2026, 1, 1)
CONSENT_TEXTS = {
    "da": (
        "Samtykke til udveksling af oplysninger i et IPS-forløb",
        "Jeg giver samtykke til, at de organisationer, der er nævnt i samtykket, må udveksle de "
        "kategorier af oplysninger om mig, der er nævnt, til det formål, der er nævnt, i den "
        "angivne periode. Andre oplysninger bliver hos den organisation, der har registreret "
        "dem. Jeg kan til enhver tid trække samtykket tilbage ved at sige det til en "
        "medarbejder, og det gælder fra det øjeblik.",
    ),
    "en": (
        "Consent to exchange information in an IPS course",
        "I consent to the organisations named in this consent exchanging the named categories "
        "of information about me, for the named purpose, in the stated period. Other "
        "information stays with the organisation that recorded it. I can withdraw this consent "
        "at any time by telling a member of staff, and it takes effect at once.",
    ),
}
