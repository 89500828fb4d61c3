"""Every page a citizen reaches by the portal's links reads in Arabic when the citizen chose
Arabic. Django shows a text the Arabic catalogue lacks in the portal's default language, so a
missing translation is a Danish sentence on an Arabic page; the crawl records each text the
pages ask for that the Arabic catalogue does not have. (English needs no such check: a text
without an English translation is shown as written, in English.)"""

import io
import re

import pytest
from django.apps import apps
from django.core.management import call_command
from django.test import Client
from django.utils import timezone, translation
from django.utils.translation import trans_real
from pypdf import PdfReader

from cases.models import Course
from ipsportal.citizens.models import Citizen
from ipsportal.core.middleware import CITIZEN_LANGUAGE_SESSION_KEY
from meetings.models import CaseDiscussion, DigitalPostLetter, LetterKind
from meetings.services import letter_queue
from tests.clients import citizen_signed_in
from tests.crawl import pages_reached
from tests.pdfs import accessibility_problems

# The choices the citizen's pages and the copy of their data show by their labels: all of them,
# not only those the demo's data happens to hold.
CHOICES_THE_CITIZEN_READS = [
    ("cases.course", "phase"),
    ("cases.planaction", "status"),
    ("cases.citizenplanentry", "kind"),
    ("citizens.citizen", "preferred_language"),
    ("citizens.networkmember", "relation"),
]
SKIPPED = re.compile(r"\.(pdf|json)$|/log-ud/|/sprog/|/static/|/breve/")


@pytest.fixture
def texts_without_arabic(monkeypatch) -> set[str]:
    """The texts asked for in Arabic that the Arabic catalogue does not have."""
    missing: set[str] = set()
    gettext, ngettext = trans_real.DjangoTranslation.gettext, trans_real.DjangoTranslation.ngettext

    def recording_gettext(self, message):
        if self.language() == "ar" and message and message not in self._catalog:
            missing.add(message.split("\x04")[-1])
        return gettext(self, message)

    def recording_ngettext(self, singular, plural, number):
        if self.language() == "ar" and (singular, 0) not in self._catalog:
            missing.add(singular)
        return ngettext(self, singular, plural, number)

    monkeypatch.setattr(trans_real.DjangoTranslation, "gettext", recording_gettext)
    monkeypatch.setattr(trans_real.DjangoTranslation, "ngettext", recording_ngettext)
    return missing


@pytest.mark.django_db
def test_every_page_a_citizen_reaches_in_arabic_is_in_arabic(
    texts_without_arabic, tmp_path, settings
):
    settings.DIGITAL_POST_OUTBOX = tmp_path
    call_command("seed_demo", "--citizens", "30")
    texts_without_arabic.clear()  # the seeding's own texts are in Danish on purpose
    citizens = {
        *DigitalPostLetter.objects.filter(sent_at__isnull=False).values_list("citizen", flat=True)[
            :2
        ],
        *Course.objects.filter(ended_on__isnull=False).values_list("citizen", flat=True)[:1],
        *Course.objects.filter(citizen__plan__isnull=False).values_list("citizen", flat=True)[:1],
    }
    crawled: set[str] = set()
    for course in Course.objects.filter(citizen__in=citizens).select_related("citizen"):
        client = citizen_signed_in(Client(), course.citizen)
        session = client.session
        session[CITIZEN_LANGUAGE_SESSION_KEY] = "ar"
        session.save()
        for path, page in pages_reached(client.get, "/borger/", skipped=SKIPPED):
            crawled.add(re.sub(r"[0-9a-f-]{36}", "<id>", path))
            assert 'lang="ar" dir="rtl"' in page
        assert client.get("/borger/mine-data.json").status_code == 200
        with translation.override("ar"):
            title = translation.gettext("All your information in IPS Portal")
        copy_of_the_data = client.get("/borger/mine-data.pdf").content
        assert (
            accessibility_problems(
                copy_of_the_data, language="ar", title=title, elements={"H1", "H2", "P", "L"}
            )
            == []
        )
    assert crawled >= {
        "/borger/",
        "/borger/plan/",
        "/borger/moeder/",
        "/borger/samtykker/",
        "/borger/samtykker/<id>/tilbagekald/",
        "/borger/samtykker/<id>/forny/",
        "/borger/hvem-har-set/",
        "/borger/moeder/<id>/evaluering/",
        "/borger/forloeb/<id>/evaluering/",
    }
    assert sorted(texts_without_arabic) == []


@pytest.mark.django_db
def test_the_letters_to_a_citizen_who_reads_arabic_are_in_arabic(
    texts_without_arabic, tmp_path, settings
):
    settings.DIGITAL_POST_OUTBOX = tmp_path
    call_command("seed_demo", "--citizens", "30")
    texts_without_arabic.clear()
    now = timezone.now()
    held = CaseDiscussion.objects.filter(occurrence__ends_at__lt=now).exclude(next_steps="")
    coming = CaseDiscussion.objects.filter(occurrence__starts_at__gt=now)
    for case, kind in ((held.first(), LetterKind.MINUTES), (coming.first(), LetterKind.INVITATION)):
        assert case is not None
        Citizen.objects.filter(pk=case.citizen_id).update(preferred_language="ar")
        letter = letter_queue(case=case, kind=kind, by=case.occurrence.series.lead)
        assert PdfReader(io.BytesIO(letter.pdf)).pages
        assert (
            accessibility_problems(
                letter.pdf, language="ar", title=letter.subject, elements={"H1", "P"}
            )
            == []
        )
    assert sorted(texts_without_arabic) == []


def test_every_choice_a_citizen_reads_has_an_arabic_label():
    arabic = trans_real.translation("ar")
    missing = []
    for model, field in CHOICES_THE_CITIZEN_READS:
        for _value, label in apps.get_model(model)._meta.get_field(field).flatchoices:
            with translation.override("en"):
                source = str(label)
            if source not in arabic._catalog:
                missing.append(f"{model}.{field}: {source!r}")
    assert missing == []
