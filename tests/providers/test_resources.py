"""Importing providers, offers, operating agreements and tariffs: natural
keys, Danish formats, every bad row reported, all or nothing, history, and a
query count that does not grow with the rows."""

import contextlib
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.db.models.signals import post_init
from django.test.utils import CaptureQueriesContext

from providers.models import Offer, Provider, Tariff
from register_io.registers import register_export, register_import
from tests.conftest import make_offer, make_operating_agreement, make_provider, make_tariff
from tests.tariffs.helpers import make_basis

OFFER_HEADER = (
    "Udbyder (CVR-nummer);Tilbudsportalen-id;Tilbud;Lovgrundlag;Målgruppe;"
    "Specialiseringsniveau;Godkendte pladser;Åbnet;Lukket"
)


# offer_line's places and opening date: an existing offer matching them is unchanged there.
OPENED = datetime.date(2026, 2, 1)


def csv_file(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()


def import_csv(kind: str, content: bytes, user=None, dry_run: bool = False):
    return register_import(
        kind=kind, content=content, file_name=f"{kind}.csv", user=user, dry_run=dry_run
    )


def offer_line(provider, name="Nyt botilbud", places="12", opened="01.02.2026", **extra) -> str:
    values = {
        "cvr": provider.cvr,
        "tp": "",
        "name": name,
        "basis": "SEL § 108",
        "group": "Voksne med udviklingshæmning",
        "level": "2",
        "places": places,
        "opened": opened,
        "closed": "",
    } | extra
    return ";".join(values.values())


# Round trip (acceptance 1) ----------------------------------------------------------


@pytest.fixture
def register_with_tariffs(db):
    for index in range(3):
        provider = make_provider(name=f"Udbyder {index}")
        for number in range(2):
            offer = make_offer(
                provider,
                name=f"Tilbud {index}.{number}",
                tilbudsportalen_id=f"TP{index}{number}" if number else None,
                closed_on=datetime.date(2030, 12, 31),
                description="Linje 1\nLinje 2",
            )
            make_tariff(offer, amount=Decimal("1234.50"))
            make_tariff(offer, unit=Tariff.Unit.MONTH, amount=Decimal("41000"))
        make_operating_agreement(provider, last_review_on=datetime.date(2021, 6, 30))


@pytest.mark.parametrize(
    "kind", ["providers", "offers", "operating-agreements", "tariffs", "municipalities"]
)
@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_an_unchanged_export_imports_with_nothing_created_or_changed(
    register_with_tariffs, importer, kind, file_format
):
    exported = register_export(kind=kind, file_format=file_format)
    report = register_import(
        kind=kind, content=exported, file_name=f"{kind}.{file_format}", user=importer
    )
    assert report.errors == [] and report.file_errors == []
    assert (report.created, report.updated) == (0, 0)
    assert report.unchanged > 0


def _change_one_amount(exported: bytes) -> bytes:
    workbook = openpyxl.load_workbook(io.BytesIO(exported))
    sheet = workbook.active
    column = [cell.value for cell in sheet[1]].index("Beløb (kr.)") + 1
    sheet.cell(row=2, column=column).value = Decimal("1300.00")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_one_changed_tariff_in_an_exported_xlsx_is_exactly_one_change_with_history(
    register_with_tariffs, importer
):
    exported = register_export(kind="tariffs", file_format="xlsx")
    report = register_import(
        kind="tariffs",
        content=_change_one_amount(exported),
        file_name="takster 2026.xlsx",
        user=importer,
    )
    assert (report.created, report.updated, report.errors) == (0, 1, [])
    changed = Tariff.objects.get(amount=Decimal("1300.00"))
    latest = changed.history.latest()
    assert latest.history_user == importer
    assert latest.history_change_reason == "Import: takster 2026.xlsx"
    assert latest.history_type == "~"
    assert Tariff.history.filter(history_change_reason__startswith="Import").count() == 1


def test_an_import_creates_with_history_of_user_and_file(db, importer, provider):
    report = import_csv("offers", csv_file(OFFER_HEADER, offer_line(provider)), user=importer)
    assert (report.created, report.errors) == (1, [])
    offer = Offer.objects.get(name="Nyt botilbud")
    record = offer.history.get()
    assert (record.history_type, record.history_user) == ("+", importer)
    assert record.history_change_reason == "Import: offers.csv"
    assert offer.legal_basis == "SEL § 108"
    assert offer.target_group == Offer.TargetGroup.ADULTS_INTELLECTUAL
    assert offer.opened_on == datetime.date(2026, 2, 1)


def test_a_dry_run_reports_but_writes_nothing(db, importer, provider):
    report = import_csv(
        "offers", csv_file(OFFER_HEADER, offer_line(provider)), user=importer, dry_run=True
    )
    assert report.created == 1
    assert not Offer.objects.filter(name="Nyt botilbud").exists()


# Natural keys ------------------------------------------------------------------------


def test_an_offer_is_found_by_its_tilbudsportalen_id_and_renamed(db, provider):
    offer = make_offer(
        provider,
        name="Gammelt navn",
        tilbudsportalen_id="4711",
        approved_places=12,
        opened_on=OPENED,
    )
    report = import_csv(
        "offers", csv_file(OFFER_HEADER, offer_line(provider, name="Nyt navn", tp="4711"))
    )
    assert (report.created, report.updated, report.errors) == (0, 1, [])
    offer.refresh_from_db()
    assert offer.name == "Nyt navn"


def test_an_offer_without_tilbudsportalen_id_is_found_by_provider_and_name(db, provider):
    offer = make_offer(provider, name="Fjordglimt", approved_places=12, opened_on=OPENED)
    report = import_csv(
        "offers", csv_file(OFFER_HEADER, offer_line(provider, name="Fjordglimt", level="1"))
    )
    assert (report.created, report.updated, report.errors) == (0, 1, [])
    offer.refresh_from_db()
    assert offer.specialisation_level == 1


# R5: places, opening and closing change only through a capacity adjustment ------------------


def test_an_import_changing_an_existing_offers_places_writes_nothing_and_names_the_column(
    db, provider
):
    offer = make_offer(provider, name="Fjordglimt", approved_places=16, opened_on=OPENED)
    content = csv_file(
        OFFER_HEADER,
        offer_line(provider, name="Nyt tilbud"),
        offer_line(provider, name="Fjordglimt", places="60", level="1"),
    )
    report = import_csv("offers", content)
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (3, "Godkendte pladser", "Pladser ændres gennem en kapacitetsjustering.")
    ]
    offer.refresh_from_db()
    assert (offer.approved_places, offer.specialisation_level) == (16, 2)
    assert not Offer.objects.filter(name="Nyt tilbud").exists()


