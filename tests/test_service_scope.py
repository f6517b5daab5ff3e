"""Every service checks its actor: the object it acts on must be in the acting
user's scope, read through the queryset the pages use (`visible_to(user)`,
`administered_by(user)`, `material_visible_to(user)`), or it refuses with the
app's domain error and writes nothing.

The walk below finds every public function of every `<app>/services.py` (and
of the other workflow modules) that takes an acting user. Each must have a
case in CASES — how to call it as a user outside its scope on an object
outside that scope, usually København's secretariat on Midtjylland's — or
be in EXEMPT with the reason. A new service that is in neither fails
`test_every_service_with_an_actor_has_a_scope_case_or_an_exemption`.
"""

import datetime
import importlib
import inspect
import types
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts import services as account_services
from accounts.assurance import SessionAuthentication
from agreements import services as agreement_services
from agreements.models import (
    AgreementError,
    BodyRepresentative,
    CycleDeadline,
    FrameworkAgreement,
    GoverningBody,
    Meeting,
    Municipality,
)
from capacity import services as capacity_services
from capacity.models import CapacityError, Hearing
from contracts import services as contract_services
from contracts.models import ContractError, Signature
from hearings import services as hearing_services
from hearings.models import Council, HearingRefused
from meetings import services as meeting_services
from meetings.models import AgendaItem, Document, MeetingError
from register_io.registers import register_export, register_import
from register_io.services import write_csv
from tariffs import importing as tariff_importing
from tariffs import services as tariff_services
from tariffs.models import TariffError
from tests.conftest import (
    make_adjustment,
    make_capacity_offer,
    make_individual_contract,
    make_intervention_type,
    make_provider,
    make_secretary,
    make_signed_standard_contract,
    make_standard_contract,
    make_user,
    paper_scan,
)
from tests.hearings.helpers import approve_everywhere, concluded_hearing, open_hearing
from tests.tariffs.helpers import RESIDENTIAL, make_basis, make_round

# The names a service gives its acting user's parameter (services use `user`,
# the user administration's helpers `actor`).
ACTOR_NAMES = {"user", "actor", "by", "acting_user"}

# Workflow functions outside a services.py.
WORKFLOW_MODULES = ["tariffs.importing", "register_io.registers"]

TODAY = datetime.date.today()


# The walk -----------------------------------------------------------------------------


def service_modules() -> list[types.ModuleType]:
    """Each project app's services.py, and the other workflow modules."""
    base = Path(settings.BASE_DIR)
    names = [
        f"{app.name}.services"
        for app in apps.get_app_configs()
        if Path(app.path) == base / app.name.replace(".", "/")
        and (Path(app.path) / "services.py").exists()
    ]
    return [importlib.import_module(name) for name in sorted(names) + WORKFLOW_MODULES]


def actor_functions(module: types.ModuleType) -> list[str]:
    """The public functions defined in `module` that take an acting user."""
    return sorted(
        f"{module.__name__}.{name}"
        for name, function in inspect.getmembers(module, inspect.isfunction)
        if function.__module__ == module.__name__
        and not name.startswith("_")
        and ACTOR_NAMES & set(inspect.signature(function).parameters)
    )


def unaccounted(functions: list[str]) -> list[str]:
    return [name for name in functions if name not in CASES and name not in EXEMPT]


# The world the cases act in -------------------------------------------------------------


