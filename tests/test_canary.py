"""Issue 16: canaries. Each secretariat (Midtjylland, København, Sjælland),
each municipality, each provider and each governing body owns rows whose
names are canaries for everyone else. Every user logs in and fetches every
page the URL configuration knows — with the ids of rows they may see and of
rows they may not, the lists' CSV and XLSX downloads, the feeds by their
token, and for the secretariats the admin's change lists, add and change
forms, exports and autocomplete — and no page may show a canary of a row
outside the user's scope.

A row's scope is its model's own answer (`visible_to`, or for a body's
material `material_visible_to`); `test_the_scopes_keep_each_canary_from_the_others`
checks those answers against DESIGN.md, so that the walk does not take a
leaking queryset for the truth. A page of a row outside the scope must not
answer 200 either: that catches pages that show no name (a report's numbers).
Superusers see everything and are not walked. On the way, every whole HTML
page must carry the footer's links to the accessibility statement and the
privacy notice.
"""

import datetime
import html
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
import tablib
from django.contrib import admin
from django.contrib.auth.models import User
from django.db.models import Q, QuerySet
from django.forms import BooleanField
from django.http import HttpResponse
from django.test import override_settings
from django.urls import get_resolver, path, reverse
from django.utils import timezone
from icalendar import Calendar, Event
from openpyxl import load_workbook
from pypdf import PdfReader

from accounts.users import users_administered_by
from agreements.models import (
    BodyRepresentative,
    CouncilApproval,
    CycleDeadline,
    FrameworkAgreement,
    GoverningBody,
    Meeting,
    Municipality,
    add_years,
)
from capacity.models import CapacityAdjustment
from contracts.models import GeneralPart, IndividualContract, StandardContract
from hearings import services as hearing_services
from hearings.models import AgreementHearing
from listing.pages import DOWNLOAD_FORMATS
from meetings import services as meeting_services
from meetings.models import AgendaItem, AgendaRelease, Document
from outbox.models import OutgoingMail
from outbox.services import mail_queue
from portal.models import CalendarFeed
from providers.models import Offer, OperatingAgreement, Provider, Tariff
from register_io.services import write_xlsx
from tariffs.models import CalculationBasis, CostShare, CostShareLine, TariffRound
from tests.accounts.test_access import walk
from tests.conftest import (
    COPENHAGEN_SECRETARIAT,
    MIDTJYLLAND_SECRETARIAT,
    grant,
    make_general_part,
    make_individual_contract,
    make_offer,
    make_operating_agreement,
    make_provider,
    make_secretary,
    make_signed_standard_contract,
    make_user,
)
from tests.meetings.conftest import pdf_file
from tests.tariffs.helpers import RESIDENTIAL

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()
ROUND_YEAR = TODAY.year + 1
SJAELLAND_SECRETARIAT = "Udviklingsgruppen under Rammeaftale Sjælland"


# The three secretariats' worlds -----------------------------------------------------------


@dataclass(frozen=True)
class Setting:
    """A secretariat, its agreement, the municipality that operates its
    offers and the bodies whose material it keeps."""

    key: str
    secretariat: str
    agreement: dict
    operator: int
    bodies: tuple[str, ...]


SETTINGS = (
    Setting(
        "MJ",
        MIDTJYLLAND_SECRETARIAT,
        {"kind": "regional", "region__code": 1082, "status": "in_force"},
        751,  # Aarhus
        (GoverningBody.Kind.DASSOS, GoverningBody.Kind.EXECUTIVE_COMMITTEE),
    ),
    Setting(
        "KBH",
        COPENHAGEN_SECRETARIAT,
        {"kind": "municipal", "municipality__code": 101},
        101,  # København
        (GoverningBody.Kind.DIRECTORATE,),
    ),
    Setting(
        "SJ",
        SJAELLAND_SECRETARIAT,
        {"kind": "regional", "region__code": 1085},
        265,  # Roskilde
        (GoverningBody.Kind.K17,),
    ),
)


@dataclass(frozen=True)
class Canary:
    """A text that appears only where the row `pk` of `rows` is shown; `rows`
    gives the rows of its model a user may see."""

    text: str
    rows: Callable[[User], QuerySet]
    pk: int
    secretariat: str  # the key of the secretariat whose world the row is in

    def seen_by(self, user: User) -> bool:
        return self.rows(user).filter(pk=self.pk).exists()


