"""Pages are Danish unless the user chooses English; the browser's language does not decide."""

from django.urls import reverse


def test_a_browser_asking_for_english_still_gets_danish(client, db):
    body = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="da">' in body
    assert "Log ind" in body
    assert "Read in English" in body


def test_a_user_can_choose_english_and_back(client, db):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    assert response.status_code == 302
    body = client.get(reverse("login")).content.decode()
    assert '<html lang="en">' in body
    assert "Læs på dansk" in body
    client.post(reverse("set_language"), {"language": "da", "next": reverse("login")})
    assert '<html lang="da">' in client.get(reverse("login")).content.decode()


def test_an_unknown_language_falls_back_to_danish(client, db):
    client.cookies["django_language"] = "xx"
    assert '<html lang="da">' in client.get(reverse("login")).content.decode()


def test_english_pages_write_dates_day_first():
    import datetime

    from django.template import Context, Template
    from django.utils import translation

    template = Template('{{ day|date:"SHORT_DATE_FORMAT" }} {{ day|date }}')
    day = datetime.date(2026, 2, 12)
    with translation.override("en"):
        assert template.render(Context({"day": day})) == "12.02.2026 12 February 2026"
    with translation.override("da"):
        assert template.render(Context({"day": day})).startswith("12.02.2026")
