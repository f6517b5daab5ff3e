"""Two saves from the same version at the same moment: one is written, the
other refused. Needs PostgreSQL (row locks, concurrent connections)."""

import threading

import pytest
from django.db import connection, transaction

from providers.models import Offer
from tests.conftest import make_offer
from versioning.models import StaleEdit


@pytest.mark.postgres
def test_two_saves_from_the_same_version_at_once_write_one(transactional_db, reference_data):
    offer = make_offer(approved_places=20)
    barrier = threading.Barrier(2)
    outcomes: list[object] = []

    def save(places: int) -> None:
        copy = Offer.objects.get(pk=offer.pk)
        copy.approved_places = places
        try:
            barrier.wait()
            with transaction.atomic():
                copy.save()
            outcomes.append(places)
        except StaleEdit as refused:
            outcomes.append(refused)
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(places,)) for places in (25, 30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    written = [outcome for outcome in outcomes if isinstance(outcome, int)]
    refused = [outcome for outcome in outcomes if isinstance(outcome, StaleEdit)]
    assert (len(written), len(refused)) == (1, 1)
    offer.refresh_from_db()
    assert (offer.approved_places, offer.row_version) == (written[0], 2)
