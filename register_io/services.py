"""Import and export of the register (DESIGN.md "Import and export").

One path for the admin and the management commands:

- `read_dataset` refuses a file by type, size and row count before it is
  parsed, and parses CSV (BOM, `;`/`,`/tab) and XLSX (openpyxl through
  defusedxml) into a tablib Dataset;
- `RegisterResource.import_data` validates every row without a query per row,
  writes nothing when any row is refused, and writes the rest in bulk with
  history ("Import: <file name>", the importing user);
- `RegisterCSV` / `RegisterXLSX` are the formats the admin offers; their exports
  write cells that start like a formula as text.

The domain apps build their resources (`agreements.resources`,
`providers.resources`) and admins on this module, so it imports none of
them; `register_io.registers` names the resources and holds `register_import`
and `register_export`, which the commands (and tests) call; the admin calls
the same resources and formats.
"""

import csv
import datetime
import io
import re
import zipfile
from collections.abc import Iterable
from copy import copy
from decimal import Decimal, InvalidOperation
from pathlib import PurePath

import tablib
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import connections, models, router, transaction
from django.db.models import F, Q
from django.utils import translation
from django.utils.translation import gettext as _
from import_export import resources, widgets
from import_export.formats.base_formats import Format
from import_export.instance_loaders import BaseInstanceLoader
from import_export.results import Result
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from domain.errors import Refusal
from versioning.models import Versioned


class ImportRefused(Refusal):
    """The file as a whole is refused (type, size, rows, unsafe XML); nothing is read."""


# Reading files ---------------------------------------------------------------

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_MAGIC = b"PK\x03\x04"
# Parts of an XLSX that are themselves archives (an embedded workbook, a
# gzip stream) are refused: nothing in a register file needs them, and they
# would hide a second layer of compression from the checks below.
NESTED_ARCHIVE_MAGICS = (XLSX_MAGIC, b"\x1f\x8b", b"7z\xbc\xaf", b"Rar!")
# A workbook written by Excel or LibreOffice has a few dozen parts at most.
XLSX_MAX_PARTS = 200


def file_kind(file_name: str) -> str:
    suffix = PurePath(file_name or "").suffix.lower().lstrip(".")
    if suffix not in ("csv", "xlsx"):
        raise ImportRefused(
            _("The file %(name)s is not a CSV or XLSX file.") % {"name": file_name or "?"}
        )
    return suffix


def check_size(size: int) -> None:
    limit = settings.IMPORT_MAX_BYTES
    if size > limit:
        raise ImportRefused(
            _("The file is larger than %(limit)s MB and is not read.")
            % {"limit": f"{limit / 1024 / 1024:g}"}
        )


def _too_many_rows() -> ImportRefused:
    return ImportRefused(
        _("The file has more than %(limit)s rows and is not read.")
        % {"limit": settings.IMPORT_MAX_ROWS}
    )


def read_dataset(content: bytes, file_name: str) -> tablib.Dataset:
    """The rows of an uploaded file, or ImportRefused before it is parsed."""
    kind = file_kind(file_name)
    check_size(len(content))
    if kind == "xlsx":
        return read_xlsx(content)
    return read_csv(content)


def _is_blank(row: Iterable) -> bool:
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in row)


def _dataset(rows: list[list]) -> tablib.Dataset:
    """Header row + data rows; empty trailing rows and unnamed trailing columns dropped."""
    while rows and _is_blank(rows[-1]):
        rows.pop()
    if not rows:
        raise ImportRefused(_("The file is empty."))
    headers = [("" if cell is None else str(cell)).strip() for cell in rows[0]]
    while headers and not headers[-1]:
        headers.pop()
    if not headers:
        raise ImportRefused(_("The file has no column headers in its first row."))
    width = len(headers)
    dataset = tablib.Dataset(headers=headers)
    for row in rows[1:]:
        row = list(row[:width])
        dataset.append(row + [None] * (width - len(row)))
    return dataset


def count_lines(content: bytes) -> int:
    """Lines in a text file, blank ones included, counted without splitting it."""
    if not content:
        return 0
    breaks = content.count(b"\n") + content.count(b"\r") - content.count(b"\r\n")
    return breaks + (0 if content.endswith((b"\n", b"\r")) else 1)


