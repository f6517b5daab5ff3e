from django.contrib import messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from import_export.admin import ImportExportMixin
from import_export.forms import ImportForm, SelectableFieldsExportForm

from register_io.services import (
    FORMATS,
    ImportRefused,
    RegisterCSV,
    RegisterXLSX,
    check_size,
    file_kind,
)


class RegisterImportForm(ImportForm):
    """The admin's upload form: type and size are refused before the file is stored."""

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("import_file")
        if upload is None:
            return cleaned
        try:
            kind = file_kind(upload.name)
            check_size(upload.size)
        except ImportRefused as refusal:
            self.add_error("import_file", str(refusal))
            return cleaned
        chosen = cleaned.get("format")
        if chosen not in (None, "") and FORMATS[kind] is not REGISTER_FORMATS[int(chosen)]:
            self.add_error(
                "format",
                _("The file is a %(kind)s file; choose the format %(kind)s.")
                % {"kind": kind.upper()},
            )
        return cleaned


class RegisterExportForm(SelectableFieldsExportForm):
    """The columns to export, named by their Danish headers."""

    def _get_field_label(self, resource, field_name: str) -> str:
        return resource.fields[field_name].column_name


REGISTER_FORMATS = [RegisterXLSX, RegisterCSV]


class RegisterImportExportMixin(ImportExportMixin):
    """Import (with a preview) and export of a register list in the admin.

    Only holders of `register_io.import_register` / `export_register` see the
    buttons; the URLs answer 403 to everyone else. The import runs through
    the resource's `import_data` like the `import_register` command does.
    """

    formats = REGISTER_FORMATS
    import_form_class = RegisterImportForm
    export_form_class = RegisterExportForm
    # simple-history records every created and changed row with its user.
    skip_admin_log = True

    def has_import_permission(self, request) -> bool:
        return request.user.has_perm("register_io.import_register")

    def has_export_permission(self, request) -> bool:
        return request.user.has_perm("register_io.export_register")

    def process_result(self, result, request):
        """After confirmation: if the file no longer imports cleanly (the
        register changed since the preview), nothing was written; say so."""
        if result.has_errors() or result.has_validation_errors():
            messages.error(
                request,
                _(
                    "Nothing was imported: the file no longer passes the checks. Import it again to see why."
                ),
            )
            opts = self.opts
            return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_import"))
        return super().process_result(result, request)

    def add_data_read_fail_error_to_form(self, form, e) -> None:
        if isinstance(e, ImportRefused):
            form.add_error("import_file", str(e))
        else:
            form.add_error("import_file", _("The file cannot be read as the chosen format."))