@pytest.mark.parametrize(
    ("column", "change"),
    [
        ("Lukket", {"closed": "01.03.2026"}),
        ("Åbnet", {"opened": "01.01.2026"}),
    ],
)
def test_an_import_closing_or_reopening_an_existing_offer_is_refused(db, provider, column, change):
    offer = make_offer(provider, name="Fjordglimt", approved_places=12, opened_on=OPENED)
    report = import_csv(
        "offers", csv_file(OFFER_HEADER, offer_line(provider, name="Fjordglimt", **change))
    )
    assert [(e.row, e.column) for e in report.errors] == [(2, column)]
    assert "kapacitetsjustering" in report.errors[0].message
    offer.refresh_from_db()
    assert (offer.opened_on, offer.closed_on) == (OPENED, None)


def test_an_import_reopening_a_closed_offer_is_refused(db, provider):
    make_offer(
        provider,
        name="Fjordglimt",
        approved_places=0,
        opened_on=OPENED,
        closed_on=datetime.date(2026, 6, 1),
    )
    report = import_csv("offers", csv_file(OFFER_HEADER, offer_line(provider, name="Fjordglimt")))
    assert {e.column for e in report.errors} == {"Godkendte pladser", "Lukket"}


def test_a_new_offer_is_imported_with_its_places(db, provider):
    report = import_csv("offers", csv_file(OFFER_HEADER, offer_line(provider, places="16")))
    assert (report.created, report.errors) == (1, [])
    assert Offer.objects.get(name="Nyt botilbud").approved_places == 16


