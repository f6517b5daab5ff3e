"""User administration by the secretariat (/brugere/): invitations with a
one-time link valid 72 hours, links to what gives a role (a secretariat
member's municipality or seat by a superuser only), deactivation, the 12-month
inactive list — and never an escalation of rights."""

import datetime
import re

import pytest
import time_machine
from django.contrib.auth.models import Group, Permission, User
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts import forms, services
from accounts.models import Invitation
from accounts.users import inactive, users_administered_by
from agreements.models import BodyRepresentative, GoverningBody, Municipality, Secretariat
from tests.conftest import COPENHAGEN_SECRETARIAT, make_provider, make_user

PASSWORD = "en-lang-adgangskode-42"
NOW = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


def _link_in(message) -> str:
    return re.search(r"http\S+/brugere/invitation/\S+/", message.body).group(0)


def _path(url: str) -> str:
    return "/" + url.split("/", 3)[3]


@pytest.fixture
def kbh_provider(db):
    return make_provider(
        name="Kbh Herberg", operating_municipality=Municipality.objects.get(code=101)
    )


def _invite(client, **extra):
    data = {
        "email": "ny.leder@fjordglimt.dk",
        "first_name": "Nina",
        "last_name": "Ny",
        **extra,
    }
    return client.post(reverse("accounts:invite"), data)


# Invitation, password, login ---------------------------------------------------------


