"""A session ends after 30 minutes without a request and 10 hours after the
login whatever happens; the next request goes to the login page."""

import datetime

import pytest
import time_machine
from django.urls import reverse

START = datetime.datetime(2026, 3, 2, 8, 0, tzinfo=datetime.UTC)


def _dashboard(client):
    return client.get(reverse("portal:dashboard"))


def _sent_to_login(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def test_a_request_29_minutes_after_the_last_is_served(client, secretariat_user, clock):
    client.force_login(secretariat_user)
    assert _dashboard(client).status_code == 200
    clock.shift(datetime.timedelta(minutes=29))
    assert _dashboard(client).status_code == 200


def test_a_request_31_minutes_after_the_last_goes_to_the_login_page(
    client, secretariat_user, clock
):
    client.force_login(secretariat_user)
    assert _dashboard(client).status_code == 200
    clock.shift(datetime.timedelta(minutes=31))
    assert _sent_to_login(_dashboard(client))
    # Logged out for good: the next request is anonymous too.
    assert _sent_to_login(_dashboard(client))


def test_each_request_starts_the_idle_time_again(client, municipality_user, clock):
    client.force_login(municipality_user)
    for _ in range(4):
        clock.shift(datetime.timedelta(minutes=25))
        assert client.get(reverse("portal:municipality")).status_code == 200


def test_a_session_ends_10_hours_after_the_login_however_active(client, municipality_user, clock):
    client.force_login(municipality_user)
    for _ in range(23):  # a request every 25 minutes: 9 hours 35 minutes
        clock.shift(datetime.timedelta(minutes=25))
        assert client.get(reverse("portal:municipality")).status_code == 200
    clock.shift(datetime.timedelta(minutes=24))  # 9:59
    assert client.get(reverse("portal:municipality")).status_code == 200
    clock.shift(datetime.timedelta(minutes=2))  # 10:01
    response = client.get(reverse("portal:municipality"))
    assert _sent_to_login(response)
    assert response["Location"].endswith("?next=%2Fkommune%2F")
    login = client.get(response["Location"])
    assert "højst 10 timer" in login.content.decode()
    assert _sent_to_login(client.get(reverse("portal:municipality")))


def test_the_limits_are_settings(client, municipality_user, clock, settings):
    settings.SESSION_MAX_HOURS = 1
    client.force_login(municipality_user)
    for minutes in (20, 20, 19):
        clock.shift(datetime.timedelta(minutes=minutes))
        assert client.get(reverse("portal:municipality")).status_code == 200
    clock.shift(datetime.timedelta(minutes=2))
    assert _sent_to_login(client.get(reverse("portal:municipality")))


def test_the_session_cookie_lasts_the_idle_time(client, municipality_user, settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    client.force_login(municipality_user)
    response = client.get(reverse("portal:municipality"))
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 30 * 60
