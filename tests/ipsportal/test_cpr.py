import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from stdnum.dk import cpr as stdnum_cpr

from ipsportal.citizens import cpr


class TestCprValidate:
    @pytest.mark.parametrize(
        ("number", "birth_date"),
        [
            ("0101651236", datetime.date(1965, 1, 1)),  # 7th digit 1: 1900s
            ("0101374111", datetime.date(1937, 1, 1)),  # 7th digit 4, year >= 37: 1900s
            ("0101204111", datetime.date(2020, 1, 1)),  # 7th digit 4, year <= 36: 2000s
            ("0101985111", datetime.date(1898, 1, 1)),  # 7th digit 5-8, year >= 58: 1800s
            ("0101105111", datetime.date(2010, 1, 1)),  # 7th digit 5-8, year <= 57: 2000s
            ("0101959111", datetime.date(1995, 1, 1)),  # 7th digit 9, year >= 37: 1900s
            ("0101209111", datetime.date(2020, 1, 1)),  # 7th digit 9, year <= 36: 2000s
        ],
    )
    def test_the_seventh_digit_and_the_year_give_the_century(self, number, birth_date):
        assert cpr.cpr_validate(number) == number
        assert cpr.cpr_birth_date(number) == birth_date

    def test_a_1_january_number_that_fails_modulus_11_is_valid(self):
        # Since 2007, numbers for popular birth dates need not satisfy the old check.
        number = "0101704000"
        assert stdnum_cpr.checksum(number) != 0
        assert cpr.cpr_validate(number) == number

    def test_29_february_is_valid_in_a_leap_year(self):
        assert cpr.cpr_birth_date(cpr.cpr_validate("2902921234")) == datetime.date(1992, 2, 29)

    def test_29_february_is_refused_in_a_common_year(self):
        with pytest.raises(ValidationError) as error:
            cpr.cpr_validate("2902931234")
        assert error.value.code == "cpr_birth_date"

    @pytest.mark.parametrize(
        "written", ["010165-1236", "010165 1236", " 0101651236 ", "010165 - 1236"]
    )
    def test_hyphen_and_space_variants_are_accepted(self, written):
        assert cpr.cpr_validate(written) == "0101651236"

    def test_a_future_birth_date_is_refused(self):
        tomorrow = datetime.date.today() + datetime.timedelta(days=1)
        number = f"{tomorrow:%d%m%y}4111" if tomorrow.year <= 2036 else f"{tomorrow:%d%m%y}5111"
        with pytest.raises(ValidationError) as error:
            cpr.cpr_validate(number)
        assert error.value.code == "cpr_birth_date"

    @pytest.mark.parametrize("written", ["01016a-1236", "abcdefghij", "0101-65123X"])
    def test_letters_are_refused(self, written):
        with pytest.raises(ValidationError) as error:
            cpr.cpr_validate(written)
        assert error.value.code == "cpr_format"

    @pytest.mark.parametrize("written", ["010165123", "01016512366", ""])
    def test_wrong_length_is_refused(self, written):
        with pytest.raises(ValidationError):
            cpr.cpr_validate(written)

    def test_an_impossible_date_is_refused(self):
        with pytest.raises(ValidationError):
            cpr.cpr_validate("3204651236")

    def test_the_message_is_danish_by_default(self):
        with pytest.raises(ValidationError) as error:
            cpr.cpr_validate("12345")
        assert error.value.messages == ["Et CPR-nummer har 10 cifre."]


class TestCprProtection:
    def test_the_ciphertext_does_not_contain_the_number_and_decrypts_back(self):
        token = cpr.cpr_encrypt("0101651236")
        assert b"0101651236" not in token
        assert cpr.cpr_decrypt(token) == "0101651236"

    def test_the_digest_is_keyed(self):
        plain_sha = __import__("hashlib").sha256(b"0101651236").hexdigest()
        assert cpr.cpr_digest("0101651236") != plain_sha
        first = cpr.cpr_digest("0101651236")
        with override_settings(CPR_HASH_KEY="another-key"):
            assert cpr.cpr_digest("0101651236") != first

    def test_rotated_keys_still_decrypt_old_ciphertexts(self, settings):
        from cryptography.fernet import Fernet

        old_token = cpr.cpr_encrypt("0101651236")
        settings.CPR_ENCRYPTION_KEYS = [
            Fernet.generate_key().decode(),
            *settings.CPR_ENCRYPTION_KEYS,
        ]
        assert cpr.cpr_decrypt(old_token) == "0101651236"

    def test_mask_shows_only_the_birth_date(self):
        assert cpr.cpr_mask("0101651236") == "010165-XXXX"

    @pytest.mark.parametrize("year", [1930, 1950, 1999, 2005, 2036, 2040])
    def test_made_numbers_decode_to_their_birth_date(self, year):
        born = datetime.date(year, 2, 28)
        made = cpr.cpr_make(born, serial=123)
        assert cpr.cpr_birth_date(made) == born
