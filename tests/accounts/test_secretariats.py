"""A secretariat per framework agreement (issue 11, acceptance 10):
Midtjylland's secretariat gets 404 for København's contracts, adjustments,
offers and providers — on the pages and in the admin — and its lists and
exports hold none of København's rows; and the other way round."""

import datetime
import io
import re

import openpyxl
import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import get_resolver, resolve, reverse

from agreements.models import (
    CycleDeadline,
    CycleKind,
    FrameworkAgreement,
    GoverningBody,
    Meeting,
    Municipality,
    Secretariat,
)
from capacity import services as capacity_services
from capacity.models import CapacityAdjustment
from contracts.models import IndividualContract, StandardContract
from meetings.models import AgendaItem, Document
from outbox.services import mail_queue
from providers.models import Offer, OperatingAgreement, Provider, Tariff
from tariffs.models import CostShare
from tests.accounts.test_access import ADMIN_NAMESPACE, walk
from tests.conftest import (
    grant,
    make_operating_agreement,
    make_provider,
    make_signed_individual_contract,
    make_signed_standard_contract,
    make_tariff,
    make_user,
)
from tests.hearings.helpers import open_hearing
from tests.tariffs.helpers import make_basis, make_round


def _side(agreement: FrameworkAgreement, municipality: Municipality, name: str, secretary):
    """A provider operated by `municipality`, its offer covered by `agreement`,
    a tariff, an operating agreement, a signed standard and individual
    contract, a capacity request and a meeting of a body of the agreement."""
    provider = make_provider(name=f"{name} udbyder", operating_municipality=municipality)
    leader = make_user(f"leder-{name.lower()}", first_name=f"{name}leder")
    provider.leaders.add(leader)
    offer = Offer.objects.create(
        provider=provider,
        name=f"{name} tilbud",
        legal_basis=Offer.LegalBasis.SEL_108,
        target_group=Offer.TargetGroup.ADULTS_INTELLECTUAL,
        specialisation_level=2,
        approved_places=20,
        opened_on=datetime.date(2010, 1, 1),
    )
    offer.framework_agreements.add(agreement)
    make_tariff(offer)
    make_operating_agreement(provider, framework_agreement=agreement)
    standard = make_signed_standard_contract(
        authority=municipality, offer=offer, number=f"SK-{name}"
    )
    individual = make_signed_individual_contract(
        standard, number=f"IK-{name}", citizen_name=f"{name} Barn"
    )
    adjustment = capacity_services.adjustment_request(
        user=secretary,
        offer=offer,
        kind="increase",
        places=4,
        effective_on=datetime.date.today() + datetime.timedelta(days=30),
        reason=f"{name} ønsker flere pladser.",
    )
    body = GoverningBody.objects.create(
        name=f"{name} styregruppe", kind=GoverningBody.Kind.AD_HOC, agreement=agreement
    )
    meeting = Meeting.objects.create(body=body, date=datetime.date.today() + datetime.timedelta(9))
    item = AgendaItem.objects.create(meeting=meeting, position=1, kind="orientation", title=name)
    document = Document.objects.create(
        standard_contract=standard,
        title=f"{name} bilag",
        file="documents/x.pdf",
        filename="bilag.pdf",
        kind="pdf",
        size=1,
        sha256="0" * 64,
        uploaded_by=secretary,
    )
    basis = make_basis(offer, agreement=agreement)
    tariff_round = make_round(secretary, agreement=agreement)
    cost_share = CostShare.objects.create(
        kind="closure",
        offer=offer,
        period_start=datetime.date(2024, 1, 1),
        period_end=datetime.date(2024, 12, 31),
        total=100,
        entered_by=secretary,
    )
    cycle_deadline = CycleDeadline.objects.create(
        agreement=agreement, title=f"{name} frist", kind=CycleKind.EVALUATION, due_on=meeting.date
    )
    hearing = open_hearing(secretary, agreement)
    mail = mail_queue(
        to="kommune@example.dk", subject=f"{name} høring", text="Høring", concerning=adjustment
    )
    return {
        "hearing": hearing,
        "mail": mail,
        "item": item,
        "cycle_deadline": cycle_deadline,
        "document": document,
        "basis": basis,
        "round": tariff_round,
        "cost_share": cost_share,
        "agreement": agreement,
        "provider": provider,
        "offer": offer,
        "tariff": offer.tariffs.get(),
        "operating_agreement": provider.operating_agreements.get(),
        "standard": standard,
        "individual": individual,
        "adjustment": adjustment,
        "body": body,
        "meeting": meeting,
        "leader": leader,
    }


