"""python manage.py import_register / export_register."""

import pytest
from django.core.management import CommandError, call_command

from providers.models import Offer
from tests.conftest import make_offer


def test_export_then_import_unchanged_reports_nothing_to_do(db, tmp_path, offer, capsys):
    target = tmp_path / "tilbud.xlsx"
    call_command("export_register", "offers", str(target))
    call_command("import_register", "offers", str(target))
    assert "0 oprettet, 0 ændret, 1 uændret." in capsys.readouterr().out


def test_import_records_the_named_user_and_file(db, tmp_path, importer, provider):
    source = tmp_path / "nye tilbud.csv"
    source.write_text(
        "Udbyder (CVR-nummer);Tilbud;Lovgrundlag;Målgruppe;Specialiseringsniveau\n"
        f"{provider.cvr};Nyt;SEL § 107;Hjemløse;3\n",
        encoding="utf-8-sig",
    )
    call_command("import_register", "offers", str(source), "--user", "ida")
    record = Offer.objects.get(name="Nyt").history.get()
    assert (record.history_user, record.history_change_reason) == (
        importer,
        "Import: nye tilbud.csv",
    )


def test_a_dry_run_writes_nothing(db, tmp_path, offer, capsys):
    target = tmp_path / "tilbud.csv"
    target.write_text(
        "Udbyder (CVR-nummer);Tilbud;Beskrivelse\n"
        f"{offer.provider.cvr};{offer.name};Ny beskrivelse\n"
    )
    call_command("import_register", "offers", str(target), "--dry-run")
    assert "0 oprettet, 1 ændret" in capsys.readouterr().out
    offer.refresh_from_db()
    assert offer.description == ""


def test_a_bad_file_fails_with_every_error_and_writes_nothing(db, tmp_path, capsys):
    offer = make_offer(approved_places=20)
    source = tmp_path / "tilbud.csv"
    source.write_text(
        "Udbyder (CVR-nummer);Tilbud;Godkendte pladser\n"
        f"{offer.provider.cvr};{offer.name};21\n"
        f"{offer.provider.cvr};{offer.name};-1\n"
    )
    with pytest.raises(CommandError, match="Intet blev importeret: 3 fejl."):
        call_command("import_register", "offers", str(source))
    errors = capsys.readouterr().err
    assert (
        "Række 2, kolonne «Godkendte pladser»: Pladser ændres gennem en kapacitetsjustering."
        in errors
    )
    assert "Række 3, kolonne «Godkendte pladser»: Tallet kan ikke være negativt." in errors
    assert "Række 3, kolonne «Tilbud»: Samme «Udbyder (CVR-nummer)» + «Tilbud»" in errors
    offer.refresh_from_db()
    assert offer.approved_places == 20


def test_an_unknown_user_is_refused(db, tmp_path):
    source = tmp_path / "tilbud.csv"
    source.write_text("Tilbud\n")
    with pytest.raises(CommandError, match="Der er ingen bruger ved navn nobody."):
        call_command("import_register", "offers", str(source), "--user", "nobody")


def test_a_missing_file_is_refused_in_danish(db, tmp_path):
    missing = tmp_path / "findes-ikke.csv"
    with pytest.raises(CommandError, match="findes-ikke.csv: filen findes ikke."):
        call_command("import_register", "offers", str(missing))


def test_export_says_which_file_it_wrote_and_how_many_bytes(db, tmp_path, capsys):
    target = tmp_path / "tilbud.csv"
    call_command("export_register", "offers", str(target))
    size = target.stat().st_size
    assert capsys.readouterr().out.strip() == f"{target}: {size} bytes."


def test_export_refuses_an_unknown_file_type(db, tmp_path):
    with pytest.raises(CommandError, match="er ikke en CSV- eller XLSX-fil"):
        call_command("export_register", "offers", str(tmp_path / "tilbud.pdf"))
