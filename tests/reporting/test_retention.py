"""Case-data retention: citizens whose courses all ended more than CASE_RETENTION_YEARS ago are
anonymised after a dry-run report; the outcome figures do not change."""

import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cases.models import Course, TimelineEvent
from cases.services.imports import COURSE_COLUMNS, courses_import, episodes_import
from ipsportal.citizens.models import Citizen
from reporting.models import RetentionRun
from reporting.outcomes import compute_cells, total

pytestmark = pytest.mark.django_db

OLD, RECENT = "0101651236", "0202901235"


@pytest.fixture
def history():
    assert courses_import(
        ",".join(COURSE_COLUMNS)
        + f"\n{OLD},Fatima,Haddad,Jobcenter Odense,ATT,Mette Holm,2013-01-01,2013-02-01,"
        "2014-06-30,\n"
        + f"{RECENT},Omar,Saleh,Jobcenter Odense,ATT,,2023-01-01,2023-02-01,2025-06-30,\n"
    ).ok
    assert episodes_import(
        f"cpr,type,start_date,end_date\n{OLD},ordinary_employment,2013-05-01,\n"
    ).ok


def test_a_dry_run_reports_and_changes_nothing_then_apply_anonymises(history, capsys):
    figures_before = total(compute_cells(datetime.date(2026, 1, 1)))
    with pytest.raises(CommandError, match="prøvekørsel"):
        call_command("case_retention", "--apply")

    call_command("case_retention")
    report = capsys.readouterr().out
    assert "Would anonymise (dry run): 1 citizens with 1 courses" in report
    assert "Jobcenter Odense: 1 courses" in report
    assert Citizen.objects.with_cpr(OLD).get().given_name == "Fatima"

    call_command("case_retention", "--apply")
    assert "Anonymised: 1 citizens" in capsys.readouterr().out
    assert not Citizen.objects.with_cpr(OLD).exists()
    anonymised = Citizen.objects.get(family_name__regex=r"^\d+$")
    assert anonymised.given_name == "Anonymiseret" and anonymised.anonymised_on is not None
    assert anonymised.birth_date.month == 1 and anonymised.birth_date.day == 1
    assert {event.text for event in TimelineEvent.objects.filter(citizen=anonymised)} == {""}
    assert Course.objects.get(citizen=anonymised).end_note == ""
    # Omar's course ended recently: untouched.
    assert Citizen.objects.with_cpr(RECENT).get().given_name == "Omar"
    # The figures are computed from dates and codes, which stay.
    assert total(compute_cells(datetime.date(2026, 1, 1))) == figures_before

    call_command("case_retention")
    assert "Would anonymise (dry run): 0 citizens" in capsys.readouterr().out
    assert RetentionRun.objects.filter(dry_run=False).count() == 1
