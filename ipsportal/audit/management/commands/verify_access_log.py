from django.core.management.base import BaseCommand, CommandError

from ipsportal.audit.chain import chain_verify


class Command(BaseCommand):
    help = "Check the access log's hash chain and report the first broken link."

    def handle(self, *args: object, **options: object) -> None:
        check = chain_verify()
        if not check.intact:
            raise CommandError(
                f"The access log is broken at row {check.first_broken_id}: {check.reason} "
                f"({check.rows} rows before it are intact)."
            )
        self.stdout.write(f"The access log is intact: {check.rows} rows checked.")
