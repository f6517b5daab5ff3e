"""Single sign-on: who an OIOSAML 3 assertion says a person is, and what role
that gives them here.

Municipal staff come through KOMBIT's Context Handler (Fælleskommunal
Adgangsstyring): the assertion names the municipality by its CVR number and
carries the person's privileges (OIO-BPP) for it. Providers come through
NemLog-in with MitID Erhverv: the CVR number is the provider's, and the
privileges likewise. Privileges become roles through one table in the
settings, SAML_PRIVILEGE_ROLES. A person whose CVR number or privileges give no
role is refused, and no user is created.

The person is found by the identity provider and the professional persistent
UUID (`SsoIdentity`); the CPR number an identity provider may send is never
read or stored.
"""

import base64
import binascii
import datetime
import logging
import uuid
from dataclasses import dataclass

from defusedxml import ElementTree
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from djangosaml2.backends import Saml2Backend
from stdnum.dk import cvr as stdnum_cvr

from accounts.models import SsoAssertion, SsoIdentity
from accounts.saml_settings import KOMBIT, NEMLOGIN, idp_kind
from domain.errors import Refusal

logger = logging.getLogger(__name__)

# OIOSAML 3.0 attribute names.
ATTR_CVR = "https://data.gov.dk/model/core/eid/professional/cvr"
ATTR_PERSISTENT_ID = "https://data.gov.dk/model/core/eid/professional/uuid/persistent"
ATTR_EMAIL = "https://data.gov.dk/model/core/eid/email"
ATTR_FIRST_NAME = "https://data.gov.dk/model/core/eid/firstName"
ATTR_LAST_NAME = "https://data.gov.dk/model/core/eid/lastName"
ATTR_LOA = "https://data.gov.dk/concept/core/nsis/loa"
# KOMBIT's name for the privileges, and NemLog-in's (OIOSAML 3).
ATTR_PRIVILEGES = (
    "dk:gov:saml:attribute:Privileges_intermediate",
    "https://data.gov.dk/model/core/eid/privilegesIntermediate",
)
CVR_SCOPE = "urn:dk:gov:saml:cvrNumberIdentifier:"

# The roles SAML_PRIVILEGE_ROLES may name, and which identity provider may give them.
MUNICIPALITY_STAFF = "municipality_staff"
BODY_MEMBER = "body_member"  # "body_member:<GoverningBody.Kind>", e.g. "body_member:dassos"
PROVIDER_LEADER = "provider_leader"
ROLES_BY_IDP = {KOMBIT: (MUNICIPALITY_STAFF, BODY_MEMBER), NEMLOGIN: (PROVIDER_LEADER,)}


# The identity provider of a single sign-on session; the session's other keys
# are in accounts.assurance.
SESSION_IDP = "saml_idp"


class SsoRefused(Refusal):
    """A login the assertion does not allow; the message says why, in Danish."""