@dataclass
class World:
    users: dict[str, User] = field(default_factory=dict)
    canaries: list[Canary] = field(default_factory=list)
    # Rows by kind, to fill URL parameters with: (kind) -> [(row, rows a user may see)].
    rows: dict[str, list[tuple[object, Callable[[User], QuerySet]]]] = field(default_factory=dict)
    building: str = ""  # the secretariat whose world is being built

    def add(self, kind: str, row, rows: Callable[[User], QuerySet], *texts: str) -> None:
        self.rows.setdefault(kind, []).append((row, rows))
        self.canaries.extend(Canary(text, rows, row.pk, self.building) for text in texts)


def visible(model) -> Callable[[User], QuerySet]:
    return lambda user: model.objects.visible_to(user)


def material(model) -> Callable[[User], QuerySet]:
    return lambda user: model.objects.material_visible_to(user)


def occupancy(user: User) -> QuerySet:
    """An offer's occupancy is read off its contracts: for whoever reads the offer."""
    return CalculationBasis.objects.visible_to(user).filter(
        offer__in=Offer.objects.visible_to(user)
    )


def general_parts(user: User) -> QuerySet:
    """R8: a standard contract is its general part and its specific part;
    whoever reads the contract reads its general part."""
    return GeneralPart.objects.filter(
        Q(pk__in=GeneralPart.objects.visible_to(user).values("pk"))
        | Q(pk__in=StandardContract.objects.visible_to(user).values("general_part"))
    )


def led(user: User) -> QuerySet:
    return Provider.objects.filter(pk__in=user.scope.provider_ids)


def build_world() -> World:
    world = World()
    for setting in SETTINGS:
        build_secretariat(world, setting)
    aarhus, copenhagen = Municipality.objects.get(code=751), Municipality.objects.get(code=101)
    world.users["municipality-Aarhus"] = staff_of(aarhus, "kanarie-aarhus")
    world.users["municipality-Kobenhavn"] = staff_of(copenhagen, "kanarie-kbh")
    world.users["member-DASSOS"] = seat(GoverningBody.Kind.DASSOS, 730, "kanarie-dassos")
    world.users["member-K17"] = seat(GoverningBody.Kind.K17, 370, "kanarie-k17")
    for user in world.users.values():
        world.add("user", user, users_administered_by)
    texts = [canary.text for canary in world.canaries]
    assert not [(a, b) for a in texts for b in texts if a != b and a in b], "a canary in another"
    return world


def staff_of(municipality: Municipality, username: str) -> User:
    user = make_user(username)
    municipality.staff.add(user)
    return user


def seat(kind: str, municipality_code: int, username: str) -> User:
    user = make_user(username)
    BodyRepresentative.objects.create(
        body=GoverningBody.objects.get(kind=kind),
        municipality=Municipality.objects.get(code=municipality_code),
        user=user,
        name=username,
    )
    return user


