"""Meant for cron (daily): remind the operating municipalities that have not
submitted their calculation bases when a round's deadline is a week or less
away. Running it twice the same day does nothing the second time, and each
municipality is reminded once per round."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from tariffs.notifications import run_reminders


class Command(BaseCommand):
    help = "Remind operators who have not submitted their calculation basis before the deadline."

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", help="Run as on this day (YYYY-MM-DD) instead of today.", default=None
        )

    def handle(self, *args, date=None, **options):
        try:
            today = datetime.date.fromisoformat(date) if date else None
        except ValueError as error:
            raise CommandError(f"--date must be YYYY-MM-DD: {error}") from error
        self.stdout.write(f"reminders sent: {run_reminders(today)}")
