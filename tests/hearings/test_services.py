"""The hearing's and the publication's rules, at their boundaries, and the
refusal of every wrong step and of every actor outside its scope."""

import datetime

import pytest
from django.utils import timezone

from agreements.models import CouncilApproval
from hearings import services
from hearings.models import AgreementHearing, HearingAnswer, HearingRefused
from tests.conftest import make_user

from .helpers import approve_everywhere, concluded_hearing, council, open_hearing

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


def refused(match: str):
    return pytest.raises(HearingRefused, match=match)


# Preparing and opening ------------------------------------------------------------------


def test_another_secretariat_cannot_put_the_agreement_to_hearing(copenhagen_secretary, midtjylland):
    with refused("Jeres sekretariat administrerer ikke denne rammeaftale"):
        services.hearing_create(
            user=copenhagen_secretary,
            agreement=midtjylland,
            document="strategy",
            title="X",
            deadline=TODAY,
        )
    assert not AgreementHearing.objects.exists()


def test_municipality_staff_cannot_put_the_agreement_to_hearing(municipality_user, midtjylland):
    with refused("Kun sekretariatet"):
        services.hearing_create(
            user=municipality_user,
            agreement=midtjylland,
            document="strategy",
            title="X",
            deadline=TODAY,
        )


def test_the_deadline_can_be_today_but_not_yesterday(secretariat_user, midtjylland):
    with refused("Fristen kan ikke ligge i fortiden"):
        services.hearing_create(
            user=secretariat_user,
            agreement=midtjylland,
            document="strategy",
            title="X",
            deadline=TODAY - datetime.timedelta(days=1),
        )
    assert (
        services.hearing_create(
            user=secretariat_user,
            agreement=midtjylland,
            document="steering",
            title="X",
            deadline=TODAY,
        ).status
        == AgreementHearing.Status.DRAFT
    )


def test_a_hearing_opens_only_with_sections_and_then_its_draft_is_fixed(
    secretariat_user, midtjylland
):
    hearing = services.hearing_create(
        user=secretariat_user, agreement=midtjylland, document="strategy", title="X", deadline=TODAY
    )
    with refused("Tilføj udkastets afsnit"):
        services.hearing_open(user=secretariat_user, hearing=hearing)
    services.section_add(user=secretariat_user, hearing=hearing, number=1, title="A", text="a")
    with refused("allerede et afsnit 1"):
        services.section_add(user=secretariat_user, hearing=hearing, number=1, title="B", text="b")
    services.hearing_open(user=secretariat_user, hearing=hearing)
    with refused("kan ikke ændres, når høringen er åbnet"):
        services.section_add(user=secretariat_user, hearing=hearing, number=2, title="B", text="b")
    with refused("kan ikke blive"):
        services.hearing_open(user=secretariat_user, hearing=hearing)


def test_the_19_councils_and_the_region_are_heard_in_a_regional_agreement(
    secretariat_user, midtjylland
):
    councils = open_hearing(secretariat_user, midtjylland).heard_councils()
    assert len(councils) == 20
    assert councils[-1].region == midtjylland.region


# Answers ---------------------------------------------------------------------------------


def test_staff_answer_for_their_own_municipality_until_the_deadline_day(
    secretariat_user, municipality_user, midtjylland, aarhus
):
    hearing = open_hearing(secretariat_user, midtjylland, days=0)
    services.answer_give(
        user=municipality_user, hearing=hearing, council=council(aarhus), texts={2: "Enig."}
    )
    answer = HearingAnswer.objects.get()
    assert (answer.municipality, answer.section.number, answer.received) == (aarhus, 2, "page")

    AgreementHearing.objects.filter(pk=hearing.pk).update(
        deadline=timezone.localdate() - datetime.timedelta(days=1)
    )
    hearing.refresh_from_db()
    with refused("bed sekretariatet registrere et sent svar"):
        services.answer_give(
            user=municipality_user, hearing=hearing, council=council(aarhus), texts={2: "Nej."}
        )
    # The secretariat records a late answer.
    services.answer_give(
        user=secretariat_user,
        hearing=hearing,
        council=council(aarhus),
        texts={2: "Sent svar."},
        received="email",
    )
    assert HearingAnswer.objects.get().text == "Sent svar."


def test_staff_cannot_answer_for_another_municipality(
    secretariat_user, municipality_user, midtjylland, randers
):
    hearing = open_hearing(secretariat_user, midtjylland)
    with refused("kun svare for den kommune, du arbejder for"):
        services.answer_give(
            user=municipality_user, hearing=hearing, council=council(randers), texts={1: "X"}
        )
    with refused("kun svare for den kommune"):
        services.answer_give(
            user=municipality_user,
            hearing=hearing,
            council=council(region=midtjylland.region),
            texts={1: "X"},
        )
    assert not HearingAnswer.objects.exists()