@pytest.fixture
def two_secretariats(secretariat_user, copenhagen_secretary, midtjylland, copenhagen_agreement):
    aarhus = Municipality.objects.get(code=751)
    copenhagen = Municipality.objects.get(code=101)
    sides = {
        "midt": _side(midtjylland, aarhus, "Midt", secretariat_user),
        "kbh": _side(copenhagen_agreement, copenhagen, "Kbh", copenhagen_secretary),
    }
    users = {"midt": secretariat_user, "kbh": copenhagen_secretary}
    return sides, users


DIRECTIONS = [("midt", "kbh"), ("kbh", "midt")]


def _pages(side) -> dict[str, str]:
    return {
        "individual contract": reverse(
            "contracts:individual_contract_detail", args=[side["individual"].pk]
        ),
        "individual contract PDF": reverse(
            "contracts:individual_contract_pdf", args=[side["individual"].pk]
        ),
        "standard contract": reverse(
            "contracts:standard_contract_detail", args=[side["standard"].pk]
        ),
        "adjustment": reverse("capacity:adjustment", args=[side["adjustment"].pk]),
        "meeting": reverse("meetings:meeting", args=[side["meeting"].pk]),
        "offer capacity": reverse("portal:offer_capacity", args=[side["offer"].pk]),
        "request": reverse("capacity:request", args=[side["offer"].pk]),
    }


def _admin_change(obj) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def _admin_history(obj) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[obj.pk])


ADMIN_OBJECTS = [
    "agreement",
    "provider",
    "offer",
    "tariff",
    "operating_agreement",
    "standard",
    "individual",
    "adjustment",
    "body",
    "meeting",
]


@pytest.mark.parametrize(("own", "other"), DIRECTIONS)
def test_a_secretariat_gets_404_for_the_pages_of_the_other(client, two_secretariats, own, other):
    sides, users = two_secretariats
    client.force_login(users[own])
    for name, url in _pages(sides[own]).items():
        assert client.get(url).status_code == 200, name
    for name, url in _pages(sides[other]).items():
        assert client.get(url).status_code == 404, name


@pytest.mark.parametrize(("own", "other"), DIRECTIONS)
def test_a_secretariat_gets_404_in_the_admin_for_the_rows_of_the_other(
    client, two_secretariats, own, other
):
    sides, users = two_secretariats
    client.force_login(users[own])
    for key in ADMIN_OBJECTS:
        assert client.get(_admin_change(sides[own][key])).status_code == 200, key
        assert client.get(_admin_history(sides[own][key])).status_code == 200, key
        assert client.get(_admin_change(sides[other][key])).status_code == 404, key
        assert client.get(_admin_history(sides[other][key])).status_code == 404, key


def test_a_superuser_sees_both_secretariats(admin_client, two_secretariats):
    sides, _users = two_secretariats
    for side in sides.values():
        for key in ADMIN_OBJECTS:
            assert admin_client.get(_admin_change(side[key])).status_code == 200, key


CHANGELISTS = {
    "agreement": FrameworkAgreement,
    "provider": Provider,
    "offer": Offer,
    "tariff": Tariff,
    "operating_agreement": OperatingAgreement,
    "standard": StandardContract,
    "individual": IndividualContract,
    "adjustment": CapacityAdjustment,
    "body": GoverningBody,
    "meeting": Meeting,
}