def build_secretariat(world: World, setting: Setting) -> None:
    key = world.building = setting.key

    def name(kind: str) -> str:
        return f"Kanarie-{key}-{kind}"

    secretary = grant(
        make_secretary(f"kanarie-sekretaer-{key.lower()}", setting.secretariat), "export_register"
    )
    world.users[f"secretariat-{key}"] = secretary
    agreement = FrameworkAgreement.objects.get(**setting.agreement)
    agreement.name = name("Rammeaftale")
    agreement.save()
    world.add("agreement", agreement, visible(FrameworkAgreement), name("Rammeaftale"))
    operator = Municipality.objects.get(code=setting.operator)

    bodies = [GoverningBody.objects.get(kind=kind, agreement=agreement) for kind in setting.bodies]
    for number, body in enumerate(bodies):
        body.name = name(f"Organ{number}")
        # The open meeting pages show a publishing body's released material to
        # anyone (tests/meetings/test_public.py); here every row has a scope.
        body.publishes = False
        body.save()
        world.add("body", body, visible(GoverningBody), body.name)
        meeting = Meeting.objects.create(
            body=body,
            date=TODAY + datetime.timedelta(days=10 + number),
            location=name(f"Moedested{number}"),
        )
        world.add("meeting", meeting, visible(Meeting), meeting.location)
        world.add("material", meeting, material(Meeting))
        item = AgendaItem.objects.create(
            meeting=meeting, kind="decision", title=name(f"Punkt{number}"), outcome="noted"
        )
        world.add("agenda_item", item, visible(AgendaItem), item.title)
        paper = meeting_services.document_add(
            user=secretary, uploaded=pdf_file(), title=name(f"Bilag{number}"), agenda_item=item
        )
        world.add("document", paper, visible(Document), paper.title)
        # Released to the members (the seats are made later, so not by mail).
        AgendaRelease.objects.create(meeting=meeting, released_at=timezone.now())
    meeting = Meeting.objects.get(body=bodies[0])

    approval = CouncilApproval.objects.create(
        agreement=agreement,
        municipality=agreement.parties.first(),
        approved_on=TODAY - datetime.timedelta(days=30),
        reference=name("Godkendelse"),
    )
    world.add("council_approval", approval, visible(CouncilApproval), approval.reference)
    for owner, title in ((approval, "Byraadsbilag"), (agreement, "Aftalebilag")):
        paper = meeting_services.document_add(
            user=secretary,
            uploaded=pdf_file(),
            title=name(title),
            **{"council_approval" if owner is approval else "agreement": owner},
        )
        world.add("document", paper, visible(Document), paper.title)
    deadline = CycleDeadline.objects.create(
        agreement=agreement,
        title=name("Aarshjul"),
        kind="other",
        due_on=TODAY + datetime.timedelta(days=20),
    )
    world.add("cycle_deadline", deadline, visible(CycleDeadline), deadline.title)
    hearing = hearing_services.hearing_create(
        user=secretary,
        agreement=agreement,
        document="strategy",
        title=name("Hoering"),
        deadline=TODAY + datetime.timedelta(days=14),
    )
    hearing_services.section_add(
        user=secretary, hearing=hearing, number=1, title="Indledning", text="Udkastets tekst."
    )
    hearing = hearing_services.hearing_open(user=secretary, hearing=hearing)
    world.add("hearing", hearing, visible(AgreementHearing), hearing.title)

    provider = make_provider(name=name("Leverandoer"), operating_municipality=operator)
    world.add("provider", provider, visible(Provider), provider.name)
    offer = make_offer(provider, name=name("Tilbud"))
    offer.framework_agreements.add(agreement)
    world.add("offer", offer, visible(Offer), offer.name)
    Tariff.objects.create(offer=offer, year=TODAY.year, unit="day", amount=Decimal("2000.00"))
    # Its service review falls due within the month: on the dashboard and in the leader's feed.
    operating = make_operating_agreement(
        provider,
        municipality=operator,
        framework_agreement=agreement,
        notes=name("Drift"),
        last_review_on=add_years(TODAY, -5) + datetime.timedelta(days=20),
    )
    world.add("operating_agreement", operating, visible(OperatingAgreement), operating.notes)

    tariff_round = TariffRound.objects.create(
        agreement=agreement,
        year=ROUND_YEAR,
        deadline=TODAY + datetime.timedelta(days=30),
        opened_by=secretary,
    )
    world.add("round", tariff_round, visible(TariffRound), f"/takster/runder/{tariff_round.pk}/")
    basis = CalculationBasis.objects.create(
        offer=offer,
        year=ROUND_YEAR,
        agreement=agreement,
        status=CalculationBasis.Status.SUBMITTED,
        increase_reason=name("Grundlag"),
        **RESIDENTIAL,
    )
    world.add(
        "basis",
        basis,
        visible(CalculationBasis),
        name("Grundlag"),
        f"/takster/grundlag/{basis.pk}/",
    )

    # An approved basis is open to all (001), and so is its offer's name on
    # the tariff list; the offer's occupancy, read off the contracts, is not.
    open_offer = make_offer(
        make_provider(name=f"Åben leverandør {key}", operating_municipality=operator)
    )
    open_offer.framework_agreements.add(agreement)
    approved = CalculationBasis.objects.create(
        offer=open_offer,
        year=TODAY.year,
        agreement=agreement,
        status=CalculationBasis.Status.APPROVED,
        tariff_amount=Decimal("1744.77"),
        **RESIDENTIAL,
    )
    Tariff.objects.create(offer=open_offer, year=TODAY.year, unit="day", amount=Decimal("1744.77"))
    world.add("occupancy", approved, occupancy, f"/takster/rapporter/belaegning/{approved.pk}/")

    share = CostShare.objects.create(
        kind=CostShare.Kind.DEFICIT,
        offer=offer,
        year=TODAY.year - 1,
        period_start=datetime.date(TODAY.year - 1, 1, 1),
        period_end=datetime.date(TODAY.year - 1, 12, 31),
        total=Decimal("100000.00"),
        description=name("Fordeling"),
        entered_by=secretary,
    )
    CostShareLine.objects.create(
        share=share, municipality=operator, contract_days=365, amount=share.total
    )
    world.add(
        "cost_share",
        share,
        visible(CostShare),
        share.description,
        f"/takster/fordelinger/{share.pk}/",
    )

    general_part = make_general_part(operator, ethics=name("Almen"))
    world.add("general_part", general_part, general_parts, general_part.ethics)
    standard = make_signed_standard_contract(
        authority=operator, offer=offer, general_part=general_part, number=name("SK")
    )
    world.add("standard_contract", standard, visible(StandardContract), standard.number)
    individual = make_individual_contract(
        standard,
        status=IndividualContract.Status.AWAITING_SIGNATURE,
        citizen_name=name("Borger"),
        number=name("IK"),
    )
    world.add(
        "individual_contract",
        individual,
        visible(IndividualContract),
        individual.citizen_name,
        individual.number,
    )
    adjustment = CapacityAdjustment.objects.create(
        offer=offer,
        requested_by_municipality=operator,
        requested_by_user=secretary,
        kind=CapacityAdjustment.Kind.INCREASE,
        places_before=offer.approved_places,
        change=15,
        effective_on=TODAY + datetime.timedelta(days=60),
        reason=name("Justering"),
        requires_approval=True,
        approval_threshold=10,
        status=CapacityAdjustment.Status.ON_AGENDA,
        route=CapacityAdjustment.Route.MEETING,
        meeting=meeting,
    )
    world.add(
        "adjustment",
        adjustment,
        visible(CapacityAdjustment),
        adjustment.reason,
        f"/kapacitet/{adjustment.pk}/",
    )
    mail = mail_queue(
        to="hoering@example.dk", subject=name("Mail"), text="Høring", concerning=adjustment
    )
    mail.record_failure(timezone.now(), "550 Postkassen findes ikke")
    mail.status = OutgoingMail.Status.FAILED
    mail.save()
    world.add("mail", mail, visible(OutgoingMail), mail.subject)
    if key in ("MJ", "KBH"):
        leader = make_user(f"kanarie-leder-{key.lower()}")
        provider.leaders.add(leader)
        world.users[f"leader-{key}"] = leader
    world.add("led_provider", provider, led)


