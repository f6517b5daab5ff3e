"""A session ends after 30 minutes without a request and 10 hours after the
login whatever happens; the next request goes to the login page, which says why."""

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


def test_the_stored_session_lasts_no_longer_than_the_login(client, municipality_user, settings):
    assert settings.SESSION_COOKIE_AGE == 10 * 3600
    client.force_login(municipality_user)
    response = client.get(reverse("portal:municipality"))
    assert response.status_code == 200
    assert client.session.get_expiry_age() <= 10 * 3600


def test_the_login_page_says_why_after_the_idle_time(client, municipality_user, clock):
    client.force_login(municipality_user)
    clock.shift(datetime.timedelta(minutes=31))
    response = client.get(reverse("portal:municipality"), follow=True)
    assert "efter 30 minutter uden aktivitet" in response.content.decode()


def test_requests_close_together_do_not_save_the_session(client, municipality_user, clock):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(municipality_user)
    clock.shift(datetime.timedelta(seconds=30))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("portal:municipality")).status_code == 200
    assert not [q for q in queries if q["sql"].startswith('UPDATE "django_session"')]
    clock.shift(datetime.timedelta(minutes=2))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("portal:municipality")).status_code == 200
    assert [q for q in queries if q["sql"].startswith('UPDATE "django_session"')]