@pytest.mark.parametrize(("own", "other"), DIRECTIONS)
def test_the_admin_lists_of_a_secretariat_hold_none_of_the_others_rows(
    client, two_secretariats, own, other
):
    sides, users = two_secretariats
    client.force_login(users[own])
    for key, model in CHANGELISTS.items():
        opts = model._meta
        response = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        assert response.status_code == 200, key
        listed = {obj.pk for obj in response.context["cl"].queryset}
        assert sides[own][key].pk in listed, key
        assert sides[other][key].pk not in listed, key


@pytest.mark.parametrize(("own", "other"), DIRECTIONS)
def test_the_contract_list_holds_none_of_the_others_contracts(client, two_secretariats, own, other):
    sides, users = two_secretariats
    client.force_login(users[own])
    body = client.get(reverse("contracts:contract_list")).content.decode()
    assert sides[own]["standard"].number in body
    assert sides[own]["individual"].number in body
    assert sides[other]["standard"].number not in body
    assert sides[other]["individual"].number not in body


@pytest.mark.parametrize(("own", "other"), DIRECTIONS)
def test_the_secretariat_pages_hold_none_of_the_others_rows(client, two_secretariats, own, other):
    sides, users = two_secretariats
    client.force_login(users[own])
    for name in (
        "portal:dashboard",
        "portal:capacity_overview",
        "capacity:overview",
        "capacity:meetings",
    ):
        body = client.get(reverse(name)).content.decode()
        assert sides[other]["offer"].name not in body, name
        assert sides[other]["body"].name not in body, name
    assert sides[own]["offer"].name in client.get(reverse("capacity:overview")).content.decode()


@pytest.mark.parametrize(("own", "other"), DIRECTIONS)
def test_the_register_export_holds_none_of_the_others_rows(client, two_secretariats, own, other):
    sides, users = two_secretariats
    client.force_login(grant(users[own], "export_register"))
    for key, admin_name in (
        ("provider", "providers_provider"),
        ("offer", "providers_offer"),
        ("tariff", "providers_tariff"),
        ("operating_agreement", "providers_operatingagreement"),
    ):
        url = reverse(f"admin:{admin_name}_export")
        form = client.get(url).context["form"]
        data = {"format": "0", "resource": "0"}
        prefix = admin_name.split("_")[1]
        data |= {name: "on" for name in form.fields if name.startswith(prefix)}
        response = client.post(url, data)
        assert response.status_code == 200, key
        assert response["Content-Type"].startswith("application/vnd.openxmlformats"), key
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        cells = {str(cell) for row in sheet.iter_rows(values_only=True) for cell in row}
        assert sides[own]["provider"].cvr in cells, key
        assert sides[other]["provider"].cvr not in cells, key


def test_an_import_cannot_change_the_other_secretariats_offer(client, two_secretariats):
    sides, users = two_secretariats
    client.force_login(grant(users["midt"], "import_register"))
    foreign = sides["kbh"]["offer"]
    csv = (
        "Udbyder (CVR-nummer);Tilbud;Lovgrundlag;Målgruppe;Specialiseringsniveau;"
        "Godkendte pladser\n"
        f"{foreign.provider.cvr};{foreign.name};SEL § 108;autism;1;99\n"
    ).encode()
    response = client.post(
        reverse("admin:providers_offer_import"),
        {"format": "1", "import_file": SimpleUploadedFile("tilbud.csv", csv)},
    )
    assert f"Der findes ingen udbyder med CVR-nummer {foreign.provider.cvr}" in (
        response.content.decode()
    )
    foreign.refresh_from_db()
    assert foreign.approved_places == 20


