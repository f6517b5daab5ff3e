"""Move signed contracts whose end date has passed to "expired" (run daily)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from contracts import services


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
        expired = services.contracts_expire_due(user=actor)
        self.stdout.write(f"{expired} contracts expired")
