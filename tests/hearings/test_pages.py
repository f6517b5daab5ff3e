"""The hearing's and the publication's pages for each role that may and may
not see them, and typed input kept when a step is refused."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hearings import services
from hearings.models import AgreementHearing, HearingAnswer, PublicationAddress
from tests.conftest import field_error

from .helpers import SECTIONS, approve_everywhere, concluded_hearing, council, open_hearing

pytestmark = pytest.mark.django_db


@pytest.fixture
def hearing(secretariat_user, midtjylland):
    return open_hearing(secretariat_user, midtjylland)


def secretariat_pages(hearing) -> list[str]:
    return [
        reverse("hearings:list"),
        reverse("hearings:hearing", args=[hearing.pk]),
        reverse("hearings:note_pdf", args=[hearing.pk]),
        reverse("hearings:note_docx", args=[hearing.pk]),
        reverse("hearings:publication", args=[hearing.agreement_id]),
    ]


def test_the_secretariat_opens_its_hearing_pages(client, secretariat_user, hearing):
    client.force_login(secretariat_user)
    for url in secretariat_pages(hearing):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize(
    "who", ["copenhagen_secretary", "municipality_user", "provider_leader", "body_member_user"]
)
def test_others_get_404_on_the_secretariats_hearing_pages(client, request, hearing, who):
    client.force_login(request.getfixturevalue(who))
    for url in secretariat_pages(hearing)[1:]:
        assert client.get(url).status_code == 404, url


def test_another_secretariats_list_does_not_show_the_hearing(client, copenhagen_secretary, hearing):
    client.force_login(copenhagen_secretary)
    assert hearing.title not in client.get(reverse("hearings:list")).content.decode()


def test_another_secretariat_cannot_post_a_step_on_the_hearing(
    client, copenhagen_secretary, hearing, aarhus
):
    client.force_login(copenhagen_secretary)
    for name in ("open", "conclude", "gather", "section_add", "record"):
        response = client.post(reverse(f"hearings:{name}", args=[hearing.pk]), {})
        assert response.status_code == 404, name
    answer = services.answer_give(
        user=hearing.created_by,
        hearing=hearing,
        council=council(aarhus),
        texts={1: "X"},
        received="email",
    )[0]
    response = client.post(
        reverse("hearings:comment", args=[hearing.pk, answer.pk]), {f"c{answer.pk}-comment": "Y"}
    )
    assert response.status_code == 404


def test_the_secretariat_prepares_a_hearing_and_a_refusal_keeps_what_was_typed(
    client, secretariat_user, midtjylland
):
    client.force_login(secretariat_user)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    data = {
        "agreement": midtjylland.pk,
        "document": "strategy",
        "title": "Udviklingsstrategi 2027-28",
        "deadline": yesterday.isoformat(),
    }
    response = client.post(reverse("hearings:list"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Fristen kan ikke ligge i fortiden" in html
    assert 'value="Udviklingsstrategi 2027-28"' in html
    data["deadline"] = (yesterday + datetime.timedelta(days=30)).isoformat()
    response = client.post(reverse("hearings:list"), data)
    hearing = AgreementHearing.objects.get()
    assert response["Location"] == reverse("hearings:hearing", args=[hearing.pk])


def test_a_refused_section_keeps_its_text_beside_the_form(client, secretariat_user, midtjylland):
    hearing = services.hearing_create(
        user=secretariat_user,
        agreement=midtjylland,
        document="strategy",
        title="X",
        deadline=timezone.localdate(),
    )
    services.section_add(user=secretariat_user, hearing=hearing, number=1, title="A", text="a")
    client.force_login(secretariat_user)
    response = client.post(
        reverse("hearings:section_add", args=[hearing.pk]),
        {"number": 1, "title": "Nyt afsnit", "text": "En lang tekst"},
    )
    html = response.content.decode()
    assert "Udkastet har allerede et afsnit 1" in html
    assert "En lang tekst" in html and 'value="Nyt afsnit"' in html
    response = client.post(
        reverse("hearings:section_add", args=[hearing.pk]), {"number": 0, "title": "", "text": ""}
    )
    assert field_error(response.content.decode(), "id_title")[0] == "Titel"


def test_the_secretariat_records_and_comments_an_answer(client, secretariat_user, hearing, randers):
    client.force_login(secretariat_user)
    response = client.post(
        reverse("hearings:record", args=[hearing.pk]),
        {"council": f"m{randers.pk}", "received": "letter", "section_2": "Randers' svar"},
    )
    assert response.status_code == 302
    answer = HearingAnswer.objects.get()
    assert (answer.municipality, answer.received, answer.text) == (
        randers,
        "letter",
        "Randers' svar",
    )
    client.post(
        reverse("hearings:comment", args=[hearing.pk, answer.pk]),
        {f"c{answer.pk}-comment": "Indarbejdet i afsnit 2."},
    )
    answer.refresh_from_db()
    assert answer.comment == "Indarbejdet i afsnit 2."
    html = client.get(reverse("hearings:hearing", args=[hearing.pk])).content.decode()
    assert "Randers&#x27; svar" in html and "Indarbejdet i afsnit 2." in html


def test_municipality_staff_answer_on_their_page_and_see_only_their_own_answer(
    client, municipality_user, other_municipality_user, secretariat_user, hearing, aarhus, randers
):
    services.answer_give(
        user=other_municipality_user,
        hearing=hearing,
        council=council(randers),
        texts={1: "Randers mener noget andet."},
    )
    client.force_login(municipality_user)
    mine = client.get(reverse("hearings:mine")).content.decode()
    assert hearing.title in mine
    url = reverse("hearings:answer", args=[hearing.pk])
    page = client.get(url).content.decode()
    assert SECTIONS[0][2] in page
    assert "Randers mener noget andet." not in page
    # Refused (both): what was typed stays.
    response = client.post(
        url, {"council": f"m{aarhus.pk}", "section_1": "Aarhus' forslag", "no_comments": "on"}
    )
    html = response.content.decode()
    assert "ikke begge dele" in html and "Aarhus&#x27; forslag" in html
    response = client.post(url, {"council": f"m{aarhus.pk}", "section_1": "Aarhus' forslag"})
    assert response.status_code == 302
    assert HearingAnswer.objects.get(municipality=aarhus).text == "Aarhus' forslag"
    assert "Aarhus&#x27; forslag" in client.get(url).content.decode()


def test_staff_cannot_answer_for_another_municipality_by_the_form(
    client, municipality_user, hearing, randers
):
    client.force_login(municipality_user)
    response = client.post(
        reverse("hearings:answer", args=[hearing.pk]),
        {"council": f"m{randers.pk}", "section_1": "X"},
    )
    assert response.status_code == 200
    assert field_error(response.content.decode(), "id_council")[0] == "Råd"
    assert not HearingAnswer.objects.exists()


def test_a_draft_hearing_is_404_to_municipality_staff(
    client, municipality_user, secretariat_user, midtjylland
):
    draft = services.hearing_create(
        user=secretariat_user,
        agreement=midtjylland,
        document="strategy",
        title="Hemmeligt udkast",
        deadline=timezone.localdate(),
    )
    client.force_login(municipality_user)
    assert client.get(reverse("hearings:answer", args=[draft.pk])).status_code == 404
    assert "Hemmeligt udkast" not in client.get(reverse("hearings:mine")).content.decode()


def test_staff_of_a_municipality_outside_the_agreement_get_404(client, hearing, copenhagen):
    from tests.conftest import make_user

    user = make_user("klaus")
    copenhagen.staff.add(user)
    client.force_login(user)
    assert client.get(reverse("hearings:answer", args=[hearing.pk])).status_code == 404


@pytest.mark.parametrize("who", ["secretariat_user", "provider_leader", "body_member_user"])
def test_the_municipality_pages_are_404_to_other_roles(client, request, hearing, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("hearings:mine")).status_code == 404
    assert client.get(reverse("hearings:answer", args=[hearing.pk])).status_code == 404


def test_staff_record_their_municipalitys_address_and_a_refusal_keeps_it(
    client, municipality_user, secretariat_user, midtjylland, aarhus
):
    hearing = concluded_hearing(secretariat_user, midtjylland)
    approve_everywhere(midtjylland)
    services.document_gather(user=secretariat_user, hearing=hearing)
    client.force_login(municipality_user)
    prefix = f"a{midtjylland.pk}"
    response = client.post(
        reverse("hearings:mine"),
        {
            "agreement": midtjylland.pk,
            f"{prefix}-municipality": aarhus.pk,
            f"{prefix}-url": "ftp://x",
        },
    )
    assert response.status_code == 200
    assert 'value="ftp://x"' in response.content.decode()
    response = client.post(
        reverse("hearings:mine"),
        {
            "agreement": midtjylland.pk,
            f"{prefix}-municipality": aarhus.pk,
            f"{prefix}-url": "https://aarhus.dk/rammeaftale",
        },
    )
    assert response.status_code == 302
    assert PublicationAddress.objects.get().municipality == aarhus


def test_the_open_pages_need_no_login(client, db):
    for name in ("publication:list", "publication:dcat"):
        assert client.get(reverse(name)).status_code == 200


def test_the_menu_leads_each_role_to_its_hearing_page(client, secretariat_user, municipality_user):
    client.force_login(secretariat_user)
    assert reverse("hearings:list") in client.get(reverse("portal:dashboard")).content.decode()
    client.force_login(municipality_user)
    assert reverse("hearings:mine") in client.get(reverse("portal:municipality")).content.decode()


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_hearing_page_and_the_open_list_do_not_grow_with_the_answers(
    client, secretariat_user, hearing, midtjylland
):
    client.force_login(secretariat_user)
    url = reverse("hearings:hearing", args=[hearing.pk])
    parties = list(midtjylland.parties.order_by("code"))
    services.answer_give(
        user=secretariat_user,
        hearing=hearing,
        council=council(parties[0]),
        texts={1: "A"},
        received="email",
    )
    few = _queries(client, url)
    for municipality in parties[1:10]:
        services.answer_give(
            user=secretariat_user,
            hearing=hearing,
            council=council(municipality),
            texts={1: "A", 2: "B"},
            received="email",
        )
    assert _queries(client, url) == few


def test_the_secretariat_gathers_the_approved_document_from_the_concluded_hearings_page(
    client, secretariat_user, midtjylland
):
    hearing = concluded_hearing(secretariat_user, midtjylland)
    client.force_login(secretariat_user)
    url = reverse("hearings:hearing", args=[hearing.pk])
    client.post(reverse("hearings:gather", args=[hearing.pk]))
    assert "Ikke alle råd har godkendt rammeaftalen endnu" in client.get(url).content.decode()
    approve_everywhere(midtjylland)
    response = client.post(reverse("hearings:gather", args=[hearing.pk]))
    assert response["Location"] == url
    html = client.get(url).content.decode()
    assert "Det godkendte dokument er samlet" in html
    assert reverse("hearings:publication", args=[midtjylland.pk]) in html
