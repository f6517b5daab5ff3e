"""Meant for cron (daily): conclude e-mail hearings whose deadline has passed
and send the reminders due 3 days before a deadline. Running it twice the same
day does nothing the second time."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from capacity.services import run_deadlines


class Command(BaseCommand):
    help = "Conclude e-mail hearings past their deadline and send due reminders."

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", help="Run as on this day (YYYY-MM-DD) instead of today.", default=None
        )

    def handle(self, *args, date=None, **options):
        try:
            today = datetime.date.fromisoformat(date) if date else None
        except ValueError as error:
            raise CommandError(f"--date must be YYYY-MM-DD: {error}") from error
        done = run_deadlines(today)
        self.stdout.write(
            f"hearings concluded: {done['concluded']}, reminders sent: {done['reminded']}"
        )
