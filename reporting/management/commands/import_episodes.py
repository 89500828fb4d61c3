from cases.services.imports import ImportResult, episodes_import
from reporting.management.commands._importing import ImportCommand


class Command(ImportCommand):
    help = "Import job and education episodes from a CSV file (see README)."
    what = "episodes"

    def run_import(self, text: str, *, dry_run: bool) -> ImportResult:
        return episodes_import(text, dry_run=dry_run)
