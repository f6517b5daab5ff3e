"""python manage.py annual_cycle: make the annual cycle's deadlines of every
framework agreement that is not expired. Safe to run daily from cron: it adds
only what is missing."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from agreements.services import annual_cycle_generate_all


class Command(BaseCommand):
    help = "Make the annual cycle's deadlines of the framework agreements."

    def handle(self, *args, **options):
        total = annual_cycle_generate_all()
        self.stdout.write(_("%(count)d deadlines of the annual cycle made.") % {"count": total})
