"""A user's scope: the ids every `Model.objects.visible_to(user)` builds its
condition from (DESIGN.md "Who may see and do what").

The scope is worked out once per user object (one request) from what the user
is linked to — the secretariats they are a member of, the municipalities they
work for, the providers they lead, the governing-body seats they hold — and
carried on the user as `user.scope` (installed by `AccountsConfig.ready`), so
that the models' querysets filter on plain ids and no model module imports
this app.

A secretariat member acts as the secretariat only: a link to a municipality,
a provider or a seat never widens what they see or may edit (the register,
the admin, the workflows). Superusers see everything.

Each part is loaded the first time it is asked for, in one query, and kept.
This module imports nothing of the project's apps: it reads the user's own
reverse relations.
"""

from functools import cached_property

SECRETARIAT_GROUP = "Sekretariat"

EMPTY: frozenset[int] = frozenset()


class Scope:
    def __init__(self, user) -> None:
        self._user = user

    # Who the user is ----------------------------------------------------------------------

    @cached_property
    def active(self) -> bool:
        user = self._user
        return (
            user is not None
            and getattr(user, "is_authenticated", False)
            and getattr(user, "is_active", False)
        )

    @cached_property
    def everything(self) -> bool:
        """Superusers administer every secretariat's agreements."""
        return self.active and self._user.is_superuser

    @cached_property
    def _links(self) -> list[tuple]:
        """Every link of the user, in one query: the secretariat group, the
        providers led, the municipalities worked for and the body seats (with
        the seat's municipality, role, the body's kind and agreement)."""
        if not self.active:
            return []
        from django.db.models import BigIntegerField, CharField, F, Value
        from django.db.models.functions import Cast

        user = self._user
        # A typed NULL: PostgreSQL would take two untyped ones for text, and
        # refuse to match them with the seats' ids.
        no_id = Cast(Value(None), BigIntegerField())

        def rows(queryset, kind: str, **columns):
            blank = {
                "link_id": F("pk"),
                "link_municipality": no_id,
                "link_role": Value("", CharField()),
                "link_body_kind": Value("", CharField()),
                "link_agreement": no_id,
            }
            blank.update(columns)
            return (
                queryset.order_by()
                .annotate(link_kind=Value(kind, CharField()), **blank)
                .values_list("link_kind", *blank)
            )

        return list(
            rows(user.groups.filter(name=SECRETARIAT_GROUP), "group").union(
                rows(user.led_providers.all(), "provider"),
                rows(user.staffed_municipalities.all(), "municipality"),
                rows(
                    user.body_seats.all(),
                    "seat",
                    link_id=F("body_id"),
                    link_municipality=F("municipality_id"),
                    link_role=F("role"),
                    link_body_kind=F("body__kind"),
                    link_agreement=F("body__agreement_id"),
                ),
                all=True,
            )
        )

    def _linked(self, kind: str) -> list[tuple]:
        return [row[1:] for row in self._links if row[0] == kind]

    @cached_property
    def secretariat(self) -> bool:
        """Holds the secretariat's permissions (the group): what *kind* of
        thing the user may edit. Which rows: `agreement_ids`."""
        return self.everything or bool(self._linked("group"))

    @property
    def acts_as_secretariat_only(self) -> bool:
        """A secretariat member's other links give nothing more."""
        return self.secretariat and not self.everything

    # The secretariat's rows ---------------------------------------------------------------

    @cached_property
    def _administered(self) -> tuple[frozenset, frozenset, frozenset, frozenset]:
        if not self.secretariat or self.everything:
            return EMPTY, EMPTY, EMPTY, EMPTY
        # One row per secretariat, agreement and party (one row without parties).
        rows = list(
            self._user.secretariats.values_list(
                "pk",
                "agreements__pk",
                "agreements__municipality_id",
                "agreements__region_id",
                "agreements__parties",
            )
        )
        return (
            frozenset(s for s, _a, _m, _r, _p in rows),
            frozenset(a for _s, a, _m, _r, _p in rows if a),
            frozenset(m for _s, _a, m, _r, _p in rows if m)
            | frozenset(p for _s, _a, _m, _r, p in rows if p),
            frozenset(r for _s, _a, _m, r, _p in rows if r),
        )

    @property
    def secretariat_ids(self) -> frozenset[int]:
        """The secretariats the user is a member of."""
        return self._administered[0]

    @property
    def agreement_ids(self) -> frozenset[int]:
        """The framework agreements the user's secretariats administer."""
        return self._administered[1]

    @property
    def party_municipality_ids(self) -> frozenset[int]:
        """The municipalities party to those agreements (or whose own agreement it is)."""
        return self._administered[2]

    @property
    def region_ids(self) -> frozenset[int]:
        """The regions of the regional agreements among them."""
        return self._administered[3]

    # The other roles' rows ----------------------------------------------------------------

    def _other_role(self, kind: str) -> list[tuple]:
        """The user's links of `kind`; none for a secretariat member."""
        if not self.active or self.secretariat:
            return []
        return self._linked(kind)

    @cached_property
    def municipality_ids(self) -> frozenset[int]:
        """The municipalities the user works for as staff."""
        return frozenset(row[0] for row in self._other_role("municipality"))

    @cached_property
    def provider_ids(self) -> frozenset[int]:
        """The providers the user leads."""
        return frozenset(row[0] for row in self._other_role("provider"))

    @cached_property
    def _seats(self) -> list[tuple]:
        return self._other_role("seat")

    @property
    def body_ids(self) -> frozenset[int]:
        """The governing bodies in which the user holds a seat."""
        return frozenset(body for body, *_rest in self._seats)

    @property
    def seat_municipality_ids(self) -> frozenset[int]:
        """The municipalities the user answers for in a governing body."""
        return frozenset(m for _b, m, *_rest in self._seats if m)

    @property
    def chaired_body_ids(self) -> frozenset[int]:
        return frozenset(body for body, _m, role, *_rest in self._seats if role == "chair")

    @property
    def tariff_group_agreement_ids(self) -> frozenset[int]:
        """The framework agreements whose Takstgruppe the user has a seat in."""
        return frozenset(
            agreement
            for _b, _m, _r, kind, agreement in self._seats
            if kind == "takstgruppe" and agreement
        )

    # Roles --------------------------------------------------------------------------------

    @property
    def municipality_staff(self) -> bool:
        return bool(self.municipality_ids)

    @property
    def provider_leader(self) -> bool:
        return bool(self.provider_ids)

    @property
    def body_member(self) -> bool:
        return bool(self._seats)

    @property
    def reads_whole_register(self) -> bool:
        """DESIGN.md: municipality staff and body members read the register,
        providers, offers, operating agreements and tariffs; a secretariat
        reads what its agreements cover, a provider leader only what concerns
        their own providers. Superusers read everything."""
        return self.everything or self.municipality_staff or self.body_member


def scope_of(user) -> Scope:
    """The user's scope, made once per user object."""
    scope = getattr(user, "_scope", None)
    if scope is None:
        scope = Scope(user)
        if user is not None:
            user._scope = scope
    return scope


def install() -> None:
    """`user.scope` on every user object, the anonymous one included."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import AnonymousUser

    for cls in (get_user_model(), AnonymousUser):
        cls.scope = property(scope_of)
