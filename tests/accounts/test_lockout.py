"""Three consecutive wrong passwords within 24 hours lock the account for 30
minutes, at the site's login and the admin's; the secretariat can unlock it,
and sees only the failed logins of the users it administers."""

import datetime
import zoneinfo

import pytest
import time_machine
from axes.models import AccessAttempt
from django.test import RequestFactory
from django.urls import reverse

from accounts.lockout import client_ip_address
from tests.conftest import COPENHAGEN_SECRETARIAT, make_secretary, make_user

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


def _attempt(username: str) -> AccessAttempt:
    return AccessAttempt.objects.create(
        username=username,
        user_agent="Mozilla/5.0",
        ip_address="192.0.2.1",
        http_accept="text/html",
        path_info="/login/",
        get_data="",
        post_data="",
        failures_since_start=3,
    )


@pytest.fixture
def attempts(secretariat_user, copenhagen_secretary, municipality_user, copenhagen):
    """Failed logins of Aarhus' staff and another of Midtjylland's secretaries,
    København's staff and another of its secretaries, and a username without
    an account. (A login removes the user's own rows: AXES_RESET_ON_SUCCESS.)"""
    make_secretary("signe")
    make_secretary("klara", COPENHAGEN_SECRETARIAT)
    copenhagen.staff.add(make_user("klaus"))
    return {name: _attempt(name) for name in ("karen", "signe", "klaus", "klara", "ukendt")}


def _listed(client) -> set[str]:
    response = client.get(reverse("admin:axes_accessattempt_changelist"))
    assert response.status_code == 200
    return {attempt.username for attempt in response.context["cl"].result_list}


def test_each_secretariat_sees_only_the_failed_logins_of_the_users_it_administers(
    client, secretariat_user, copenhagen_secretary, attempts
):
    client.force_login(secretariat_user)
    assert _listed(client) == {"karen", "signe"}

    client.force_login(copenhagen_secretary)
    assert _listed(client) == {"klaus", "klara"}


def test_a_secretariat_cannot_open_or_delete_another_secretariats_failed_logins(
    client, secretariat_user, attempts
):
    client.force_login(secretariat_user)
    other, own = attempts["klaus"], attempts["karen"]

    change = client.get(reverse("admin:axes_accessattempt_change", args=[other.pk]))
    delete = client.post(
        reverse("admin:axes_accessattempt_delete", args=[other.pk]), {"post": "yes"}
    )
    client.post(
        reverse("admin:axes_accessattempt_changelist"),
        {"action": "delete_selected", "_selected_action": [other.pk, own.pk], "post": "yes"},
    )

    assert (change.status_code, delete.status_code) == (404, 404)
    assert AccessAttempt.objects.filter(pk=other.pk).exists()
    assert not AccessAttempt.objects.filter(pk=own.pk).exists()


def _actions(client) -> set[str]:
    response = client.get(reverse("admin:axes_accessattempt_changelist"))
    return set(dict(response.context["action_form"].fields["action"].choices))


def test_only_a_superuser_clears_every_users_expired_failed_logins(
    client, secretariat_user, admin_user, attempts
):
    client.force_login(secretariat_user)
    assert "cleanup_expired_attempts" not in _actions(client)

    client.force_login(admin_user)
    assert "cleanup_expired_attempts" in _actions(client)


def test_a_superuser_sees_every_failed_login(admin_client, attempts):
    assert _listed(admin_client) == {"karen", "signe", "klaus", "klara", "ukendt"}


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


# Records of logins are deleted after their period -----------------------------------


def test_login_records_older_than_six_months_are_deleted_and_a_second_run_deletes_nothing(
    password_client, secretariat_user, settings
):
    from axes.models import AccessLog

    from accounts.lockout import login_records_delete_old

    settings.LOGIN_LOG_RETENTION_MONTHS = 6
    # Calendar months, in Danish time (summer time in May, not in November).
    copenhagen = zoneinfo.ZoneInfo("Europe/Copenhagen")
    now = datetime.datetime(2026, 11, 27, 10, 0, tzinfo=copenhagen)
    six_months = datetime.datetime(2026, 5, 27, 10, 0, tzinfo=copenhagen)
    for at in (six_months - datetime.timedelta(seconds=1), six_months, now):
        with time_machine.travel(at, tick=False):
            _try(password_client, "login", "forkert-kodeord")
            password_client.logout()
    for at in (six_months - datetime.timedelta(seconds=1), six_months):
        entry = AccessLog.objects.create(username="sara", ip_address="10.0.0.1")
        AccessLog.objects.filter(pk=entry.pk).update(attempt_time=at)  # auto_now_add
    assert AccessAttempt.objects.count() == 1  # one user's failures, counted in one row
    AccessAttempt.objects.update(attempt_time=six_months - datetime.timedelta(seconds=1))

    first = login_records_delete_old(now)
    second = login_records_delete_old(now)

    assert (first, second) == (2, 0)
    assert list(AccessLog.objects.values_list("attempt_time", flat=True)) == [six_months]
    assert not AccessAttempt.objects.exists()


def test_the_retention_command_and_the_daily_job_delete_old_login_records(db, settings):
    import io

    from axes.models import AccessLog
    from django.core.management import call_command
    from django.utils import timezone

    from worker.jobs import DAILY_JOBS

    settings.LOGIN_LOG_RETENTION_MONTHS = 6
    old = timezone.now() - datetime.timedelta(days=200)

    def an_old_login() -> None:
        entry = AccessLog.objects.create(username="sara", ip_address="10.0.0.1")
        AccessLog.objects.filter(pk=entry.pk).update(attempt_time=old)  # auto_now_add

    an_old_login()
    out = io.StringIO()

    call_command("apply_retention", stdout=out)

    assert "1 registreringer af logins ældre end 6 måneder slettet" in out.getvalue()
    an_old_login()
    assert "login records deleted: 1" in DAILY_JOBS["apply_retention"](timezone.localdate())
    assert not AccessLog.objects.exists()