def read_csv(content: bytes) -> tablib.Dataset:
    if content.startswith(XLSX_MAGIC) or b"\x00" in content:
        raise ImportRefused(_("The file is not a CSV file."))
    # Blank lines count towards the limit: a file of blank lines would
    # otherwise be split, decoded and parsed whatever its length.
    if count_lines(content) > settings.IMPORT_MAX_ROWS + 1:
        raise _too_many_rows()
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Danish Windows saves CSV as Windows-1252.
        text = content.decode("cp1252", errors="replace")
    header = next((line for line in text.splitlines() if line.strip(" \t;,")), "")
    delimiter = max(";,\t", key=header.count)
    rows = [
        [_unescape_csv_cell(cell) for cell in row]
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    ]
    return _dataset(rows)


def _unescape_csv_cell(cell: str) -> str:
    """Undo the apostrophe `write_csv` puts before a cell that starts like a formula."""
    if len(cell) > 1 and cell[0] == "'" and cell[1] in "=+-@\t\r":
        return cell[1:]
    return cell


XML_DECLARATIONS = re.compile(rb"<!\s*(doctype|entity)", re.IGNORECASE)


def _unpacks_to_too_much() -> ImportRefused:
    return ImportRefused(_("The XLSX file unpacks to too much data and is not read."))


def _check_xlsx_container(content: bytes) -> None:
    """Refuse a zip bomb before anything is unpacked.

    The sizes come from the zip's central directory. They cannot understate
    what is unpacked: `zipfile` (which openpyxl reads through as well) stops
    at the declared size and refuses a part that holds more (a CRC error).
    """
    if not content.startswith(XLSX_MAGIC):
        raise ImportRefused(_("The file is not an XLSX file."))
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile as error:
        raise ImportRefused(_("The file is not an XLSX file.")) from error
    with archive:
        members = archive.infolist()
        if len(members) > XLSX_MAX_PARTS:
            raise ImportRefused(
                _("The XLSX file has more than %(limit)s parts and is not read.")
                % {"limit": XLSX_MAX_PARTS}
            )
        unpacked = sum(member.file_size for member in members)
        if unpacked > min(
            settings.IMPORT_XLSX_MAX_UNPACKED_BYTES,
            settings.IMPORT_XLSX_MAX_RATIO * len(content),
        ):
            raise _unpacks_to_too_much()
        try:
            for member in members:
                _check_xlsx_part(archive, member)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError) as error:
            raise ImportRefused(_("The XLSX file cannot be read.")) from error


