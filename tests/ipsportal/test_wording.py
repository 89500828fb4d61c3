"""Texts kept for later and worded when read: what a reader sees when the catalogue or the
choices have changed since the text was kept."""

from django.utils import translation
from django.utils.translation import gettext_noop

from cases.models import SupportContact
from ipsportal.core.wording import ChoiceLabel, Wording, label_of, worded


def test_a_kept_wording_reads_the_same_after_a_trip_through_json():
    contact = SupportContact(with_whom="citizen", mode="phone", next_step="Ring til Netto")
    kept = worded(
        gettext_noop("The citizen did not come: %(contact)s"),
        contact=worded(
            "%(with_whom)s, %(mode)s: %(next)s",
            with_whom=label_of(contact, "with_whom"),
            mode=label_of(contact, "mode", lower=True),
            next=contact.next_step,
        ),
    )
    again = Wording.from_json(kept.as_json())
    with translation.override("en"):
        assert str(again) == "The citizen did not come: The citizen, by phone: Ring til Netto"
    with translation.override("da"):
        assert str(again) == "Borgeren mødte ikke op: Borgeren, telefonisk: Ring til Netto"


def test_a_choice_since_removed_shows_its_code_rather_than_failing():
    removed = ChoiceLabel(model="cases.supportcontact", field="mode", value="carrier_pigeon")
    gone = ChoiceLabel(model="cases.nosuchmodel", field="mode", value="phone")
    assert str(worded("%(a)s / %(b)s", a=removed, b=gone)) == "carrier_pigeon / phone"


def test_numbers_stay_numbers_for_the_message():
    kept = worded(gettext_noop("Version %(version)d: %(work)s"), version=3, work="Kantine")
    with translation.override("da"):
        assert str(Wording.from_json(kept.as_json())) == "Version 3: Kantine"
