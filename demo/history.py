"""The region's earlier IPS courses, kept in spreadsheets before the portal: imported through
the same CSV import an administrator uses, so the dashboard has courses whose 18 months have
passed. Deterministic; importing again changes nothing."""

import csv
import datetime
import io
import random

from cases.services.imports import COURSE_COLUMNS, EPISODE_COLUMNS, courses_import, episodes_import
from demo import data
from ipsportal.citizens.cpr import cpr_make

JOB_CENTRES = {
    "Jobcenter Odense": "konsulent.odense",
    "Jobcenter Kolding": "konsulent.kolding",
    "Jobcenter Vejle": "konsulent.vejle",
    "Jobcenter Fredericia": "konsulent.fredericia",
    "Jobcenter Varde": "konsulent.varde",
}
ATT = "Afdeling for Traume- og Torturoverlevende (ATT)"
VEJLE_PSYCHIATRY = "Lokalpsykiatri Vejle"
HISTORIC_COURSES = 180
FIRST_START = datetime.date(2022, 1, 10)
LAST_START = datetime.date(2024, 12, 20)


def _csv(columns: list[str], rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    writer.writerows(rows)
    return out.getvalue()


def historic_csv_files() -> tuple[str, str]:
    rng = random.Random(2022)  # noqa: S311 - demo data, not security
    courses, episodes = [], []
    span = (LAST_START - FIRST_START).days
    for number in range(HISTORIC_COURSES):
        refugee = rng.random() < 0.55
        job_centre = rng.choice(list(JOB_CENTRES)) if refugee else "Jobcenter Vejle"
        birth = datetime.date(1960, 1, 1) + datetime.timedelta(days=rng.randint(0, 14000))
        cpr = cpr_make(birth, serial=800 + number % 200)
        if refugee:
            given, language = rng.choice(data.REFUGEE_GIVEN)
            family = rng.choice(data.REFUGEE_FAMILY[language])
        else:
            given, family = rng.choice(data.DANISH_GIVEN), rng.choice(data.DANISH_FAMILY)
        start = FIRST_START + datetime.timedelta(days=rng.randint(0, span))
        referred = start - datetime.timedelta(days=rng.randint(5, 45))
        ends = start + datetime.timedelta(days=rng.randint(120, 420))
        target = "flygtning-ptsd" if refugee else rng.choice(["ung-18-29", "dobbeltdiagnose"])
        courses.append(
            [
                cpr,
                given,
                family,
                job_centre,
                ATT if refugee else VEJLE_PSYCHIATRY,
                JOB_CENTRES[job_centre] if rng.random() < 0.8 else "Tidligere konsulent",
                referred.isoformat(),
                start.isoformat(),
                ends.isoformat(),
                target,
            ]
        )
        draw = rng.random()
        if draw < 0.62:  # about Projekt Inklusion's level in ordinary work or education
            kind = rng.choices(["ordinary_employment", "education"], weights=[75, 25])[0]
            job_start = start + datetime.timedelta(days=rng.randint(30, 400))
            job_end = (
                job_start + datetime.timedelta(days=rng.randint(60, 500))
                if rng.random() < 0.4
                else None
            )
            episodes.append(
                [cpr, kind, job_start.isoformat(), job_end.isoformat() if job_end else ""]
            )
        elif draw < 0.8:
            kind = rng.choice(["flexjob", "wage_subsidy", "company_internship"])
            graded_start = start + datetime.timedelta(days=rng.randint(30, 300))
            episodes.append([cpr, kind, graded_start.isoformat(), ""])
    return _csv(COURSE_COLUMNS, courses), _csv(EPISODE_COLUMNS, episodes)


def demo_history_import() -> int:
    courses, episodes = historic_csv_files()
    imported = courses_import(courses)
    if not imported.ok:
        raise RuntimeError(f"the demo's historic courses do not import: {imported.errors[:3]}")
    if not (episodes_result := episodes_import(episodes)).ok:
        raise RuntimeError(
            f"the demo's historic episodes do not import: {episodes_result.errors[:3]}"
        )
    return imported.created
