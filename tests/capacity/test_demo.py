from django.core.management import call_command

from capacity.models import CapacityAdjustment, Hearing


def test_the_demo_has_an_adjustment_in_every_state_a_running_hearing_and_an_agenda(db):
    call_command("seed_demo", verbosity=0)
    states = set(CapacityAdjustment.objects.values_list("status", flat=True))
    assert states == set(CapacityAdjustment.Status.values)
    assert Hearing.objects.filter(concluded_on=None).exists()
    on_agenda = CapacityAdjustment.objects.get(status="on_agenda")
    assert on_agenda.meeting.capacity_items.exists()