# The walk ---------------------------------------------------------------------------------

# Pages without rows of the register: logging in and out, the language, single sign-on.
WITHOUT_ROWS = ("login/", "logout/", "sprog/", "saml/")
# ... and the approved documents, open to everyone (none in this world).
WITHOUT_ROWS += ("offentliggoerelse/dokumenter/",)

# Which rows a route's <pk> (or <offer_pk>) names, by how the route begins (first match).
ROWS_NAMED = (
    ("brugere/", "user"),
    ("contracts/standard/", "standard_contract"),
    ("contracts/individual/", "individual_contract"),
    ("kapacitet/moeder/", "material"),
    ("kapacitet/tilbud/", "offer"),
    ("kapacitet/", "adjustment"),
    # The open pages of bodies that publish (none of the canaries' bodies do).
    ("moeder/offentlige/organ/", "body"),
    ("moeder/offentlige/moede/", "meeting"),
    ("moeder/offentlige/dokumenter/", "document"),
    ("moeder/punkter/", "agenda_item"),
    ("hoeringer/offentliggoerelse/", "agreement"),
    ("hoeringer/", "hearing"),
    ("moeder/dokumenter/<str:kind>/", "document_owner"),
    ("moeder/dokumenter/", "document"),
    ("moeder/", "material"),
    ("leder/tilbud/", "led_provider"),
    ("ydelser/", "offer"),
    ("sekretariat/aarshjul/", "cycle_deadline"),
    ("sekretariat/mails/", "mail"),
    ("takster/grundlag/", "basis"),
    ("takster/tilbud/", "offer"),
    ("takster/runder/", "round"),
    ("takster/fordelinger/", "cost_share"),
    ("takster/rapporter/belaegning/", "occupancy"),
)
DOCUMENT_OWNERS = {
    "rammeaftale": "agreement",
    "byraadsgodkendelse": "council_approval",
    "standardkontrakt": "standard_contract",
    "driftsoverenskomst": "operating_agreement",
}
PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>")