def test_a_council_outside_the_agreement_is_not_heard(secretariat_user, midtjylland, copenhagen):
    hearing = open_hearing(secretariat_user, midtjylland)
    with refused("er ikke hørt i denne høring"):
        services.answer_give(
            user=secretariat_user, hearing=hearing, council=council(copenhagen), texts={1: "X"}
        )


def test_another_secretariat_cannot_record_an_answer(
    secretariat_user, copenhagen_secretary, midtjylland, aarhus
):
    hearing = open_hearing(secretariat_user, midtjylland)
    with refused("Jeres sekretariat administrerer ikke"):
        services.answer_give(
            user=copenhagen_secretary, hearing=hearing, council=council(aarhus), texts={1: "X"}
        )


def test_an_answer_is_sections_or_no_comments_never_both_nor_neither(
    secretariat_user, municipality_user, midtjylland, aarhus
):
    hearing = open_hearing(secretariat_user, midtjylland)
    give = {"user": municipality_user, "hearing": hearing, "council": council(aarhus)}
    with refused("ikke begge dele"):
        services.answer_give(**give, texts={1: "X"}, no_comments=True)
    with refused("Svar på mindst ét afsnit"):
        services.answer_give(**give, texts={1: "  "})
    with refused("Udkastet har intet afsnit 9"):
        services.answer_give(**give, texts={9: "X"})
    assert not HearingAnswer.objects.exists()


def test_a_new_answer_replaces_the_councils_earlier_one(
    secretariat_user, municipality_user, midtjylland, aarhus
):
    hearing = open_hearing(secretariat_user, midtjylland)
    give = {"user": municipality_user, "hearing": hearing, "council": council(aarhus)}
    services.answer_give(**give, texts={1: "Et", 2: "To"})
    first = HearingAnswer.objects.get(section__number=1)
    services.answer_comment(user=secretariat_user, answer=first, comment="Noteret.")
    services.answer_give(**give, texts={1: "Et", 3: "Tre"})
    assert sorted(HearingAnswer.objects.values_list("section__number", "text")) == [
        (1, "Et"),
        (3, "Tre"),
    ]
    # An unchanged text keeps its comment.
    assert HearingAnswer.objects.get(section__number=1).comment == "Noteret."
    services.answer_give(**give, texts={}, no_comments=True)
    assert list(HearingAnswer.objects.values_list("section", "text")) == [(None, "")]


def test_a_changed_answer_loses_the_secretariats_comment(
    secretariat_user, municipality_user, midtjylland, aarhus
):
    hearing = open_hearing(secretariat_user, midtjylland)
    give = {"user": municipality_user, "hearing": hearing, "council": council(aarhus)}
    services.answer_give(**give, texts={1: "Et"})
    services.answer_comment(
        user=secretariat_user, answer=HearingAnswer.objects.get(), comment="Noteret."
    )
    services.answer_give(**give, texts={1: "Et, ændret"})
    assert HearingAnswer.objects.get().comment == ""


def test_no_answer_before_the_hearing_opens_nor_after_it_is_concluded(
    secretariat_user, midtjylland, aarhus
):
    draft = services.hearing_create(
        user=secretariat_user, agreement=midtjylland, document="strategy", title="X", deadline=TODAY
    )
    services.section_add(user=secretariat_user, hearing=draft, number=1, title="A", text="a")
    with refused("ikke åben for svar"):
        services.answer_give(
            user=secretariat_user, hearing=draft, council=council(aarhus), texts={1: "X"}
        )
    concluded = concluded_hearing(secretariat_user, midtjylland)
    with refused("ikke åben for svar"):
        services.answer_give(
            user=secretariat_user, hearing=concluded, council=council(aarhus), texts={1: "X"}
        )


def test_only_the_agreements_secretariat_comments(
    secretariat_user, copenhagen_secretary, municipality_user, midtjylland, aarhus
):
    hearing = open_hearing(secretariat_user, midtjylland)
    (answer,) = services.answer_give(
        user=municipality_user, hearing=hearing, council=council(aarhus), texts={1: "X"}
    )
    with refused("Jeres sekretariat administrerer ikke"):
        services.answer_comment(user=copenhagen_secretary, answer=answer, comment="Nej")
    with refused("Kun sekretariatet"):
        services.answer_comment(user=municipality_user, answer=answer, comment="Nej")
    answer.refresh_from_db()
    assert answer.comment == ""


# Concluding ------------------------------------------------------------------------------


def test_a_hearing_concludes_before_the_deadline_only_when_every_council_has_answered(
    secretariat_user, midtjylland
):
    hearing = open_hearing(secretariat_user, midtjylland)
    with refused("ikke alle råd har svaret"):
        services.hearing_conclude(user=secretariat_user, hearing=hearing)
    for each in hearing.heard_councils():
        services.answer_give(
            user=secretariat_user,
            hearing=hearing,
            council=each,
            texts={},
            no_comments=True,
            received="email",
        )
    assert services.hearing_conclude(user=secretariat_user, hearing=hearing).status == "concluded"


