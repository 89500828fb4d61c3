from cases.services.imports import ImportResult, courses_import
from reporting.management.commands._importing import ImportCommand


class Command(ImportCommand):
    help = "Import IPS courses from a CSV file (see README: Importing existing data)."
    what = "courses"

    def run_import(self, text: str, *, dry_run: bool) -> ImportResult:
        return courses_import(text, dry_run=dry_run)
