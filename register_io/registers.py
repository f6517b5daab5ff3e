"""The registers that are imported and exported, and the two services the
`import_register` / `export_register` commands (and tests) call.

The machinery they run on — reading and writing the files, the base resource
and its widgets, the admin's formats — is in `register_io.services`, beneath
the domain apps whose resources are built on it; this module names those
resources, so it stands above them.
"""

from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext as _
from import_export.results import Result, RowResult

from agreements.resources import MunicipalityResource
from providers.resources import (
    OfferResource,
    OperatingAgreementResource,
    ProviderResource,
    TariffResource,
)
from register_io.services import FORMATS, ImportRefused, RegisterResource, read_dataset

KINDS: dict[str, type[RegisterResource]] = {
    "municipalities": MunicipalityResource,
    "providers": ProviderResource,
    "offers": OfferResource,
    "operating-agreements": OperatingAgreementResource,
    "tariffs": TariffResource,
}


def resource_class(kind: str) -> type[RegisterResource]:
    try:
        return KINDS[kind]
    except KeyError:
        raise ValueError(
            _("Unknown register %(kind)s; choose one of %(kinds)s.")
            % {"kind": kind, "kinds": ", ".join(KINDS)}
        ) from None


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        if self.column and self.column != NON_FIELD_ERRORS:
            return _("Row %(row)s, column «%(column)s»: %(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        return _("Row %(row)s: %(message)s") % {"row": self.row, "message": self.message}


@dataclass
class ImportReport:
    file_name: str
    dry_run: bool
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)

    @property
    def refused(self) -> bool:
        return bool(self.errors or self.file_errors)

    @property
    def written(self) -> bool:
        return not self.refused and not self.dry_run

    @classmethod
    def from_result(cls, result: Result, file_name: str, dry_run: bool) -> "ImportReport":
        report = cls(
            file_name=file_name,
            dry_run=dry_run,
            created=result.totals[RowResult.IMPORT_TYPE_NEW],
            updated=result.totals[RowResult.IMPORT_TYPE_UPDATE],
            unchanged=result.totals[RowResult.IMPORT_TYPE_SKIP],
        )
        for invalid in result.invalid_rows:
            for column, messages in invalid.error_dict.items():
                for message in messages:
                    report.errors.append(RowError(invalid.number, column, str(message)))
        for number, errors in result.row_errors_renumbered:
            for error in errors:
                report.errors.append(RowError(number, "", str(error.error)))
        report.file_errors = [str(error.error) for error in result.base_errors]
        report.errors.sort(key=lambda error: error.row)
        if report.refused:
            report.created = report.updated = 0
        return report

    def summary(self) -> str:
        if self.refused:
            return _("Nothing was imported: %(count)s errors.") % {
                "count": len(self.errors) + len(self.file_errors)
            }
        text = _("%(created)s created, %(updated)s changed, %(unchanged)s unchanged.") % {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }
        if self.dry_run:
            text += " " + _("Trial run: nothing was written.")
        return text


def register_import(
    *, kind: str, content: bytes, file_name: str, user=None, dry_run: bool = False
) -> ImportReport:
    """Import a register file: everything or nothing, with history."""
    try:
        dataset = read_dataset(content, file_name)
    except ImportRefused as refusal:
        return ImportReport(file_name=file_name, dry_run=dry_run, file_errors=[str(refusal)])
    resource = resource_class(kind)(html_diff=False)
    result = resource.import_data(dataset, dry_run=dry_run, file_name=file_name, user=user)
    return ImportReport.from_result(result, file_name, dry_run)


def register_export(*, kind: str, file_format: str, queryset=None) -> bytes:
    """The register (or the given part of it) as CSV or XLSX."""
    try:
        export_format = FORMATS[file_format]()
    except KeyError:
        raise ValueError(_("Export as csv or xlsx.")) from None
    dataset = resource_class(kind)().export(queryset)
    return export_format.export_data(dataset)