def test_an_invitation_leads_to_a_password_and_a_login(client, secretariat_user, provider):
    client.force_login(secretariat_user)
    response = _invite(client, provider=provider.pk)
    invited = User.objects.get(email="ny.leder@fjordglimt.dk")
    assert response.status_code == 302
    assert provider.leaders.filter(pk=invited.pk).exists()
    assert not invited.has_usable_password()
    (message,) = mail.outbox
    assert message.to == ["ny.leder@fjordglimt.dk"]
    assert message.subject == "Dit login til Rammeaftale"
    assert "72" not in message.subject
    html = message.alternatives[0][0]
    link = _link_in(message)
    assert link in html
    assert invited.username in message.body

    client.logout()
    page = client.get(_path(link))
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    assert "Velkommen, Nina Ny" in page.content.decode()
    response = client.post(_path(link), {"password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    login = client.post(reverse("login"), {"username": invited.username, "password": PASSWORD})
    assert login.status_code == 302
    assert client.get(reverse("home"))["Location"] == reverse("portal:leader")


def test_the_link_is_single_use(client, secretariat_user, provider):
    target = services.user_invite(
        user=secretariat_user, email="a@b.dk", first_name="A", last_name="B", provider=provider
    )
    token = _token_of(target)
    url = reverse("accounts:accept", args=[token])
    client.post(url, {"password1": PASSWORD, "password2": PASSWORD})
    again = client.get(url)
    assert again.status_code == 410
    assert "Linket virker ikke længere" in again.content.decode()
    second = client.post(
        url, {"password1": "en-anden-lang-kode-7", "password2": "en-anden-lang-kode-7"}
    )
    assert second.status_code == 410
    target.refresh_from_db()
    assert target.check_password(PASSWORD)


def _token_of(target, now=None) -> str:
    """The invitation's token as the e-mail carries it (the database keeps a digest)."""
    message = mail.outbox[-1] if mail.outbox else None
    if message is not None and target.email in message.to:
        return _link_in(message).rstrip("/").rsplit("/", 1)[1]
    raise AssertionError("no invitation mail")


@pytest.fixture(autouse=True)
def _send_mail_at_once(monkeypatch):
    """Invitations leave when the transaction commits; a test's transaction
    never does, so the tests send them right away."""
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda callback, *a, **k: callback())


@pytest.mark.parametrize(
    ("hours", "works"),
    [(71, True), (71.99, True), (72, False), (73, False)],
)
def test_the_link_expires_after_72_hours(client, secretariat_user, provider, hours, works):
    with time_machine.travel(NOW, tick=False):
        target = services.user_invite(
            user=secretariat_user, email="c@d.dk", first_name="C", last_name="D", provider=provider
        )
    token = _token_of(target)
    with time_machine.travel(NOW + datetime.timedelta(hours=hours), tick=False):
        response = client.post(
            reverse("accounts:accept", args=[token]), {"password1": PASSWORD, "password2": PASSWORD}
        )
    assert (response.status_code == 302) is works
    target.refresh_from_db()
    assert target.has_usable_password() is works


def test_a_new_invitation_ends_the_old_link(client, secretariat_user, provider):
    target = services.user_invite(
        user=secretariat_user, email="e@f.dk", first_name="E", last_name="F", provider=provider
    )
    old = _token_of(target)
    services.user_reinvite(user=secretariat_user, target=target)
    new = _token_of(target)
    assert old != new
    assert client.get(reverse("accounts:accept", args=[old])).status_code == 410
    assert client.get(reverse("accounts:accept", args=[new])).status_code == 200


def test_a_password_shorter_than_12_characters_is_refused(client, secretariat_user, provider):
    target = services.user_invite(
        user=secretariat_user, email="g@h.dk", first_name="G", last_name="H", provider=provider
    )
    url = reverse("accounts:accept", args=[_token_of(target)])
    response = client.post(url, {"password1": "kort-kode-1", "password2": "kort-kode-1"})
    assert response.status_code == 400
    assert "mindst 12 tegn" in response.content.decode()
    target.refresh_from_db()
    assert not target.has_usable_password()
    # The refused attempt did not use up the link.
    twelve = "tolv-tegn-ok"
    assert len(twelve) == 12
    assert client.post(url, {"password1": twelve, "password2": twelve}).status_code == 302


def test_only_the_digest_of_the_token_is_stored(secretariat_user, provider):
    target = services.user_invite(
        user=secretariat_user, email="i@j.dk", first_name="I", last_name="J", provider=provider
    )
    token = _token_of(target)
    invitation = Invitation.objects.get(user=target)
    assert token not in invitation.token_digest
    assert len(invitation.token_digest) == 64


def test_single_sign_on_uses_the_link_and_keeps_no_password(
    client, settings, secretariat_user, provider
):
    settings.SSO_LOGIN_URL = "/saml2/login/"
    target = services.user_invite(
        user=secretariat_user, email="k@l.dk", first_name="K", last_name="L", provider=provider
    )
    url = reverse("accounts:accept", args=[_token_of(target)])
    assert "Brug single sign-on" in client.get(url).content.decode()
    response = client.post(url, {"sso": "1"})
    assert response["Location"] == "/saml2/login/"
    assert client.get(url).status_code == 410
    target.refresh_from_db()
    assert not target.has_usable_password()


def test_an_unknown_link_shows_the_danish_page(client, db):
    response = client.get(reverse("accounts:accept", args=["ikke-et-token"]))
    assert response.status_code == 410
    assert "udløbet" in response.content.decode()


def test_an_address_already_in_use_is_refused_and_nothing_is_made(
    client, secretariat_user, provider, municipality_user
):
    municipality_user.email = "karen@aarhus.dk"
    municipality_user.save()
    client.force_login(secretariat_user)
    response = _invite(client, email="Karen@Aarhus.dk", provider=provider.pk)
    assert response.status_code == 400
    assert "findes en bruger med e-mailadressen" in response.content.decode()
    assert User.objects.filter(email__iexact="karen@aarhus.dk").count() == 1
    assert not mail.outbox


def test_an_invitation_links_the_user_to_something(client, secretariat_user):
    client.force_login(secretariat_user)
    response = _invite(client)
    assert response.status_code == 400
    assert not User.objects.filter(email="ny.leder@fjordglimt.dk").exists()


# No escalation ----------------------------------------------------------------------


def _escalation(user_pk: int) -> dict:
    permission = Permission.objects.get(codename="view_full_cpr")
    return {
        "is_superuser": "on",
        "is_staff": "on",
        "user_permissions": [permission.pk],
        "groups": [Group.objects.get(name="Sekretariat").pk],
        "username": "root",
        "password": "pbkdf2_sha256$1$x$y",
    }


def _assert_no_rights(user: User) -> None:
    user.refresh_from_db()
    assert not user.is_superuser
    assert not user.is_staff
    assert not user.user_permissions.exists()
    assert not user.groups.exists()
    assert user.username != "root"


def test_a_crafted_post_cannot_escalate(client, secretariat_user, provider, municipality_user):
    client.force_login(secretariat_user)
    _invite(client, provider=provider.pk, **_escalation(0))
    invited = User.objects.get(email="ny.leder@fjordglimt.dk")
    _assert_no_rights(invited)

    for name in ("link", "deactivate", "reactivate", "reinvite", "unlink"):
        client.post(
            reverse(f"accounts:{name}", args=[municipality_user.pk]),
            {"municipality": 751, **_escalation(municipality_user.pk)},
        )
        _assert_no_rights(municipality_user)

    url = reverse("accounts:accept", args=[_token_of(invited)])
    client.logout()
    client.post(url, {"password1": PASSWORD, "password2": PASSWORD, **_escalation(invited.pk)})
    _assert_no_rights(invited)
    # The secretary's own rights are unchanged too.
    secretariat_user.refresh_from_db()
    assert not secretariat_user.is_superuser


def test_a_secretariat_adds_members_only_to_its_own_secretariat(
    client, secretariat_user, municipality_user
):
    client.force_login(secretariat_user)
    kbh = Secretariat.objects.get(name=COPENHAGEN_SECRETARIAT)
    own = Secretariat.objects.get(members=secretariat_user)
    response = client.post(
        reverse("accounts:link", args=[municipality_user.pk]), {"secretariat": kbh.pk}
    )
    assert response.status_code == 400
    assert not kbh.members.filter(pk=municipality_user.pk).exists()
    client.post(reverse("accounts:link", args=[municipality_user.pk]), {"secretariat": own.pk})
    assert own.members.filter(pk=municipality_user.pk).exists()
    # Membership says which rows; the permission group stays the superuser's to give.
    _assert_no_rights(municipality_user)


def test_a_secretariat_links_only_to_its_own_providers(
    client, secretariat_user, municipality_user, kbh_provider
):
    client.force_login(secretariat_user)
    response = client.post(
        reverse("accounts:link", args=[municipality_user.pk]), {"provider": kbh_provider.pk}
    )
    assert response.status_code == 400
    assert not kbh_provider.leaders.exists()
    with pytest.raises(services.AccountError):
        services.user_link(user=secretariat_user, target=municipality_user, provider=kbh_provider)


def test_the_link_form_offers_each_secretariat_what_it_administers(
    secretariat_user, copenhagen_secretary, provider, kbh_provider
):
    copenhagen = Municipality.objects.get(code=101)
    for user, own, other, municipality, foreign in (
        (secretariat_user, provider, kbh_provider, Municipality.objects.get(code=751), copenhagen),
        (copenhagen_secretary, kbh_provider, provider, copenhagen, provider.operating_municipality),
    ):
        form = forms.LinkForm(actor=user)
        assert list(form.fields["provider"].queryset) == [own]
        assert municipality in form.fields["municipality"].queryset
        assert foreign not in form.fields["municipality"].queryset
        assert list(form.fields["secretariat"].queryset) == [Secretariat.objects.get(members=user)]
        crafted = forms.LinkForm({"provider": other.pk}, actor=user)
        assert "provider" in crafted.errors


def test_a_body_seat_answers_for_a_member_municipality(client, secretariat_user, municipality_user):
    client.force_login(secretariat_user)
    dassos = GoverningBody.objects.get(name="DASSOS")
    aarhus = Municipality.objects.get(code=751)
    response = client.post(
        reverse("accounts:link", args=[municipality_user.pk]),
        {"body": dassos.pk, "seat_for": aarhus.pk},
    )
    assert response.status_code == 302
    seat = BodyRepresentative.objects.get(user=municipality_user)
    assert (seat.body, seat.municipality) == (dassos, aarhus)
    client.post(
        reverse("accounts:unlink", args=[municipality_user.pk]), {"kind": "seat", "pk": seat.pk}
    )
    assert not BodyRepresentative.objects.filter(user=municipality_user).exists()


# A secretariat member's scope is the superuser's to widen ---------------------------


def _scopes() -> dict[str, dict]:
    aarhus = Municipality.objects.get(code=751)
    dassos = GoverningBody.objects.get(name="DASSOS")
    return {
        "municipality": {"municipality": aarhus.pk},
        "seat": {"body": dassos.pk, "seat_for": aarhus.pk},
    }


def _scope_of(user) -> tuple[list, list]:
    return (
        list(user.staffed_municipalities.all()),
        list(BodyRepresentative.objects.filter(user=user)),
    )


REFUSAL = "Kun en superbruger kan knytte et medlem af et sekretariat til en kommune"


def _colleague(secretary, username: str, *, group: bool):
    """A member of `secretary`'s secretariat, with or without the group."""
    user = make_user(username, is_staff=True)
    Secretariat.objects.get(members=secretary).members.add(user)
    if group:
        user.groups.add(Group.objects.get(name="Sekretariat"))
    return user


@pytest.mark.parametrize("scope", ["municipality", "seat"])
@pytest.mark.parametrize("who", ["herself", "a colleague", "a member without the group"])
def test_a_secretary_cannot_link_a_secretariat_member_to_a_municipality_or_a_seat(
    client, secretariat_user, scope, who
):
    target = {
        "herself": lambda: secretariat_user,
        "a colleague": lambda: _colleague(secretariat_user, "signe", group=True),
        "a member without the group": lambda: _colleague(secretariat_user, "mette", group=False),
    }[who]()
    client.force_login(secretariat_user)

    response = client.post(reverse("accounts:link", args=[target.pk]), _scopes()[scope])

    assert response.status_code == 400
    assert REFUSAL in response.content.decode()
    assert _scope_of(target) == ([], [])


@pytest.mark.parametrize("scope", ["municipality", "seat"])
def test_the_linking_service_refuses_a_user_who_holds_the_secretariat_group(
    secretariat_user, municipality_user, scope
):
    municipality_user.groups.add(Group.objects.get(name="Sekretariat"))
    links = {
        "municipality": {"municipality": Municipality.objects.get(code=730)},
        "seat": {
            "body": GoverningBody.objects.get(name="DASSOS"),
            "seat_for": Municipality.objects.get(code=751),
        },
    }[scope]

    with pytest.raises(services.AccountError, match=REFUSAL):
        services.user_link(user=secretariat_user, target=municipality_user, **links)

    staff = list(municipality_user.staffed_municipalities.values_list("code", flat=True))
    assert staff == [751]
    assert not BodyRepresentative.objects.filter(user=municipality_user).exists()


def test_a_secretary_cannot_make_a_member_and_link_it_to_a_municipality_at_once(
    client, secretariat_user
):
    client.force_login(secretariat_user)
    own = Secretariat.objects.get(members=secretariat_user)
    aarhus = Municipality.objects.get(code=751)
    other = make_user("ole")
    aarhus.staff.add(other)

    linked = client.post(
        reverse("accounts:link", args=[other.pk]),
        {"secretariat": own.pk, "municipality": Municipality.objects.get(code=730).pk},
    )
    invited = _invite(client, secretariat=own.pk, municipality=aarhus.pk)

    assert (linked.status_code, invited.status_code) == (400, 400)
    assert REFUSAL in invited.content.decode()
    assert not own.members.filter(pk=other.pk).exists()
    assert not User.objects.filter(email="ny.leder@fjordglimt.dk").exists()


@pytest.mark.parametrize("scope", ["municipality", "seat"])
def test_a_superuser_links_a_secretariat_member_to_a_municipality_or_a_seat(
    client, admin_user, secretariat_user, scope
):
    client.force_login(admin_user)

    response = client.post(reverse("accounts:link", args=[secretariat_user.pk]), _scopes()[scope])

    assert response.status_code == 302
    municipalities, seats = _scope_of(secretariat_user)
    assert len(municipalities if scope == "municipality" else seats) == 1


# Deactivation -----------------------------------------------------------------------


def test_deactivation_asks_for_confirmation_and_ends_access(
    client, secretariat_user, municipality_user
):
    from django.test import Client

    theirs = Client()
    theirs.force_login(municipality_user)
    assert theirs.get(reverse("portal:municipality")).status_code == 200

    client.force_login(secretariat_user)
    url = reverse("accounts:deactivate", args=[municipality_user.pk])
    unconfirmed = client.post(url)
    assert unconfirmed.status_code == 400
    assert "Sæt kryds for at bekræfte" in unconfirmed.content.decode()
    municipality_user.refresh_from_db()
    assert municipality_user.is_active

    assert client.post(url, {"confirm": "on"}).status_code == 302
    municipality_user.refresh_from_db()
    assert not municipality_user.is_active
    response = theirs.get(reverse("portal:municipality"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    # The login page refuses the deactivated account.
    fresh = Client()
    refused = fresh.post(reverse("login"), {"username": "karen", "password": "test-password"})
    assert refused.status_code == 200
    assert "_auth_user_id" not in fresh.session


def test_a_secretary_cannot_deactivate_themself(secretariat_user):
    with pytest.raises(services.AccountError):
        services.user_deactivate(user=secretariat_user, target=secretariat_user)
    secretariat_user.refresh_from_db()
    assert secretariat_user.is_active


# The 12-month inactive list -------------------------------------------------------------


@pytest.mark.parametrize(("days", "listed"), [(364, False), (365, True), (366, True)])
def test_users_without_a_login_for_12_months_are_listed_at_the_boundary(
    client, secretariat_user, municipality_user, days, listed
):
    with time_machine.travel(NOW, tick=False):
        municipality_user.last_login = timezone.now() - datetime.timedelta(days=days)
        municipality_user.save(update_fields=["last_login"])
        assert inactive(User.objects.filter(pk=municipality_user.pk)).exists() is listed
        client.force_login(secretariat_user)
        page = client.get(reverse("accounts:users"), {"inactive": "on"})
        assert ("Karen Kommune" in page.content.decode()) is listed
        candidates = client.get(reverse("accounts:deactivate_inactive")).context["candidates"]
        assert (municipality_user in candidates) is listed


def test_a_user_who_never_logged_in_counts_from_when_the_account_was_made(
    secretariat_user, municipality_user
):
    with time_machine.travel(NOW, tick=False):
        municipality_user.date_joined = timezone.now() - datetime.timedelta(days=400)
        municipality_user.save(update_fields=["date_joined"])
        assert municipality_user.last_login is None
        assert inactive(User.objects.filter(pk=municipality_user.pk)).exists()


def test_bulk_deactivation_deactivates_only_the_chosen_inactive_users_once_confirmed(
    client, secretariat_user, municipality_user, other_municipality_user
):
    long_ago = timezone.now() - datetime.timedelta(days=400)
    User.objects.filter(pk__in=[municipality_user.pk, other_municipality_user.pk]).update(
        last_login=long_ago
    )
    recent = make_user("nylig", last_login=timezone.now())
    Municipality.objects.get(code=751).staff.add(recent)
    client.force_login(secretariat_user)
    url = reverse("accounts:deactivate_inactive")
    form = client.get(url).content.decode()
    assert "Karen" in form or "karen" in form
    unconfirmed = client.post(url, {"users": [municipality_user.pk]})
    assert unconfirmed.status_code == 400
    assert User.objects.get(pk=municipality_user.pk).is_active
    # A recent user smuggled into the POST is not a choice.
    crafted = client.post(url, {"users": [recent.pk], "confirm": "on"})
    assert crafted.status_code == 400
    assert User.objects.get(pk=recent.pk).is_active
    response = client.post(url, {"users": [municipality_user.pk], "confirm": "on"})
    assert response.status_code == 302
    assert not User.objects.get(pk=municipality_user.pk).is_active
    assert User.objects.get(pk=other_municipality_user.pk).is_active


# Who administers whom, and who may see the pages ----------------------------------------


def test_each_secretariat_administers_only_its_own_users(
    secretariat_user, copenhagen_secretary, municipality_user, kbh_provider
):
    kbh_leader = make_user("kbh-leder")
    kbh_provider.leaders.add(kbh_leader)
    midt = set(users_administered_by(secretariat_user))
    kbh = set(users_administered_by(copenhagen_secretary))
    assert municipality_user in midt and municipality_user not in kbh
    assert kbh_leader in kbh and kbh_leader not in midt
    assert secretariat_user in midt and secretariat_user not in kbh


def test_unlinked_invitees_belong_to_the_secretariat_that_invited_them(
    secretariat_user, copenhagen_secretary, provider
):
    target = services.user_invite(
        user=secretariat_user, email="m@n.dk", first_name="M", last_name="N", provider=provider
    )
    provider.leaders.remove(target)
    assert target in users_administered_by(secretariat_user)
    assert target not in users_administered_by(copenhagen_secretary)


def test_superusers_are_administered_by_no_secretariat(secretariat_user):
    root = User.objects.create_superuser("root", "root@x.dk", "x" * 12)
    Secretariat.objects.get(members=secretariat_user).members.add(root)
    assert root not in users_administered_by(secretariat_user)


@pytest.fixture
def pages(secretariat_user, municipality_user):
    return {
        "list": reverse("accounts:users"),
        "invite": reverse("accounts:invite"),
        "inactive": reverse("accounts:deactivate_inactive"),
        "user": reverse("accounts:user", args=[municipality_user.pk]),
    }


def test_the_user_pages_open_to_the_secretariat(client, secretariat_user, pages):
    client.force_login(secretariat_user)
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, name
        # Names of persons: never kept in a cache.
        assert "no-store" in response["Cache-Control"], name


def test_the_other_secretariat_sees_the_lists_but_gets_404_for_the_user(
    client, copenhagen_secretary, municipality_user, pages
):
    client.force_login(copenhagen_secretary)
    for name in ("list", "invite", "inactive"):
        response = client.get(pages[name])
        assert response.status_code == 200, name
        assert "karen" not in response.content.decode().lower(), name
    assert client.get(pages["user"]).status_code == 404


def test_the_user_pages_answer_404_to_other_roles(
    client, municipality_user, provider_leader, body_member_user, pages
):
    for user in (municipality_user, provider_leader, body_member_user):
        client.force_login(user)
        for name, url in pages.items():
            assert client.get(url).status_code == 404, (user.username, name)


def test_the_user_list_searches_and_filters_in_the_url(
    client, secretariat_user, municipality_user, provider_leader
):
    client.force_login(secretariat_user)
    url = reverse("accounts:users")
    body = client.get(url, {"role": "leader"}).content.decode()
    assert "Lars Leder" in body and "Karen Kommune" not in body
    body = client.get(url, {"q": "kommune"}).content.decode()
    assert "Karen Kommune" in body and "Lars Leder" not in body
    User.objects.filter(pk=provider_leader.pk).update(is_active=False)
    body = client.get(url, {"active": "0"}).content.decode()
    assert "Lars Leder" in body and "Karen Kommune" not in body


def test_the_user_list_has_pages_of_50(client, secretariat_user):
    aarhus = Municipality.objects.get(code=751)
    for number in range(60):
        aarhus.staff.add(make_user(f"medarbejder{number:02d}", last_name=f"Med{number:02d}"))
    client.force_login(secretariat_user)
    first = client.get(reverse("accounts:users"), {"role": "municipality"})
    assert len(first.context["page"].object_list) == 50
    second = client.get(reverse("accounts:users"), {"role": "municipality", "side": 2})
    assert len(second.context["page"].object_list) == 10
    assert "role=municipality&amp;side=1" in second.content.decode()


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_user_pages_query_counts_do_not_grow(client, secretariat_user, provider):
    aarhus = Municipality.objects.get(code=751)
    target = make_user("maalet")
    aarhus.staff.add(target)
    client.force_login(secretariat_user)
    urls = [
        reverse("accounts:users"),
        reverse("accounts:deactivate_inactive"),
        reverse("accounts:user", args=[target.pk]),
    ]

    def grow(count: int) -> None:
        for _ in range(count):
            number = User.objects.count()
            user = make_user(f"vaekst{number}", last_login=timezone.now() - datetime.timedelta(400))
            aarhus.staff.add(user)
            provider.leaders.add(user)
            target_provider = make_provider()
            target_provider.leaders.add(target)

    grow(3)
    small = [_queries(client, url) for url in urls]
    grow(20)
    large = [_queries(client, url) for url in urls]
    assert small == large


@pytest.mark.parametrize(("days", "listed"), [(181, False), (183, True)])
def test_the_inactivity_period_follows_the_setting(settings, municipality_user, days, listed):
    settings.USER_INACTIVE_MONTHS = 6  # 182 days
    with time_machine.travel(NOW, tick=False):
        municipality_user.last_login = timezone.now() - datetime.timedelta(days=days)
        municipality_user.save(update_fields=["last_login"])
        assert inactive(User.objects.filter(pk=municipality_user.pk)).exists() is listed
