import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from demo.identity import demo_identity_seed, portal_port_taken
from demo.seeding import demo_seed


class Command(BaseCommand):
    help = "Create the demo organisations, staff and about 200 citizens (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", type=Path, help="Also write the demo logins to this file.")
        parser.add_argument("--citizens", type=int, default=200)
        parser.add_argument(
            "--idp-config",
            type=Path,
            help="Also write the local OpenID Provider's configuration (idp/server.mjs) here.",
        )
        parser.add_argument(
            "--portal-url",
            action="append",
            help="Where the portal runs (for the providers' redirect URIs); may be repeated.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        portal_urls = options["portal_url"] or ["http://127.0.0.1:8000"]
        if options["idp_config"] and (problem := portal_port_taken(portal_urls)):
            raise CommandError(problem)
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
        if options["idp_config"]:
            config = demo_identity_seed(portal_urls=portal_urls)
            options["idp_config"].parent.mkdir(parents=True, exist_ok=True)
            options["idp_config"].write_text(json.dumps(config, ensure_ascii=False, indent=2))
            self.stdout.write("")
            self.stdout.write(
                "Organisation logins (Log ind med ... on the sign-in page): sara.att (two "
                "factors at the provider), jonas.vejle (password only: the portal's second "
                "factor follows), uden.rolle (refused: no role)."
            )
            self.stdout.write(
                "Citizens (Log ind med MitID, /borger/log-ind/): "
                + ", ".join(
                    f"{login} ({account['label']})"
                    for login, account in config["issuers"]["citizen"]["accounts"].items()
                )
            )
            self.stdout.write(
                f"Local OpenID Provider configuration written to {options['idp_config']}"
            )
        if options["json"]:
            options["json"].parent.mkdir(parents=True, exist_ok=True)
            options["json"].write_text(
                json.dumps([asdict(login) for login in logins], ensure_ascii=False, indent=2)
            )
            self.stdout.write(f"Logins written to {options['json']}")