def test_a_tilbudsportalen_id_of_another_providers_offer_is_refused(db, provider):
    make_offer(make_provider(), tilbudsportalen_id="4711")
    report = import_csv("offers", csv_file(OFFER_HEADER, offer_line(provider, tp="4711")))
    assert [(e.row, e.column) for e in report.errors] == [(2, "Tilbudsportalen-id")]
    assert "Et andet tilbud har dette Tilbudsportalen-id" in report.errors[0].message


def test_a_tariff_is_keyed_by_offer_year_and_unit(db, offer):
    make_tariff(offer, year=2026, unit=Tariff.Unit.DAY, amount=Decimal("100"))
    header = "Udbyder (CVR-nummer);Tilbud;År;Enhed;Beløb (kr.)"
    content = csv_file(
        header,
        f"{offer.provider.cvr};{offer.name};2026;pr. døgn;1.234,50",
        f"{offer.provider.cvr};{offer.name};2027;pr. døgn;1.300",
    )
    report = import_csv("tariffs", content)
    assert (report.created, report.updated, report.errors) == (1, 1, [])
    assert offer.tariffs.get(year=2026).amount == Decimal("1234.50")
    assert offer.tariffs.get(year=2027).amount == Decimal("1300")


def test_a_provider_is_keyed_by_cvr_written_with_spaces(db, provider):
    spaced = " ".join(provider.cvr[i : i + 2] for i in range(0, 8, 2))
    content = csv_file("CVR-nummer;Navn;Type", f"{spaced};Nyt navn;Selvejende")
    report = import_csv("providers", content)
    assert (report.created, report.updated, report.errors) == (0, 1, [])
    provider.refresh_from_db()
    assert provider.name == "Nyt navn"


def test_an_operating_agreement_is_keyed_by_provider_municipality_and_signing(db, provider):
    agreement = make_operating_agreement(provider, model=3, committed_places=4, yearly_payment=1)
    header = (
        "Udbyder (CVR-nummer);Kommune (kommunekode);Underskrevet;Samarbejdsmodel;"
        "Forpligtede pladser;Fast årlig betaling (kr.)"
    )
    content = csv_file(header, f"{provider.cvr};751;01.03.2015;3;6;1.500.000,00")
    report = import_csv("operating-agreements", content)
    assert (report.created, report.updated, report.errors) == (0, 1, [])
    agreement.refresh_from_db()
    assert (agreement.committed_places, agreement.yearly_payment) == (6, Decimal("1500000"))


# Danish formats ---------------------------------------------------------------------


@pytest.mark.parametrize("written", ["31.12.2026", "31-12-2026", "2026-12-31"])
def test_danish_dates_are_read(db, provider, written):
    report = import_csv("offers", csv_file(OFFER_HEADER, offer_line(provider, opened=written)))
    assert report.errors == []
    assert Offer.objects.get(name="Nyt botilbud").opened_on == datetime.date(2026, 12, 31)


@pytest.mark.parametrize(
    ("written", "amount"),
    [("1.234,50", "1234.50"), ("1234,5", "1234.50"), ("1.234", "1234"), ("2150.50", "2150.50")],
)
def test_danish_amounts_are_read(db, offer, written, amount):
    content = csv_file(
        "Udbyder (CVR-nummer);Tilbud;År;Enhed;Beløb (kr.)",
        f"{offer.provider.cvr};{offer.name};2026;pr. måned;{written}",
    )
    assert import_csv("tariffs", content).errors == []
    assert offer.tariffs.get().amount == Decimal(amount)


# Bad input (acceptance 2) -----------------------------------------------------------------