def _check_xlsx_part(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> None:
    with archive.open(member) as part:
        start = part.read(4)
        if start.startswith(NESTED_ARCHIVE_MAGICS):
            raise ImportRefused(_("The XLSX file contains another archive and is refused."))
        if not member.filename.endswith((".xml", ".rels")):
            return
        # Office Open XML never declares a DTD or entities; a part that
        # does is an entity attack (billion laughs, external entities).
        # Read in chunks, overlapping so that a declaration across two
        # chunks is seen.
        tail = start
        while chunk := part.read(1024 * 1024):
            window = tail + chunk
            if XML_DECLARATIONS.search(window):
                raise ImportRefused(_unsafe_xml_message())
            tail = window[-64:]
        if XML_DECLARATIONS.search(tail):
            raise ImportRefused(_unsafe_xml_message())


def _unsafe_xml_message() -> str:
    return _("The XLSX file contains XML entity declarations and is refused.")


def read_xlsx(content: bytes) -> tablib.Dataset:
    import openpyxl

    # openpyxl parses through defusedxml when it is installed (and not turned
    # off with OPENPYXL_DEFUSEDXML=False) and lxml is not in use (the settings
    # turn it off); refuse XLSX rather than parse unsafely.
    if not openpyxl.DEFUSEDXML or openpyxl.LXML:
        raise ImportRefused(_("XLSX files cannot be read safely on this server."))
    _check_xlsx_container(content)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:
        raise _unreadable(error) from error
    try:
        sheet = workbook.worksheets[0]
        # The stored <dimension> may be stale (it is written by whatever made
        # the file): read-only mode would stop at the row it names, so every
        # row is read instead. Blank rows count towards the limit.
        sheet.reset_dimensions()
        limit = settings.IMPORT_MAX_ROWS + 1
        rows: list[list] = []
        for row in sheet.iter_rows(values_only=True):
            rows.append(list(row))
            if len(rows) > limit:
                raise _too_many_rows()
    except ImportRefused:
        raise
    except Exception as error:
        raise _unreadable(error) from error
    finally:
        workbook.close()
    return _dataset(rows)


def _unreadable(error: BaseException) -> ImportRefused:
    """openpyxl wraps what defusedxml raises; look through the chain."""
    from defusedxml import DefusedXmlException

    cause: BaseException | None = error
    while cause is not None:
        if isinstance(cause, DefusedXmlException):
            return ImportRefused(_unsafe_xml_message())
        cause = cause.__cause__ or cause.__context__
    return ImportRefused(_("The XLSX file cannot be read."))


# Writing files ---------------------------------------------------------------


def looks_like_formula(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def _csv_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, Decimal):
        return f"{value:.2f}".replace(".", ",")
    if isinstance(value, datetime.date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, str) and looks_like_formula(value):
        # Excel shows a cell starting with an apostrophe as text; the
        # importer strips it again.
        return "'" + value
    return str(value)


def write_csv(dataset: tablib.Dataset) -> bytes:
    """Semicolon-separated UTF-8 with BOM, as Danish Excel opens it."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([_csv_cell(header) for header in dataset.headers])
    for row in dataset:
        writer.writerow([_csv_cell(cell) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


ILLEGAL_XML_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def write_xlsx(dataset: tablib.Dataset) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = (dataset.title or "Register")[:31]
    sheet.append(list(dataset.headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for row_index, row in enumerate(dataset, start=2):
        for column_index, value in enumerate(row, start=1):
            cell = sheet.cell(row=row_index, column=column_index)
            if isinstance(value, str):
                value = ILLEGAL_XML_CHARACTERS.sub("", value)
                cell.value = value
                # openpyxl would store "=..." as a formula: store it as a
                # string cell and mark it for Excel as text (quote prefix).
                cell.data_type = "s"
                if looks_like_formula(value):
                    cell.quotePrefix = True
            elif isinstance(value, datetime.date):
                cell.value = value
                cell.number_format = "DD.MM.YYYY"
            elif isinstance(value, Decimal):
                cell.value = value
                cell.number_format = "#,##0.00"
            else:
                cell.value = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class RegisterFormat(Format):
    """A file format for the admin: the safe reader and writer above."""

    extension = ""
    content_type = "application/octet-stream"

    def __init__(self, encoding=None):
        self.encoding = encoding

    def get_title(self) -> str:
        return self.extension

    def get_extension(self) -> str:
        return self.extension

    def get_content_type(self) -> str:
        return self.content_type

    def is_binary(self) -> bool:
        return True

    def get_read_mode(self) -> str:
        return "rb"

    def can_import(self) -> bool:
        return True

    def can_export(self) -> bool:
        return True

    def create_dataset(self, in_stream: bytes, **kwargs) -> tablib.Dataset:
        return read_dataset(in_stream, f"upload.{self.extension}")


class RegisterCSV(RegisterFormat):
    extension = "csv"
    content_type = "text/csv"

    def export_data(self, dataset: tablib.Dataset, **kwargs) -> bytes:
        return write_csv(dataset)


class RegisterXLSX(RegisterFormat):
    extension = "xlsx"
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    def export_data(self, dataset: tablib.Dataset, **kwargs) -> bytes:
        return write_xlsx(dataset)


FORMATS = {"csv": RegisterCSV, "xlsx": RegisterXLSX}


# Widgets: Danish numbers and dates, choices by label, relations by natural key


def cell_text(value: object) -> str:
    """A cell as text: XLSX gives numbers for codes typed into Excel."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    # Only spaces: a tab or line break at the start is part of the text.
    return str(value).strip(" \u00a0")


class TextWidget(widgets.Widget):
    def __init__(self, null: bool = False):
        super().__init__(coerce_to_string=False)
        self.null = null

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text and self.null:
            return None
        return text

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else value


class IntegerWidget(widgets.Widget):
    """Whole numbers: 20, 1.234 (Danish thousands), 20.0 from Excel."""

    def __init__(self, minimum: int | None = None, maximum: int | None = None):
        super().__init__(coerce_to_string=False)
        self.minimum = minimum
        self.maximum = maximum

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value).replace(" ", "")
        if not text:
            return None
        if re.fullmatch(r"-?\d{1,3}(\.\d{3})+", text):
            text = text.replace(".", "")
        try:
            number = int(text)
        except ValueError:
            raise ValueError(
                _("%(value)s is not a whole number.") % {"value": _quoted(value)}
            ) from None
        if self.minimum is not None and number < self.minimum:
            if self.minimum == 0:
                raise ValueError(_("The number cannot be negative."))
            raise ValueError(
                _("The number must be at least %(minimum)s.") % {"minimum": self.minimum}
            )
        if self.maximum is not None and number > self.maximum:
            raise ValueError(
                _("The number must be at most %(maximum)s.") % {"maximum": self.maximum}
            )
        return number

    def render(self, value, obj=None, **kwargs):
        return value


