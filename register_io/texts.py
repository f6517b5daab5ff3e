"""Texts of django-import-export's admin pages, listed for the Danish catalogue.

django-import-export ships no Danish translation; these message ids are the
ones its templates, forms and admin use, so `makemessages` keeps them in
locale/da and the import and export pages read in Danish. Nothing imports
this module.
"""

from django.utils.translation import gettext_noop

TEXTS = [
    gettext_noop("Import"),
    gettext_noop("Export"),
    gettext_noop("Resource"),
    gettext_noop("Format"),
    gettext_noop("File to import"),
    gettext_noop("Submit"),
    gettext_noop("Confirm import"),
    gettext_noop(
        "Below is a preview of data to be imported. If you are satisfied with the results, click 'Confirm import'"
    ),
    gettext_noop("Preview"),
    gettext_noop("New"),
    gettext_noop("Update"),
    gettext_noop("Skipped"),
    gettext_noop("Delete"),
    gettext_noop("Errors"),
    gettext_noop("Line number"),
    gettext_noop("Row"),
    gettext_noop("Some rows failed to validate"),
    gettext_noop(
        "Please correct these errors in your data where possible, then reupload it using the form above."
    ),
    gettext_noop("Non field specific"),
    gettext_noop("This importer will import the following fields: "),
    gettext_noop("This exporter will export the following fields: "),
    gettext_noop("Select all"),
    gettext_noop("Export selected %(verbose_name_plural)s"),
    gettext_noop("Import finished: {} new, {} updated, {} deleted and {} skipped {}."),
    gettext_noop(
        "No valid data to import. Ensure your file has the correct headers or data for import."
    ),
    gettext_noop('Select at least 1 field for "%(resource_name)s" to export'),
]
