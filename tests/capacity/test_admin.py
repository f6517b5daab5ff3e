"""The admin shows the capacity workflow read-only: it changes only through
the services, so nobody edits a status or a place count by hand there."""

from django.urls import reverse

from capacity import services
from tests.capacity.helpers import consult_all, request
from tests.conftest import make_buyer


def test_adjustments_and_hearings_render_read_only_in_the_admin(
    client, secretariat_user, municipality_user, capacity_offer, randers, dassos
):
    make_buyer(capacity_offer, randers)
    adjustment = request(municipality_user, capacity_offer, places=12)
    consult_all(municipality_user, adjustment)
    hearing = services.hearing_open(user=secretariat_user, adjustment=adjustment, body=dassos)
    client.force_login(secretariat_user)
    for name, pk in (("capacityadjustment", adjustment.pk), ("hearing", hearing.pk)):
        assert client.get(reverse(f"admin:capacity_{name}_changelist")).status_code == 200
        page = client.get(reverse(f"admin:capacity_{name}_change", args=[pk]))
        assert page.status_code == 200
        assert 'name="status"' not in page.content.decode()
        assert client.get(reverse(f"admin:capacity_{name}_add")).status_code == 403
