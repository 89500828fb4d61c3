"""CPR register backends for the tests, as a region would write one (cpr_register.py)."""

from ipsportal.citizens.cpr_register import BaseCprRegister, CprRegisterUnavailable, RegisterRecord

REGISTER = {
    "0101651236": RegisterRecord(
        given_name="Fatima",
        family_name="Haddad",
        address="Vestergade 4",
        postal_code="5000",
        city="Odense C",
    ),
}


class DictCprRegister(BaseCprRegister):
    def lookup(self, cpr: str) -> RegisterRecord | None:
        return REGISTER.get(cpr)


class UnavailableCprRegister(BaseCprRegister):
    def lookup(self, cpr: str) -> RegisterRecord | None:
        raise CprRegisterUnavailable("the register does not answer")