def parse_danish_decimal(value: object) -> Decimal | None:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return Decimal(str(value))
    text = cell_text(value).replace(" ", "").replace("\u00a0", "").removesuffix("kr.").strip()
    if not text:
        return None
    if "," in text:
        # 1.234,50 — the point groups thousands, the comma is the decimal sign.
        text = text.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"-?\d{1,3}(\.\d{3})+", text):
        text = text.replace(".", "")
    if not re.fullmatch(r"-?\d+(\.\d+)?", text):
        raise ValueError(_("%(value)s is not an amount.") % {"value": _quoted(value)})
    try:
        return Decimal(text)
    except InvalidOperation:
        raise ValueError(_("%(value)s is not an amount.") % {"value": _quoted(value)}) from None


class DecimalWidget(widgets.Widget):
    def __init__(self):
        super().__init__(coerce_to_string=False)

    def clean(self, value, row=None, **kwargs):
        number = parse_danish_decimal(value)
        if number is not None and number < 0:
            raise ValueError(_("The amount cannot be negative."))
        return number

    def render(self, value, obj=None, **kwargs):
        return value


DATE_FORMATS = ("%d.%m.%Y", "%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d")


class DateWidget(widgets.Widget):
    """31.12.2026, 31-12-2026 (and ISO 2026-12-31, or an Excel date)."""

    def __init__(self):
        super().__init__(coerce_to_string=False)

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = cell_text(value)
        if not text:
            return None
        for date_format in DATE_FORMATS:
            try:
                return datetime.datetime.strptime(text, date_format).date()
            except ValueError:
                continue
        raise ValueError(
            _("%(value)s is not a date in the format DD.MM.YYYY.") % {"value": _quoted(value)}
        )

    def render(self, value, obj=None, **kwargs):
        return value


class ChoiceWidget(widgets.Widget):
    """A choice by its Danish label (as exported), its English label or its code."""

    def __init__(self, choices):
        super().__init__(coerce_to_string=False)
        self.choices = choices
        self.table: dict[str, object] | None = None
        self.labels: dict[object, str] | None = None

    def _lookup(self) -> dict[str, object]:
        if self.table is None:
            self.table = self._table()
        return self.table

    def _table(self) -> dict[str, object]:
        table: dict[str, object] = {}
        for language in ("en", "da"):
            with translation.override(language):
                for value, label in self.choices:
                    table[str(label).casefold()] = value
        for value, _label in self.choices:
            table[str(value).casefold()] = value
        return table

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            return None
        try:
            return self._lookup()[text.casefold()]
        except KeyError:
            with translation.override("da"):
                allowed = ", ".join(str(label) for _value, label in self.choices)
            raise ValueError(
                _("%(value)s is not one of the allowed values: %(allowed)s.")
                % {"value": _quoted(value), "allowed": allowed}
            ) from None

    def render(self, value, obj=None, **kwargs):
        if value in (None, ""):
            return ""
        if self.labels is None:
            with translation.override("da"):
                self.labels = {key: str(label) for key, label in self.choices}
        return self.labels.get(value, value)


# Lookups by the keys in the file ----------------------------------------------

# Rows per lookup: a set of two fields stays under SQLite's 999 parameters.
LOOKUP_CHUNK = 450


def chunked(values: Iterable, size: int = LOOKUP_CHUNK) -> Iterable[list]:
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


def column_values(dataset: tablib.Dataset, column: str) -> list:
    """The cells of one column, or none when the file lacks it."""
    if column not in (dataset.headers or []):
        return []
    return dataset[column]


class NaturalKeyWidget(widgets.Widget):
    """A related object by its natural key (municipality code, CVR …).

    All candidates are read in one query the first time the widget cleans a
    value in an import, so the query count does not grow with the rows.
    Widgets for large tables override `prime` to read only the objects the
    file names, so an import's cost follows the file, not the table.
    """

    def __init__(self, queryset, key: str, not_found: str, normalize=cell_text):
        super().__init__(coerce_to_string=False)
        self.queryset = queryset
        self.key = key
        self.not_found = not_found
        self.normalize = normalize
        self.cache: dict | None = None

    def reset(self) -> None:
        self.cache = None

    def prime(self, dataset: tablib.Dataset, column: str) -> None:
        """Before an import: small reference tables are read whole on first use."""

    def objects(self) -> dict:
        if self.cache is None:
            self.cache = {
                self.normalize(getattr(obj, self.key)): obj for obj in self.queryset.all()
            }
        return self.cache

    def clean(self, value, row=None, **kwargs):
        key = self.normalize(value)
        if key in ("", None):
            return None
        try:
            return self.objects()[key]
        except KeyError:
            raise ValueError(self.not_found % {"value": key}) from None

    def render(self, value, obj=None, **kwargs):
        return None if value is None else getattr(value, self.key)


