"""Looking a citizen up in the CPR register: a pluggable backend, chosen by
``CPR_REGISTER_BACKEND`` the way Django chooses its email backend (and the portal its digital
post backend).

A region that connects the register (through its own CPR replica or a service such as the
Serviceplatform's) subclasses ``BaseCprRegister`` and implements ``lookup``:

- take a validated, 10-digit CPR number; never log it;
- return a ``RegisterRecord`` with the name and address the register holds, or None when the
  register does not know the number;
- raise ``CprRegisterUnavailable`` when the register cannot be asked now: registration then
  goes on with what the user typed.

The default looks nothing up, and registration uses what the user typed.
"""

from abc import ABC, abstractmethod
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class RegisterRecord:
    given_name: str
    family_name: str
    address: str = ""
    postal_code: str = ""
    city: str = ""


class CprRegisterUnavailable(Exception):
    """The register could not be asked; the caller goes on without it."""


class BaseCprRegister(ABC):
    @abstractmethod
    def lookup(self, cpr: str) -> RegisterRecord | None:
        """The register's record for a validated CPR number, or None when it has none."""


class NoCprRegister(BaseCprRegister):
    """No register connected: nothing is looked up."""

    def lookup(self, cpr: str) -> RegisterRecord | None:
        return None


@cache
def _backend_class(path: str) -> type[BaseCprRegister]:
    return import_string(path)


def cpr_register() -> BaseCprRegister:
    return _backend_class(settings.CPR_REGISTER_BACKEND)()


def cpr_register_lookup(cpr: str) -> RegisterRecord | None:
    """The register's record for the number, or None: not known, or the register is down."""
    try:
        return cpr_register().lookup(cpr)
    except CprRegisterUnavailable:
        return None