def _refused(report, expected: list[tuple[int, str, str]]) -> None:
    """Every expected (row, column, reason) is reported, and nothing was written."""
    assert report.refused and not report.written
    found = [(e.row, e.column, e.message) for e in report.errors]
    for row, column, reason in expected:
        assert any(r == row and c == column and reason in m for r, c, m in found), (
            f"no error ({row}, {column}, {reason}) in {found}"
        )


@pytest.fixture
def good_line(provider):
    return offer_line(provider, name="Godt tilbud")


def test_an_unknown_municipality_code_is_refused(db, importer):
    content = csv_file(
        "CVR-nummer;Navn;Type;Driftskommune (kommunekode)",
        f"{make_provider().cvr};God;Selvejende;751",
        "39000018;Ny udbyder;Privat;999",
    )
    before = Provider.objects.count()
    report = import_csv("providers", content, user=importer)
    _refused(
        report,
        [(3, "Driftskommune (kommunekode)", "Der findes ingen kommune med kommunekoden 999")],
    )
    assert Provider.objects.count() == before


def test_an_invalid_cvr_is_refused(db, good_line):
    content = csv_file(OFFER_HEADER, good_line, offer_line(Provider(cvr="12345678")))
    report = import_csv("offers", content)
    _refused(report, [(3, "Udbyder (CVR-nummer)", "CVR-nummeret 12345678 er ikke gyldigt")])
    assert not Offer.objects.filter(name="Godt tilbud").exists()


def test_an_invalid_cvr_of_a_new_provider_is_refused(db):
    content = csv_file("CVR-nummer;Navn;Type", "12345678;Ny;Privat")
    _refused(import_csv("providers", content), [(2, "CVR-nummer", "ikke gyldigt")])
    assert not Provider.objects.filter(name="Ny").exists()


def test_negative_places_are_refused(db, provider, good_line):
    content = csv_file(OFFER_HEADER, good_line, offer_line(provider, places="-1"))
    _refused(import_csv("offers", content), [(3, "Godkendte pladser", "kan ikke være negativt")])
    assert not Offer.objects.filter(name="Godt tilbud").exists()


def test_zero_places_are_accepted(db, provider):
    report = import_csv("offers", csv_file(OFFER_HEADER, offer_line(provider, places="0")))
    assert report.errors == []


@pytest.mark.parametrize("written", ["12/31/2026", "31.13.2026", "2026.12.31", "i morgen"])
def test_a_date_in_a_wrong_format_is_refused(db, provider, good_line, written):
    content = csv_file(OFFER_HEADER, good_line, offer_line(provider, opened=written))
    _refused(
        import_csv("offers", content),
        [(3, "Åbnet", f"«{written}» er ikke en dato i formatet DD.MM.ÅÅÅÅ")],
    )
    assert not Offer.objects.filter(name="Godt tilbud").exists()


def test_a_duplicate_key_inside_the_file_is_refused(db, provider, good_line):
    content = csv_file(OFFER_HEADER, good_line, offer_line(provider), offer_line(provider))
    _refused(
        import_csv("offers", content),
        [(4, "Tilbud", "Samme «Udbyder (CVR-nummer)» + «Tilbud» står også i række 3 i filen")],
    )
    assert not Offer.objects.filter(name="Godt tilbud").exists()


def test_an_unchanged_row_repeated_in_the_file_is_still_a_duplicate(db, offer):
    content = csv_file(
        "Udbyder (CVR-nummer);Tilbud;År;Enhed;Beløb (kr.)",
        f"{offer.provider.cvr};{offer.name};2026;pr. døgn;2150,50",
        f"{offer.provider.cvr};{offer.name};2026;pr. døgn;2150,50",
    )
    make_tariff(offer)
    _refused(import_csv("tariffs", content), [(3, "Enhed", "står også i række 2")])