def _quoted(value: object) -> str:
    return f"«{cell_text(value)}»"


# Constraints without queries ---------------------------------------------------

_COMPARISONS = {
    "exact": lambda a, b: a == b,
    "gt": lambda a, b: a > b,
    "gte": lambda a, b: a >= b,
    "lt": lambda a, b: a < b,
    "lte": lambda a, b: a <= b,
    "in": lambda a, b: a in b,
}


def condition_holds(condition: Q, instance: models.Model) -> bool | None:
    """Evaluate a CheckConstraint's condition on an unsaved instance in Python,
    with SQL's three-valued logic (None = unknown, which a CHECK lets pass).

    Django's own `validate_constraints` asks the database once per constraint
    and row; an import of 10,000 rows cannot afford that.
    """
    results = []
    for child in condition.children:
        if isinstance(child, Q):
            results.append(condition_holds(child, instance))
        else:
            results.append(_lookup_holds(instance, *child))
    if condition.connector == Q.AND:
        value = False if False in results else (None if None in results else True)
    else:
        value = True if True in results else (None if None in results else False)
    if condition.negated and value is not None:
        value = not value
    return value


def _lookup_holds(instance: models.Model, lookup: str, expected: object) -> bool | None:
    name, _sep, operator = lookup.partition("__")
    operator = operator or "exact"
    if operator != "isnull" and operator not in _COMPARISONS:
        raise NotImplementedError(f"lookup {lookup} is not evaluated in Python")
    actual = getattr(instance, instance._meta.get_field(name).attname)
    if operator == "isnull":
        return (actual is None) == expected
    if isinstance(expected, F):
        expected = getattr(instance, instance._meta.get_field(expected.name).attname)
    if actual is None or expected is None:
        return None
    return _COMPARISONS[operator](actual, expected)


def condition_fields(condition: Q) -> list[str]:
    names: list[str] = []
    for child in condition.children:
        if isinstance(child, Q):
            names.extend(condition_fields(child))
        else:
            names.append(child[0].split("__")[0])
            if isinstance(child[1], F):
                names.append(child[1].name)
    return names


# The resource -------------------------------------------------------------------


class NaturalKeyLoader(BaseInstanceLoader):
    """Finds existing objects by natural key in one query per import."""

    def __init__(self, resource, dataset=None):
        super().__init__(resource, dataset)
        self.index = resource.existing_index(dataset)

    def get_instance(self, row):
        try:
            keys = self.resource.row_keys(row)
        except (ValueError, KeyError):
            return None  # the field's own validation reports it
        return next((self.index[key] for key in keys if key in self.index), None)


class NoDiff:
    """Reads no field values: the command reports counts and errors, no diffs."""

    def __init__(self, resource, instance, new):
        pass

    def compare_with(self, resource, instance):
        pass

    def as_html(self):
        return []


