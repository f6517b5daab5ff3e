"""Trigram indexes for the admin's searches (number, citizen's name) on PostgreSQL.

Django searches with `UPPER(column::text) LIKE UPPER('%term%')`; a GIN
trigram index on that expression answers it without reading every row.
SQLite has no such index and skips this migration's SQL.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEXES = {
    "individual_contract_number_trgm": ("contracts_individualcontract", "number"),
    "individual_contract_citizen_trgm": ("contracts_individualcontract", "citizen_name"),
    "standard_contract_number_trgm": ("contracts_standardcontract", "number"),
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, (table, column) in INDEXES.items():
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" '
            f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [
        ("contracts", "0005_indexes_for_large_lists"),
    ]

    operations = [
        TrigramExtension(),
        migrations.RunPython(create, drop, elidable=False),
    ]