def test_two_rows_matching_the_same_offer_by_different_keys_are_refused(db, provider):
    make_offer(provider, name="Gammelt navn", tilbudsportalen_id="4711")
    content = csv_file(
        OFFER_HEADER,
        offer_line(provider, name="Nyt navn", tp="4711"),
        offer_line(provider, name="Gammelt navn"),
    )
    _refused(
        import_csv("offers", content),
        [(3, "Tilbud", "Rækken ændrer samme tilbud som række 2 i filen")],
    )
    assert Offer.objects.get(tilbudsportalen_id="4711").name == "Gammelt navn"


@pytest.mark.parametrize("written", ["tyve", "12,5", "12 pladser"])
def test_text_in_a_number_column_is_refused(db, provider, good_line, written):
    content = csv_file(OFFER_HEADER, good_line, offer_line(provider, places=written))
    _refused(
        import_csv("offers", content),
        [(3, "Godkendte pladser", f"«{written}» er ikke et helt tal")],
    )


def test_text_in_an_amount_column_is_refused(db, offer):
    content = csv_file(
        "Udbyder (CVR-nummer);Tilbud;År;Enhed;Beløb (kr.)",
        f"{offer.provider.cvr};{offer.name};2026;pr. døgn;gratis",
    )
    _refused(import_csv("tariffs", content), [(2, "Beløb (kr.)", "«gratis» er ikke et beløb")])


def test_every_bad_row_is_reported_not_only_the_first(db, provider, good_line):
    content = csv_file(
        OFFER_HEADER,
        offer_line(provider, name="A", places="-5"),
        good_line,
        offer_line(provider, name="B", opened="2026/13/01"),
        offer_line(provider, name="C", places="mange", level="7"),
    )
    report = import_csv("offers", content)
    _refused(
        report,
        [
            (2, "Godkendte pladser", "negativt"),
            (4, "Åbnet", "er ikke en dato"),
            (5, "Godkendte pladser", "er ikke et helt tal"),
            (5, "Specialiseringsniveau", "er ikke en af de tilladte værdier"),
        ],
    )
    assert {e.row for e in report.errors} == {2, 4, 5}
    assert not Offer.objects.filter(name="Godt tilbud").exists()


def test_a_closing_before_opening_is_refused_by_the_constraint_in_python(db, provider):
    content = csv_file(OFFER_HEADER, offer_line(provider, opened="02.01.2026", closed="01.01.2026"))
    _refused(
        import_csv("offers", content),
        [(2, "Lukket", "Et tilbud kan ikke lukke, før det åbner")],
    )


def test_a_model_3_agreement_without_payment_is_refused_by_the_model_rule(db, provider):
    content = csv_file(
        "Udbyder (CVR-nummer);Kommune (kommunekode);Underskrevet;Samarbejdsmodel",
        f"{provider.cvr};751;01.01.2020;3",
    )
    _refused(
        import_csv("operating-agreements", content),
        [(2, "Forpligtede pladser", "skal angive det aftalte antal pladser")],
    )


def test_an_unknown_column_refuses_the_file(db, provider):
    content = csv_file(OFFER_HEADER + ";Farve", offer_line(provider) + ";blå")
    report = import_csv("offers", content)
    assert report.refused
    assert "«Farve»" in report.file_errors[0]
    assert not Offer.objects.filter(name="Nyt botilbud").exists()


def test_a_missing_key_column_refuses_the_file(db):
    report = import_csv("offers", csv_file("Tilbud;Godkendte pladser", "X;3"))
    assert report.refused
    assert "mangler kolonnerne «Udbyder (CVR-nummer)»" in report.file_errors[0]


def test_a_refused_file_is_reported_per_row_in_danish(db, provider):
    report = import_csv("offers", csv_file(OFFER_HEADER, offer_line(provider, places="-1")))
    assert str(report.errors[0]) == (
        "Række 2, kolonne «Godkendte pladser»: Tallet kan ikke være negativt."
    )
    assert report.summary() == "Intet blev importeret: 1 fejl."


# Speed: the query count does not grow with the rows -------------------------------------------


