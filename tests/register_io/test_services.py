"""Reading and writing register files: refusals before parsing, tolerant
reading (BOM, Danish Excel CSV, empty trailing rows), XML entity attacks in
XLSX, and exports that Excel shows as text."""

import io
import os
import re
import time
import zipfile

import openpyxl
import pytest
from defusedxml import DefusedXmlException
from django.db import models

from agreements.models import FrameworkAgreement, Municipality
from providers.models import Offer, OperatingAgreement, Provider, Tariff
from register_io import services as register_io
from register_io.registers import register_export, register_import
from register_io.services import ImportRefused, condition_holds, read_dataset
from tests.conftest import make_offer, make_provider

# Refused before parsing ----------------------------------------------------------


def test_a_file_that_is_not_csv_or_xlsx_is_refused():
    with pytest.raises(ImportRefused, match="er ikke en CSV- eller XLSX-fil"):
        read_dataset(b"<html></html>", "tilbud.html")
    with pytest.raises(ImportRefused, match="er ikke en CSV- eller XLSX-fil"):
        read_dataset(b"\xd0\xcf\x11\xe0", "tilbud.xls")


def test_a_binary_file_named_csv_is_refused():
    with pytest.raises(ImportRefused, match="Filen er ikke en CSV-fil"):
        read_dataset(b"PK\x03\x04rest of a zip", "tilbud.csv")


def test_a_csv_named_xlsx_is_refused():
    with pytest.raises(ImportRefused, match="Filen er ikke en XLSX-fil"):
        read_dataset(b"Navn;Kode\nA;1\n", "tilbud.xlsx")


def test_a_file_over_the_size_limit_is_refused_unread(settings, monkeypatch):
    settings.IMPORT_MAX_BYTES = 100
    monkeypatch.setattr(register_io, "read_csv", lambda content: pytest.fail("parsed"))
    with pytest.raises(ImportRefused, match="større end"):
        read_dataset(b"x" * 101, "tilbud.csv")


def test_a_file_at_the_size_limit_is_read(settings):
    content = b"Navn\n" + b"x" * 95
    settings.IMPORT_MAX_BYTES = len(content)
    assert read_dataset(content, "tilbud.csv").headers == ["Navn"]


def test_a_csv_with_more_rows_than_the_limit_is_refused(settings):
    settings.IMPORT_MAX_ROWS = 3
    assert len(read_dataset(b"Navn\na\nb\nc\n", "ok.csv")) == 3
    with pytest.raises(ImportRefused, match="mere end 3 rækker"):
        read_dataset(b"Navn\na\nb\nc\nd\n", "for-mange.csv")


def _xlsx(rows: list[list]) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_an_xlsx_with_more_rows_than_the_limit_is_refused(settings):
    settings.IMPORT_MAX_ROWS = 3
    assert len(read_dataset(_xlsx([["Navn"], ["a"], ["b"], ["c"]]), "ok.xlsx")) == 3
    with pytest.raises(ImportRefused, match="mere end 3 rækker"):
        read_dataset(_xlsx([["Navn"], ["a"], ["b"], ["c"], ["d"]]), "for-mange.xlsx")


# Tolerant reading -----------------------------------------------------------------


def test_a_byte_order_mark_and_empty_trailing_rows_are_tolerated():
    content = "\ufeffKommunekode;Navn\r\n101;København\r\n;\r\n\r\n".encode()
    dataset = read_dataset(content, "kommuner.csv")
    assert dataset.headers == ["Kommunekode", "Navn"]
    assert list(dataset) == [("101", "København")]


def test_comma_and_tab_separated_files_are_read():
    assert read_dataset(b"Kode,Navn\n101,A\n", "a.csv").headers == ["Kode", "Navn"]
    assert read_dataset(b"Kode\tNavn\n101\tA\n", "a.csv").headers == ["Kode", "Navn"]


def test_a_windows_1252_csv_from_danish_excel_is_read():
    content = "Navn;By\nBøgely;Århus\n".encode("cp1252")
    assert list(read_dataset(content, "a.csv")) == [("Bøgely", "Århus")]


def test_empty_trailing_rows_in_xlsx_are_tolerated():
    dataset = read_dataset(_xlsx([["Navn", None], ["a", None], [None, None], [None]]), "a.xlsx")
    assert dataset.headers == ["Navn"]
    assert list(dataset) == [("a",)]


# XML entity attacks -----------------------------------------------------------------

