"""Meant for cron (daily): apply the data controller's retention periods.

CPR numbers of individual contracts that ended more than CPR_RETENTION_YEARS
ago are deleted, with the stored PDF that holds them (the masked PDF stays),
where the framework agreement records that the archive allows it (archival
version delivered or discarding permitted); the contracts kept are printed
with the reason. CPR access-log rows older than CPR_LOG_RETENTION_MONTHS, and
records of logins and failed logins older than LOGIN_LOG_RETENTION_MONTHS, are
deleted. Running it again changes nothing more. (The worker runs it daily;
it lives here, above both apps whose records it deletes.)
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from worker.jobs import apply_retention


class Command(BaseCommand):
    help = "Delete CPR numbers, CPR access-log rows and login records past their retention period."

    def add_arguments(self, parser):
        parser.add_argument("--user", help="The user recorded in the history (default: none).")

    def handle(self, *args, user=None, **options):
        actor = None
        if user:
            actor = get_user_model().objects.filter(username=user).first()
            if actor is None:
                raise CommandError(_("No user named %(name)s.") % {"name": user})
        done, logins = apply_retention(user=actor)
        self.stdout.write(
            _(
                "CPR numbers deleted from %(contracts)s individual contracts that ended more "
                "than %(years)s years ago; %(pdfs)s PDF files with full CPR numbers deleted."
            )
            % {
                "contracts": done.contracts_cleared,
                "years": settings.CPR_RETENTION_YEARS,
                "pdfs": done.pdfs_deleted,
            }
        )
        for hold in done.held:
            self.stdout.write(
                _("Kept the CPR numbers of %(contract)s: %(reason)s.")
                % {"contract": hold.reference, "reason": hold.reason}
            )
        if done.held:
            self.stdout.write(
                _(
                    "%(count)s contracts past the retention period wait for an archiving "
                    "decision; record it on the framework agreement in the admin."
                )
                % {"count": len(done.held)}
            )
        self.stdout.write(
            _("%(rows)s CPR access-log rows older than %(months)s months deleted.")
            % {"rows": done.log_rows_deleted, "months": settings.CPR_LOG_RETENTION_MONTHS}
        )
        self.stdout.write(
            _("%(rows)s login records older than %(months)s months deleted.")
            % {"rows": logins, "months": settings.LOGIN_LOG_RETENTION_MONTHS}
        )
