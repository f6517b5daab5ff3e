"""Refused and missing pages speak Danish in the site's layout (DEBUG off)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client, override_settings
from django.urls import path

from accounts.access import public
from rammeaftale.urls import urlpatterns as site_urls


@public
def _refused(request):
    raise PermissionDenied


@public
def _broken(request):
    raise RuntimeError("boom")


urlpatterns = [*site_urls, path("afvist/", _refused), path("fejl/", _broken)]


@pytest.mark.urls("tests.test_error_pages")
@override_settings(DEBUG=False)
def test_a_missing_page_is_a_danish_404(client, db):
    response = client.get("/findes-ikke/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "Siden findes ikke" in body
    assert "Not Found" not in body


@pytest.mark.urls("tests.test_error_pages")
@override_settings(DEBUG=False)
def test_a_refused_page_is_a_danish_403(client, db):
    response = client.get("/afvist/")
    assert response.status_code == 403
    assert "Adgang nægtet" in response.content.decode()


@pytest.mark.urls("tests.test_error_pages")
@override_settings(DEBUG=False)
def test_a_server_error_is_a_danish_500(db):
    client = Client(raise_request_exception=False)
    response = client.get("/fejl/")
    assert response.status_code == 500
    assert "Der opstod en fejl" in response.content.decode()


def test_a_hidden_object_answers_with_the_danish_404_page(client, municipality_user, db):
    """A page the user may not see (access.visible_or_404) uses the same page."""
    from django.urls import reverse

    from tests.conftest import make_adjustment

    other = make_adjustment(user=municipality_user)
    from tests.conftest import make_user

    stranger = make_user("stranger")
    client.force_login(stranger)
    with override_settings(DEBUG=False):
        response = client.get(reverse("capacity:adjustment", args=[other.pk]))
    assert response.status_code == 404
    assert "Siden findes ikke" in response.content.decode()


# The demo server (DEBUG on) ---------------------------------------------------------------


@override_settings(DEBUG=True, DEBUG_TECHNICAL_404=False)
def test_with_debug_on_a_missing_page_is_still_the_danish_404(db):
    client = Client()
    for address in ("/findes-ikke/", "/moeder/findes-ikke/"):
        response = client.get(address)
        body = response.content.decode()
        assert response.status_code == 404, address
        assert "Siden findes ikke" in body, address
        assert "Using the URLconf" not in body


def test_with_debug_on_a_view_refusing_with_404_is_the_danish_page(municipality_user):
    with override_settings(DEBUG=True, DEBUG_TECHNICAL_404=False):
        client = Client()
        client.force_login(municipality_user)
        response = client.get("/contracts/individual/999999/")
        assert response.status_code == 404
        assert "Siden findes ikke" in response.content.decode()


@override_settings(DEBUG=True, DEBUG_TECHNICAL_404=True)
def test_debug_technical_404_brings_djangos_page_back(db):
    response = Client().get("/findes-ikke/")
    assert response.status_code == 404
    assert "Siden findes ikke" not in response.content.decode()


def test_a_refused_form_explains_in_danish_to_reload(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/login/", {"username": "x", "password": "y"})
    body = response.content.decode()
    assert response.status_code == 403
    assert "Formularen kunne ikke sendes" in body
    assert "genindlæs siden" in body
    assert "CSRF" not in body


def test_the_favicon_is_served(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("/favicon.ico")
    assert response["Location"].startswith("/static/")


def test_logging_out_says_so(client, municipality_user):
    client.force_login(municipality_user)
    response = client.post("/logout/", follow=True)
    assert "Du er logget ud" in response.content.decode()
