"""The CPR number: validation, encryption at rest, keyed lookup and masking.

Validation is stdnum's: it checks length, digits, the birth date with the century from the
seventh digit, and refuses future birth dates. It does not apply the modulus-11 check, because
numbers issued since 2007 may fail it and are valid.

A CPR number is never stored or logged in clear: the database holds a Fernet ciphertext (the
first key encrypts, every key decrypts, so keys can be rotated) and an HMAC-SHA256 digest under a
separate key for exact-match lookup.
"""

import datetime
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_exceptions
from stdnum.dk import cpr as stdnum_cpr


def cpr_validate(value: str) -> str:
    """Return the ten digits of a valid CPR number, or raise a ValidationError in Danish/English."""
    candidate = stdnum_cpr.compact(value or "")
    try:
        return stdnum_cpr.validate(candidate)
    # InvalidLength is a subclass of InvalidFormat, so it is caught first.
    except stdnum_exceptions.InvalidLength as error:
        raise ValidationError(_("A CPR number has 10 digits."), code="cpr_length") from error
    except stdnum_exceptions.InvalidFormat as error:
        raise ValidationError(
            _("A CPR number may only contain digits, written as DDMMYY-SSSS."), code="cpr_format"
        ) from error
    except stdnum_exceptions.InvalidComponent as error:
        raise ValidationError(
            _("The CPR number does not contain a valid birth date, or the date is in the future."),
            code="cpr_birth_date",
        ) from error


def cpr_birth_date(cpr: str) -> datetime.date:
    return stdnum_cpr.get_birth_date(cpr)


def cpr_mask_for_birth_date(birth_date: datetime.date) -> str:
    """The masked form DDMMYY-XXXX: the first six digits are the birth date, so a citizen's
    number is masked without decrypting it. Written digit by digit: strftime costs several
    times as much, and a list masks every row's number."""
    return f"{birth_date.day:02d}{birth_date.month:02d}{birth_date.year % 100:02d}-XXXX"


def cpr_mask(cpr: str) -> str:
    return cpr_mask_for_birth_date(cpr_birth_date(cpr))


def cpr_format(cpr: str) -> str:
    return f"{cpr[:6]}-{cpr[6:]}"


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key) for key in keys])


def cpr_encrypt(cpr: str) -> bytes:
    return _fernet(tuple(settings.CPR_ENCRYPTION_KEYS)).encrypt(cpr.encode())


def cpr_decrypt(token: bytes | memoryview) -> str:
    return _fernet(tuple(settings.CPR_ENCRYPTION_KEYS)).decrypt(bytes(token)).decode()


def cpr_digest(cpr: str) -> str:
    return hmac.new(settings.CPR_HASH_KEY.encode(), cpr.encode(), hashlib.sha256).hexdigest()


def cpr_make(birth_date: datetime.date, serial: int) -> str:
    """Build a CPR number for a birth date and a 3-digit serial (0-999); for demo and test data.

    The seventh digit is chosen so that the century decodes back to the birth year. The number
    satisfies the old modulus-11 check when one exists for the serial; real numbers need not.
    """
    year = birth_date.year
    if 1900 <= year <= 1999:
        century_digits = "0123" if year < 1937 else "01234"
    elif 2000 <= year <= 2036:
        century_digits = "4"
    elif 2037 <= year <= 2057:
        century_digits = "5678"
    else:
        raise ValueError("CPR numbers for birth years outside 1900-2057 are not generated here.")
    seventh = century_digits[serial % len(century_digits)]
    stem = f"{birth_date:%d%m%y}{seventh}{serial % 100:02d}"
    for last in range(10):
        candidate = f"{stem}{last}"
        if stdnum_cpr.checksum(candidate) == 0:
            return candidate
    return f"{stem}{serial % 10}"
