"""Write the stored PDFs of signed contracts to a folder, for filing in a
municipality's case system.

Standard contracts are written as stored at signing. Individual contracts are
written with CPR numbers masked; `--full-cpr --user NAME --purpose TEXT`
writes the originals instead, for a user with the permission, of the
contracts that user sees, and logs each one in the CPR access log.
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files.storage import FileSystemStorage
from django.core.management.base import BaseCommand, CommandError

from contracts import services
from contracts.models import (
    SIGNED_STATUSES,
    ContractError,
    CprAccessLog,
    IndividualContract,
    StandardContract,
)


class Command(BaseCommand):
    help = "Write every signed contract's stored PDF to a folder, named by number and version."

    def add_arguments(self, parser):
        parser.add_argument(
            "--signed",
            action="store_true",
            required=True,
            help="Export signed contracts (drafts have no stored PDF).",
        )
        parser.add_argument("--out", required=True, type=Path, help="The folder to write to.")
        parser.add_argument(
            "--full-cpr",
            action="store_true",
            help="Individual contracts with full CPR numbers (needs --user and --purpose).",
        )
        parser.add_argument("--user", help="The user the export is made by (for --full-cpr).")
        parser.add_argument("--purpose", default="", help="Why (for --full-cpr); logged.")

    def handle(self, *args, out: Path, full_cpr: bool, user, purpose: str, **options):
        exporter = None
        if full_cpr:
            exporter = get_user_model().objects.filter(username=user or "").first()
            if exporter is None or not services.can_see_full_cpr(exporter):
                raise CommandError(
                    "--full-cpr needs --user with the permission to see full CPR numbers."
                )
            if not purpose.strip():
                raise CommandError("--full-cpr needs --purpose.")
        out.mkdir(mode=0o700, parents=True, exist_ok=True)
        # Written as the stored files are (FILE_UPLOAD_PERMISSIONS): they may
        # hold full CPR numbers.
        folder = FileSystemStorage(location=out, allow_overwrite=True)
        written = 0
        for contract in StandardContract.objects.filter(status__in=SIGNED_STATUSES).exclude(
            pdf_sha256=""
        ):
            written += self._write(contract.pdf, folder, f"{contract.reference}.pdf")
        individual = IndividualContract.objects.filter(status__in=SIGNED_STATUSES).exclude(
            pdf_masked_sha256=""
        )
        # Full CPR numbers only of the contracts the exporter sees; the others masked.
        full = (
            set(IndividualContract.objects.visible_to(exporter).values_list("pk", flat=True))
            if exporter is not None
            else set()
        )
        for contract in individual:
            # After the retention period only the masked PDF is left.
            if contract.pk not in full or contract.cpr_removed_on is not None:
                written += self._write(contract.pdf_masked, folder, f"{contract.reference}.pdf")
                continue
            try:
                services.cpr_access_record_contract(
                    user=exporter,
                    action=CprAccessLog.Action.EXPORT,
                    purpose=purpose,
                    individual_contract=contract,
                )
            except ContractError as error:
                raise CommandError(error.message) from None
            written += self._write(contract.pdf, folder, f"{contract.reference}.pdf")
        self.stdout.write(f"{written} PDF files written to {out}")

    def _write(self, stored, folder: FileSystemStorage, name: str) -> int:
        with stored.open("rb") as source:
            folder.save(name, source)
        return 1