def _offers_file(provider, rows: int, start: int = 0) -> bytes:
    return csv_file(
        OFFER_HEADER,
        *(
            offer_line(provider, name=f"Tilbud {start + n}", tp=f"T{start + n}")
            for n in range(rows)
        ),
    )


def _queries(content: bytes, user) -> int:
    with CaptureQueriesContext(connection) as queries:
        report = import_csv("offers", content, user=user)
    assert report.errors == [] and report.file_errors == []
    return len(queries)


def test_the_query_count_of_an_import_does_not_grow_with_the_rows(db, importer, provider):
    small = _queries(_offers_file(provider, 10), importer)
    large = _queries(_offers_file(provider, 100, start=100), importer)
    # SQLite takes at most 999 parameters per statement, so bulk writes of
    # 100 rows are split in a few batches; nothing is done per row.
    assert large - small <= 4, (small, large)


def test_the_query_count_of_an_update_does_not_grow_with_the_rows(db, importer, provider):
    import_csv("offers", _offers_file(provider, 110), user=importer)
    small = _queries(_offers_file(provider, 10).replace(b";2;", b";1;"), importer)
    large = _queries(_offers_file(provider, 100, start=10).replace(b";2;", b";3;"), importer)
    assert large - small <= 4, (small, large)


def test_an_xlsx_typed_in_excel_with_numbers_and_dates_is_read(db, provider):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(
        [
            "Udbyder (CVR-nummer)",
            "Tilbud",
            "Lovgrundlag",
            "Målgruppe",
            "Specialiseringsniveau",
            "Godkendte pladser",
            "Åbnet",
        ]
    )
    sheet.append(
        [
            int(provider.cvr),
            "Excel-tilbud",
            "SEL § 85",
            "personer med autisme",
            1,
            14.0,
            datetime.datetime(2026, 3, 1),
        ]
    )
    sheet.append([None] * 7)
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = register_import(kind="offers", content=buffer.getvalue(), file_name="excel.xlsx")
    assert (report.created, report.errors) == (1, [])
    offer = Offer.objects.get(name="Excel-tilbud")
    assert (offer.provider, offer.approved_places, offer.opened_on) == (
        provider,
        14,
        datetime.date(2026, 3, 1),
    )
    assert offer.target_group == Offer.TargetGroup.AUTISM


def test_relabelling_an_offer_under_sjaelland_by_import_is_refused(db, provider):
    from agreements.models import FrameworkAgreement

    offer = make_offer(provider, name="Fjordglimt", approved_places=12, opened_on=OPENED)
    offer.framework_agreements.add(FrameworkAgreement.objects.get(region__code=1085))
    report = import_csv(
        "offers", csv_file(OFFER_HEADER, offer_line(provider, name="Fjordglimt", basis="SEL § 107"))
    )
    assert [(e.row, e.column) for e in report.errors] == [(2, "Lovgrundlag")]
    assert "ommærkning" in report.errors[0].message
    offer.refresh_from_db()
    assert offer.legal_basis == "SEL § 108"


def test_relabelling_by_import_is_allowed_where_the_policy_does_not_ask(db, provider, midtjylland):
    offer = make_offer(provider, name="Fjordglimt", approved_places=12, opened_on=OPENED)
    offer.framework_agreements.add(midtjylland)
    report = import_csv(
        "offers", csv_file(OFFER_HEADER, offer_line(provider, name="Fjordglimt", basis="SEL § 107"))
    )
    assert (report.updated, report.errors) == (1, [])


# Cost follows the file, not the table -----------------------------------------------------


@contextlib.contextmanager
def offers_read():
    """Collects the offers loaded from the database while it is open."""
    read: list[int] = []

    def count(sender, instance, **kwargs):
        if instance.pk is not None:
            read.append(instance.pk)

    post_init.connect(count, sender=Offer)
    try:
        yield read
    finally:
        post_init.disconnect(count, sender=Offer)