BILLION_LAUGHS = (
    b'<?xml version="1.0"?>'
    b'<!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
)
EXTERNAL_ENTITY = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def _with_part(content: bytes, part: str, prolog: bytes, entity: bytes) -> bytes:
    """The XLSX `content` with `part` re-declared under `prolog`, and a cell or
    the workbook name referring to the entity."""
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == part:
                body = data.split(b"?>", 1)[1] if data.startswith(b"<?xml") else data
                body = body.replace(b"<v>", b"<v>" + entity, 1)
                data = prolog + body
            target.writestr(item, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("prolog", "entity"),
    [(BILLION_LAUGHS, b"&lol3;"), (EXTERNAL_ENTITY, b"&xxe;")],
    ids=["entity-expansion", "external-entity"],
)
def test_an_xlsx_with_an_entity_attack_is_refused(prolog, entity):
    crafted = _with_part(_xlsx([["Navn"], [1]]), "xl/worksheets/sheet1.xml", prolog, entity)
    with pytest.raises(ImportRefused, match="XML-entitetserklæringer"):
        read_dataset(crafted, "angreb.xlsx")


def test_openpyxl_parses_through_defusedxml():
    assert openpyxl.DEFUSEDXML is True
    crafted = _with_part(_xlsx([["Navn"]]), "xl/workbook.xml", BILLION_LAUGHS, b"")
    with pytest.raises(ValueError) as refused:
        openpyxl.load_workbook(io.BytesIO(crafted))
    assert isinstance(refused.value.__cause__ or refused.value.__context__, DefusedXmlException)


@pytest.mark.parametrize(
    ("prolog", "entity"),
    [(BILLION_LAUGHS, b"&lol3;"), (EXTERNAL_ENTITY, b"&xxe;")],
    ids=["entity-expansion", "external-entity"],
)
def test_defusedxml_refuses_the_attack_even_past_the_declaration_scan(monkeypatch, prolog, entity):
    monkeypatch.setattr(register_io, "XML_DECLARATIONS", register_io.re.compile(rb"(?!x)x"))
    crafted = _with_part(_xlsx([["Navn"], [1]]), "xl/worksheets/sheet1.xml", prolog, entity)
    with pytest.raises(ImportRefused, match="XML-entitetserklæringer"):
        read_dataset(crafted, "angreb.xlsx")


def test_xlsx_is_refused_when_openpyxl_would_not_use_defusedxml(monkeypatch):
    monkeypatch.setattr(openpyxl, "DEFUSEDXML", False)
    with pytest.raises(ImportRefused, match="kan ikke læses sikkert"):
        read_dataset(_xlsx([["Navn"]]), "a.xlsx")


def test_xlsx_is_refused_when_openpyxl_would_parse_with_lxml(monkeypatch):
    monkeypatch.setattr(openpyxl, "LXML", True)
    with pytest.raises(ImportRefused, match="kan ikke læses sikkert"):
        read_dataset(_xlsx([["Navn"]]), "a.xlsx")


def test_openpyxl_does_not_use_lxml_even_where_it_is_installed():
    assert openpyxl.LXML is False


def test_a_zip_bomb_is_refused(settings):
    settings.IMPORT_MAX_BYTES = 20_000
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b" " * 300_000)
    with pytest.raises(ImportRefused, match="for store datamængder"):
        read_dataset(buffer.getvalue(), "bombe.xlsx")


def _bomb(sheet_bytes: int, file_size: int = 0) -> bytes:
    """An XLSX-like zip whose sheet is `sheet_bytes` of repeated empty cells
    (written in chunks), padded with incompressible media to about `file_size`."""
    buffer = io.BytesIO()
    cells = b'<c r="A1"/>' * 100_000
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            written = 0
            while written < sheet_bytes:
                chunk = cells[: sheet_bytes - written]
                sheet.write(chunk)
                written += len(chunk)
        if (padding := file_size - buffer.tell()) > 0:
            archive.writestr("xl/media/image1.png", os.urandom(padding))
    return buffer.getvalue()


def test_the_xlsx_that_unpacks_to_99_mb_is_refused_in_under_a_second():
    content = _bomb(99 * 1024 * 1024, file_size=288 * 1024)
    assert 280 * 1024 < len(content) < 300 * 1024
    unpacked = sum(item.file_size for item in zipfile.ZipFile(io.BytesIO(content)).infolist())
    assert unpacked > 99 * 1024 * 1024

    started = time.perf_counter()
    with pytest.raises(ImportRefused, match="for store datamængder"):
        read_dataset(content, "bombe.xlsx")

    assert time.perf_counter() - started < 1


def test_an_xlsx_unpacking_to_more_than_100_times_its_size_is_refused_under_the_cap(settings):
    settings.IMPORT_XLSX_MAX_UNPACKED_BYTES = 50 * 1024 * 1024
    content = _bomb(2 * 1024 * 1024)
    assert zipfile.ZipFile(io.BytesIO(content)).infolist()[1].file_size > 100 * len(content)

    with pytest.raises(ImportRefused, match="for store datamængder"):
        read_dataset(content, "bombe.xlsx")


