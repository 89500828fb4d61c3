"""The results in a real browser: an administrator imports the projects' spreadsheets, a
manager reads the rates with intervals and verdicts, filters and exports them, and records a
fidelity review. Every page is scanned with axe."""

import datetime
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from cases.services.imports import COURSE_COLUMNS, EPISODE_COLUMNS
from ipsportal.citizens.cpr import cpr_make
from reporting.snapshots import snapshot_compute
from tests.browser.conftest import log_in, serious_accessibility_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Korrekt-hest-batteri-42"


def _accessible(page: Page) -> None:
    assert serious_accessibility_violations(page) == []


def _files(tmp_path: Path) -> tuple[Path, Path, Path]:
    """24 eligible courses in Odense, 18 of them with ordinary work (75 %)."""
    courses = [",".join(COURSE_COLUMNS)]
    episodes = [",".join(EPISODE_COLUMNS)]
    for number in range(24):
        cpr = cpr_make(datetime.date(1985, 1, 1) + datetime.timedelta(days=number), number)
        courses.append(
            f"{cpr},Borger,Nr{number},Jobcenter Odense,Afdeling for Traume- og Torturoverlevende "
            f"(ATT),,2023-01-02,2023-02-01,2023-12-31,flygtning-ptsd"
        )
        if number < 18:
            episodes.append(f"{cpr},ordinary_employment,2023-06-01,")
    good = tmp_path / "forloeb.csv"
    good.write_text("\n".join(courses) + "\n", encoding="utf-8")
    bad = tmp_path / "forkert.csv"
    bad.write_text(
        "\n".join([*courses[:3], "0101651236,Ny,Borger,Jobcenter Odense,ATT,,,,,"]) + "\n"
    )
    jobs = tmp_path / "job.csv"
    jobs.write_text("\n".join(episodes) + "\n", encoding="utf-8")
    return good, bad, jobs


def test_import_then_the_dashboard_and_a_fidelity_review(
    page: Page,
    live_server,
    tmp_path,
    administrator,
    manager_odense,
    jobcenter_odense,
    steering_group_member,
):
    good, bad, jobs = _files(tmp_path)
    log_in(page, live_server.url, "admin", PASSWORD)
    page.get_by_role("navigation", name="Hovednavigation").get_by_role(
        "link", name="Import"
    ).click()
    _accessible(page)

    # A file with a bad row: the row is named by its line, and nothing is saved.
    page.get_by_label("Forløb", exact=True).check()
    page.get_by_label("CSV-fil").set_input_files(str(bad))
    page.get_by_role("button", name="Importér filen").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Linje 4")
    expect(alert).to_contain_text("intet er gemt")
    _accessible(page)

    page.get_by_label("Forløb", exact=True).check()
    page.get_by_label("CSV-fil").set_input_files(str(good))
    page.get_by_role("button", name="Importér filen").click()
    expect(page.get_by_role("status").filter(has_text="Importeret")).to_contain_text("24 nye")
    page.get_by_label("Job og uddannelse (episoder)").check()
    page.get_by_label("CSV-fil").set_input_files(str(jobs))
    page.get_by_role("button", name="Importér filen").click()
    expect(page.get_by_role("status").filter(has_text="Importeret")).to_contain_text("18 nye")
    page.context.clear_cookies()

    # The worker's nightly job; here computed directly so the manager sees it.
    snapshot_compute(timezone.localdate())

    log_in(page, live_server.url, "leder.odense", PASSWORD)
    page.get_by_role("navigation", name="Hovednavigation").get_by_role(
        "link", name="Resultater"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Resultater af IPS-samarbejdet")
    success = page.get_by_role(
        "region", name="I ordinært job eller uddannelse inden for 18 måneder"
    )
    expect(success).to_contain_text("75,0 %")
    expect(success).to_contain_text("På niveau med benchmark")
    expect(success.get_by_role("img")).to_have_count(1)
    # Aalborg's share on the day, and the treatment beside the courses, among the measures.
    expect(
        page.get_by_role("rowheader", name=re.compile(r"^I ordinært job eller uddannelse den "))
    ).to_be_visible()
    expect(
        page.get_by_role("rowheader", name="Andel af forløbenes dage i psykiatrisk behandling")
    ).to_be_visible()
    _accessible(page)

    # Filters with the keyboard: by target group.
    page.get_by_label("Opdelt efter").select_option(label="Målgruppe")
    page.get_by_role("button", name="Vis").focus()
    page.keyboard.press("Enter")
    table = page.get_by_role("table", name="Succesrate efter Målgruppe")
    expect(table).to_contain_text("Flygtning med PTSD (ATT)")
    _accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Eksportér som Excel").click()
    assert download.value.suggested_filename.endswith(".xlsx")

    # A fidelity review, with the computed items filled in.
    page.get_by_role("link", name="IPS-metodetroskabsvurderinger").click()
    _accessible(page)
    page.get_by_role("link", name="Ny vurdering").click()
    expect(page.get_by_label("1. Sagsstammens størrelse")).to_be_visible()
    _accessible(page)
    page.get_by_label("Bedømmere").fill("Hanne Kristensen og IPS-konsulent fra Aalborg")
    for number in range(1, 26):
        page.get_by_label(f"{number}. ", exact=False).first.select_option("4")
    page.get_by_role("button", name="Gem vurderingen").click()
    expect(page.get_by_text("Vurderingen er gemt: 100 point, god metodetroskab")).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text("Jobcenter Odense")
    page.context.clear_cookies()

    # The steering group: the whole partnership's figures, no consultant by name, the reviews
    # to read and none to record.
    log_in(page, live_server.url, "styregruppe", PASSWORD)
    page.get_by_role("navigation", name="Hovednavigation").get_by_role(
        "link", name="Resultater"
    ).click()
    expect(page.get_by_label("Organisation", exact=True)).to_have_value("all")
    page.get_by_label("Opdelt efter").select_option(label="Konsulent")
    page.get_by_role("button", name="Vis").focus()
    page.keyboard.press("Enter")
    table = page.get_by_role("table", name="Succesrate efter Konsulent")
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(table).to_contain_text("Alle konsulenter, i alt")
    _accessible(page)
    page.get_by_role("link", name="IPS-metodetroskabsvurderinger").click()
    expect(page.get_by_role("table")).to_contain_text("Jobcenter Odense")
    expect(page.get_by_role("link", name="Ny vurdering")).to_have_count(0)
    _accessible(page)
