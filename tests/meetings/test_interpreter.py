"""A citizen who needs an interpreter: the agenda, the meeting template and the letter page say
so, in the citizen's language, and the invitation tells the citizen an interpreter takes part."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from meetings import services
from meetings.models import LetterKind
from tests.clients import StaffClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def case_of_somali_speaker(minutes_ready):
    citizen = minutes_ready.citizen
    citizen.preferred_language = "so"
    citizen.needs_interpreter = True
    citizen.save(update_fields=["preferred_language", "needs_interpreter"])
    return minutes_ready


def test_the_meeting_pages_say_an_interpreter_is_needed(case_of_somali_speaker, consultant_odense):
    case = case_of_somali_speaker
    client = StaffClient()
    client.force_login(consultant_odense)
    occurrence_page = reverse("meetings:occurrence", args=[case.occurrence.uuid])
    assert "(Tolk påkrævet: somalisk)" in client.get(occurrence_page).content.decode()

    case_page = reverse("meetings:case", args=[case.occurrence.uuid, case.uuid])
    assert "Bestil tolken til mødet." in client.get(case_page).content.decode()

    confirm = reverse("meetings:letter_send", args=[case.occurrence.uuid, case.uuid, "invitation"])
    page = client.get(confirm).content.decode()
    assert "Tolk påkrævet: somalisk" in page
    assert "Indkaldelsen fortæller borgeren, at en tolk deltager." in page


def test_the_invitation_tells_the_citizen_an_interpreter_takes_part(
    case_of_somali_speaker, consultant_odense, outbox
):
    letter = services.letter_queue(
        case=case_of_somali_speaker, kind=LetterKind.INVITATION, by=consultant_odense
    )
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(letter.pdf)).pages)
    assert "En tolk (somalisk) deltager i mødet." in " ".join(text.split())


def test_no_interpreter_no_note(minutes_ready, consultant_odense):
    client = StaffClient()
    client.force_login(consultant_odense)
    case_page = reverse("meetings:case", args=[minutes_ready.occurrence.uuid, minutes_ready.uuid])
    assert "tolk" not in client.get(case_page).content.decode().lower()


def test_an_arabic_speakers_invitation_says_it_in_arabic(minutes_ready, consultant_odense, outbox):
    citizen = minutes_ready.citizen
    citizen.preferred_language = "ar"
    citizen.needs_interpreter = True
    citizen.save(update_fields=["preferred_language", "needs_interpreter"])
    letter = services.letter_queue(
        case=minutes_ready, kind=LetterKind.INVITATION, by=consultant_odense
    )
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(letter.pdf)).pages)
    assert "interpreter" not in text.lower()
    assert "مترجم" in text
