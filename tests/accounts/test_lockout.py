"""Three consecutive wrong passwords within 24 hours lock the account for 30
minutes, at the site's login and the admin's; the secretariat can unlock it."""

import datetime

import pytest
import time_machine
from axes.models import AccessAttempt
from django.test import RequestFactory
from django.urls import reverse

from accounts.lockout import client_ip_address

START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
LOGIN_PAGES = ["login", "admin:login"]


def _try(client, page: str, password: str, username: str = "sara"):
    return client.post(reverse(page), {"username": username, "password": password})


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def _lock(client, page: str = "login"):
    for _ in range(3):
        response = _try(client, page, "forkert-kodeord")
    return response


@pytest.mark.parametrize("page", LOGIN_PAGES)
def test_three_wrong_passwords_lock_the_account(password_client, secretariat_user, page):
    with time_machine.travel(START, tick=False):
        assert _try(password_client, page, "forkert-kodeord").status_code == 200
        assert _try(password_client, page, "forkert-kodeord").status_code == 200
        third = _try(password_client, page, "forkert-kodeord")
        assert third.status_code == 429
        assert "Kontoen er låst" in third.content.decode()
        assert "om 30 minutter" in third.content.decode()

        refused = _try(password_client, page, "test-password")
        assert refused.status_code == 429
        assert not _logged_in(password_client)


@pytest.mark.parametrize("page", LOGIN_PAGES)
def test_the_lock_ends_after_30_minutes(password_client, secretariat_user, page):
    with time_machine.travel(START, tick=False) as clock:
        _lock(password_client, page)
        clock.shift(datetime.timedelta(minutes=29, seconds=59))
        assert _try(password_client, page, "test-password").status_code == 429
        clock.shift(datetime.timedelta(seconds=2))
        assert _try(password_client, page, "test-password").status_code == 302
        assert _logged_in(password_client)


def test_a_try_while_locked_does_not_extend_the_lock(password_client, secretariat_user):
    with time_machine.travel(START, tick=False) as clock:
        _lock(password_client)
        clock.shift(datetime.timedelta(minutes=20))
        assert _try(password_client, "login", "forkert-kodeord").status_code == 429
        clock.shift(datetime.timedelta(minutes=11))
        assert _try(password_client, "login", "test-password").status_code == 302


def test_the_lock_is_by_username_whatever_the_address(password_client, secretariat_user):
    for address in ["198.51.100.1", "198.51.100.2", "198.51.100.3"]:
        password_client.post(
            reverse("login"),
            {"username": "sara", "password": "forkert-kodeord"},
            REMOTE_ADDR=address,
        )
    response = password_client.post(
        reverse("login"), {"username": "sara", "password": "test-password"}, REMOTE_ADDR="192.0.2.9"
    )
    assert response.status_code == 429


def test_another_user_from_the_same_address_is_not_locked(
    password_client, secretariat_user, municipality_user
):
    _lock(password_client)
    response = _try(password_client, "login", "test-password", username="karen")
    assert response.status_code == 302


def test_a_login_in_between_starts_the_count_again(password_client, secretariat_user):
    _try(password_client, "login", "forkert-kodeord")
    _try(password_client, "login", "forkert-kodeord")
    assert _try(password_client, "login", "test-password").status_code == 302
    password_client.post(reverse("logout"))
    _try(password_client, "login", "forkert-kodeord")
    _try(password_client, "login", "forkert-kodeord")
    assert _try(password_client, "login", "test-password").status_code == 302


def test_failures_23_hours_apart_still_count(password_client, secretariat_user):
    with time_machine.travel(START, tick=False) as clock:
        _try(password_client, "login", "forkert-kodeord")
        clock.shift(datetime.timedelta(hours=23))
        _try(password_client, "login", "forkert-kodeord")
        clock.shift(datetime.timedelta(hours=23))
        assert _try(password_client, "login", "forkert-kodeord").status_code == 429


def test_a_failure_more_than_24_hours_after_the_last_starts_again(
    password_client, secretariat_user
):
    with time_machine.travel(START, tick=False) as clock:
        _try(password_client, "login", "forkert-kodeord")
        _try(password_client, "login", "forkert-kodeord")
        clock.shift(datetime.timedelta(hours=24, minutes=1))
        assert _try(password_client, "login", "forkert-kodeord").status_code == 200
        assert _try(password_client, "login", "test-password").status_code == 302


def test_the_secretariat_unlocks_an_account_in_the_admin(
    client, password_client, secretariat_user, municipality_user
):
    with time_machine.travel(START, tick=False):
        for _ in range(3):
            _try(password_client, "login", "forkert-kodeord", username="karen")
        assert _try(password_client, "login", "test-password", username="karen").status_code == 429

        client.force_login(secretariat_user)
        changelist = client.get(reverse("admin:axes_accessattempt_changelist"))
        assert changelist.status_code == 200
        assert "karen" in changelist.content.decode()
        assert "Loginforsøg" in changelist.content.decode()
        attempt = AccessAttempt.objects.get(username="karen")
        response = client.post(
            reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"}
        )
        assert response.status_code == 302
        assert not AccessAttempt.objects.filter(username="karen").exists()

        assert _try(password_client, "login", "test-password", username="karen").status_code == 302


def test_others_cannot_open_the_failed_logins(client, municipality_user):
    client.force_login(municipality_user)
    response = client.get(reverse("admin:axes_accessattempt_changelist"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_a_staff_user_with_only_a_password_cannot_reach_the_admin(
    password_client, secretariat_user
):
    response = _try(password_client, "admin:login", "test-password")
    assert response.status_code == 302
    assert _logged_in(password_client)
    admin = password_client.get(reverse("admin:index"))
    assert admin.status_code == 302
    assert admin["Location"].startswith(reverse("otp_verify"))
    changelist = password_client.get(reverse("admin:contracts_individualcontract_changelist"))
    assert changelist["Location"].startswith(reverse("otp_verify"))


def test_the_failed_attempt_records_no_password(password_client, secretariat_user):
    _try(password_client, "login", "mit-hemmelige-kodeord")
    attempt = AccessAttempt.objects.get(username="sara")
    assert "mit-hemmelige-kodeord" not in attempt.post_data


# The client's address behind the reverse proxy -------------------------------


def _request(**meta):
    return RequestFactory().post("/login/", **meta)


def test_without_proxies_the_address_is_the_connections(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    request = _request(REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert client_ip_address(request) == "192.0.2.1"


def test_behind_one_proxy_the_address_is_the_one_it_appended(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    request = _request(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.66, 203.0.113.7")
    assert client_ip_address(request) == "203.0.113.7"


def test_behind_two_proxies_a_forged_address_is_not_trusted(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    request = _request(
        REMOTE_ADDR="10.0.0.3", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7, 10.0.0.2"
    )
    assert client_ip_address(request) == "203.0.113.7"


def test_a_missing_forwarded_header_falls_back_to_the_connection(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip_address(_request(REMOTE_ADDR="10.0.0.2")) == "10.0.0.2"


def test_the_failed_attempt_is_recorded_with_the_clients_address(
    password_client, secretariat_user, settings
):
    settings.TRUSTED_PROXY_COUNT = 1
    password_client.post(
        reverse("login"),
        {"username": "sara", "password": "forkert-kodeord"},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="203.0.113.7",
    )
    assert AccessAttempt.objects.get(username="sara").ip_address == "203.0.113.7"
