"""python manage.py import_register KIND FILE [--dry-run] [--user USERNAME]"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from register_io.registers import KINDS, register_import
from register_io.services import ImportRefused, check_size


class Command(BaseCommand):
    help = "Import a register file (CSV or XLSX): everything or nothing, with history."

    def add_arguments(self, parser) -> None:
        parser.add_argument("kind", choices=sorted(KINDS))
        parser.add_argument("file")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and count, but write nothing."
        )
        parser.add_argument("--user", help="The username history records the import under.")

    def handle(self, *args, kind: str, file: str, dry_run: bool, user: str | None, **options):
        translation.activate("da")
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("%(file)s: no such file.") % {"file": file})
        actor = None
        if user:
            try:
                actor = get_user_model().objects.get(username=user)
            except get_user_model().DoesNotExist:
                raise CommandError(_("No user named %(user)s.") % {"user": user}) from None
        try:
            check_size(path.stat().st_size)
        except ImportRefused as refusal:
            raise CommandError(str(refusal)) from None
        report = register_import(
            kind=kind,
            content=path.read_bytes(),
            file_name=path.name,
            user=actor,
            dry_run=dry_run,
        )
        for message in report.file_errors:
            self.stderr.write(message)
        for error in report.errors:
            self.stderr.write(str(error))
        if report.refused:
            raise CommandError(report.summary())
        self.stdout.write(report.summary())
