"""Backup and restore (README "Backup and restore"): a pg_dump of the database
and a copy of MEDIA_ROOT restore into an empty database with the same rows,
and every stored contract PDF with the SHA-256 the database holds."""

import subprocess

import pytest
from django.conf import settings
from django.db import connection

from contracts.models import IndividualContract, StandardContract
from tests.conftest import (
    make_individual_contract,
    make_secretary,
    make_standard_contract,
    sign_contract,
)

SCRIPT = settings.BASE_DIR / "scripts" / "backup_restore_check.sh"


def _database_url() -> str:
    db = connection.settings_dict
    return (
        f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )


def _check() -> subprocess.CompletedProcess:
    return subprocess.run(
        ["sh", str(SCRIPT), _database_url(), str(settings.MEDIA_ROOT)],
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.postgres
def test_a_backup_restores_the_rows_and_the_stored_pdfs(transactional_db, reference_data):
    user = make_secretary("sara")
    standard = sign_contract(make_standard_contract(), user)
    individual = sign_contract(make_individual_contract(standard), user)
    assert StandardContract.objects.exclude(pdf="").count() == 1
    assert IndividualContract.objects.exclude(pdf_masked="").count() == 1

    result = _check()

    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 stored PDFs with the SHA-256 the database holds" in result.stdout

    # A PDF changed on disk is found.
    (settings.MEDIA_ROOT / individual.pdf_masked.name).write_bytes(b"%PDF-1.7 not the signed one")
    result = _check()

    assert result.returncode == 1
    assert f"SHA-256 differs from the database: {individual.pdf_masked.name}" in result.stdout


def test_the_script_refuses_a_database_url_that_is_not_postgresql(tmp_path):
    result = subprocess.run(
        ["sh", str(SCRIPT), "sqlite:///db.sqlite3", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2
    assert "postgres://" in result.stderr