@pytest.mark.parametrize(("own", "other"), DIRECTIONS)
def test_foreign_key_choices_hold_none_of_the_others_rows(client, two_secretariats, own, other):
    """A crafted POST cannot hang a tariff on the other secretariat's offer."""
    sides, users = two_secretariats
    client.force_login(users[own])
    response = client.post(
        reverse("admin:providers_tariff_add"),
        {"offer": sides[other]["offer"].pk, "year": 2027, "unit": "day", "amount": "100"},
    )
    assert response.status_code == 200  # the form again, with an error
    assert not Tariff.objects.filter(offer=sides[other]["offer"], year=2027).exists()
    found = client.get(
        reverse("admin:autocomplete"),
        {"term": "", "app_label": "providers", "model_name": "tariff", "field_name": "offer"},
    ).json()
    ids = {int(result["id"]) for result in found["results"]}
    assert sides[own]["offer"].pk in ids
    assert sides[other]["offer"].pk not in ids


def test_reference_municipalities_stay_readable_by_both(client, two_secretariats):
    _sides, users = two_secretariats
    for user in users.values():
        client.force_login(user)
        response = client.get(reverse("admin:agreements_municipality_changelist"))
        assert "98 kommuner" in response.content.decode()


def test_a_secretariat_cannot_change_another_secretariats_municipality(client, two_secretariats):
    _sides, users = two_secretariats
    client.force_login(users["midt"])
    copenhagen = Municipality.objects.get(code=101)
    response = client.post(
        _admin_change(copenhagen),
        {
            "code": 101,
            "name": "København",
            "region": copenhagen.region_id,
            "staff": [users["midt"].pk],
        },
    )
    assert response.status_code == 403
    assert not copenhagen.staff.exists()


def test_a_secretariat_cannot_reach_the_secretariats_admin(client, two_secretariats):
    _sides, users = two_secretariats
    client.force_login(users["midt"])
    kbh = Secretariat.objects.get(members=users["kbh"])
    assert client.get(reverse("admin:agreements_secretariat_changelist")).status_code == 403
    response = client.post(_admin_change(kbh), {"name": kbh.name, "members": [users["midt"].pk]})
    assert response.status_code == 404  # another's row, before any permission is asked
    assert not kbh.members.filter(pk=users["midt"].pk).exists()


def test_a_secretary_without_a_secretariat_sees_no_rows(client, two_secretariats):
    _sides, users = two_secretariats
    Secretariat.objects.get(members=users["midt"]).members.remove(users["midt"])
    client.force_login(users["midt"])
    response = client.get(reverse("admin:providers_offer_changelist"))
    assert response.context["cl"].result_count == 0


# The URL walk: every page of the project with an id, for both secretariats ----------

# Which object of a side each route's id names.
ROUTE_OBJECTS = {
    "contracts:standard_contract_detail": "standard",
    "contracts:standard_contract_pdf": "standard",
    "contracts:individual_contract_detail": "individual",
    "contracts:individual_contract_pdf": "individual",
    "contracts:standard_contract_sign": "standard",
    "contracts:standard_signing_document": "standard",
    "contracts:individual_contract_sign": "individual",
    "contracts:individual_signing_document": "individual",
    "capacity:meeting": "meeting",
    "meetings:meeting": "meeting",
    "meetings:agenda_pdf": "meeting",
    "meetings:minutes_pdf": "meeting",
    "meetings:item_edit": "item",
    "meetings:item_remove": "item",
    "meetings:document_download": "document",
    "meetings:documents": "standard",
    "tariffs:basis": "basis",
    "tariffs:round": "round",
    "tariffs:cost_share": "cost_share",
    "tariffs:cost_share_pdf": "cost_share",
    "tariffs:report_offer_occupancy": "basis",
    "tariffs:closure_costs": "offer",
    "tariffs:deficit": "offer",
    "tariffs:basis_edit": "offer",
    "capacity:request": "offer",
    "capacity:adjustment": "adjustment",
    "portal:offer_capacity": "offer",
    "portal:leader_provider": "provider",
    "portal:leader_obligations": "provider",
    "portal:cycle_deadline_done": "cycle_deadline",
    "accounts:user": "leader",
    "hearings:hearing": "hearing",
    "hearings:answer": "hearing",
    "hearings:note_pdf": "hearing",
    "hearings:note_docx": "hearing",
    "hearings:publication": "agreement",
}

