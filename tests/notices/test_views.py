"""The public authority's notices: the privacy notice at /privatliv/ follows
the settings in force, and every page's footer links it and the
accessibility statement (or, while that is unset, a page saying so);
`check --deploy` warns without them."""

import re

import pytest
from django.core.checks import run_checks
from django.urls import reverse

from notices.checks import accessibility_statement_is_linked, data_controller_is_named

pytestmark = pytest.mark.django_db

STATEMENT = "https://www.was.digst.dk/rammeaftale-example-dk"


def footer(html: str) -> str:
    return html[html.rfind("<footer") :]


def test_the_privacy_notice_is_open_to_everyone_and_linked_from_the_login_page(client):
    notice = client.get(reverse("notices:privacy"))
    login = client.get(reverse("login")).content.decode()

    assert notice.status_code == 200
    assert "Den dataansvarlige" in notice.content.decode()
    main = login[: login.rfind("<footer")]
    assert f'href="{reverse("notices:privacy")}"' in main


def test_the_privacy_notice_shows_the_retention_periods_in_force(client, settings):
    settings.CPR_RETENTION_YEARS = 5
    settings.CPR_LOG_RETENTION_MONTHS = 6
    settings.USER_INACTIVE_MONTHS = 12
    settings.LOGIN_LOG_RETENTION_MONTHS = 6
    before = client.get(reverse("notices:privacy")).content.decode()
    settings.CPR_RETENTION_YEARS = 7
    settings.CPR_LOG_RETENTION_MONTHS = 9
    settings.USER_INACTIVE_MONTHS = 18
    settings.LOGIN_LOG_RETENTION_MONTHS = 3

    after = client.get(reverse("notices:privacy")).content.decode()

    assert "slettes 5 år efter kontraktens ophør" in before
    assert "gemmes i 6 måneder og slettes derefter" in before
    assert "En konto uden login i 12 måneder" in before
    assert "Oplysningerne om logins og mislykkede loginforsøg gemmes i 6 måneder" in before
    assert "slettes 7 år efter kontraktens ophør" in after
    assert "gemmes i 9 måneder og slettes derefter" in after
    assert "En konto uden login i 18 måneder" in after
    assert "Oplysningerne om logins og mislykkede loginforsøg gemmes i 3 måneder" in after
    assert "5 år" not in after


def test_the_privacy_notice_names_the_data_controller_and_where_to_ask(client, settings):
    settings.DATA_CONTROLLER = "Viborg Kommune, Prinsens Allé 5, 8800 Viborg"
    settings.DATA_PROTECTION_CONTACT = "databeskyttelse@viborg.dk"

    body = client.get(reverse("notices:privacy")).content.decode()

    assert "Den dataansvarlige er Viborg Kommune, Prinsens Allé 5, 8800 Viborg." in body
    assert "Henvend dig til databeskyttelse@viborg.dk." in body


def test_without_a_statement_the_footer_links_the_page_saying_it_is_not_published(client, settings):
    settings.ACCESSIBILITY_STATEMENT_URL = ""
    settings.ACCESSIBILITY_CONTACT = "sekretariatet@viborg.dk"

    home = client.get(reverse("login")).content.decode()
    page = client.get(reverse("notices:accessibility")).content.decode()

    link = re.search(r'href="([^"]+)"[^>]*>Tilgængelighedserklæring<', footer(home))
    assert link[1] == reverse("notices:accessibility")
    assert "endnu ikke offentliggjort" in page
    assert "sekretariatet@viborg.dk" in page


def test_with_a_statement_the_footer_links_it(client, settings):
    settings.ACCESSIBILITY_STATEMENT_URL = STATEMENT

    home = client.get(reverse("login")).content.decode()
    page = client.get(reverse("notices:accessibility"))

    assert f'href="{STATEMENT}"' in footer(home)
    assert (page.status_code, page["Location"]) == (302, STATEMENT)


def test_the_admin_pages_have_the_footer_links(client, secretariat_user):
    client.force_login(secretariat_user)

    body = client.get(reverse("admin:index")).content.decode()

    admin_footer = body[body.rfind('id="footer"') :]
    assert ">Tilgængelighedserklæring</a>" in admin_footer
    assert f'href="{reverse("notices:privacy")}"' in admin_footer


def test_check_deploy_warns_without_the_statement_and_the_data_controller(settings):
    settings.ACCESSIBILITY_STATEMENT_URL = ""
    settings.DATA_CONTROLLER = ""

    ids = [message.id for message in run_checks(include_deployment_checks=True)]

    assert "notices.W001" in ids
    assert "notices.W002" in ids


def test_the_deploy_checks_are_quiet_once_set(settings):
    settings.ACCESSIBILITY_STATEMENT_URL = STATEMENT
    settings.DATA_CONTROLLER = "Viborg Kommune"

    assert accessibility_statement_is_linked(None) == []
    assert data_controller_is_named(None) == []
