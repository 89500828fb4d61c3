import datetime
import re
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from consent.models import CitizenGroupObjectPermission, Consent, ConsentText, InformationCategory
from consent.services import consent_give, consent_withdraw, consents_expire
from tests.clients import StaffClient
from tests.conftest import SUMMARY_TEXT
from tests.html import table_rows

TODAY = timezone.localdate


def _form(att, jobcenter_odense, **overrides):
    today = TODAY()
    data = {
        "organisations": [jobcenter_odense.pk],
        "categories": [InformationCategory.objects.get(code="treatment_summary").pk],
        "purpose": "ips_course",
        "given_on": today.isoformat(),
        "valid_from": today.isoformat(),
        "valid_until": (today + datetime.timedelta(days=365)).isoformat(),
        "method": "oral",
        "text": ConsentText.objects.get(version="2026-1", language="da").pk,
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
class TestRecordingAConsent:
    def test_a_clinician_records_a_consent_and_the_job_centre_is_granted_at_once(
        self, client, clinician_att, shared_citizen, att, jobcenter_odense, ips_team_odense
    ):
        client.force_login(clinician_att)
        response = client.post(
            reverse("consent:create", args=[shared_citizen.uuid]), _form(att, jobcenter_odense)
        )
        assert response.status_code == 302
        consent = Consent.objects.get()
        assert consent.recorded_by == clinician_att
        assert set(consent.organisations.all()) == {att, jobcenter_odense}
        assert CitizenGroupObjectPermission.objects.filter(
            content_object=shared_citizen,
            group=ips_team_odense.group,
            permission__codename="view_treatment_summary",
        ).exists()

    @pytest.mark.parametrize(("language", "proposed"), [("en", "en"), ("ar", "da"), ("da", "da")])
    def test_the_text_proposed_is_the_current_one_in_the_citizens_language(
        self, client, clinician_att, shared_citizen, language, proposed
    ):
        """The citizen read the text in their own language where there is one; a text not yet
        in use was shown to nobody and is not offered."""
        ConsentText.objects.create(
            version="2027-1",
            language="da",
            title="Samtykke (ny udgave)",
            body="Gælder fra næste år.",
            valid_from=TODAY() + datetime.timedelta(days=30),
        )
        shared_citizen.preferred_language = language
        shared_citizen.save()
        client.force_login(clinician_att)

        page = client.get(reverse("consent:create", args=[shared_citizen.uuid])).content.decode()

        current = ConsentText.objects.get(version="2026-1", language=proposed)
        assert re.search(rf'<option value="{current.pk}" selected\s*>', page)
        assert "Samtykke (ny udgave)" not in page

    @pytest.mark.parametrize(
        ("overrides", "message"),
        [
            (
                {"valid_until": "2026-01-01", "valid_from": "2026-06-01"},
                "Samtykket kan ikke slutte, før det begynder.",
            ),
            ({"categories": []}, "Dette felt er påkrævet."),
            ({"organisations": []}, "Dette felt er påkrævet."),
            # The own organisation is not offered: posting it anyway is not a valid choice.
            ("own_only", "er ikke en af de tilgængelige valgmuligheder"),
            ("future", "Datoen for samtykket kan ikke ligge i fremtiden."),
        ],
    )
    def test_bad_input_gives_a_danish_message_and_saves_nothing(
        self, client, clinician_att, shared_citizen, att, jobcenter_odense, overrides, message
    ):
        if overrides == "own_only":
            overrides = {"organisations": [att.pk]}
        elif overrides == "future":
            overrides = {"given_on": (TODAY() + datetime.timedelta(days=1)).isoformat()}
        client.force_login(clinician_att)
        response = client.post(
            reverse("consent:create", args=[shared_citizen.uuid]),
            _form(att, jobcenter_odense, **overrides),
        )
        assert response.status_code == 200
        assert message in response.content.decode()
        assert Consent.objects.count() == 0
        assert CitizenGroupObjectPermission.objects.count() == 0

    def test_a_consent_is_recorded_on_the_text_in_use_the_day_it_was_given(
        self, client, clinician_att, shared_citizen, att, jobcenter_odense
    ):
        """A paper consent signed in December 2025 was signed on the text in use then: recorded
        on the text from 1 January 2026 it would say the citizen agreed to words they never
        saw."""
        earlier = ConsentText.objects.create(
            version="2025-1",
            language="da",
            title="Samtykke (2025)",
            body="Den tekst, der var i brug i 2025.",
            valid_from=datetime.date(2025, 1, 1),
        )
        signed_on_paper = {
            "given_on": "2025-12-15",
            "valid_from": "2025-12-15",
            "valid_until": (TODAY() + datetime.timedelta(days=30)).isoformat(),
        }
        client.force_login(clinician_att)
        url = reverse("consent:create", args=[shared_citizen.uuid])

        response = client.post(url, _form(att, jobcenter_odense, **signed_on_paper))

        assert response.status_code == 200
        assert (
            "Denne tekst blev taget i brug den 1. januar 2026, efter at samtykket blev givet: "
            "vælg den tekst, borgeren fik vist. Teksten i brug den 15. december 2025: "
            "Samtykke (2025) (2025-1, da)." in response.content.decode()
        )
        assert Consent.objects.count() == 0
        assert CitizenGroupObjectPermission.objects.count() == 0

        response = client.post(
            url, _form(att, jobcenter_odense, **signed_on_paper, text=earlier.pk)
        )

        assert response.status_code == 302
        assert Consent.objects.get().text == earlier

    def test_the_form_names_the_own_organisation_and_the_recorder_instead_of_offering_them(
        self, client, clinician_att, shared_citizen, att, jobcenter_odense
    ):
        client.force_login(clinician_att)
        form = client.get(reverse("consent:create", args=[shared_citizen.uuid])).content.decode()
        assert f'value="{att.pk}"' not in form
        assert f'value="{jobcenter_odense.pk}"' in form
        assert f"{att.name}, din egen, er altid med." in form
        assert "Givet mundtligt, registreret af dig (Sara Jensen)" in form

        client.post(
            reverse("consent:create", args=[shared_citizen.uuid]),
            _form(att, jobcenter_odense, method="oral"),
        )
        detail = client.get(reverse("cases:citizen_detail", args=[shared_citizen.uuid]))
        assert "Givet mundtligt, registreret af Sara Jensen" in detail.content.decode()

    def test_an_end_before_the_start_marks_the_end_date_alone(
        self, client, clinician_att, shared_citizen, att, jobcenter_odense
    ):
        client.force_login(clinician_att)
        today = TODAY()
        response = client.post(
            reverse("consent:create", args=[shared_citizen.uuid]),
            _form(
                att,
                jobcenter_odense,
                given_on=today.isoformat(),
                valid_from=today.isoformat(),
                valid_until=(today - datetime.timedelta(days=30)).isoformat(),
            ),
        )
        page = response.content.decode()
        assert 'aria-invalid="true" aria-describedby="id_valid_until_error"' in page
        assert 'aria-describedby="id_given_on_error"' not in page
        assert 'aria-describedby="id_valid_from_error"' not in page

    def test_the_service_refuses_a_consent_with_no_category(
        self, shared_citizen, clinician_att, att, jobcenter_odense
    ):
        with pytest.raises(ValidationError) as error:
            consent_give(
                citizen=shared_citizen,
                recorded_by=clinician_att,
                recording_organisation=att,
                organisations=[jobcenter_odense],
                categories=[],
                purpose="ips_course",
                given_on=TODAY(),
                valid_from=TODAY(),
                valid_until=TODAY(),
                method="digital",
                text=ConsentText.objects.first(),
            )
        assert "categories" in error.value.message_dict
        assert Consent.objects.count() == 0


@pytest.mark.django_db
class TestWithdrawal:
    def test_a_withdrawal_takes_effect_on_the_very_next_request(
        self, shared_citizen, give_consent, consultant_odense, clinician_att
    ):
        consent = give_consent(shared_citizen, ["treatment_summary"])
        job_centre = StaffClient()
        job_centre.force_login(consultant_odense)
        url = reverse("cases:citizen_detail", args=[shared_citizen.uuid])
        assert SUMMARY_TEXT in job_centre.get(url).content.decode()

        psychiatry = StaffClient()
        psychiatry.force_login(clinician_att)
        response = psychiatry.post(
            reverse("consent:withdraw", args=[consent.uuid]), {"note": "Sagt i telefon"}
        )
        assert response.status_code == 302

        assert SUMMARY_TEXT not in job_centre.get(url).content.decode()
        consent.refresh_from_db()
        assert consent.withdrawn_by == clinician_att
        assert consent.withdrawal_note == "Sagt i telefon"
        assert not CitizenGroupObjectPermission.objects.filter(
            content_object=shared_citizen
        ).exists()

    def test_the_history_stays_visible_after_withdrawal(
        self, client, shared_citizen, give_consent, clinician_att
    ):
        consent = give_consent(shared_citizen, ["treatment_summary"])
        consent_withdraw(consent=consent, withdrawn_by=clinician_att)
        give_consent(shared_citizen, ["shared_plan"])
        client.force_login(clinician_att)
        page = client.get(reverse("cases:citizen_detail", args=[shared_citizen.uuid]))
        text = page.content.decode()
        assert "Tilbagekaldt" in text
        assert "Samtykke gælder" in text
        assert Consent.objects.count() == 2

    def test_withdrawing_twice_is_one_withdrawal_and_no_error(
        self, client, shared_citizen, give_consent, clinician_att
    ):
        consent = give_consent(shared_citizen, ["treatment_summary"])
        client.force_login(clinician_att)
        url = reverse("consent:withdraw", args=[consent.uuid])
        first = client.post(url, {})
        withdrawn_at = Consent.objects.get().withdrawn_at
        second = client.post(url, {})
        assert first.status_code == second.status_code == 302
        assert Consent.objects.get().withdrawn_at == withdrawn_at


@pytest.mark.django_db(transaction=True)
def test_two_staff_withdrawing_at_once_record_one_withdrawal(
    shared_citizen, give_consent, clinician_att, consultant_odense
):
    consent = give_consent(shared_citizen, ["treatment_summary"])
    barrier = threading.Barrier(2)
    errors: list[Exception] = []

    def withdraw(user) -> None:
        barrier.wait()
        try:
            consent_withdraw(consent=consent, withdrawn_by=user)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=withdraw, args=(user,))
        for user in (clinician_att, consultant_odense)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    assert consent.withdrawn_by in (clinician_att, consultant_odense)


