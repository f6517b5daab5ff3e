"""Settings come from the environment; production settings pass Django's deploy checks."""

import datetime
import os
import subprocess
import sys

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.conf import settings

PROJECT = settings.BASE_DIR


def _run(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "DATABASE_URL",
            "DEBUG",
            "PRODUCTION",
            "SECRET_KEY",
            "CPR_DIGEST_KEY",
            "ACCESSIBILITY_STATEMENT_URL",
            "DATA_CONTROLLER",
        }
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT,
        env=environment | env,
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION_ENVIRONMENT = {
    "PRODUCTION": "1",
    "SECRET_KEY": "x" * 30 + "production-secret-key-for-the-check",
    "CPR_DIGEST_KEY": "y" * 30 + "production-cpr-digest-key",
    "ALLOWED_HOSTS": "rammeaftale.example.dk",
    "ACCESSIBILITY_STATEMENT_URL": "https://www.was.digst.dk/rammeaftale-example-dk",
    "DATA_CONTROLLER": "Viborg Kommune",
}


def _check_deploy(**env: str) -> subprocess.CompletedProcess:
    return _run("check", "--deploy", "--fail-level", "WARNING", **env)


@pytest.fixture(scope="module")
def organisation_certificate(tmp_path_factory) -> dict[str, str]:
    """A seal certificate that is not the demo's (self-signed, for the check only)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "DK"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Viborg Kommune"),
            x509.NameAttribute(NameOID.COMMON_NAME, "Rammeaftalesekretariatets segl"),
        ]
    )
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=365))
        .sign(key, hashes.SHA256())
    )
    path = tmp_path_factory.mktemp("seal") / "segl.p12"
    path.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"segl", key, certificate, None, serialization.BestAvailableEncryption(b"hemmelig")
        )
    )
    return {"SEAL_PKCS12_PATH": str(path), "SEAL_PKCS12_PASSWORD": "hemmelig"}


def test_production_settings_pass_the_deploy_checks(organisation_certificate):
    result = _check_deploy(**PRODUCTION_ENVIRONMENT, **organisation_certificate)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_deploy_checks_warn_without_an_accessibility_statement(organisation_certificate):
    environment = PRODUCTION_ENVIRONMENT | organisation_certificate
    result = _check_deploy(**(environment | {"ACCESSIBILITY_STATEMENT_URL": ""}))
    assert result.returncode != 0
    assert "notices.W001" in result.stdout + result.stderr
    assert "notices.W002" not in result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = _run("check", PRODUCTION="1")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_a_cpr_digest_key():
    result = _run("check", PRODUCTION="1", SECRET_KEY="x" * 50)
    assert result.returncode != 0
    assert "CPR_DIGEST_KEY must be set" in result.stderr


def test_database_url_selects_postgresql():
    result = _run(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'], settings.DATABASES['default']['NAME'])",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/example",
    )
    assert result.stdout.split() == ["django.db.backends.postgresql", "example"]


def test_without_database_url_sqlite_lives_in_the_project_folder():
    result = _run(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.DATABASES['default']['NAME'])",
    )
    assert result.stdout.strip() == str(PROJECT / "db.sqlite3")


def test_danish_language_time_zone_and_formats():
    assert settings.LANGUAGE_CODE == "da"
    assert settings.TIME_ZONE == "Europe/Copenhagen"
    assert settings.DEBUG is False


def test_danish_number_and_date_formats():
    import datetime
    from decimal import Decimal

    from django.utils import formats, translation

    with translation.override("da"):
        assert formats.localize(Decimal("1234.50"), use_l10n=True) == "1.234,50"
        assert formats.date_format(datetime.date(2026, 12, 31), "SHORT_DATE_FORMAT") == "31.12.2026"
