from django.urls import reverse


def test_login_page_is_danish(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="da">' in body
    assert "Log ind" in body
    assert "Adgangskode" in body


def test_front_page_sends_anonymous_users_to_login(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_secretariat_starts_on_the_dashboard(client, secretariat_user):
    client.force_login(secretariat_user)
    assert client.get("/")["Location"] == reverse("portal:dashboard")


def test_wrong_password_keeps_the_username_and_says_why(client, secretariat_user):
    response = client.post(reverse("login"), {"username": "sara", "password": "forkert"})
    body = response.content.decode()
    assert response.status_code == 200
    assert 'value="sara"' in body
    assert "Brugernavn og adgangskode passede ikke" in body


def test_provider_leader_starts_on_their_providers(client, provider_leader, provider):
    client.force_login(provider_leader)
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0] == reverse("portal:leader")
    assert provider.name in response.content.decode()


def test_municipality_staff_start_in_the_workspace(client, municipality_user):
    client.force_login(municipality_user)
    assert client.get("/")["Location"] == reverse("portal:municipality")


def test_a_user_linked_to_nothing_is_told_so(client, db):
    from tests.conftest import make_user

    client.force_login(make_user("ingen"))
    response = client.get("/")
    assert response.status_code == 200
    assert "Bed sekretariatet om at knytte dig" in response.content.decode()