@pytest.mark.django_db
class TestExpiry:
    def test_the_nightly_job_expires_past_consents_and_removes_their_grants(
        self, shared_citizen, give_consent
    ):
        consent = give_consent(shared_citizen, ["treatment_summary"])
        assert CitizenGroupObjectPermission.objects.exists()
        Consent.objects.filter(pk=consent.pk).update(
            valid_until=TODAY() - datetime.timedelta(days=1)
        )
        assert consents_expire() == 1
        consent.refresh_from_db()
        assert consent.expired_at is not None
        assert not CitizenGroupObjectPermission.objects.exists()

    def test_running_it_again_changes_nothing(self, shared_citizen, give_consent):
        consent = give_consent(shared_citizen, ["treatment_summary"])
        Consent.objects.filter(pk=consent.pk).update(
            valid_until=TODAY() - datetime.timedelta(days=1)
        )
        consents_expire()
        expired_at = Consent.objects.get().expired_at
        assert consents_expire() == 0
        assert Consent.objects.get().expired_at == expired_at

    def test_a_consent_that_begins_today_is_granted_by_the_nightly_job(
        self, shared_citizen, give_consent, ips_team_odense
    ):
        tomorrow = TODAY() + datetime.timedelta(days=1)
        give_consent(shared_citizen, ["treatment_summary"], valid_from=tomorrow)
        assert not CitizenGroupObjectPermission.objects.filter(group=ips_team_odense.group).exists()
        consents_expire(today=tomorrow)
        assert CitizenGroupObjectPermission.objects.filter(group=ips_team_odense.group).exists()