class World:
    """Midtjylland's secretariat (`sara`) and København's (`kirsten`), and
    Midtjylland's things, made when a case asks for them."""

    def __init__(self) -> None:
        self.sara = make_secretary("sara")
        self.kirsten = make_secretary(
            "kirsten", "Socialforvaltningen, Københavns Kommune", email="kirsten@kk.dk"
        )
        self.aarhus = Municipality.objects.get(code=751)
        self.randers = Municipality.objects.get(code=730)
        self.copenhagen = Municipality.objects.get(code=101)
        self.dassos = GoverningBody.objects.get(kind=GoverningBody.Kind.DASSOS)

    def municipality_staff(self, municipality: Municipality, username: str):
        user = make_user(username)
        municipality.staff.add(user)
        return user

    def copenhagen_staff(self):
        """A user København's secretariat administers, and Midtjylland's does not."""
        return self.municipality_staff(self.copenhagen, "klaus")

    def adjustment(self):
        """Midtjylland's: an offer operated by Aarhus, with Randers to consult."""
        return make_adjustment(user=self.sara, consulted=(self.randers,), recorded=False)

    def hearing(self):
        adjustment = self.adjustment()
        return Hearing.objects.create(
            adjustment=adjustment,
            body=self.dassos,
            opened_on=TODAY,
            deadline=TODAY + datetime.timedelta(days=14),
            opened_by=self.sara,
        )

    def meeting(self, days: int = 10) -> Meeting:
        return Meeting.objects.create(
            body=self.dassos, date=TODAY + datetime.timedelta(days=days), location="Viborg"
        )

    def item(self) -> AgendaItem:
        return AgendaItem.objects.create(
            meeting=self.meeting(), position=1, kind=AgendaItem.Kind.ORIENTATION, title="Status"
        )

    def contract(self, status: str = "draft", **fields):
        """A standard contract of Aarhus with an offer operated by Aarhus."""
        return make_standard_contract(status=status, **fields)

    def with_full_cpr(self, user):
        user.user_permissions.add(Permission.objects.get(codename="view_full_cpr"))
        return type(user).objects.get(pk=user.pk)

    def offer(self, **fields):
        return make_capacity_offer(**fields)

    def basis(self, **fields):
        make_round(self.sara)
        return make_basis(make_capacity_offer(), **fields)


@dataclass
class Case:
    """How a service is called outside its actor's scope: `call` must raise
    `refusal` with a message matching `match` — or, for a service that reports
    instead of raising, return what `refused` accepts — and `watched` (the
    object acted on) must be as it was."""

    call: Callable[[], object]
    refusal: type[Exception] | None
    match: str
    watched: list = field(default_factory=list)
    refused: Callable[[object], bool] | None = None


NOT_SECRETARIATS_ADJUSTMENT = "Justeringen er ikke omfattet af jeres sekretariats rammeaftaler"
NOT_YOUR_CONTRACT = "Du har ikke adgang til denne kontrakt"
NOT_YOUR_MEETING = "Du har ikke adgang til dette møde"
NOT_YOUR_USER = "Du administrerer ikke denne bruger"
NOT_YOUR_OFFER = "Tilbuddet er ikke omfattet af jeres sekretariats rammeaftaler"
NOT_YOUR_AGREEMENT = "Jeres sekretariat administrerer ikke denne rammeaftale"


def agreement_hearing_case(perform: Callable, *, concluded: bool = False):
    """København's secretariat on a hearing of Midtjylland's agreement."""

    def case(w: World) -> Case:
        agreement = w.dassos.agreement
        hearing = (concluded_hearing if concluded else open_hearing)(w.sara, agreement)
        if concluded:
            approve_everywhere(agreement)
        return Case(lambda: perform(w, hearing), HearingRefused, NOT_YOUR_AGREEMENT, [hearing])

    return case


def contract_case(status: str, perform: Callable, **fields) -> Callable[[World], Case]:
    def case(w: World) -> Case:
        contract = w.contract(status, **fields)
        return Case(
            lambda: perform(contract=contract, user=w.kirsten),
            ContractError,
            NOT_YOUR_CONTRACT,
            [contract],
        )

    return case


def adjustment_case(perform: Callable) -> Callable[[World], Case]:
    def case(w: World) -> Case:
        adjustment = w.adjustment()
        return Case(
            lambda: perform(user=w.kirsten, adjustment=adjustment),
            CapacityError,
            NOT_SECRETARIATS_ADJUSTMENT,
            [adjustment],
        )

    return case


def item_case(perform: Callable, **arguments) -> Callable[[World], Case]:
    def case(w: World) -> Case:
        item = w.item()
        return Case(
            lambda: perform(user=w.kirsten, item=item, **arguments),
            MeetingError,
            NOT_YOUR_MEETING,
            [item, item.meeting],
        )

    return case


def meeting_case(perform: Callable, **arguments) -> Callable[[World], Case]:
    def case(w: World) -> Case:
        item = w.item()
        return Case(
            lambda: perform(user=w.kirsten, meeting=item.meeting, **arguments),
            MeetingError,
            NOT_YOUR_MEETING,
            [item.meeting],
        )

    return case


