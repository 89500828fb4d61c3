"""The signed consent form, scanned and attached: size and type checked from the file itself,
stored outside the static root, read only by the organisations the consent names (logged),
refused like a document that does not exist for everyone else."""

import io
import uuid
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from consent.models import Consent, ConsentDocument, InformationCategory
from ipsportal.audit.models import AccessAction, AccessLogEntry
from tests.factories import CitizenFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

ATT = "Afdeling for Traume- og Torturoverlevende (ATT)"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "white").save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def private_files(monkeypatch, tmp_path) -> Path:
    """The private storage, in a folder of the test's own."""
    field = ConsentDocument._meta.get_field("file")
    monkeypatch.setattr(field, "storage", FileSystemStorage(location=tmp_path, base_url=None))
    return tmp_path


@pytest.fixture
def consent_of_fatima(shared_citizen, give_consent):
    return give_consent(shared_citizen, ["treatment_summary"])


def _attach(client, consent, name: str, content: bytes):
    return client.post(
        f"/samtykker/{consent.uuid}/dokument/ny/",
        {"file": SimpleUploadedFile(name, content, content_type="application/octet-stream")},
        follow=True,
    )


def test_a_scan_is_attached_stored_privately_and_opened_by_the_named_organisations(
    client, private_files, consent_of_fatima, clinician_att, consultant_odense
):
    client.force_login(clinician_att)
    page = _attach(client, consent_of_fatima, "underskrevet samtykke.pdf", PDF)
    assert "Det scannede samtykke er vedhæftet" in page.text
    document = ConsentDocument.objects.get()
    assert document.content_type == "application/pdf" and document.size == len(PDF)
    stored = Path(document.file.path)
    assert stored.parent.parent == private_files and stored.name == str(document.uuid)
    assert not stored.is_relative_to(django_settings.STATIC_ROOT)
    assert "underskrevet samtykke.pdf" in page.text  # listed with the consent

    client.force_login(consultant_odense)  # Jobcenter Odense is named in the consent
    response = client.get(f"/samtykke-dokumenter/{document.uuid}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == "application/pdf"
    assert AccessLogEntry.objects.filter(
        user=consultant_odense, action=AccessAction.EXPORT, category="consent_document"
    ).exists()


def test_others_are_answered_as_if_the_scan_did_not_exist(
    client, private_files, consent_of_fatima, clinician_att, stranger, manager_odense
):
    client.force_login(clinician_att)
    _attach(client, consent_of_fatima, "samtykke.png", _png())
    document = ConsentDocument.objects.get()
    for outsider in (stranger, manager_odense):
        client.force_login(outsider)
        refused = client.get(f"/samtykke-dokumenter/{document.uuid}/")
        missing = client.get(f"/samtykke-dokumenter/{uuid.uuid4()}/")
        assert refused.status_code == missing.status_code == 404
        assert refused.content == missing.content
        assert client.get(f"/samtykker/{consent_of_fatima.uuid}/dokument/ny/").status_code == 404
    assert AccessLogEntry.objects.filter(
        user=stranger, action=AccessAction.DENIED, category="consent_document"
    ).exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("samtykke.pdf", b"<html><script>alert(1)</script></html>", "som PDF, PNG eller JPEG"),
        ("samtykke.exe", PDF, "som PDF, PNG eller JPEG"),
        ("samtykke.png", PDF, "som PDF, PNG eller JPEG"),
        ("samtykke.png", _png()[:60], "beskadiget"),
        ("samtykke.pdf", b"%PDF-1.4\n" + b"0" * 100, "beskadiget"),
        ("samtykke.pdf", b"", "fil er tom"),
    ],
)
def test_a_file_that_is_not_a_scan_is_refused_in_danish_and_nothing_is_kept(
    client, private_files, consent_of_fatima, clinician_att, name, content, message
):
    client.force_login(clinician_att)
    page = _attach(client, consent_of_fatima, name, content)
    assert message in page.text
    assert not ConsentDocument.objects.exists()
    assert list(private_files.rglob("*")) in ([], [private_files / "consent-documents"])
    assert not list(private_files.rglob("*.*"))


def test_a_file_over_the_limit_is_refused(
    client, settings, private_files, consent_of_fatima, clinician_att
):
    settings.CONSENT_DOCUMENT_MAX_BYTES = 1024
    client.force_login(clinician_att)
    page = _attach(client, consent_of_fatima, "samtykke.pdf", PDF + b" " * 2000)
    assert "Filen er for stor: højst 1,0\xa0KB" in page.text
    assert not ConsentDocument.objects.exists()


def test_each_citizens_consents_show_their_own_categories_organisations_and_scans(
    client, private_files, shared_citizen, give_consent, clinician_att, att, compiled_for
):
    # Fatima's consent covers treatment summaries and has a scan; Omar's covers contact details
    # between ATT and another job centre, with no scan. His page is read by the statements
    # Fatima's page compiled.
    fatima_consent = give_consent(shared_citizen, ["treatment_summary"])
    omar = CitizenFactory(registered_by=att, given_name="Omar")
    give_consent(
        omar, ["contact_details"], organisations=[att, OrganisationFactory(name="Jobcenter Syd")]
    )
    client.force_login(clinician_att)
    _attach(client, fatima_consent, "fatimas samtykke.pdf", PDF)
    summaries, contact_details = (
        InformationCategory.objects.get(code=code).label
        for code in ["treatment_summary", "contact_details"]
    )

    fatima_page = client.get(f"/borgere/{shared_citizen.uuid}/").text
    compiled_for.clear()
    omar_page = client.get(f"/borgere/{omar.uuid}/").text

    assert f"Omfatter: {summaries}</p>" in fatima_page
    assert f"Mellem: {ATT}, Jobcenter Odense</p>" in fatima_page  # by name, as a prefetch
    assert "fatimas samtykke.pdf" in fatima_page
    assert f"Omfatter: {contact_details}</p>" in omar_page
    assert f"Mellem: {ATT}, Jobcenter Syd</p>" in omar_page
    assert "fatimas samtykke.pdf" not in omar_page
    parts = {Consent, Consent.organisations.through, Consent.categories.through, ConsentDocument}
    assert parts.isdisjoint(compiled_for)