def _unpacked(content: bytes) -> int:
    return sum(item.file_size for item in zipfile.ZipFile(io.BytesIO(content)).infolist())


def test_the_unpacked_cap_and_the_ratio_are_limits_at_their_boundary(settings):
    content = _xlsx([["Navn"], ["a"]])
    unpacked = _unpacked(content)

    settings.IMPORT_XLSX_MAX_UNPACKED_BYTES = unpacked
    assert len(read_dataset(content, "ok.xlsx")) == 1
    settings.IMPORT_XLSX_MAX_UNPACKED_BYTES = unpacked - 1
    with pytest.raises(ImportRefused, match="for store datamængder"):
        read_dataset(content, "for-stor.xlsx")

    settings.IMPORT_XLSX_MAX_UNPACKED_BYTES = 50 * 1024 * 1024
    ratio = unpacked / len(content)
    assert ratio != int(ratio)
    settings.IMPORT_XLSX_MAX_RATIO = int(ratio) + 1
    assert len(read_dataset(content, "ok.xlsx")) == 1
    settings.IMPORT_XLSX_MAX_RATIO = int(ratio)
    with pytest.raises(ImportRefused, match="for store datamængder"):
        read_dataset(content, "for-pakket.xlsx")


def _rezip(content: bytes, extra: dict[str, bytes]) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, source.read(item))
        for name, data in extra.items():
            target.writestr(name, data)
    return buffer.getvalue()


def test_an_xlsx_holding_another_archive_is_refused():
    inner = _xlsx([["Navn"], ["a"]])
    crafted = _rezip(_xlsx([["Navn"], ["a"]]), {"xl/embeddings/indlejret.bin": inner})

    with pytest.raises(ImportRefused, match="indeholder et andet arkiv"):
        read_dataset(crafted, "indlejret.xlsx")


def test_an_xlsx_with_too_many_parts_is_refused():
    content = _xlsx([["Navn"], ["a"]])
    parts = len(zipfile.ZipFile(io.BytesIO(content)).infolist())
    at_limit = _rezip(
        content,
        {f"docProps/del{n}.xml": b"<x/>" for n in range(register_io.XLSX_MAX_PARTS - parts)},
    )
    assert len(read_dataset(at_limit, "ok.xlsx")) == 1

    over = _rezip(at_limit, {"docProps/en-for-meget.xml": b"<x/>"})
    with pytest.raises(ImportRefused, match="mere end 200 dele"):
        read_dataset(over, "mange-dele.xlsx")


def test_a_10_mb_csv_of_blank_lines_is_refused_on_the_row_limit():
    content = b"Navn;Kode\n" + b"\n" * (10 * 1024 * 1024 - 10)
    assert len(content) == 10 * 1024 * 1024

    started = time.perf_counter()
    with pytest.raises(ImportRefused, match="mere end 20000 rækker"):
        read_dataset(content, "tomme-linjer.csv")

    assert time.perf_counter() - started < 1


def test_blank_lines_count_towards_the_csv_row_limit(settings):
    settings.IMPORT_MAX_ROWS = 3
    assert len(read_dataset(b"Navn\na\n\n;\n", "ok.csv")) == 1
    with pytest.raises(ImportRefused, match="mere end 3 rækker"):
        read_dataset(b"Navn\na\n\n;\n\n", "tomme.csv")
    with pytest.raises(ImportRefused, match="mere end 3 rækker"):
        read_dataset(b"Navn\r\na\r\r\r\r", "tomme.csv")


def test_blank_rows_count_towards_the_xlsx_row_limit(settings):
    settings.IMPORT_MAX_ROWS = 3
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "Navn"
    workbook.active["A2"] = "a"
    workbook.active["A4"] = "b"
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert len(read_dataset(buffer.getvalue(), "ok.xlsx")) == 3

    workbook.active["A5"] = "c"
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(ImportRefused, match="mere end 3 rækker"):
        read_dataset(buffer.getvalue(), "huller.xlsx")


def test_an_xlsx_with_a_stale_dimension_imports_all_its_rows():
    rows = [["Navn", "Kode"]] + [[f"Tilbud {n}", n] for n in range(1, 29)]
    content = _xlsx(rows)
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data, replaced = re.subn(
                    rb'<dimension ref="[^"]*"', b'<dimension ref="A1:B3"', data
                )
                assert replaced == 1
            target.writestr(item, data)
    stale = buffer.getvalue()
    # openpyxl's read-only mode trusts the stale element: 3 rows, of 29.
    trusting = openpyxl.load_workbook(io.BytesIO(stale), read_only=True).worksheets[0]
    assert len(list(trusting.iter_rows(values_only=True))) == 3

    dataset = read_dataset(stale, "forkert-dimension.xlsx")

    assert len(dataset) == 28
    assert dataset[-1] == ("Tilbud 28", 28)


