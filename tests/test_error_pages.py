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