class RegisterResource(resources.ModelResource):
    """A register resource with Danish columns and natural keys.

    Subclasses declare their fields (column names are the Danish file
    headers) and `key_fields` (the resource fields that identify a row); they
    override `row_keys` / `instance_keys` when a row can be matched in more
    than one way (an offer by Tilbudsportalen id, else by name).
    """

    key_fields: tuple[str, ...] = ()

    class Meta:
        use_bulk = True
        skip_unchanged = True
        report_skipped = True
        # Validation runs in validate_instance without database queries.
        clean_model_instances = False
        instance_loader_class = NaturalKeyLoader

    def __init__(self, *, html_diff: bool = True, **kwargs):
        super().__init__(**kwargs)
        self._meta = copy(type(self)._meta)
        # The admin's preview shows a diff per row; the command does not need it.
        self._meta.skip_html_diff = not html_diff
        self.html_diff = html_diff
        self.user = None
        self.file_name = ""

    def get_diff_class(self):
        return super().get_diff_class() if self.html_diff else NoDiff

    # Lookups

    def existing_queryset(self) -> models.QuerySet:
        """The rows an import may match; a resource narrows the columns it
        reads (`select_related`), `existing_index` the rows to `visible`."""
        return self.get_queryset()

    def visible(self, queryset: models.QuerySet) -> models.QuerySet:
        """What the importing user may see: a secretariat matches, changes and
        refers to the rows of its own agreements only (a row of another
        secretariat is as unknown as one that does not exist)."""
        if self.user is not None and hasattr(queryset, "visible_to"):
            return queryset.visible_to(self.user)
        return queryset

    def existing_index(self, dataset: tablib.Dataset | None = None) -> dict:
        """The existing objects the file's rows may match or collide with, by
        their natural keys. Only objects sharing a key or a unique value with
        some row of the file are read (chunked `__in` lookups); without a file,
        all of them."""
        # However a resource reads its rows, the user's scope narrows them.
        queryset = self.visible(self.existing_queryset()).order_by()
        if dataset is None:
            self._existing = list(queryset)
        else:
            # Keys first (cheap, and an object found by two sets is read once),
            # then the objects.
            pks: set = set()
            for condition in self.lookup_conditions(dataset):
                pks.update(queryset.filter(condition).values_list("pk", flat=True))
            self._existing = [
                obj
                for chunk in chunked(sorted(pks), 2 * LOOKUP_CHUNK)
                for obj in queryset.filter(pk__in=chunk)
            ]
        self._unique_index = {
            fields: {self._unique_values(obj, fields): obj.pk for obj in self._existing}
            for fields in self.unique_sets()
        }
        return {key: obj for obj in self._existing for key in self.instance_keys(obj)}

    def lookup_sets(self) -> list[tuple[str, ...]]:
        """The model fields that identify a row: the natural key and every
        set the database holds unique."""
        key = tuple(self.fields[name].attribute for name in self.key_fields)
        return [key, *(fields for fields in self.unique_sets() if fields != key)]

    def lookup_conditions(self, dataset: tablib.Dataset) -> Iterable[Q]:
        """For each lookup set and chunk of the file's rows, a condition that
        every existing object sharing the set's values with one of those rows
        meets: `field__in` the chunk's values, for each field of the set (one
        index lookup per set, not an OR that defeats the indexes)."""
        by_attribute = {field.attribute: field for field in self.fields.values()}
        rows = [dict(zip(dataset.headers, row, strict=False)) for row in dataset]
        for fields in self.lookup_sets():
            if not all(name in by_attribute for name in fields):
                continue
            values = {self._row_values(row, fields, by_attribute) for row in rows} - {None}
            for chunk in chunked(sorted(values, key=str)):
                yield Q(
                    **{
                        f"{name}__in": {row_values[i] for row_values in chunk}
                        for i, name in enumerate(fields)
                    }
                )

    @staticmethod
    def _row_values(row: dict, fields: tuple[str, ...], by_attribute: dict) -> tuple | None:
        """The row's values of `fields` as the database holds them; None when
        a cell is empty or cannot be read (its error is reported later)."""
        values = []
        for name in fields:
            try:
                value = by_attribute[name].clean(row)
            except (ValueError, KeyError, ValidationError):
                return None
            if value in (None, ""):
                return None
            values.append(value.pk if isinstance(value, models.Model) else value)
        return tuple(values)

    def row_keys(self, row) -> list[tuple]:
        """The natural keys a file row may match an existing object by, best first."""
        return [tuple(self.fields[name].clean(row) for name in self.key_fields)]

    def instance_keys(self, obj) -> list[tuple]:
        return [tuple(self.fields[name].get_value(obj) for name in self.key_fields)]

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related(*self.related_for_export())

    def related_for_export(self) -> list[str]:
        return []

    # Columns

    def column_of(self, name: str) -> str:
        """The Danish column of a model field or resource field name."""
        for resource_field_name, resource_field in self.fields.items():
            if name in (resource_field_name, resource_field.attribute):
                return resource_field.column_name
        return name

    def before_import(self, dataset, **kwargs):
        for resource_field in self.fields.values():
            if isinstance(resource_field.widget, NaturalKeyWidget):
                resource_field.widget.queryset = self.visible(resource_field.widget.queryset)
                resource_field.widget.reset()
                resource_field.widget.prime(dataset, resource_field.column_name)
        self._claimed: dict[tuple, dict[tuple, int]] = {fields: {} for fields in self.unique_sets()}
        # Which existing object each row matched: two rows may not change the same one.
        self._matched: dict[object, int] = {}
        known = {resource_field.column_name for resource_field in self.fields.values()}
        unknown = [header for header in dataset.headers if header not in known]
        if unknown:
            raise ValueError(
                _("The file has columns this register does not know: %(columns)s.")
                % {"columns": ", ".join(f"«{header}»" for header in unknown)}
            )
        missing = [
            self.fields[name].column_name
            for name in self.key_fields
            if self.fields[name].column_name not in dataset.headers
        ]
        if missing:
            raise ValueError(
                _("The file lacks the columns %(columns)s.")
                % {"columns": ", ".join(f"«{column}»" for column in missing)}
            )

    def _check_import_id_fields(self, headers):
        """before_import checks the key columns, in Danish."""

    # Validation

    def unique_sets(self) -> list[tuple[str, ...]]:
        """The field sets the database holds unique (besides the primary key)."""
        opts = self._meta.model._meta
        sets = [(f.name,) for f in opts.concrete_fields if f.unique and not f.primary_key]
        sets += [
            tuple(constraint.fields)
            for constraint in opts.constraints
            if isinstance(constraint, models.UniqueConstraint) and constraint.condition is None
        ]
        return sets

    @staticmethod
    def _unique_values(obj, fields: tuple[str, ...]) -> tuple:
        return tuple(getattr(obj, obj._meta.get_field(name).attname) for name in fields)

    def import_instance(self, instance, row, **kwargs):
        errors: dict = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        # Duplicates are checked on every row, unchanged ones too.
        errors = self._check_duplicates(instance, kwargs.get("row_number", 0) + 1, errors)
        if errors:
            raise ValidationError(self._by_column(errors))

    def _check_duplicates(self, instance, row_number: int, errors: dict) -> dict:
        found = sum(len(messages) for messages in errors.values())
        errors = self._check_unique_sets(instance, row_number, errors)
        if instance.pk is not None:
            earlier = self._matched.setdefault(instance.pk, row_number)
            already = sum(len(messages) for messages in errors.values()) > found
            if earlier != row_number and not already:
                # Matched by another key (Tilbudsportalen id in one row, name in another).
                column = self.fields[self.key_fields[-1]].column_name
                errors.setdefault(column, []).append(
                    _("The row changes the same %(model)s as row %(row)s of the file.")
                    % {"model": instance._meta.verbose_name, "row": earlier}
                )
        return errors

    def _check_unique_sets(self, instance, row_number: int, errors: dict) -> dict:
        for fields in self.unique_sets():
            values = self._unique_values(instance, fields)
            if None in values or "" in values:
                continue
            columns = [self.column_of(name) for name in fields]
            if any(
                column in errors or name in errors
                for name, column in zip(fields, columns, strict=True)
            ):
                continue
            column = columns[-1]
            earlier = self._claimed[fields].get(values)
            existing_pk = self._unique_index.get(fields, {}).get(values)
            if earlier is not None:
                message = _("The same %(columns)s is also in row %(row)s of the file.") % {
                    "columns": " + ".join(f"«{c}»" for c in columns),
                    "row": earlier,
                }
                errors.setdefault(column, []).append(message)
                break  # one duplicate per row says it; the other keys follow from it
            if existing_pk is not None and existing_pk != instance.pk:
                errors.setdefault(column, []).append(self._unique_message(fields))
                break
            self._claimed[fields][values] = row_number
        return errors

    def _unique_message(self, fields: tuple[str, ...]) -> str:
        opts = self._meta.model._meta
        for constraint in opts.constraints:
            if isinstance(constraint, models.UniqueConstraint) and tuple(constraint.fields) == (
                fields
            ):
                return str(constraint.violation_error_message)
        return _("Another %(model)s has this %(column)s.") % {
            "model": opts.verbose_name,
            "column": self.column_of(fields[0]),
        }

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = self._by_column(dict(import_validation_errors or {}))
        refused = {
            f.name for f in instance._meta.concrete_fields if self.column_of(f.name) in errors
        }
        for column, messages in self._by_column(self.model_errors(instance, refused)).items():
            errors.setdefault(column, []).extend(messages)
        if errors:
            raise ValidationError(errors)

    def model_errors(self, instance, refused: set[str]) -> dict:
        """Field validation, the model's clean() and its check constraints,
        all in Python: related objects come from the import's caches. Fields
        in `refused` already have an error from reading the cell."""
        errors: dict = {}
        opts = instance._meta
        relations = [f for f in opts.concrete_fields if f.is_relation]
        for relation in relations:
            if relation.name in refused:
                continue
            if getattr(instance, relation.attname) is None and not relation.null:
                errors[relation.name] = [_("This field cannot be blank.")]
        try:
            instance.clean_fields(exclude=[f.name for f in relations] + list(refused))
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if not errors and not refused:
            try:
                instance.clean()
            except ValidationError as error:
                errors = error.update_error_dict(errors)
        if not errors:
            errors = self._constraint_errors(instance)
        return errors

    def _constraint_errors(self, instance) -> dict:
        """The check constraints `instance` breaks, under the first field of
        each condition that has a column of its own."""
        errors: dict = {}
        for constraint in instance._meta.constraints:
            if not isinstance(constraint, models.CheckConstraint):
                continue
            if condition_holds(constraint.condition, instance) is not False:
                continue
            names = condition_fields(constraint.condition)
            column = next((n for n in names if self.column_of(n) != n), NON_FIELD_ERRORS)
            errors.setdefault(column, []).append(constraint.get_violation_error_message())
        return errors

    def _by_column(self, errors: dict) -> dict:
        """The texts of `errors` (messages or ValidationErrors per field) per column."""
        by_column: dict[str, list] = {}
        for name, messages in errors.items():
            column = name if name == NON_FIELD_ERRORS else self.column_of(name)
            # ValidationError flattens a list of texts and errors, or an error, to texts.
            by_column.setdefault(column, []).extend(ValidationError(messages).messages)
        return by_column

    # Writing: all or nothing, in bulk, with history

    def import_data(self, dataset, dry_run=False, raise_errors=False, **kwargs):
        self.user = kwargs.get("user")
        self.file_name = kwargs.get("file_name") or ""
        kwargs["rollback_on_validation_errors"] = True
        kwargs.setdefault("use_transactions", True)
        result = super().import_data(dataset, dry_run=dry_run, raise_errors=raise_errors, **kwargs)
        # Report rows as the spreadsheet numbers them: the header is row 1.
        for invalid in result.invalid_rows:
            invalid.number += 1
        result.row_errors_renumbered = [(number + 1, errs) for number, errs in result.row_errors()]
        return result

    def _refused(self, result: Result | None) -> bool:
        return result is not None and (result.has_errors() or result.has_validation_errors())

    def change_reason(self) -> str:
        return f"Import: {PurePath(self.file_name).name}" if self.file_name else "Import"

    def get_bulk_update_fields(self):
        return sorted(
            {
                resource_field.attribute
                for resource_field in self.get_import_fields()
                if resource_field.attribute
                and not resource_field.readonly
                and "__" not in resource_field.attribute
            }
        )

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        def write() -> None:
            bulk_create_with_history(
                self.create_instances,
                self._meta.model,
                batch_size=batch_size,
                default_user=self._history_user(),
                default_change_reason=self.change_reason(),
            )

        self._write(self.create_instances, write, result, raise_errors)

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        def write() -> None:
            update_rows(self._meta.model, self.update_instances, self.get_bulk_update_fields())
            # The rows are written; this records their history in bulk.
            bulk_update_with_history(
                self.update_instances,
                self._meta.model,
                [],
                batch_size=batch_size,
                default_user=self._history_user(),
                default_change_reason=self.change_reason(),
            )

        self._write(self.update_instances, write, result, raise_errors)

    def _write(self, instances: list, write, result: Result | None, raise_errors: bool) -> None:
        """Write the pending rows unless any row was refused (all or nothing)."""
        if instances and not self._refused(result):
            try:
                with transaction.atomic():
                    write()
            except Exception as error:
                self.handle_import_error(result, error, raise_errors)
        instances.clear()

    def _history_user(self):
        user = self.user
        return user if user is not None and user.is_authenticated else None

    def after_import(self, dataset, result, **kwargs):
        """New rows get their keys from the database; no sequences to reset."""


def update_rows(model: type[models.Model], objs: list[models.Model], names: list[str]) -> None:
    """UPDATE the given fields of `objs` by primary key, as one executemany.

    Django's bulk_update builds a CASE expression per object and field,
    which costs seconds for thousands of rows; a prepared statement run once
    per row inside the driver does not.
    """
    if not objs:
        return
    opts = model._meta
    fields = [opts.get_field(name) for name in names]
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in fields)
    if issubclass(model, Versioned):
        # An admin form opened before the import is then refused, not saved over it.
        column = quote("row_version")
        assignments += f", {column} = {column} + 1"
        for obj in objs:
            obj.row_version += 1
    sql = f"UPDATE {quote(opts.db_table)} SET {assignments} WHERE {quote(opts.pk.column)} = %s"  # noqa: S608
    rows = [
        [field.get_db_prep_save(getattr(obj, field.attname), connection) for field in fields]
        + [obj.pk]
        for obj in objs
    ]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            from psycopg2.extras import execute_batch

            # Pages of statements per round trip instead of one per row.
            execute_batch(cursor.cursor, sql, rows, page_size=500)
        else:
            cursor.executemany(sql, rows)
