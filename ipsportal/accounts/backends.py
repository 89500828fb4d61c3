"""How a request finds its signed-in user: Django's ModelBackend, with the user's row read by a
statement compiled once (ipsportal/core/statements.py).

Every signed-in request reads the user's row. Django compiles that statement afresh each time,
about a tenth of what the cheapest signed-in page costs (docs/benchmarks.md); it is the same
SQL for every user, with the user's id as its parameter."""

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.db.models import QuerySet

from ipsportal.accounts.models import User
from ipsportal.core.statements import compiled_once


class StaffModelBackend(ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        user = next(iter(_user_row(pk=user_id)), None)
        return user if user is not None and self.user_can_authenticate(user) else None


@compiled_once
def _user_row(*, pk: int) -> QuerySet[User]:
    return User._default_manager.filter(pk=pk)
