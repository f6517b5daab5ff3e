"""Benchmark: import 10,000 offers, on SQLite and (when reachable) PostgreSQL.

    .venv/bin/python bench/import_offers.py            # both databases
    .venv/bin/python bench/import_offers.py --rows 2000

Each database is a fresh one of its own: a temporary SQLite file, and the
PostgreSQL database `rammeaftale_bench` (dropped and created again) on the
server DATABASE_URL names, or on 127.0.0.1:5432 as user postgres. Prints rows
per second for an import that creates every offer, one that finds them all
unchanged, and one that changes them all.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from database import fresh_postgres_database

ROOT = Path(__file__).resolve().parent.parent
BENCH_DATABASE = "rammeaftale_bench"
PROVIDERS = 200


def run(label: str, url: str, rows: int) -> int:
    """One database, in a process of its own (settings read DATABASE_URL once)."""
    environment = os.environ | {
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "rammeaftale.settings",
    }
    command = [sys.executable, __file__, "--one", label, "--rows", str(rows)]
    return subprocess.call(command, env=environment, cwd=ROOT)  # noqa: S603


def offers_file(providers, rows: int, note: str) -> bytes:
    lines = [
        "Udbyder (CVR-nummer);Tilbudsportalen-id;Tilbud;Lovgrundlag;Målgruppe;"
        "Specialiseringsniveau;Godkendte pladser;Åbnet;Lukket;Beskrivelse"
    ]
    for number in range(rows):
        provider = providers[number % len(providers)]
        lines.append(
            f"{provider.cvr};TP{number:06d};Botilbud {number};SEL § 108;"
            f"Voksne med udviklingshæmning;2;20;01.0{1 + number % 9}.2015;;"
            f"Tilbud nummer {number}{note}"
        )
    return ("\n".join(lines) + "\n").encode("utf-8-sig")


def bench_one(label: str, rows: int) -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("loaddata", "regions", "collaboration_models", "framework_agreements", verbosity=0)

    from agreements.models import Municipality
    from providers.demo import demo_cvr
    from providers.models import Offer, Provider
    from register_io.registers import register_import

    aarhus = Municipality.objects.get(code=751)
    providers = Provider.objects.bulk_create(
        Provider(
            name=f"Udbyder {n}", cvr=demo_cvr(n), kind="private", operating_municipality=aarhus
        )
        for n in range(PROVIDERS)
    )
    # Places change only through capacity adjustments (R5): the changed
    # import changes the description.
    for step, note, expect in (
        ("create", "", "created"),
        ("unchanged", "", "unchanged"),
        ("change", " (ændret)", "updated"),
    ):
        content = offers_file(providers, rows, note)
        started = time.perf_counter()
        report = register_import(kind="offers", content=content, file_name="bench.csv")
        seconds = time.perf_counter() - started
        if report.refused or getattr(report, expect) != rows:
            sys.exit(f"{label} {step}: unexpected result {report}")
        print(
            f"{label:<10} {step:<10} {rows:>6} offers in {seconds:6.2f} s: "
            f"{rows / seconds:>8,.0f} rows/s"
        )
    assert Offer.objects.count() == rows
    assert Offer.history.count() == 2 * rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--one", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.one:
        bench_one(arguments.one, arguments.rows)
        return 0

    sys.path.insert(0, str(ROOT))
    failures = 0
    with tempfile.TemporaryDirectory() as folder:
        failures += run("SQLite", f"sqlite:///{folder}/bench.sqlite3", arguments.rows) != 0
    url = fresh_postgres_database(BENCH_DATABASE)
    if url:
        failures += run("PostgreSQL", url, arguments.rows) != 0
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
