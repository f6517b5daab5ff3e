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


def test_secretariat_starts_in_the_register(client, secretariat_user):
    client.force_login(secretariat_user)
    assert client.get("/")["Location"] == reverse("admin:index")


def test_wrong_password_keeps_the_username_and_says_why(client, secretariat_user):
    response = client.post(reverse("login"), {"username": "sara", "password": "forkert"})
    body = response.content.decode()
    assert response.status_code == 200
    assert 'value="sara"' in body
    assert "Brugernavn og adgangskode passede ikke" in body


def test_provider_leader_sees_their_provider(client, provider_leader, provider):
    client.force_login(provider_leader)
    body = client.get("/").content.decode()
    assert provider.name in body
