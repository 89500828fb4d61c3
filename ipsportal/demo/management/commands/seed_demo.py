import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ipsportal.demo.seeding import demo_seed


class Command(BaseCommand):
    help = "Create the demo organisations, staff and about 200 citizens (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", type=Path, help="Also write the demo logins to this file.")
        parser.add_argument("--citizens", type=int, default=200)

    def handle(self, *args: Any, **options: Any) -> None:
        logins, created = demo_seed(citizens=options["citizens"])
        self.stdout.write(f"Demo data ready ({created} new citizens).")
        self.stdout.write("")
        self.stdout.write(f"{'Username':<24} {'Password':<16} {'Role':<24} Organisation")
        for login in logins:
            self.stdout.write(
                f"{login.username:<24} {login.password:<16} {login.role:<24} {login.organisation}"
            )
        self.stdout.write("")
        self.stdout.write(
            "Every account signs in with a second factor. In the demo (make demo) the sign-in "
            "page shows the demo user's current code."
        )
        if options["json"]:
            options["json"].parent.mkdir(parents=True, exist_ok=True)
            options["json"].write_text(
                json.dumps([asdict(login) for login in logins], ensure_ascii=False, indent=2)
            )
            self.stdout.write(f"Logins written to {options['json']}")
