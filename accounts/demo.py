"""Demo users for each role, linked to the demo register."""

from dataclasses import dataclass

from django.contrib.auth.models import Permission, User

from accounts.roles import ensure_secretariat_group
from agreements.demo import DEMO_PASSWORD
from agreements.models import BodyRepresentative, GoverningBody, Municipality, Secretariat
from providers.models import Provider
from tariffs.demo import TAKSTGRUPPE_USER


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    role: str


SECRETARIAT = DemoUser(
    "sekretariat", "Sara", "Sekretær", "Sekretariat for Rammeaftaler, Midtjylland (Viborg)"
)
COPENHAGEN_SECRETARIAT = DemoUser(
    "kbh-sekretariat", "Kasper", "Kbh", "Socialforvaltningen, Københavns Kommune"
)
LEADER = DemoUser("leder", "Lars", "Leder", "Daglig leder, Kofoeds Skole og Mændenes Hjem")
MUNICIPALITY = DemoUser("kommune", "Karen", "Kommune", "Medarbejder i Aarhus Kommune")
BODY_MEMBER = DemoUser("dassos", "Dorte", "Direktør", "DASSOS-medlem for Randers Kommune")
# Made by tariffs.demo with the Takstgruppe's seats; listed here to be printed.
TAKSTGRUPPE = DemoUser(
    *TAKSTGRUPPE_USER, "Viborg Kommunes medlem af Takstgruppen, Midtjylland (beregningsgrundlag)"
)
DEMO_USERS = [SECRETARIAT, COPENHAGEN_SECRETARIAT, LEADER, MUNICIPALITY, BODY_MEMBER, TAKSTGRUPPE]

# Which secretariat (reference data, fixtures/framework_agreements.json) each
# demo secretary works in.
SECRETARIAT_OF = {
    SECRETARIAT.username: "Sekretariat for Rammeaftaler, Midtjylland",
    COPENHAGEN_SECRETARIAT.username: "Socialforvaltningen, Københavns Kommune",
}


def _user(demo: DemoUser, *, staff: bool = False) -> tuple[User, bool]:
    user, created = User.objects.get_or_create(
        username=demo.username,
        defaults={
            "first_name": demo.first_name,
            "last_name": demo.last_name,
            "email": f"{demo.username}@rammeaftale.example",
            "is_staff": staff,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user, created


def _link(related, obj) -> None:
    """Add obj to a many-to-many relation unless it is there: adding it again
    would write a history row."""
    if not related.filter(pk=obj.pk).exists():
        related.add(obj)


def seed() -> dict[str, int]:
    created = 0
    for demo in (SECRETARIAT, COPENHAGEN_SECRETARIAT):
        secretariat, was_created = _user(demo, staff=True)
        created += was_created
        _link(secretariat.groups, ensure_secretariat_group())
        _link(Secretariat.objects.get(name=SECRETARIAT_OF[demo.username]).members, secretariat)
        # Import and export are personal permissions (DESIGN.md): the demo
        # secretaries hold them, so the register's import/export buttons show.
        for permission in Permission.objects.filter(
            content_type__app_label="register_io",
            codename__in=["import_register", "export_register"],
        ):
            _link(secretariat.user_permissions, permission)

    leader, was_created = _user(LEADER)
    created += was_created
    for provider in Provider.objects.filter(name__in=["Kofoeds Skole", "Mændenes Hjem"]):
        _link(provider.leaders, leader)

    staff, was_created = _user(MUNICIPALITY)
    created += was_created
    _link(Municipality.objects.get(code=751).staff, staff)

    member, was_created = _user(BODY_MEMBER)
    created += was_created
    randers = Municipality.objects.get(code=730)
    _link(randers.staff, member)
    # Randers' seat in DASSOS is held by the demo member, who answers on the site.
    seat = {"user": member, "name": member.get_full_name(), "email": member.email}
    dassos = GoverningBody.objects.get(kind=GoverningBody.Kind.DASSOS)
    if not BodyRepresentative.objects.filter(body=dassos, municipality=randers, **seat).exists():
        BodyRepresentative.objects.update_or_create(
            body=dassos, municipality=randers, defaults=seat
        )
    return {"users": created}
