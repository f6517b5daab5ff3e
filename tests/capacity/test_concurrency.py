"""R5 under load: two people carrying out the same adjustment at the same
moment change the offer's places once. Needs PostgreSQL's row locks."""

import threading

import pytest
from django.db import connection

from capacity import services
from capacity.models import CapacityAdjustment
from providers.models import Offer
from tests.capacity.helpers import request
from tests.conftest import make_capacity_offer, make_secretary


def _twice_at_once(action) -> list[BaseException]:
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def run():
        try:
            barrier.wait()
            action()
        except BaseException as error:  # noqa: BLE001 - reported to the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return errors


@pytest.mark.postgres
def test_two_concurrent_carry_outs_change_the_places_once(transactional_db, reference_data):
    secretariat = make_secretary("sara")
    offer = make_capacity_offer(places=20)
    adjustment = request(secretariat, offer, places=7)

    errors = _twice_at_once(
        lambda: services.adjustment_carry_out(
            user=secretariat, adjustment=CapacityAdjustment.objects.get(pk=adjustment.pk)
        )
    )

    assert errors == []
    offer = Offer.objects.get(pk=offer.pk)
    assert offer.approved_places == 27
    assert offer.history.filter(approved_places=27).count() == 1
    assert CapacityAdjustment.objects.get(pk=adjustment.pk).status == "carried_out"


@pytest.mark.postgres
def test_two_concurrent_approvals_record_one_decision(transactional_db, reference_data):
    import datetime

    from agreements.models import GoverningBody, Meeting

    secretariat = make_secretary("sara")
    adjustment = request(secretariat, make_capacity_offer(), places=12)
    meeting = Meeting.objects.create(
        body=GoverningBody.objects.get(kind="dassos"), date=datetime.date.today()
    )
    services.adjustment_route_to_meeting(user=secretariat, adjustment=adjustment, meeting=meeting)

    errors = _twice_at_once(
        lambda: services.adjustment_record_meeting_decision(
            user=secretariat, adjustment=adjustment, approved=True, grounds="Enig"
        )
    )

    assert errors == []
    assert adjustment.history.filter(status="approved").count() == 1
