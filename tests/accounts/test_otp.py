"""The second factor: staff and secretariat users who log in with a password
set up an authenticator app at the first login and give its code at every
login; single sign-on sessions, and the demo with OTP_REQUIRED off, are exempt."""

import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.checks import second_factor_is_on
from tests.conftest import make_user, totp_code


def _password_login(client, username: str, page: str = "login"):
    return client.post(reverse(page), {"username": username, "password": "test-password"})


def test_a_secretariat_password_login_is_sent_to_set_up_the_app(password_client, secretariat_user):
    _password_login(password_client, "sara")
    response = password_client.get(reverse("portal:dashboard"))
    assert response.status_code == 302
    verify = response["Location"]
    assert verify.startswith(reverse("otp_verify"))
    setup = password_client.get(verify)
    assert setup.status_code == 302
    assert setup["Location"].startswith(reverse("otp_setup"))

    page = password_client.get(setup["Location"])
    body = page.content.decode()
    assert page.status_code == 200
    assert "Opsæt din autentificeringsapp" in body
    assert "<svg" in body
    device = TOTPDevice.objects.get(user=secretariat_user)
    assert not device.confirmed
    # The secret as text, as the app asks for it (base32 in groups of four).
    import base64

    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    assert secret[:4] + " " + secret[4:8] in body