# Open to everyone: a publishing body's released agendas and approved minutes
# (never a closed item or a draft: tests/meetings/test_public.py) and the
# approved documents of the framework agreements (tests/hearings/test_publication.py).
PUBLIC_ROUTES = {
    "meetings:public_body",
    "meetings:public_body_ics",
    "meetings:public_body_rss",
    "meetings:public_meeting",
    "meetings:public_document",
    "publication:document",
}


# POST-only steps: the id names this object; `action` routes get "submit".
POST_OBJECTS = {
    "contracts:standard_contract_action": "standard",
    "contracts:individual_contract_action": "individual",
    "meetings:item_add": "meeting",
    "meetings:agenda_send": "meeting",
    "meetings:minutes_save": "meeting",
    "meetings:minutes_approve": "meeting",
    "meetings:item_move": "item",
    "meetings:item_move_to_meeting": "item",
    "meetings:item_decide": "item",
    "meetings:document_upload": "item",
    "tariffs:basis_review": "basis",
    "accounts:link": "leader",
    "accounts:unlink": "leader",
    "accounts:deactivate": "leader",
    "accounts:reactivate": "leader",
    "accounts:reinvite": "leader",
    "portal:mail_retry": "mail",
    "meetings:agenda_review": "meeting",
    "meetings:agenda_comment": "meeting",
    "meetings:item_exclude": "meeting",
    "meetings:item_close": "item",
    "meetings:item_note": "item",
    "meetings:document_note": "document",
    "meetings:document_version": "document",
    "hearings:section_add": "hearing",
    "hearings:open": "hearing",
    "hearings:record": "hearing",
    "hearings:comment": "hearing",
    "hearings:conclude": "hearing",
    "hearings:gather": "hearing",
}
POST_NAMESPACES_ON_ADJUSTMENTS = "capacity"


def _fill(route: str, pk: int) -> str:
    route = re.sub(r"<int:year>", "2026", route)
    route = re.sub(r"<int:code>", "751", route)
    route = route.replace("<str:kind>", "standardkontrakt").replace("<str:direction>", "op")
    route = re.sub(r"<int:\w+>", str(pk), route)
    return "/" + route.replace("<slug:action>", "submit")


@pytest.mark.parametrize(("own", "other"), DIRECTIONS)
def test_the_url_walk_finds_every_page_with_an_id_closed_to_the_other_secretariat(
    client, two_secretariats, own, other
):
    """Every route of the project with an id (found by walking the URLconf)
    answers 404 to the other secretariat for this secretariat's object: GET
    pages and POST steps alike. A new route with an id fails here until it
    is named in ROUTE_OBJECTS or POST_OBJECTS."""
    sides, users = two_secretariats
    client.force_login(users[other])
    unknown = []
    for route, namespace, _view in walk(get_resolver().url_patterns):
        if namespace == ADMIN_NAMESPACE or "<int:" not in route:
            continue
        name = f"{namespace}:{resolve(_fill(route, 1)).url_name}"
        if name in PUBLIC_ROUTES:
            continue
        if name in ROUTE_OBJECTS:
            url = _fill(route, sides[own][ROUTE_OBJECTS[name]].pk)
            assert client.get(url).status_code == 404, url
        elif name in POST_OBJECTS:
            url = _fill(route, sides[own][POST_OBJECTS[name]].pk)
            assert client.post(url).status_code == 404, url
        elif namespace == POST_NAMESPACES_ON_ADJUSTMENTS:
            url = _fill(route, sides[own]["adjustment"].pk)
            assert client.post(url).status_code == 404, url
        else:
            unknown.append(route)
    assert not unknown, unknown


