"""What the meeting services share."""

import datetime

from django.utils import timezone

from ipsportal.accounts.models import Organisation, User


def _organisation_of(user: User) -> Organisation | None:
    return user.primary_organisation()


def _aware(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, time))
