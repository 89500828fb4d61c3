"""The shared command line of import_courses and import_episodes."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cases.services.imports import ImportResult
from reporting.snapshots import recompute_soon


class ImportCommand(BaseCommand):
    what = ""

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Only check the file.")

    def run_import(self, text: str, *, dry_run: bool) -> ImportResult:
        raise NotImplementedError

    def handle(self, *args: object, file: Path, dry_run: bool, **options: object) -> None:
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {file} as UTF-8: {error}") from error
        result = self.run_import(text, dry_run=dry_run)
        for line, message in result.errors:
            self.stderr.write(f"line {line}: {message}")
        if result.errors:
            raise CommandError(f"{len(result.errors)} bad rows; nothing from {file} was saved.")
        if dry_run:
            self.stdout.write(f"{file}: every row is valid (dry run, nothing saved).")
            return
        self.stdout.write(
            f"{file}: {result.created} {self.what} created, {result.updated} updated, "
            f"{result.unchanged} unchanged."
        )
        recompute_soon()
