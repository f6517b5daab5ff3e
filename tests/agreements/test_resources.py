"""Municipalities are imported and exported by their three-digit code."""

from agreements.models import Municipality
from register_io.registers import register_export, register_import


def test_municipalities_round_trip_unchanged(db):
    exported = register_export(kind="municipalities", file_format="csv")
    assert exported.decode("utf-8-sig").startswith("Kommunekode;Navn;Regionskode\r\n")
    report = register_import(kind="municipalities", content=exported, file_name="k.csv")
    assert (report.created, report.updated, report.unchanged, report.errors) == (0, 0, 98, [])


def test_a_code_outside_three_digits_and_an_unknown_region_are_refused(db):
    content = "Kommunekode;Navn;Regionskode\n1000;Ny;1084\n101;København;9999\n".encode()
    report = register_import(kind="municipalities", content=content, file_name="k.csv")
    assert [(e.row, e.column) for e in report.errors] == [
        (2, "Kommunekode"),
        (3, "Regionskode"),
    ]
    assert "Tallet må højst være 999." in report.errors[0].message
    assert "Der findes ingen region med regionskoden 9999." in report.errors[1].message
    assert not Municipality.objects.filter(name="Ny").exists()