def _local_name(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def parse_privileges(encoded: str) -> dict[str, set[str]]:
    """The privileges of a base64 OIO-BPP PrivilegeList, per CVR number of
    their scope. Groups scoped by anything else than a CVR number are ignored."""
    try:
        xml = base64.b64decode(encoded, validate=True)
        root = ElementTree.fromstring(xml)
    except (binascii.Error, ValueError, ElementTree.ParseError) as error:
        raise SsoRefused(_("The privileges in the login could not be read.")) from error
    if _local_name(root.tag) != "PrivilegeList":
        raise SsoRefused(_("The privileges in the login could not be read."))
    privileges: dict[str, set[str]] = {}
    for group in root:
        if _local_name(group.tag) != "PrivilegeGroup":
            continue
        scope = group.get("Scope", "")
        if not scope.startswith(CVR_SCOPE):
            continue
        cvr = scope.removeprefix(CVR_SCOPE)
        for element in group:
            if _local_name(element.tag) == "Privilege" and (element.text or "").strip():
                privileges.setdefault(cvr, set()).add(element.text.strip())
    return privileges


@dataclass(frozen=True)
class Assertion:
    """What a login tells us, read from the attributes."""

    issuer: str
    kind: str
    persistent_id: str
    cvr: str
    email: str
    first_name: str
    last_name: str
    loa: str | None
    roles: frozenset[str]


def _first(attributes: dict, name: str) -> str:
    values = attributes.get(name) or [""]
    return str(values[0]).strip()


def read_assertion(issuer: str, attributes: dict) -> Assertion:
    """The person, organisation and roles an assertion gives, or SsoRefused."""
    kind = idp_kind(issuer)
    if kind is None:
        raise SsoRefused(_("The login came from an identity provider this site does not know."))
    persistent_id = _first(attributes, ATTR_PERSISTENT_ID)
    if not persistent_id:
        raise SsoRefused(_("The login did not say who you are (no persistent id)."))
    cvr = _first(attributes, ATTR_CVR)
    if not stdnum_cvr.is_valid(cvr):
        raise SsoRefused(_("The login did not name an organisation by a valid CVR number."))
    granted: set[str] = set()
    for name in ATTR_PRIVILEGES:
        for encoded in attributes.get(name) or []:
            for privilege in parse_privileges(str(encoded)).get(cvr, set()):
                role = settings.SAML_PRIVILEGE_ROLES.get(privilege)
                if role and role.split(":", 1)[0] in ROLES_BY_IDP[kind]:
                    granted.add(role)
    return Assertion(
        issuer=issuer,
        kind=kind,
        persistent_id=persistent_id,
        cvr=cvr,
        email=_first(attributes, ATTR_EMAIL),
        first_name=_first(attributes, ATTR_FIRST_NAME),
        last_name=_first(attributes, ATTR_LAST_NAME),
        loa=_first(attributes, ATTR_LOA) or None,
        roles=frozenset(granted),
    )


def assertion_use(*, assertion_id: str, issuer: str, valid_until: datetime.datetime) -> None:
    """Record that an assertion has been used; refuse one used before."""
    now = timezone.now()
    SsoAssertion.objects.expired(now).delete()
    try:
        with transaction.atomic():
            SsoAssertion.objects.create(
                assertion_id=assertion_id, issuer=issuer, valid_until=valid_until
            )
    except IntegrityError as error:
        raise SsoRefused(_("This login has been used before and cannot be used again.")) from error


@transaction.atomic
def sso_identity_login(*, assertion: Assertion):
    """The user of an assertion, created at the first login, with their role
    links (municipality staff and body seats for KOMBIT, provider leader for
    NemLog-in) set to exactly what the assertion gives. Refuses, creating
    nothing, when the CVR number or the privileges give no role."""
    from agreements.models import BodyRepresentative, GoverningBody, Municipality
    from providers.models import Provider

    municipality = provider = None
    seats: set[int] = set()
    if assertion.kind == KOMBIT:
        municipality = Municipality.objects.filter(cvr=assertion.cvr).first()
        if municipality is None:
            raise SsoRefused(
                _(
                    "CVR number %(cvr)s does not belong to a municipality here. "
                    "Ask the secretariat to enter the municipality's CVR number."
                )
                % {"cvr": assertion.cvr}
            )
        body_kinds = {
            role.split(":", 1)[1] for role in assertion.roles if role.startswith(f"{BODY_MEMBER}:")
        }
        seats = set(
            GoverningBody.objects.filter(kind__in=body_kinds, members=municipality).values_list(
                "pk", flat=True
            )
        )
        if MUNICIPALITY_STAFF not in assertion.roles and not seats:
            raise SsoRefused(
                _(
                    "You have no privilege for Rammeaftale in %(municipality)s. "
                    "Ask your municipality's administrator of Fælleskommunal Adgangsstyring "
                    "to assign you a role."
                )
                % {"municipality": municipality.name}
            )
    else:
        provider = Provider.objects.filter(cvr=assertion.cvr).first()
        if provider is None:
            raise SsoRefused(
                _(
                    "CVR number %(cvr)s does not belong to a provider here. "
                    "Ask the secretariat to register the provider with its CVR number."
                )
                % {"cvr": assertion.cvr}
            )
        if PROVIDER_LEADER not in assertion.roles:
            raise SsoRefused(
                _(
                    "You have no privilege for Rammeaftale at %(provider)s. "
                    "Ask your organisation's MitID Erhverv administrator to assign you the role."
                )
                % {"provider": provider.name}
            )

    identity = (
        SsoIdentity.objects.select_for_update()
        .select_related("user")
        .filter(issuer=assertion.issuer, persistent_id=assertion.persistent_id)
        .first()
    )
    if identity is None:
        user = get_user_model()(username=f"sso-{uuid.uuid4().hex}")
        user.set_unusable_password()
        identity = SsoIdentity(user=user, issuer=assertion.issuer)
        identity.persistent_id = assertion.persistent_id
    else:
        user = identity.user
        if not user.is_active:
            raise SsoRefused(_("Your user has been deactivated. Contact the secretariat."))
    user.first_name = assertion.first_name[:150]
    user.last_name = assertion.last_name[:150]
    user.email = assertion.email[:254]
    user.save()
    identity.user = user
    identity.last_login_at = timezone.now()
    identity.save()

    if assertion.kind == KOMBIT:
        wanted = {municipality} if MUNICIPALITY_STAFF in assertion.roles else set()
        held_staff = set(Municipality.objects.filter(staff=user))
        for current in held_staff - wanted:
            current.staff.remove(user)
        for new in wanted - held_staff:
            new.staff.add(user)
        BodyRepresentative.objects.filter(user=user).exclude(
            body__in=seats, municipality=municipality
        ).delete()
        held_seats = set(
            BodyRepresentative.objects.filter(user=user, municipality=municipality).values_list(
                "body_id", flat=True
            )
        )
        for body_id in seats - held_seats:
            BodyRepresentative.objects.create(body_id=body_id, municipality=municipality, user=user)
    else:
        for current in Provider.objects.filter(leaders=user).exclude(pk=provider.pk):
            current.leaders.remove(user)
        if not provider.leaders.filter(pk=user.pk).exists():
            provider.leaders.add(user)
    return user


class SsoBackend(Saml2Backend):
    """djangosaml2's backend, with the person found by their persistent id
    and the roles taken from the assertion (see the module's docstring)."""

    def authenticate(
        self,
        request: HttpRequest | None,
        session_info: dict | None = None,
        attribute_mapping=None,
        create_unknown_user=True,
        assertion_info: dict | None = None,
        **kwargs,
    ):
        if session_info is None or "ava" not in session_info or request is None:
            return None
        try:
            if not assertion_info or not assertion_info.get("not_on_or_after"):
                raise SsoRefused(_("The login had no valid subject confirmation."))
            assertion_use(
                assertion_id=assertion_info["assertion_id"],
                issuer=session_info["issuer"],
                valid_until=datetime.datetime.fromisoformat(assertion_info["not_on_or_after"]),
            )
            assertion = read_assertion(session_info["issuer"], session_info["ava"])
            user = sso_identity_login(assertion=assertion)
        except SsoRefused as refusal:
            logger.warning("Single sign-on refused: %s", refusal)
            request.sso_refusal = str(refusal)
            return None
        request.sso_assertion = assertion
        return user
