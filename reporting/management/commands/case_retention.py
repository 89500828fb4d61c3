from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from reporting.retention import retention_run


class Command(BaseCommand):
    help = (
        "Report (default) or carry out the anonymisation of citizens whose IPS courses all ended "
        "more than CASE_RETENTION_YEARS ago. --apply needs a dry run from the last 7 days."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--apply", action="store_true")

    def handle(self, *args: object, apply: bool, **options: object) -> None:
        try:
            run = retention_run(apply=apply)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        verb = "Anonymised" if apply else "Would anonymise (dry run)"
        self.stdout.write(
            f"{verb}: {run.citizens} citizens with {run.courses} courses, all ended before "
            f"{run.ended_before}."
        )
        for job_centre, count in sorted(run.by_job_centre.items()):
            self.stdout.write(f"  {job_centre}: {count} courses")
