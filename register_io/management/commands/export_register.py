"""python manage.py export_register KIND FILE (FILE ends in .csv or .xlsx)"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from register_io.registers import KINDS, register_export
from register_io.services import ImportRefused, file_kind


class Command(BaseCommand):
    help = "Export a register to a CSV or XLSX file with the same columns the import reads."

    def add_arguments(self, parser) -> None:
        parser.add_argument("kind", choices=sorted(KINDS))
        parser.add_argument(
            "file", help="The file to write; its suffix (.csv, .xlsx) sets the format."
        )

    def handle(self, *args, kind: str, file: str, **options):
        translation.activate("da")
        try:
            file_format = file_kind(file)
        except ImportRefused as refusal:
            raise CommandError(str(refusal)) from None
        content = register_export(kind=kind, file_format=file_format)
        Path(file).write_bytes(content)
        self.stdout.write(_("%(file)s: %(size)d bytes.") % {"file": file, "size": len(content)})