@dataclass(frozen=True)
class Page:
    url: str
    # The page is of a row outside the user's scope: it must not answer 200.
    outside: bool = False
    # The admin's export: its form is posted with every column, as XLSX.
    export: bool = False


def one_in_and_one_out(world: World, kind: str, user: User) -> list[tuple[object, bool]]:
    """A row of `kind` the user may see and one they may not (where there is one)."""
    chosen: dict[bool, object] = {}
    for row, rows in world.rows[kind]:
        outside = not rows(user).filter(pk=row.pk).exists()
        chosen.setdefault(outside, row)
    return [(row, outside) for outside, row in chosen.items()]


def fill(route: str, values: dict) -> str:
    return "/" + PARAMETER.sub(lambda match: str(values[match.group(1)]), route)


def site_pages(world: World, user: User) -> Iterator[Page]:
    """Every page of the site (not the admin) for `user`."""
    feed_token = CalendarFeed.for_user(user).token
    for route, namespace, view in walk(get_resolver().url_patterns):
        if namespace == "admin" or route.startswith(WITHOUT_ROWS):
            continue
        names = PARAMETER.findall(route)
        if not names:
            yield Page("/" + route)
        elif names == ["token"]:
            yield Page(fill(route, {"token": feed_token}))
        else:
            pages = list(pages_of_rows(world, user, route, names))
            # A page closed to the user's role is closed whatever the row: one will do.
            decision = getattr(view, "access_decision", None)
            yield from pages[:1] if callable(decision) and not decision(user) else pages


def pages_of_rows(world: World, user: User, route: str, names: list[str]) -> Iterator[Page]:
    kind = next((kind for start, kind in ROWS_NAMED if route.startswith(start)), None)
    assert kind is not None, f"The canary walk does not know which rows {route} shows"
    if kind == "document_owner":
        for word, owner in DOCUMENT_OWNERS.items():
            for row, outside in one_in_and_one_out(world, owner, user):
                yield Page(fill(route, {"kind": word, "pk": row.pk}), outside)
        return
    for row, outside in one_in_and_one_out(world, kind, user):
        values = {"pk": row.pk, "offer_pk": row.pk, "year": ROUND_YEAR}
        values |= {"direction": "op", "action": "send", "answer_pk": row.pk}
        if "code" in names:
            values["code"] = row.lines.get().municipality.code
        yield Page(fill(route, values), outside)


def admin_pages(world: World, user: User) -> Iterator[Page]:
    """The admin's change lists, add forms, change forms of a row inside and
    one outside the scope, exports, and its autocomplete for every field that has one."""
    models: dict[type, str] = {}
    for kind, rows in world.rows.items():
        models.setdefault(type(rows[0][0]), kind)  # the first kind: the row's own scope
    for model, model_admin in admin.site._registry.items():
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        yield Page(reverse(f"{info}_changelist"))
        yield Page(reverse(f"{info}_add"))
        if hasattr(model_admin, "has_export_permission"):
            yield Page(reverse(f"{info}_export"), export=True)
        if model in models:
            for row, outside in one_in_and_one_out(world, models[model], user):
                yield Page(reverse(f"{info}_change", args=[row.pk]), outside)
        for source, field_name in autocompleted(model, model_admin):
            query = f"app_label={source._meta.app_label}&model_name={source._meta.model_name}"
            yield Page(f"{reverse('admin:autocomplete')}?{query}&field_name={field_name}")


def autocompleted(model, model_admin) -> Iterator[tuple[type, str]]:
    """(model, field name) of each autocomplete box: the forms' and the list filters'."""
    from agreements.admin_filters import AutocompleteFilter

    for inline in [model_admin, *model_admin.inlines]:
        source = model if inline is model_admin else inline.model
        for field_name in inline.autocomplete_fields:
            yield source, field_name
    for entry in model_admin.list_filter:
        if isinstance(entry, tuple) and entry[1] is AutocompleteFilter:
            *path, last = entry[0].split("__")
            source = model
            for step in path:
                source = source._meta.get_field(step).related_model
            yield source, last


# What a response shows --------------------------------------------------------------------