@pytest.mark.django_db
def test_staff_see_consents_expiring_within_30_days_on_their_start_page(
    client, shared_citizen, give_consent, consultant_odense
):
    give_consent(
        shared_citizen, ["treatment_summary"], valid_until=TODAY() + datetime.timedelta(days=20)
    )
    client.force_login(consultant_odense)
    page = client.get(reverse("start")).content.decode()
    assert "<title>Forside · IPS Portal</title>" in page
    assert "Samtykker, der udløber inden for 30 dage" in page
    assert "Fatima Haddad" in page


@pytest.mark.django_db
def test_a_consent_expiring_later_is_not_a_reminder(
    client, shared_citizen, give_consent, consultant_odense
):
    give_consent(
        shared_citizen, ["treatment_summary"], valid_until=TODAY() + datetime.timedelta(days=45)
    )
    client.force_login(consultant_odense)
    assert "Fatima Haddad" not in client.get(reverse("start")).content.decode()


@pytest.mark.django_db
class TestAccessReport:
    def test_the_citizen_sees_which_organisation_and_role_read_what_and_why(
        self, client, shared_citizen, give_consent, consultant_odense, clinician_att
    ):
        consent = give_consent(shared_citizen, ["treatment_summary"])
        job_centre = StaffClient()
        job_centre.force_login(consultant_odense)
        job_centre.get(reverse("cases:citizen_detail", args=[shared_citizen.uuid]))

        client.force_login(clinician_att)
        report = client.post(reverse("consent:access_report", args=[shared_citizen.uuid]), {})
        text = report.content.decode()
        assert "Jobcenter Odense" in text
        assert "IPS-konsulent" in text  # the role in the citizen's language
        assert "Behandlingsresumé til beskæftigelsesformål" in text  # what was read, by name
        assert f"samtykke {consent.pk}" in text
        assert "Mette" not in text  # staff names withheld by default

        with_names = client.post(
            reverse("consent:access_report", args=[shared_citizen.uuid]), {"with_names": "on"}
        ).content.decode()
        assert "Mette Sørensen" in with_names

    def test_a_reader_who_came_back_is_one_line_of_the_summary_with_how_many_times(
        self, client, shared_citizen, give_consent, consultant_odense, clinician_att
    ):
        give_consent(shared_citizen, ["treatment_summary"])
        job_centre = StaffClient()
        job_centre.force_login(consultant_odense)
        for _ in range(3):
            job_centre.get(reverse("cases:citizen_detail", args=[shared_citizen.uuid]))

        client.force_login(clinician_att)
        report = client.post(
            reverse("consent:access_report", args=[shared_citizen.uuid]), {"with_names": "on"}
        ).content.decode()

        summary = [
            cells
            for cells in table_rows(report)
            if cells[3] == "Behandlingsresumé til beskæftigelsesformål" and cells[4] == "Læst"
        ]
        assert [cells[:3] + cells[5:7] for cells in summary] == [
            ["Jobcenter Odense", "IPS-konsulent", "Mette Sørensen", "Samtykke", "3"]
        ]

    def test_producing_the_report_is_logged_as_an_export(
        self, client, shared_citizen, clinician_att
    ):
        from ipsportal.audit.models import AccessLogEntry

        client.force_login(clinician_att)
        client.post(reverse("consent:access_report", args=[shared_citizen.uuid]), {})
        assert AccessLogEntry.objects.filter(action="export", category="access_report").count() == 1


@pytest.mark.django_db
def test_new_categories_are_data(client, shared_citizen, clinician_att):
    from consent.services import information_category_ensure

    information_category_ensure(code="substance_use", name="Rusmiddelbehandling")
    client.force_login(clinician_att)
    form = client.get(reverse("consent:create", args=[shared_citizen.uuid])).content.decode()
    assert "Rusmiddelbehandling" in form
    assert "Den fælles plan" in form
    # Read in English, a standard category's name is translated, the new one is as named.
    client.cookies["django_language"] = "en"
    in_english = client.get(reverse("consent:create", args=[shared_citizen.uuid])).content.decode()
    assert "The shared plan" in in_english and "Den fælles plan" not in in_english
    assert "Rusmiddelbehandling" in in_english
    assert InformationCategory.objects.get(code="shared_plan").name == "Den fælles plan"
