"""The login page with single sign-on configured, in a real browser: both
buttons are there and axe-core finds no WCAG 2.1 A/AA violation."""

import pytest

from tests.accounts.saml_idp import SamlWorld

pytestmark = pytest.mark.browser


def test_login_page_with_single_sign_on_is_accessible(
    page, check_accessibility, settings, tmp_path
):
    for name, value in SamlWorld(tmp_path).settings.items():
        setattr(settings, name, value)

    response = page.goto("/login/")

    assert response.status == 200
    for label in ("Log ind med Fælleskommunal Adgangsstyring", "Log ind med MitID Erhverv"):
        assert page.get_by_role("link", name=label).is_visible()
    assert page.get_by_label("Brugernavn").is_visible()
    check_accessibility(page)
