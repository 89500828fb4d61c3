import json

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from demo.loaddata import LOAD_PASSWORD
from ipsportal.accounts.models import RoleCode, Unit, User
from ipsportal.accounts.services import staff_set_memberships
from ipsportal.accounts.two_factor import authenticator_ensure
from reporting.models import OutcomeSnapshot
from reporting.snapshots import snapshot_compute

PER_ROLE = 60


class Command(BaseCommand):
    help = (
        "Print the load database's staff by role, with their authenticator keys, as JSON for "
        "bin/load-test (adds managers)."
    )

    def handle(self, *args: object, **options: object) -> None:
        if "bench" not in connection.settings_dict["NAME"]:
            raise CommandError("Only on a database whose name contains 'bench'.")
        units = list(Unit.objects.order_by("pk")[:5])
        for number, unit in enumerate(units):
            manager, created = User.objects.get_or_create(
                username=f"leder.load.{number}",
                defaults={"password": make_password(LOAD_PASSWORD), "first_name": "Leder"},
            )
            if created:
                staff_set_memberships(user=manager, units=[unit], roles=[RoleCode.MANAGER])
        if not OutcomeSnapshot.objects.exists():
            snapshot_compute()
        # Each simulated user signs in with both factors: the app's key goes to Locust, which
        # computes the code as the phone would (a load database only; never a real one).
        users = {
            role: [
                {"username": user.username, "totp_key": authenticator_ensure(user=user).key}
                for user in User.objects.filter(is_active=True, groups__role__code=role).order_by(
                    "pk"
                )[:PER_ROLE]
            ]
            for role in (
                RoleCode.CONSULTANT,
                RoleCode.CLINICIAN,
                RoleCode.TEAM_LEAD,
                RoleCode.MANAGER,
            )
        }
        self.stdout.write(json.dumps(users))