def test_the_offer_list_query_count_does_not_grow_for_a_secretariat(client, two_secretariats):
    """The scoping adds a fixed number of queries, whatever the data size."""
    sides, users = two_secretariats
    client.force_login(users["midt"])
    url = reverse("admin:providers_offer_changelist")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    small = count()
    for _ in range(10):
        for key in ("midt", "kbh"):
            side = sides[key]
            offer = Offer.objects.create(
                provider=side["provider"],
                name=f"Ekstra {Offer.objects.count()}",
                legal_basis=Offer.LegalBasis.SEL_108,
                target_group=Offer.TargetGroup.ADULTS_INTELLECTUAL,
                specialisation_level=2,
            )
            offer.framework_agreements.add(side["agreement"])
    assert count() == small
    assert admin.site._registry[Offer]


def test_the_cpr_access_log_holds_none_of_the_other_secretariats_entries(client, two_secretariats):
    from django.contrib.auth.models import Permission

    from contracts import services as contract_services

    sides, users = two_secretariats
    permission = Permission.objects.get(codename="view_full_cpr")
    for user in users.values():
        user.user_permissions.add(permission)
    reader = User.objects.get(pk=users["midt"].pk)
    contract = sides["midt"]["individual"]
    contract_services.cpr_access_record(
        user=reader,
        action="view",
        purpose="Opfølgning på sagen",
        cpr=contract.citizen_cpr,
        individual_contract=contract,
    )
    url = reverse("contracts:cpr_access_log")
    client.force_login(users["midt"])
    own = client.post(url, {"cpr": contract.citizen_cpr})
    assert list(own.context["entries"])
    client.force_login(users["kbh"])
    other = client.post(url, {"cpr": contract.citizen_cpr})
    assert list(other.context["entries"]) == []
    assert contract.number not in other.content.decode()


def test_a_secretariat_cannot_request_an_adjustment_of_the_others_offer(two_secretariats):
    from capacity.models import CapacityError

    sides, users = two_secretariats
    with pytest.raises(CapacityError):
        capacity_services.adjustment_request(
            user=users["midt"],
            offer=sides["kbh"]["offer"],
            kind="increase",
            places=2,
            effective_on=datetime.date.today() + datetime.timedelta(days=30),
            reason="Forsøg på tværs af sekretariater.",
        )
    assert sides["kbh"]["offer"].capacity_adjustments.count() == 1


def test_the_demo_has_a_secretariat_of_its_own_for_copenhagen(client, db):
    from django.core.management import call_command

    call_command("seed_demo", verbosity=0)
    midt = User.objects.get(username="sekretariat")
    kbh = User.objects.get(username="kbh-sekretariat")
    kbh_contract = IndividualContract.objects.get(citizen_name="Frederik Demo Larsen")
    midt_contract = IndividualContract.objects.get(citizen_name="Emil Demo Hansen")
    kbh_adjustment = CapacityAdjustment.objects.get(offer__name="Kofoeds Skole – Botilbud")
    for user, own, other in (
        (kbh, kbh_contract, midt_contract),
        (midt, midt_contract, kbh_contract),
    ):
        client.force_login(user)
        detail = "contracts:individual_contract_detail"
        assert client.get(reverse(detail, args=[own.pk])).status_code == 200
        assert client.get(reverse(detail, args=[other.pk])).status_code == 404
    client.force_login(kbh)
    assert client.get(reverse("capacity:adjustment", args=[kbh_adjustment.pk])).status_code == 200
    assert "Styregruppen" in client.get(reverse("portal:dashboard")).content.decode()
    client.force_login(midt)
    assert client.get(reverse("capacity:adjustment", args=[kbh_adjustment.pk])).status_code == 404


def test_a_secretariat_cannot_take_a_step_on_the_others_adjustment(two_secretariats):
    """The services refuse it too, not only the pages (which answer 404)."""
    from capacity.models import CapacityError

    sides, users = two_secretariats
    foreign = sides["kbh"]["adjustment"]
    with pytest.raises(CapacityError, match="sekretariats rammeaftaler"):
        capacity_services.adjustment_add_affected_municipality(
            user=users["midt"], adjustment=foreign, municipality=Municipality.objects.get(code=751)
        )
    assert not foreign.consultations.filter(municipality__code=751).exists()