def shown(response: HttpResponse) -> str:
    """The text a response shows: HTML and JSON as sent, CSV, the calendar
    with its folded lines joined, the cells of a spreadsheet, a PDF's text."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    content_type = response.get("Content-Type", "")
    if "spreadsheetml" in content_type:
        workbook = load_workbook(io.BytesIO(content), read_only=True)
        return "\n".join(
            str(cell)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
            for cell in row
            if cell is not None
        )
    if "pdf" in content_type and content.rstrip().endswith(b"%%EOF") and b"startxref" in content:
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    text = content.decode(errors="replace")
    if "calendar" in content_type:
        text = text.replace("\r\n ", "").replace("\r\n\t", "")
    return html.unescape(text)


def downloads(url: str, body: str) -> list[str]:
    """A list's CSV and XLSX, and the reports' spreadsheet links."""
    found = []
    if 'class="list-total"' in body:
        found += [f"{url}?download=csv", f"{url}?download=xlsx"]
    for link in re.findall(r'href="(\?[^"]*format=xlsx[^"]*)"', body):
        found.append(url + html.unescape(link))
    return found


def walk_as(client, world: World, user: User) -> list[str]:
    """Every page for `user`; what each shows that it must not."""
    forbidden = [canary.text for canary in world.canaries if not canary.seen_by(user)]
    pages = list(site_pages(world, user))
    if user.scope.secretariat:
        pages += list(admin_pages(world, user))
    client.force_login(user)
    problems = []
    while pages:
        page = pages.pop(0)
        response = exported(client, page.url) if page.export else client.get(page.url)
        if response.status_code != 200:
            continue
        if page.outside:
            problems.append(f"{page.url} answers 200 for a row outside the scope")
        body = shown(response)
        if leaked := [text for text in forbidden if text in body]:
            problems.append(f"{page.url} shows {', '.join(leaked)}")
        if missing := missing_footer_links(response, body):
            problems.append(f"{page.url} has no footer link to {', '.join(missing)}")
        if response.get("Content-Type", "").startswith("text/html") and "?" not in page.url:
            pages += [Page(url, page.outside) for url in downloads(page.url, body)]
    return problems


# Every page links the accessibility statement and the privacy notice (notices/).
FOOTER_LINKS = {
    "the accessibility statement": ">Tilgængelighedserklæring</a>",
    "the privacy notice": 'href="/privatliv/">',
}


def missing_footer_links(response: HttpResponse, body: str) -> list[str]:
    """What a whole HTML page lacks of the footer's links (none for files and fragments)."""
    if not response.get("Content-Type", "").startswith("text/html") or "</html>" not in body:
        return []
    footer = body[body.rfind("<footer") if "<footer" in body else body.rfind('id="footer"') :]
    return [name for name, link in FOOTER_LINKS.items() if link not in footer]


def exported(client, url: str) -> HttpResponse:
    form = client.get(url).context["form"]
    data = {"format": "0", "resource": "0"}  # XLSX, the admin's one resource
    data |= {name: "on" for name, field in form.fields.items() if isinstance(field, BooleanField)}
    return client.post(url, data)


@pytest.fixture
def world(db) -> World:
    return build_world()


PERSONAS = [
    "secretariat-MJ",
    "secretariat-KBH",
    "secretariat-SJ",
    "municipality-Aarhus",
    "municipality-Kobenhavn",
    "leader-MJ",
    "leader-KBH",
    "member-DASSOS",
    "member-K17",
]


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_page_shows_a_canary_outside_the_users_scope(client, world, persona):
    problems = walk_as(client, world, world.users[persona])
    assert not problems, f"{persona} sees what is not theirs:\n  " + "\n  ".join(problems)


# The scopes the walk trusts ---------------------------------------------------------------