def test_an_import_reads_only_the_offers_its_rows_name(db, importer, provider, other_provider):
    import_csv("offers", _offers_file(provider, 60), user=importer)
    import_csv("offers", _offers_file(other_provider, 40, start=60), user=importer)
    # Two rows: one existing offer changed, one new.
    content = csv_file(
        OFFER_HEADER,
        # Places change only through adjustments (R5): the level changes.
        offer_line(provider, name="Tilbud 3", tp="T3", level="3"),
        offer_line(provider, name="Helt nyt", tp="T999"),
    )
    with offers_read() as read, CaptureQueriesContext(connection) as queries:
        report = import_csv("offers", content, user=importer)
    assert report.errors == [] and report.file_errors == []
    assert len(set(read)) == 1
    table = f'FROM "{Offer._meta.db_table}"'
    assert [q["sql"] for q in queries if table in q["sql"] and "WHERE" not in q["sql"]] == []
    assert Offer.objects.get(name="Tilbud 3").specialisation_level == 3
    assert Offer.objects.filter(name="Helt nyt", provider=provider).exists()


def test_a_tilbudsportalen_id_taken_by_an_offer_the_file_does_not_name_is_still_refused(
    db, importer, provider, other_provider
):
    import_csv("offers", _offers_file(other_provider, 30), user=importer)
    content = csv_file(OFFER_HEADER, offer_line(provider, name="Nyt", tp="T17"))
    report = import_csv("offers", content, user=importer)
    assert "Et andet tilbud har dette Tilbudsportalen-id" in report.errors[0].message
    assert not Offer.objects.filter(name="Nyt").exists()


def test_a_tariff_import_reads_only_the_offers_of_the_providers_in_the_file(
    db, importer, provider, other_provider
):
    import_csv("offers", _offers_file(provider, 5), user=importer)
    import_csv("offers", _offers_file(other_provider, 50, start=5), user=importer)
    content = csv_file(
        "Udbyder (CVR-nummer);Tilbudsportalen-id;Tilbud;År;Enhed;Beløb (kr.)",
        f"{provider.cvr};T1;Tilbud 1;2026;pr. døgn;1.234,50",
    )
    with offers_read() as read:
        report = import_csv("tariffs", content, user=importer)
    assert report.errors == [] and report.file_errors == []
    assert Tariff.objects.get(offer__name="Tilbud 1").amount == Decimal("1234.50")
    # The provider's 5 offers (to find the tariff's offer), not the other's 50.
    assert set(read) <= set(provider.offers.values_list("pk", flat=True))


def test_an_import_changing_a_tariff_set_from_an_approved_basis_is_refused(db, importer, offer):
    make_basis(offer, year=2026, status="approved", tariff_amount=Decimal("1744.77"))
    Tariff.objects.create(offer=offer, year=2026, unit="day", amount=Decimal("1744.77"))
    header = "Udbyder (CVR-nummer);Tilbudsportalen-id;Tilbud;År;Enhed;Beløb (kr.)"
    line = f"{offer.provider.cvr};;{offer.name};2026;pr. døgn;"

    report = import_csv("tariffs", csv_file(header, line + "9.999,99"), user=importer)

    _refused(report, [(2, "Beløb (kr.)", "godkendte beregningsgrundlag")])
    assert Tariff.objects.get(offer=offer).amount == Decimal("1744.77")
    unchanged = import_csv("tariffs", csv_file(header, line + "1.744,77"), user=importer)
    assert unchanged.errors == []


def test_an_import_changes_a_tariff_without_an_approved_basis(db, importer, offer):
    Tariff.objects.create(offer=offer, year=2026, unit="day", amount=Decimal("1500"))
    header = "Udbyder (CVR-nummer);Tilbudsportalen-id;Tilbud;År;Enhed;Beløb (kr.)"
    line = f"{offer.provider.cvr};;{offer.name};2026;pr. døgn;1.600,00"

    report = import_csv("tariffs", csv_file(header, line), user=importer)

    assert report.errors == []
    assert Tariff.objects.get(offer=offer).amount == Decimal("1600")
