"""Create a realistic, deterministic demo data set. Running it again changes nothing."""

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

from accounts import demo as users_demo
from agreements import demo as agreements_demo
from agreements.models import Municipality
from capacity import demo as capacity_demo
from contracts import demo as contracts_demo
from hearings import demo as hearings_demo
from meetings import demo as meetings_demo
from outbox.delivery import deliver_due
from providers import demo as providers_demo
from tariffs import demo as tariffs_demo

REFERENCE_FIXTURES = ["regions", "collaboration_models", "framework_agreements"]

# In dependency order; each returns what it created.
SEEDERS = [
    agreements_demo.seed,
    providers_demo.seed,
    users_demo.seed,
    contracts_demo.seed,
    capacity_demo.seed,
    meetings_demo.seed,
    tariffs_demo.seed,
    hearings_demo.seed,
]


class Command(BaseCommand):
    help = "Create demo providers, offers, agreements, tariffs and users for each role."

    def handle(self, *args, **options):
        if not Municipality.objects.exists():
            call_command("loaddata", *REFERENCE_FIXTURES, verbosity=0)
        # The demo workflows notify by e-mail as the real ones do; nobody is
        # there to read those messages, so they are not sent (the dummy backend
        # takes the outbox's mails).
        with (
            override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"),
            transaction.atomic(),
        ):
            for seeder in SEEDERS:
                for name, count in seeder().items():
                    self.stdout.write(f"{name}: {count} created")
            # The outbox's mails of the demo go to the dummy backend here, so
            # that the demo's members count as notified.
            self.stdout.write(f"demo e-mails (not sent): {deliver_due()}")
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password: {users_demo.DEMO_PASSWORD}):")
        for user in users_demo.DEMO_USERS:
            self.stdout.write(f"  {user.username:<16} {user.role}")