def test_confirming_with_a_code_from_the_app_completes_the_login(password_client, secretariat_user):
    _password_login(password_client, "sara")
    password_client.get(reverse("otp_setup"))
    device = TOTPDevice.objects.get(user=secretariat_user)
    response = password_client.post(
        reverse("otp_setup"), {"token": totp_code(device), "next": reverse("portal:dashboard")}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:dashboard")
    device.refresh_from_db()
    assert device.confirmed
    assert password_client.get(reverse("portal:dashboard")).status_code == 200
    assert password_client.get(reverse("admin:index")).status_code == 200


def test_a_wrong_code_at_setup_is_refused_and_the_app_stays_unconfirmed(
    password_client, secretariat_user
):
    _password_login(password_client, "sara")
    password_client.get(reverse("otp_setup"))
    device = TOTPDevice.objects.get(user=secretariat_user)
    wrong = f"{(int(totp_code(device)) + 1) % 1_000_000:06d}"
    response = password_client.post(reverse("otp_setup"), {"token": wrong})
    assert response.status_code == 200
    assert "Koden var ikke rigtig" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert password_client.get(reverse("portal:dashboard")).status_code == 302


def test_later_logins_ask_for_the_code(password_client, secretariat_user):
    device = TOTPDevice.objects.create(user=secretariat_user, name="App", confirmed=True)
    _password_login(password_client, "sara")
    response = password_client.get(reverse("otp_verify"))
    assert response.status_code == 200
    assert "Indtast koden fra din autentificeringsapp" in response.content.decode()
    # The set-up page is closed to a user who has an app: no second device
    # can be added with a password alone.
    assert password_client.get(reverse("otp_setup"))["Location"].startswith(reverse("otp_verify"))

    refused = password_client.post(reverse("otp_verify"), {"token": "abc"})
    assert "Indtast de seks cifre" in refused.content.decode()
    assert password_client.get(reverse("portal:dashboard")).status_code == 302

    accepted = password_client.post(
        reverse("otp_verify"),
        {"token": totp_code(device), "next": reverse("contracts:contract_list")},
    )
    assert accepted["Location"] == reverse("contracts:contract_list")
    assert password_client.get(reverse("portal:dashboard")).status_code == 200


def test_a_wrong_code_is_refused(password_client, secretariat_user):
    device = TOTPDevice.objects.create(user=secretariat_user, name="App", confirmed=True)
    _password_login(password_client, "sara")
    wrong = f"{(int(totp_code(device)) + 500_000) % 1_000_000:06d}"
    response = password_client.post(reverse("otp_verify"), {"token": wrong})
    assert response.status_code == 200
    assert password_client.get(reverse("portal:dashboard")).status_code == 302


def test_a_code_to_another_site_is_not_followed(password_client, secretariat_user):
    device = TOTPDevice.objects.create(user=secretariat_user, name="App", confirmed=True)
    _password_login(password_client, "sara")
    response = password_client.post(
        reverse("otp_verify"), {"token": totp_code(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("home")


def test_a_staff_user_outside_the_secretariat_needs_the_code_too(password_client, db):
    make_user("staff", is_staff=True)
    _password_login(password_client, "staff", page="admin:login")
    assert password_client.get(reverse("admin:index"))["Location"].startswith(reverse("otp_verify"))


def test_municipality_staff_log_in_with_a_password_alone(password_client, municipality_user):
    _password_login(password_client, "karen")
    assert password_client.get(reverse("portal:municipality")).status_code == 200


def test_a_single_sign_on_session_needs_no_code(password_client, secretariat_user):
    password_client.force_login(secretariat_user)
    session = password_client.session
    session["auth_method"] = "saml"
    session.save()
    assert password_client.get(reverse("portal:dashboard")).status_code == 200


def test_a_password_login_records_its_method(password_client, secretariat_user):
    _password_login(password_client, "sara")
    assert password_client.session["auth_method"] == "password"


def test_a_session_without_a_method_needs_the_code(password_client, secretariat_user):
    password_client.force_login(secretariat_user)
    session = password_client.session
    del session["auth_method"]
    session.save()
    assert password_client.get(reverse("portal:dashboard")).status_code == 302


def test_logging_out_needs_no_code(password_client, secretariat_user):
    _password_login(password_client, "sara")
    response = password_client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in password_client.session


def test_with_the_second_factor_off_a_password_is_enough(
    password_client, secretariat_user, settings
):
    settings.OTP_REQUIRED = False
    _password_login(password_client, "sara")
    assert password_client.get(reverse("portal:dashboard")).status_code == 200
    assert password_client.get(reverse("admin:index")).status_code == 200


def test_the_deploy_check_warns_when_the_second_factor_is_off(settings):
    assert second_factor_is_on(None) == []
    settings.OTP_REQUIRED = False
    warnings = second_factor_is_on(None)
    assert [warning.id for warning in warnings] == ["accounts.W001"]


def test_check_deploy_fails_at_warning_level_with_the_second_factor_off():
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "DEBUG", "PRODUCTION", "SECRET_KEY", "OTP_REQUIRED"}
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=django_settings.BASE_DIR,
        env=environment
        | {
            "PRODUCTION": "1",
            "SECRET_KEY": "x" * 30 + "production-secret-key-for-the-check",
            "CPR_DIGEST_KEY": "y" * 40,
            "ALLOWED_HOSTS": "rammeaftale.example.dk",
            "OTP_REQUIRED": "0",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "accounts.W001" in result.stderr + result.stdout


@pytest.mark.parametrize("page", ["otp_verify", "otp_setup"])
def test_the_code_pages_send_anonymous_users_to_login(client, db, page):
    response = client.get(reverse(page))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_user_who_needs_no_code_is_sent_on_from_the_code_page(password_client, municipality_user):
    _password_login(password_client, "karen")
    response = password_client.get(reverse("otp_verify"), {"next": "/kommune/"})
    assert response["Location"] == "/kommune/"


def test_a_verified_user_is_sent_on_from_the_code_page(client, secretariat_user):
    client.force_login(secretariat_user)
    assert client.get(reverse("otp_verify"))["Location"] == reverse("home")


def test_the_code_page_query_count_does_not_grow_with_other_users_devices(
    password_client, secretariat_user
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    TOTPDevice.objects.create(user=secretariat_user, name="App", confirmed=True)
    _password_login(password_client, "sara")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert password_client.get(reverse("otp_verify")).status_code == 200
        return len(queries)

    few = count()
    for index in range(5):
        TOTPDevice.objects.create(user=make_user(f"u{index}", is_staff=True), confirmed=True)
    assert count() == few