def user_case(perform: Callable, links: Callable = lambda w: {}) -> Callable[[World], Case]:
    """Midtjylland's secretariat on a user of København's; `links(w)` the
    links to add or remove."""

    def case(w: World) -> Case:
        target = w.copenhagen_staff()
        return Case(
            lambda: perform(user=w.sara, target=target, **links(w)),
            account_services.AccountError,
            NOT_YOUR_USER,
            [target],
        )

    return case


def _providers_file(provider) -> bytes:
    """The register's providers file with København's secretariat's name for
    one of Midtjylland's providers (found by its CVR number)."""
    exported = register_export(
        kind="providers", file_format="csv", queryset=type(provider).objects.filter(pk=provider.pk)
    )
    return exported.replace(provider.name.encode(), "Omdøbt af et andet sekretariat".encode())


def _bases_file(offer) -> bytes:
    """The operators' template with a row for the offer."""
    return write_csv(tariff_importing.template([(offer, 2026)]))


CASES: dict[str, Callable[[World], Case]] = {
    # The annual cycle: København's secretariat marks no Midtjylland deadline done.
    "agreements.services.cycle_deadline_done": lambda w: (
        deadline := CycleDeadline.objects.create(
            agreement=FrameworkAgreement.objects.get(region__code=1082, status="in_force"),
            title="Takstindberetning",
            kind="other",
            due_on=TODAY,
        ),
        Case(
            lambda: agreement_services.cycle_deadline_done(user=w.kirsten, deadline=deadline),
            AgreementError,
            "Kun aftalens sekretariat",
            [deadline],
        ),
    )[-1],
    # The user administration: København's users are not Midtjylland's.
    "accounts.services.user_link": user_case(
        account_services.user_link, lambda w: {"municipality": w.aarhus}
    ),
    "accounts.services.user_unlink": user_case(
        account_services.user_unlink, lambda w: {"municipality": w.copenhagen}
    ),
    "accounts.services.user_reinvite": user_case(account_services.user_reinvite),
    "accounts.services.user_deactivate": user_case(account_services.user_deactivate),
    "accounts.services.user_reactivate": user_case(account_services.user_reactivate),
    "accounts.services.user_invite": lambda w: (
        provider := make_provider(operating_municipality=w.copenhagen),
        Case(
            lambda: account_services.user_invite(
                user=w.sara,
                email="ny@kk.dk",
                first_name="Ny",
                last_name="Bruger",
                provider=provider,
            ),
            account_services.AccountError,
            "Udbyderen er ikke omfattet af jeres sekretariats rammeaftaler",
        ),
    )[-1],
    "accounts.services.users_deactivate_inactive": lambda w: (
        target := w.copenhagen_staff(),
        Case(
            lambda: account_services.users_deactivate_inactive(user=w.sara, pks=[target.pk]),
            account_services.AccountError,
            "Vælg mindst én bruger",
            [target],
        ),
    )[-1],
    # Capacity: København's secretariat on Midtjylland's adjustments.
    "capacity.services.adjustment_request": lambda w: (
        offer := w.offer(),
        Case(
            lambda: capacity_services.adjustment_request(
                user=w.kirsten,
                offer=offer,
                kind="increase",
                places=5,
                effective_on=TODAY,
                reason="Behov",
            ),
            CapacityError,
            "Kun driftskommunen kan anmode om at justere dette tilbud",
            [offer],
        ),
    )[-1],
    "capacity.services.adjustment_add_affected_municipality": lambda w: (
        adjustment := w.adjustment(),
        Case(
            lambda: capacity_services.adjustment_add_affected_municipality(
                user=w.kirsten, adjustment=adjustment, municipality=w.copenhagen
            ),
            CapacityError,
            NOT_SECRETARIATS_ADJUSTMENT,
            [adjustment],
        ),
    )[-1],
    "capacity.services.consultation_record": lambda w: (
        adjustment := w.adjustment(),
        Case(
            lambda: capacity_services.consultation_record(
                user=w.kirsten,
                adjustment=adjustment,
                municipality=w.randers,
                contacted_on=TODAY,
                method="email",
            ),
            CapacityError,
            NOT_SECRETARIATS_ADJUSTMENT,
            [adjustment, *adjustment.consultations.all()],
        ),
    )[-1],
    # Aarhus' staff do not answer for Randers.
    "capacity.services.consultation_answer": lambda w: (
        adjustment := w.adjustment(),
        staff := w.municipality_staff(w.aarhus, "anders"),
        Case(
            lambda: capacity_services.consultation_answer(
                user=staff,
                adjustment=adjustment,
                municipality=w.randers,
                answer="agrees",
            ),
            CapacityError,
            "Du kan kun svare for din egen kommune",
            [adjustment, *adjustment.consultations.all()],
        ),
    )[-1],
    "capacity.services.adjustment_route_to_meeting": lambda w: (
        adjustment := w.adjustment(),
        meeting := w.meeting(),
        Case(
            lambda: capacity_services.adjustment_route_to_meeting(
                user=w.kirsten, adjustment=adjustment, meeting=meeting
            ),
            CapacityError,
            NOT_SECRETARIATS_ADJUSTMENT,
            [adjustment],
        ),
    )[-1],
    "capacity.services.hearing_open": lambda w: (
        adjustment := w.adjustment(),
        Case(
            lambda: capacity_services.hearing_open(
                user=w.kirsten, adjustment=adjustment, body=w.dassos
            ),
            CapacityError,
            NOT_SECRETARIATS_ADJUSTMENT,
            [adjustment],
        ),
    )[-1],
    # A member of København's direktion has no seat in Midtjylland's DASSOS.
    "capacity.services.hearing_answer": lambda w: (
        hearing := w.hearing(),
        member := make_user("dirk"),
        BodyRepresentative.objects.create(
            body=GoverningBody.objects.get(kind=GoverningBody.Kind.DIRECTORATE),
            municipality=w.copenhagen,
            user=member,
        ),
        Case(
            lambda: capacity_services.hearing_answer(
                user=member, hearing=hearing, municipality=w.randers, answer="support"
            ),
            CapacityError,
            "Du kan kun svare for det medlem, du repræsenterer",
            [hearing],
        ),
    )[-1],
    "capacity.services.hearing_record_answer": lambda w: (
        hearing := w.hearing(),
        Case(
            lambda: capacity_services.hearing_record_answer(
                user=w.kirsten,
                hearing=hearing,
                municipality=w.randers,
                answer="support",
                channel="email",
                respondent="Dorte",
                received_on=TODAY,
            ),
            CapacityError,
            NOT_SECRETARIATS_ADJUSTMENT,
            [hearing],
        ),
    )[-1],
    "capacity.services.hearing_conclude": lambda w: (
        hearing := w.hearing(),
        Case(
            lambda: capacity_services.hearing_conclude(user=w.kirsten, hearing=hearing),
            CapacityError,
            NOT_SECRETARIATS_ADJUSTMENT,
            [hearing, hearing.adjustment],
        ),
    )[-1],
    "capacity.services.adjustment_record_meeting_decision": adjustment_case(
        lambda **kw: capacity_services.adjustment_record_meeting_decision(
            approved=True, grounds="Godkendt", **kw
        )
    ),
    "capacity.services.adjustment_carry_out": adjustment_case(
        capacity_services.adjustment_carry_out
    ),
    "capacity.services.adjustment_withdraw": adjustment_case(capacity_services.adjustment_withdraw),
    # Contracts: København's secretariat on Midtjylland's contracts.
    "contracts.services.general_part_create": lambda w: Case(
        lambda: contract_services.general_part_create(
            user=w.kirsten, authority=w.aarhus, ethics="Respekt"
        ),
        ContractError,
        "Kommunen er ikke part i jeres sekretariats rammeaftaler",
    ),
    "contracts.services.standard_contract_create": lambda w: (
        offer := w.offer(),
        intervention_type := make_intervention_type(),
        Case(
            lambda: contract_services.standard_contract_create(
                user=w.kirsten,
                authority=w.aarhus,
                provider=offer.provider,
                offer=offer,
                intervention_type=intervention_type,
            ),
            ContractError,
            NOT_YOUR_OFFER,
            [offer],
        ),
    )[-1],
    "contracts.services.individual_contract_create": lambda w: (
        standard := make_signed_standard_contract(),
        Case(
            lambda: contract_services.individual_contract_create(
                user=w.kirsten, standard_contract=standard, citizen_name="Barn"
            ),
            ContractError,
            NOT_YOUR_CONTRACT,
            [standard],
        ),
    )[-1],
    "contracts.services.contract_update": contract_case(
        "draft", lambda **kw: contract_services.contract_update(purpose="Ændret", **kw)
    ),
    "contracts.services.contract_submit": contract_case("draft", contract_services.contract_submit),
    "contracts.services.contract_return_to_draft": contract_case(
        "awaiting_signature", contract_services.contract_return_to_draft
    ),
    "contracts.services.contract_record_paper_signature": contract_case(
        "awaiting_signature",
        lambda **kw: contract_services.contract_record_paper_signature(
            party=Signature.Party.AUTHORITY,
            signer_name="Birte",
            signer_title="Socialchef",
            signed_on=TODAY,
            scan=paper_scan(),
            **kw,
        ),
    ),
    "contracts.services.contract_sign_digitally": contract_case(
        "awaiting_signature",
        lambda **kw: contract_services.contract_sign_digitally(
            party=Signature.Party.AUTHORITY,
            signer_title="Socialchef",
            authentication=SessionAuthentication(single_sign_on=True, loa="High"),
            **kw,
        ),
    ),
    "contracts.services.contract_sign": contract_case(
        "awaiting_signature", contract_services.contract_sign
    ),
    "contracts.services.contract_terminate": contract_case(
        "signed",
        lambda **kw: contract_services.contract_terminate(
            terminated_on=TODAY, reason="Opsagt", **kw
        ),
    ),
    "contracts.services.contract_expire": contract_case(
        "signed", contract_services.contract_expire, ends_on=datetime.date(2025, 12, 31)
    ),
    "contracts.services.contract_amend": contract_case("signed", contract_services.contract_amend),
    "contracts.services.cpr_access_record": lambda w: (
        contract := make_individual_contract(),
        reader := w.with_full_cpr(w.kirsten),
        Case(
            lambda: contract_services.cpr_access_record(
                user=reader,
                action="search",
                purpose="Opfølgning på sagen",
                cpr=contract.citizen_cpr,
                individual_contract=contract,
            ),
            ContractError,
            NOT_YOUR_CONTRACT,
            [contract],
        ),
    )[-1],
    "contracts.services.cpr_access_record_contract": lambda w: (
        contract := make_individual_contract(),
        reader := w.with_full_cpr(w.kirsten),
        Case(
            lambda: contract_services.cpr_access_record_contract(
                user=reader,
                action="view",
                purpose="Opfølgning på sagen",
                individual_contract=contract,
            ),
            ContractError,
            NOT_YOUR_CONTRACT,
            [contract],
        ),
    )[-1],
    # Meetings: København's secretariat on Midtjylland's DASSOS.
    "meetings.services.meeting_create": lambda w: Case(
        lambda: meeting_services.meeting_create(
            user=w.kirsten, body=w.dassos, date=TODAY, location="Viborg"
        ),
        MeetingError,
        "Organet hører ikke til jeres sekretariats rammeaftaler",
    ),
    "meetings.services.item_add": meeting_case(
        meeting_services.item_add, kind=AgendaItem.Kind.ORIENTATION, title="Nyt punkt"
    ),
    "meetings.services.item_update": item_case(meeting_services.item_update, title="Ændret"),
    "meetings.services.item_move": item_case(meeting_services.item_move, direction=1),
    "meetings.services.item_move_to_meeting": lambda w: (
        item := w.item(),
        later := w.meeting(days=20),
        Case(
            lambda: meeting_services.item_move_to_meeting(user=w.kirsten, item=item, meeting=later),
            MeetingError,
            NOT_YOUR_MEETING,
            [item],
        ),
    )[-1],
    "meetings.services.item_remove": item_case(meeting_services.item_remove),
    "meetings.services.item_decide": item_case(
        meeting_services.item_decide, outcome="noted", decision="Taget til efterretning"
    ),
    "meetings.services.agenda_send": meeting_case(meeting_services.agenda_send),
    "meetings.services.agenda_review_request": meeting_case(meeting_services.agenda_review_request),
    "meetings.services.agenda_comment": meeting_case(
        meeting_services.agenda_comment, text="Bemærkning"
    ),
    "meetings.services.item_close": item_case(meeting_services.item_close, reason="personal_data"),
    "meetings.services.item_exclude": item_case(
        meeting_services.item_exclude, seat=None, reason="Inhabil"
    ),
    "meetings.services.note_write": item_case(meeting_services.note_write, text="Min note"),
    "meetings.services.document_new_version": lambda w: (
        item := w.item(),
        document := Document.objects.create(
            agenda_item=item,
            title="Bilag",
            file="documents/00/bilag.pdf",
            filename="bilag.pdf",
            kind="pdf",
            size=1,
            sha256="0" * 64,
            uploaded_by=w.sara,
        ),
        Case(
            lambda: meeting_services.document_new_version(
                user=w.kirsten,
                document=document,
                uploaded=SimpleUploadedFile("bilag.pdf", b"%PDF-1.7\n%%EOF\n"),
            ),
            MeetingError,
            "Du har ikke adgang til det, dokumentet hører til",
            [document],
        ),
    )[-1],
    "meetings.services.minutes_update": meeting_case(
        meeting_services.minutes_update, present="Alle", apologies=""
    ),
    "meetings.services.minutes_approve": meeting_case(
        meeting_services.minutes_approve, how="next_meeting"
    ),
    "meetings.services.document_add": lambda w: (
        item := w.item(),
        Case(
            lambda: meeting_services.document_add(
                user=w.kirsten,
                uploaded=SimpleUploadedFile("bilag.pdf", b"%PDF-1.7\n%%EOF\n"),
                agenda_item=item,
            ),
            MeetingError,
            "Du har ikke adgang til det, dokumentet hører til",
            [item],
        ),
    )[-1],
    # The register import: København's secretariat cannot rename Midtjylland's provider.
    "register_io.registers.register_import": lambda w: (
        provider := make_provider(),
        Case(
            lambda: register_import(
                kind="providers",
                content=_providers_file(provider),
                file_name="udbydere.csv",
                user=w.kirsten,
            ),
            None,
            "",
            [provider],
            refused=lambda report: report.refused,
        ),
    )[-1],
    # Tariffs: København's secretariat on Midtjylland's agreement, offers and bases.
    "tariffs.services.round_open": lambda w: (
        agreement := w.dassos.agreement,
        Case(
            lambda: tariff_services.round_open(
                user=w.kirsten, agreement=agreement, year=2027, deadline=TODAY
            ),
            TariffError,
            "Jeres sekretariat administrerer ikke denne rammeaftale",
            [agreement],
        ),
    )[-1],
    "tariffs.services.basis_save": lambda w: (
        make_round(w.sara),
        offer := w.offer(),
        Case(
            lambda: tariff_services.basis_save(
                user=w.kirsten, offer=offer, year=2026, values=RESIDENTIAL
            ),
            TariffError,
            "Kun driftskommunen eller sekretariatet kan indtaste dette grundlag",
            [offer],
        ),
    )[-1],
    "tariffs.services.basis_submit": lambda w: (
        basis := w.basis(),
        Case(
            lambda: tariff_services.basis_submit(user=w.kirsten, basis=basis),
            TariffError,
            "Kun driftskommunen eller sekretariatet kan indsende dette grundlag",
            [basis],
        ),
    )[-1],
    "tariffs.services.basis_request_correction": lambda w: (
        basis := w.basis(status="submitted"),
        Case(
            lambda: tariff_services.basis_request_correction(
                user=w.kirsten, basis=basis, comment="Ret tallene"
            ),
            TariffError,
            "Kun Takstgruppen",
            [basis],
        ),
    )[-1],
    "tariffs.services.basis_approve": lambda w: (
        basis := w.basis(status="submitted"),
        Case(
            lambda: tariff_services.basis_approve(user=w.kirsten, basis=basis),
            TariffError,
            "Kun Takstgruppen",
            [basis],
        ),
    )[-1],
    "tariffs.services.closure_costs_divide": lambda w: (
        offer := w.offer(closed_on=datetime.date(2026, 1, 1)),
        Case(
            lambda: tariff_services.closure_costs_divide(
                user=w.kirsten, offer=offer, total=Decimal("1000.00")
            ),
            TariffError,
            NOT_YOUR_OFFER,
            [offer],
        ),
    )[-1],
    "tariffs.services.deficit_divide": lambda w: (
        offer := w.offer(opened_on=datetime.date(2025, 1, 1)),
        Case(
            lambda: tariff_services.deficit_divide(
                user=w.kirsten, offer=offer, year=2025, total=Decimal("1000.00")
            ),
            TariffError,
            NOT_YOUR_OFFER,
            [offer],
        ),
    )[-1],
    "hearings.services.hearing_create": lambda w: Case(
        lambda: hearing_services.hearing_create(
            user=w.kirsten,
            agreement=w.dassos.agreement,
            document="strategy",
            title="Udviklingsstrategi",
            deadline=TODAY,
        ),
        HearingRefused,
        NOT_YOUR_AGREEMENT,
        [w.dassos.agreement],
    ),
    "hearings.services.section_add": lambda w: (
        hearing := hearing_services.hearing_create(
            user=w.sara,
            agreement=w.dassos.agreement,
            document="strategy",
            title="U",
            deadline=TODAY,
        ),
        Case(
            lambda: hearing_services.section_add(
                user=w.kirsten, hearing=hearing, number=1, title="A", text="a"
            ),
            HearingRefused,
            NOT_YOUR_AGREEMENT,
            [hearing],
        ),
    )[-1],
    "hearings.services.hearing_open": lambda w: (
        hearing := hearing_services.hearing_create(
            user=w.sara,
            agreement=w.dassos.agreement,
            document="strategy",
            title="U",
            deadline=TODAY,
        ),
        hearing_services.section_add(user=w.sara, hearing=hearing, number=1, title="A", text="a"),
        Case(
            lambda: hearing_services.hearing_open(user=w.kirsten, hearing=hearing),
            HearingRefused,
            NOT_YOUR_AGREEMENT,
            [hearing],
        ),
    )[-1],
    "hearings.services.answer_give": agreement_hearing_case(
        lambda w, hearing: hearing_services.answer_give(
            user=w.kirsten,
            hearing=hearing,
            council=Council(municipality=w.aarhus),
            texts={1: "Svar"},
            received="email",
        )
    ),
    "hearings.services.answer_comment": lambda w: (
        hearing := open_hearing(w.sara, w.dassos.agreement),
        answer := hearing_services.answer_give(
            user=w.sara,
            hearing=hearing,
            council=Council(municipality=w.aarhus),
            texts={1: "Svar"},
            received="email",
        )[0],
        Case(
            lambda: hearing_services.answer_comment(user=w.kirsten, answer=answer, comment="X"),
            HearingRefused,
            NOT_YOUR_AGREEMENT,
            [answer],
        ),
    )[-1],
    "hearings.services.hearing_conclude": agreement_hearing_case(
        lambda w, hearing: hearing_services.hearing_conclude(user=w.kirsten, hearing=hearing)
    ),
    "hearings.services.document_gather": agreement_hearing_case(
        lambda w, hearing: hearing_services.document_gather(user=w.kirsten, hearing=hearing),
        concluded=True,
    ),
    # Randers' staff record no address for Aarhus.
    "hearings.services.publication_address_record": lambda w: (
        hearing := concluded_hearing(w.sara, w.dassos.agreement),
        approve_everywhere(w.dassos.agreement),
        hearing_services.document_gather(user=w.sara, hearing=hearing),
        staff := w.municipality_staff(w.randers, "rikke"),
        Case(
            lambda: hearing_services.publication_address_record(
                user=staff,
                agreement=w.dassos.agreement,
                municipality=w.aarhus,
                url="https://aarhus.dk",
            ),
            HearingRefused,
            "kun registrere adressen for den kommune, du arbejder for",
            [w.dassos.agreement],
        ),
    )[-1],
    # Randers' staff enter no basis for an offer Aarhus operates.
    "tariffs.importing.bases_import": lambda w: (
        make_round(w.sara),
        offer := w.offer(),
        staff := w.municipality_staff(w.randers, "rikke"),
        Case(
            lambda: tariff_importing.bases_import(
                user=staff,
                content=_bases_file(offer),
                file_name="grundlag.csv",
            ),
            TariffError,
            "Kun driftskommunen eller sekretariatet kan indtaste dette grundlag",
            [offer],
        ),
    )[-1],
}