def test_a_concluded_hearings_note_is_final(secretariat_user, midtjylland, aarhus):
    hearing = open_hearing(secretariat_user, midtjylland)
    (answer,) = services.answer_give(
        user=secretariat_user,
        hearing=hearing,
        council=council(aarhus),
        texts={1: "X"},
        received="email",
    )
    AgreementHearing.objects.filter(pk=hearing.pk).update(deadline=TODAY - datetime.timedelta(1))
    hearing.refresh_from_db()
    services.hearing_conclude(user=secretariat_user, hearing=hearing)
    with refused("høringsnotatet kan ikke længere ændres"):
        services.answer_comment(user=secretariat_user, answer=answer, comment="Sent")


def test_another_secretariat_cannot_conclude(secretariat_user, copenhagen_secretary, midtjylland):
    hearing = open_hearing(secretariat_user, midtjylland)
    with refused("Jeres sekretariat administrerer ikke"):
        services.hearing_conclude(user=copenhagen_secretary, hearing=hearing)


# The approved document ---------------------------------------------------------------------


def test_the_document_is_gathered_after_the_last_council_approval_with_its_date(
    secretariat_user, midtjylland
):
    hearing = concluded_hearing(secretariat_user, midtjylland)
    last = approve_everywhere(midtjylland)
    document = services.document_gather(user=secretariat_user, hearing=hearing)
    assert document.approved_on == last
    assert document.pdf.open("rb").read().startswith(b"%PDF")
    with refused("allerede samlet"):
        services.document_gather(user=secretariat_user, hearing=hearing)


def test_no_document_while_a_council_has_not_approved(secretariat_user, midtjylland):
    hearing = concluded_hearing(secretariat_user, midtjylland)
    approve_everywhere(midtjylland)
    CouncilApproval.objects.filter(agreement=midtjylland, region__isnull=False).delete()
    with refused("Ikke alle råd har godkendt"):
        services.document_gather(user=secretariat_user, hearing=hearing)


def test_no_document_from_an_open_hearing(secretariat_user, midtjylland):
    hearing = open_hearing(secretariat_user, midtjylland)
    approve_everywhere(midtjylland)
    with refused("Afslut høringen"):
        services.document_gather(user=secretariat_user, hearing=hearing)


def test_another_secretariat_cannot_gather(secretariat_user, copenhagen_secretary, midtjylland):
    hearing = concluded_hearing(secretariat_user, midtjylland)
    approve_everywhere(midtjylland)
    with refused("Jeres sekretariat administrerer ikke"):
        services.document_gather(user=copenhagen_secretary, hearing=hearing)


# The publication address -------------------------------------------------------------------


@pytest.fixture
def gathered(secretariat_user, midtjylland):
    hearing = concluded_hearing(secretariat_user, midtjylland)
    approve_everywhere(midtjylland)
    return services.document_gather(user=secretariat_user, hearing=hearing)


def test_staff_record_their_own_municipalitys_address_and_not_anothers(
    gathered, municipality_user, midtjylland, aarhus, randers
):
    record = {"user": municipality_user, "agreement": midtjylland}
    address = services.publication_address_record(
        **record, municipality=aarhus, url="https://aarhus.dk/rammeaftale"
    )
    assert address.url == "https://aarhus.dk/rammeaftale"
    services.publication_address_record(**record, municipality=aarhus, url="https://aarhus.dk/ny")
    assert midtjylland.publication_addresses.get().url == "https://aarhus.dk/ny"
    with refused("kun registrere adressen for den kommune"):
        services.publication_address_record(
            **record, municipality=randers, url="https://randers.dk"
        )


def test_the_secretariat_records_any_partys_address_but_not_another_secretariat(
    gathered, secretariat_user, copenhagen_secretary, midtjylland, randers, copenhagen
):
    services.publication_address_record(
        user=secretariat_user, agreement=midtjylland, municipality=randers, url="https://randers.dk"
    )
    with refused("Jeres sekretariat administrerer ikke"):
        services.publication_address_record(
            user=copenhagen_secretary,
            agreement=midtjylland,
            municipality=randers,
            url="https://x.dk",
        )
    with refused("er ikke part i rammeaftalen"):
        services.publication_address_record(
            user=secretariat_user,
            agreement=midtjylland,
            municipality=copenhagen,
            url="https://kk.dk",
        )
    with refused("begynder med https://"):
        services.publication_address_record(
            user=secretariat_user, agreement=midtjylland, municipality=randers, url="randers.dk"
        )


def test_no_address_before_there_is_something_to_publish(municipality_user, midtjylland, aarhus):
    with refused("endnu ingen godkendte dokumenter"):
        services.publication_address_record(
            user=municipality_user, agreement=midtjylland, municipality=aarhus, url="https://a.dk"
        )


def test_a_user_with_no_role_cannot_record(gathered, midtjylland, aarhus):
    with refused("kun registrere adressen"):
        services.publication_address_record(
            user=make_user("nobody"), agreement=midtjylland, municipality=aarhus, url="https://a.dk"
        )
