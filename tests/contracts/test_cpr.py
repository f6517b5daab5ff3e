import pytest
from django.core.exceptions import ValidationError

from contracts.cpr import cpr_digest, format_cpr, mask_cpr, normalise_cpr, validate_cpr


def test_a_number_without_the_modulus_11_check_is_accepted():
    # 010315-9001: valid date; the old weighted sum is not divisible by 11.
    weights = (4, 3, 2, 7, 6, 5, 4, 3, 2, 1)
    assert sum(w * int(d) for w, d in zip(weights, "0103159001", strict=True)) % 11 != 0

    validate_cpr("0103159001")
    validate_cpr("010315-9001")


def test_a_number_with_the_modulus_11_check_is_accepted():
    validate_cpr("2110625629")


@pytest.mark.parametrize("value", ["3102159001", "0013159001", "3204159001", "2902219001"])
def test_an_invalid_birth_date_is_refused(value):
    with pytest.raises(ValidationError) as error:
        validate_cpr(value)

    assert error.value.messages == ["Cpr-nummeret begynder ikke med en gyldig fødselsdato."]


def test_the_29th_of_february_in_a_leap_year_is_accepted():
    validate_cpr("2902209001")


@pytest.mark.parametrize("value", ["123", "01031590011", "010315-90O1", ""])
def test_a_wrong_format_is_refused_without_repeating_the_number(value):
    if not value:
        validate_cpr(value)  # empty: the field's blank rule decides
        return
    with pytest.raises(ValidationError) as error:
        validate_cpr(value)

    message = " ".join(error.value.messages)
    assert "ti cifre" in message
    assert value not in message


def test_the_number_is_masked_as_ddmmyy_xxxx():
    assert mask_cpr("0103159001") == "010315-XXXX"
    assert mask_cpr("010315-9001") == "010315-XXXX"
    assert mask_cpr("") == ""


def test_the_full_form_has_a_dash():
    assert format_cpr("0103159001") == "010315-9001"
    assert normalise_cpr(" 010315-9001 ") == "0103159001"


def test_the_digest_is_the_same_for_the_same_citizen_and_holds_no_digits():
    assert cpr_digest("010315-9001") == cpr_digest("0103159001")
    assert cpr_digest("0103159001") != cpr_digest("0103159002")
    assert "0103159001" not in cpr_digest("0103159001")[1]


def test_the_digest_is_keyed_with_its_own_key_and_names_the_key(settings):
    settings.CPR_DIGEST_KEY = "key-one"
    first = cpr_digest("0103159001")
    settings.SECRET_KEY = "another-secret-key"
    assert cpr_digest("0103159001") == first
    settings.CPR_DIGEST_KEY = "key-two"
    second = cpr_digest("0103159001")
    assert first[0] != second[0] and first[1] != second[1]