# Functions whose acting user is not a question of scope.
EXEMPT: dict[str, str] = {
    "accounts.services.check_password": "checks a new password against the user's own account; "
    "writes nothing",
    "capacity.services.may_request_for": "a question (may the user ask?) that "
    "adjustment_request asks; writes nothing",
    "capacity.services.representative_seats": "reads the user's own seats in a hearing; "
    "writes nothing",
    "contracts.services.can_see_full_cpr": "a question about the user's own permission; "
    "writes nothing",
    "contracts.services.can_produce_access_report": "a question about the user's own role "
    "and permission; writes nothing",
    "contracts.services.organisation_of": "names the organisation a logged user acted for, "
    "in an access report; writes nothing",
    "contracts.services.cpr_access_report": "reads only through visible_to(user): another "
    "secretariat's contracts and log entries are left out of the report "
    "(tests/contracts/test_access_report.py); writes only the user's own log row",
    "contracts.services.contracts_awaiting_archiving_decision": "a count through "
    "visible_to(user) for the dashboard; writes nothing",
    "contracts.services.signatory_parties": "a question (which parties may the user sign "
    "for?) that contract_sign_digitally asks; writes nothing",
    "contracts.services.individual_contract_remove_cpr": "retention: the system deletes the CPR "
    "numbers of every contract past the period; the user only names who the history records",
    "contracts.services.cpr_retention_apply": "retention over every contract (the "
    "apply_retention command); the user only names who the history records",
    "contracts.services.contracts_expire_due": "the daily run over every signed contract past "
    "its end (the expire_contracts command and the worker); the user only names who the "
    "history records",
    "outbox.services.mail_retry": "takes the mail through OutgoingMail.objects.visible_to(user) "
    "itself; another secretariat's refusal is tested in tests/outbox/test_delivery.py",
    "meetings.services.may_comment": "a question that agenda_comment asks after its own "
    "scope check; it writes nothing",
    "meetings.services.may_approve_minutes": "a question that minutes_approve asks after "
    "checking the meeting; writes nothing",
}


