"""Passwords of at least 12 characters, refused with a Danish message."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation


def test_an_11_character_password_is_refused_in_danish(db):
    with translation.override("da"), pytest.raises(ValidationError) as refusal:
        validate_password("kort-kode11")
    assert "mindst 12 tegn" in " ".join(refusal.value.messages)


def test_a_12_character_password_is_long_enough(db):
    validate_password("Fjordglimt12")


def test_changing_to_a_short_password_is_refused(client, municipality_user):
    client.force_login(municipality_user)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "test-password",
            "new_password1": "Fjord-glimt",
            "new_password2": "Fjord-glimt",
        },
    )
    assert response.status_code == 200
    assert "mindst 12 tegn" in response.content.decode()
    municipality_user.refresh_from_db()
    assert municipality_user.check_password("test-password")