# Formula-safe exports (acceptance 3) ---------------------------------------------

DANGEROUS_NAMES = ['=HYPERLINK("http://x","y")', "+1+1", "@SUM(1)", "-2+3", "\tTab", "\rCR"]


@pytest.mark.parametrize("name", DANGEROUS_NAMES)
def test_an_xlsx_export_shows_a_formula_like_name_as_text(db, name):
    make_provider(name=name)
    workbook = openpyxl.load_workbook(
        io.BytesIO(register_export(kind="providers", file_format="xlsx"))
    )
    sheet = workbook.active
    column = [cell.value for cell in sheet[1]].index("Navn") + 1
    cell = sheet.cell(row=2, column=column)
    # XML reads a carriage return as a line feed; the cell stays text.
    assert cell.value == name.replace("\r", "\n")
    assert cell.data_type == "s"
    assert cell.quotePrefix is True


@pytest.mark.parametrize("name", DANGEROUS_NAMES)
def test_a_csv_export_puts_an_apostrophe_before_a_formula_like_name(db, name):
    make_provider(name=name)
    text = register_export(kind="providers", file_format="csv").decode("utf-8-sig")
    assert f";'{name[0]}" in text or f";\"'{name[0]}" in text


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_a_formula_like_name_comes_back_unchanged_from_an_export(db, importer, file_format):
    names = [name for name in DANGEROUS_NAMES if "\r" not in name]  # XML turns CR into LF
    for name in names:
        make_provider(name=name)
    exported = register_export(kind="providers", file_format=file_format)
    report = register_import(
        kind="providers", content=exported, file_name=f"udbydere.{file_format}", user=importer
    )
    assert (report.created, report.updated, report.errors) == (0, 0, [])
    assert set(names) <= set(Provider.objects.values_list("name", flat=True))


def test_an_ordinary_name_is_exported_without_apostrophe(db):
    make_provider(name="Bostedet Fjordglimt")
    text = register_export(kind="providers", file_format="csv").decode("utf-8-sig")
    assert ";Bostedet Fjordglimt;" in text


# Constraints without queries ---------------------------------------------------

REGISTER_MODELS = [Municipality, FrameworkAgreement, Provider, Offer, OperatingAgreement, Tariff]


@pytest.mark.parametrize("model", REGISTER_MODELS, ids=lambda m: m.__name__)
def test_every_check_constraint_of_the_register_can_be_checked_in_python(model):
    instance = model()
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.CheckConstraint):
            condition_holds(constraint.condition, instance)


def test_the_python_check_agrees_with_the_database_at_the_boundary(db):
    offer = make_offer(opened_on=None)
    constraint = next(c for c in Offer._meta.constraints if c.name == "offer_opened_before_closed")
    import datetime

    offer.opened_on = datetime.date(2026, 1, 2)
    offer.closed_on = datetime.date(2026, 1, 2)
    assert condition_holds(constraint.condition, offer) is True
    offer.closed_on = datetime.date(2026, 1, 1)
    assert condition_holds(constraint.condition, offer) is False
    offer.closed_on = None
    assert condition_holds(constraint.condition, offer) is True


# Each secretariat imports into its own rows only ----------------------------------


def _renamed(provider: Provider, name: str) -> bytes:
    exported = register_export(
        kind="providers", file_format="csv", queryset=Provider.objects.filter(pk=provider.pk)
    )
    return exported.replace(provider.name.encode(), name.encode())


def test_an_import_changes_no_provider_of_another_secretariat(
    secretariat_user, copenhagen_secretary, copenhagen
):
    ours = make_provider(name="Midtjysk udbyder")  # operated by Aarhus
    theirs = make_provider(name="Københavnsk udbyder", operating_municipality=copenhagen)
    for user, other in ((secretariat_user, theirs), (copenhagen_secretary, ours)):
        report = register_import(
            kind="providers", content=_renamed(other, "Omdøbt"), file_name="u.csv", user=user
        )
        assert report.refused
        other.refresh_from_db()
        assert other.name != "Omdøbt"
    report = register_import(
        kind="providers", content=_renamed(ours, "Omdøbt"), file_name="u.csv", user=secretariat_user
    )
    assert report.written
    ours.refresh_from_db()
    assert ours.name == "Omdøbt"