# DESIGN.md "Who may see and do what", by canary: some a user must see, some not.
SEEN_AND_NOT = {
    "municipality-Aarhus": (
        {
            "Kanarie-MJ-Borger",
            "Kanarie-MJ-Justering",
            "Kanarie-KBH-Tilbud",
            "Kanarie-SJ-Godkendelse",
        },
        {"Kanarie-KBH-Borger", "Kanarie-KBH-Justering", "Kanarie-MJ-Punkt0", "Kanarie-MJ-Bilag0"},
    ),
    "municipality-Kobenhavn": (
        {"Kanarie-KBH-Borger", "Kanarie-KBH-SK", "Kanarie-MJ-Tilbud"},
        {"Kanarie-MJ-Borger", "Kanarie-MJ-SK", "Kanarie-MJ-Fordeling", "Kanarie-KBH-Punkt0"},
    ),
    "leader-MJ": (
        {"Kanarie-MJ-Tilbud", "Kanarie-MJ-Borger", "Kanarie-MJ-Almen", "Kanarie-MJ-Rammeaftale"},
        {
            "Kanarie-KBH-Tilbud",
            "Kanarie-KBH-Borger",
            "Kanarie-KBH-Rammeaftale",
            "Kanarie-MJ-Punkt0",
        },
    ),
    "leader-KBH": (
        {"Kanarie-KBH-Leverandoer", "Kanarie-KBH-IK"},
        {"Kanarie-MJ-Leverandoer", "Kanarie-SJ-IK", "Kanarie-SJ-Aarshjul"},
    ),
    "member-DASSOS": (
        {"Kanarie-MJ-Punkt0", "Kanarie-MJ-Bilag0", "Kanarie-MJ-Justering", "Kanarie-SJ-Tilbud"},
        {"Kanarie-MJ-Punkt1", "Kanarie-SJ-Punkt0", "Kanarie-MJ-Borger", "Kanarie-SJ-Justering"},
    ),
    "member-K17": (
        {"Kanarie-SJ-Punkt0", "Kanarie-SJ-Bilag0", "Kanarie-SJ-Justering"},
        {"Kanarie-MJ-Punkt0", "Kanarie-KBH-Bilag0", "Kanarie-MJ-Justering", "Kanarie-SJ-Borger"},
    ),
}


def test_the_scopes_keep_each_canary_from_the_others(world):
    for setting in SETTINGS:
        secretary = world.users[f"secretariat-{setting.key}"]
        seen = {canary.text for canary in world.canaries if canary.seen_by(secretary)}
        own = {canary.text for canary in world.canaries if canary.secretariat == setting.key}
        assert seen == own, setting.key
    texts = {canary.text for canary in world.canaries}
    for persona, (seen, not_seen) in SEEN_AND_NOT.items():
        assert seen | not_seen <= texts, persona
        user = world.users[persona]
        sees = {canary.text for canary in world.canaries if canary.seen_by(user)}
        assert seen <= sees, persona
        assert not (not_seen & sees), persona


# The walk finds a leak --------------------------------------------------------------------


def _every_citizen(request):
    names = IndividualContract.objects.values_list("citizen_name", flat=True)
    return HttpResponse("".join(f"<p>{name}</p>" for name in names))


def _every_offer_as_xlsx(request):
    dataset = tablib.Dataset(*Offer.objects.values_list("name"), headers=["Tilbud"])
    return HttpResponse(write_xlsx(dataset), content_type=DOWNLOAD_FORMATS["xlsx"])


def _every_deadline_as_ics(request):
    calendar = Calendar()
    for deadline in CycleDeadline.objects.all():
        event = Event()
        event.add("summary", "Årshjul: en lang linje, der foldes midt i navnet " + deadline.title)
        calendar.add_component(event)
    return HttpResponse(calendar.to_ical(), content_type="text/calendar")


def _any_offers_capacity(request, pk: int):
    return HttpResponse("Kapacitet")


def _a_page_without_footer(request):
    return HttpResponse("<!DOCTYPE html><html><body><main>Hej</main></body></html>")


urlpatterns = [
    path("borgere/", _every_citizen),
    path("tilbud.xlsx", _every_offer_as_xlsx),
    path("frister.ics", _every_deadline_as_ics),
    path("ydelser/<int:pk>/kapacitet/", _any_offers_capacity),
    path("uden-fod/", _a_page_without_footer),
]


@override_settings(ROOT_URLCONF=__name__)
def test_the_walk_finds_names_in_pages_spreadsheets_and_feeds_pages_it_should_not_open_and_no_footer(
    client, world
):
    leader = world.users["leader-MJ"]
    other_offer = next(row for row, out in one_in_and_one_out(world, "offer", leader) if out)

    problems = walk_as(client, world, leader)

    assert problems == [
        "/borgere/ shows Kanarie-KBH-Borger, Kanarie-SJ-Borger",
        "/tilbud.xlsx shows Kanarie-KBH-Tilbud, Kanarie-SJ-Tilbud",
        "/frister.ics shows Kanarie-KBH-Aarshjul, Kanarie-SJ-Aarshjul",
        f"/ydelser/{other_offer.pk}/kapacitet/ answers 200 for a row outside the scope",
        "/uden-fod/ has no footer link to the accessibility statement, the privacy notice",
    ]