# The tests ----------------------------------------------------------------------------


def test_every_service_with_an_actor_has_a_scope_case_or_an_exemption():
    found = [name for module in service_modules() for name in actor_functions(module)]
    assert unaccounted(found) == []
    # And the table names no function that is gone.
    assert sorted(set(CASES) | set(EXEMPT)) == sorted(found)


def test_the_walk_finds_a_new_service_that_takes_an_actor():
    module = types.ModuleType("rentals.services")
    exec(  # noqa: S102 - a module made up for the test
        "def bike_rent(*, user, bike): pass\n"
        "def bike_return(*, by, bike): pass\n"
        "def bike_count(bikes): pass\n"
        "def _bike_lock(*, user, bike): pass\n",
        module.__dict__,
    )
    assert unaccounted(actor_functions(module)) == [
        "rentals.services.bike_rent",
        "rentals.services.bike_return",
    ]


def test_the_walk_reads_every_services_module_of_the_project():
    names = [module.__name__ for module in service_modules()]
    assert names == [
        "accounts.services",
        "agreements.services",
        "capacity.services",
        "contracts.services",
        "hearings.services",
        "meetings.services",
        "outbox.services",
        "register_io.services",
        "tariffs.services",
        "tariffs.importing",
        "register_io.registers",
    ]


def _rows() -> dict[str, int]:
    """How many rows each of the project's tables holds, history tables included."""
    base = Path(settings.BASE_DIR)
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models()
        if model._meta.managed
        and Path(apps.get_app_config(model._meta.app_label).path).is_relative_to(base)
    }


def _state(case: Case) -> dict:
    media = Path(settings.MEDIA_ROOT)
    return {
        "rows": _rows(),
        "watched": [
            type(obj)._base_manager.filter(pk=obj.pk).values().first() for obj in case.watched
        ],
        "mails": len(mail.outbox),
        "files": sorted(str(path) for path in media.rglob("*")) if media.exists() else [],
    }


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_service_refuses_an_actor_outside_its_scope_and_writes_nothing(
    db, django_capture_on_commit_callbacks, name
):
    case = CASES[name](World())
    before = _state(case)
    with django_capture_on_commit_callbacks(execute=True):
        if case.refusal is None:
            assert case.refused(case.call())
        else:
            with pytest.raises(case.refusal, match=case.match):
                case.call()
    assert _state(case) == before
