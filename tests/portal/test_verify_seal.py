"""/verificer/: anyone uploads a PDF and learns whether its seal is valid,
by whom, when, whether the file is unchanged, and which register document it
is. Limited in size and in checks per hour from one address."""

import datetime

import pytest
import time_machine
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils.crypto import salted_hmac

from portal.models import SealCheckCount
from tests.conftest import (
    make_individual_contract,
    make_offer,
    make_signed_standard_contract,
    make_standard_contract,
    sign_contract,
)
from tests.seals.test_sealing import with_one_byte_changed

pytestmark = pytest.mark.django_db

URL = reverse("portal:verify_seal")


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def sealed(secretariat_user, provider):
    contract = sign_contract(make_standard_contract(offer=make_offer(provider)), secretariat_user)
    return contract, contract.pdf.open("rb").read()


def check(data: bytes, client: Client | None = None):
    return (client or Client()).post(
        URL, {"pdf": SimpleUploadedFile("kontrakt.pdf", data, "application/pdf")}
    )


def test_the_page_is_open_without_login():
    response = Client().get(URL)

    assert response.status_code == 200
    assert "Tjek en forseglet PDF" in response.content.decode()


def test_a_sealed_contract_is_valid_with_its_sealer_time_and_reference(sealed):
    contract, data = sealed

    body = check(data).content.decode()

    assert "Seglet er gyldigt, og filen er uændret, siden den blev forseglet." in body
    assert "DEMO Sekretariatets segl" in body
    assert contract.reference in body
    assert "Forseglet" in body


def test_a_changed_byte_is_reported_changed(sealed):
    _contract, data = sealed

    body = check(with_one_byte_changed(data)).content.decode()

    assert "Filen er ændret, efter den blev forseglet" in body
    assert "alert-error" in body


def test_a_file_that_is_not_a_pdf_gets_a_clear_answer():
    body = check(b"GIF89a...").content.decode()

    assert "Filen er ikke en PDF, der kan læses, eller den er beskadiget." in body


def test_the_sealed_individual_contract_shows_its_reference_and_no_person(secretariat_user):
    contract = sign_contract(
        make_individual_contract(make_signed_standard_contract()), secretariat_user
    )

    body = check(contract.pdf_masked.open("rb").read()).content.decode()

    assert contract.reference in body
    assert contract.citizen_name not in body
    assert contract.masked_citizen_cpr not in body


def test_a_file_over_the_size_limit_is_refused(settings, sealed):
    _contract, data = sealed
    settings.DOCUMENT_MAX_BYTES = len(data) - 1

    response = check(data)

    assert response.status_code == 413
    assert "Filen er større end" in response.content.decode()


def test_checks_from_one_address_are_limited_per_hour(settings, sealed):
    _contract, data = sealed
    settings.VERIFY_RATE_PER_HOUR = 2

    assert check(data).status_code == 200
    assert check(data).status_code == 200
    refused = check(data)

    assert refused.status_code == 429
    assert "For mange filer tjekket fra din adresse" in refused.content.decode()
    # Another address is not held to this one's count.
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert check(data, other).status_code == 200


def test_the_limit_is_counted_in_the_database_for_every_server(settings, sealed):
    _contract, data = sealed
    settings.VERIFY_RATE_PER_HOUR = 1
    assert check(data).status_code == 200
    # Another process or server starts with an empty memory, not a new count.
    cache.clear()

    assert check(data).status_code == 429
    [counter] = SealCheckCount.objects.all()
    assert counter.count == 2
    assert "127.0.0.1" not in counter.address  # a keyed digest, not the address
    assert counter.address == salted_hmac("portal.seal-check", "127.0.0.1").hexdigest()


def test_last_hours_counts_go_and_a_new_hour_starts_afresh(settings, sealed):
    _contract, data = sealed
    settings.VERIFY_RATE_PER_HOUR = 1
    start = datetime.datetime(2026, 12, 3, 9, 59, 59, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        assert check(data).status_code == 200
        assert check(data).status_code == 429
    with time_machine.travel(start + datetime.timedelta(seconds=1), tick=False):
        assert check(data).status_code == 200

    assert [c.hour.hour for c in SealCheckCount.objects.all()] == [10]
