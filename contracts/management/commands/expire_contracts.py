"""Move signed contracts whose end date has passed to "expired" (run daily)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from contracts import services
from contracts.models import IndividualContract, StandardContract, Status


class Command(BaseCommand):
    help = "Expire every signed contract whose end date has passed."

    def add_arguments(self, parser):
        parser.add_argument("--user", help="The user recorded in the history (default: none).")

    def handle(self, *args, user=None, **options):
        actor = None
        if user:
            actor = get_user_model().objects.filter(username=user).first()
            if actor is None:
                raise CommandError(f"No user named {user}.")
        today = timezone.localdate()
        expired = 0
        # Individual contracts first: they run under the standard contracts.
        for model in (IndividualContract, StandardContract):
            for contract in model.objects.filter(status=Status.SIGNED, ends_on__lt=today):
                services.contract_expire(contract=contract, user=actor, today=today)
                expired += 1
        self.stdout.write(f"{expired} contracts expired")
